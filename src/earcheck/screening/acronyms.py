"""name-v3: an organisation found by its acronym ("HIT" for Harbin Institute of Technology, "IRGC"
for the Islamic Revolutionary Guard Corps).

The lists give an acronym as an alias for some organisations and not for others; a screened name that
is an acronym the list did not write met nothing before (the real-variant benchmark found 12% of the
lists' own acronym aliases, held out). At indexing, each name of an entry that is not an individual
gives an *acronym key*: the initials of its compared words, stop words ("of", "and", "the", the
Arabic articles) and company types left out ("Harbin Institute of Technology" -> ``hit``; "Islamic
Revolutionary Guard Corps" -> ``irgc``), when that makes two to six letters; and the initials of the
words as written, stop words aside, company types kept and hyphenated words split, since the lists'
own acronym aliases often spell the company type too ("NATIONAL IRANIAN OIL REFINING AND DISTRIBUTION
COMPANY" is NIORDC, "GREAT LAKES BUSINESS COMPANY" GLBC, "ROSTOVSKII OPTIKO-MEKHANICHESKII ZAVOD" ROMZ).

A screened name is looked up by acronym when it is written as one: a single word of two to six capital
letters ("IRGC") or the same letters with dots ("I.R.G.C."). Initials are weak evidence -- "HIT" is
the initials of other names too, and a word in capitals is often just a word -- so an entry found only
this way is scored ``acronym_score`` and never above ``acronym_cap``, below the match threshold:
review, for a person to decide. An entry whose own aliases write the acronym is found through that
alias by the ordinary lookup, as a match.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

__all__ = ["MAX_LETTERS", "MIN_LETTERS", "acronym_key", "acronym_table", "screened_acronym", "written_acronym"]

MIN_LETTERS = 2
MAX_LETTERS = 6

_WRITTEN = re.compile(rf"(?:[A-Z]{{{MIN_LETTERS},{MAX_LETTERS}}}|(?:[A-Z]\.){{{MIN_LETTERS},{MAX_LETTERS}}})")


def acronym_key(words: Sequence[str], weights: Sequence[float]) -> str | None:
    """The initials of a listed name's compared words that weigh something (stop words weigh
    nothing; company types are not among the compared words), when they make two to six letters; None
    for a name of one such word (its "acronym" would be its first letter) or of a word with a digit."""
    kept = [w for w, weight in zip(words, weights, strict=True) if weight > 0]
    if len(kept) < MIN_LETTERS or len(kept) > MAX_LETTERS:
        return None
    if not all(w[0].isalpha() and w.isascii() for w in kept):
        return None
    return "".join(w[0] for w in kept)


_PARENTHESIS = re.compile(r"\([^()]*\)")
_LETTERS = re.compile(r"[A-Za-z]+")


def written_acronym(listed: str, stop: Collection[str]) -> str | None:
    """The initials of a listed name's words as written (parentheses, which hold other names or
    qualifiers, and stop words aside), when they make two to six letters."""
    words = [w for w in _LETTERS.findall(_PARENTHESIS.sub(" ", listed)) if w.lower() not in stop]
    if len(words) < MIN_LETTERS or len(words) > MAX_LETTERS:
        return None
    return "".join(w[0] for w in words).lower()


def screened_acronym(text: str) -> str | None:
    """The acronym a screened name is written as ("IRGC", "I.R.G.C." -> ``irgc``), or None."""
    stripped = text.strip()
    if not _WRITTEN.fullmatch(stripped):
        return None
    return stripped.replace(".", "").lower()


def acronym_table(keys: Iterable[tuple[int, str | None]]) -> dict[str, str]:
    """Acronym key -> the ids of the names that give it, space-separated (the pack stores text)."""
    table: dict[str, list[str]] = {}
    for name_id, key in keys:
        if key is not None and (key not in table or table[key][-1] != str(name_id)):
            table.setdefault(key, []).append(str(name_id))
    return {key: " ".join(ids) for key, ids in table.items()}
