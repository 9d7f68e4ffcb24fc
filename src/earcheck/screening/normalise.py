"""From a name as written to the words that are compared.

``normalise`` turns any text into a ``NormalName``: its content words in order (each marked generic or
distinctive), and the legal-form families it names, set aside as weak evidence. On the way it:

- applies Unicode compatibility folding and drops control and symbol characters (emoji included);
- writes Chinese characters as English corporate words and pinyin (``earcheck.screening.chinese``) and
  every other script in ASCII (anyascii: Cyrillic, Arabic, Greek, Korean, accents);
- lower-cases, drops apostrophes ("Xi'an" -> "xian"), joins dotted abbreviations ("S.A." -> "sa"),
  reads ordinals as numbers ("13th" -> "13") and splits on anything else;
- expands abbreviations ("Intl" -> "international", "Co" -> "company");
- recognises company types at the end of the name, and at its start for the forms written first
  (Russian "OOO", "Joint Stock Company"), and removes them from the words;
- in a name being screened, corrects one-letter typos in generic words and company types that the
  lists do not use ("Corpqration", "Limted"), never in distinctive words;
- marks stop words (they weigh nothing) and drops single letters.

``listed_forms`` reads the extra forms hidden in how official lists write a name: "X (a.k.a. Y)",
"Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Y", "National University of Defense
Technology (NUDT)".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii

from earcheck.screening.chinese import HAN, han_to_words, simplified
from earcheck.screening.cross_script import cross_script_key
from earcheck.screening.lexicon import DISTINCTIVE, GENERIC, STOP, Lexicon

__all__ = ["MAX_CHARS", "MAX_WORDS", "NormalName", "listed_forms", "normalise", "screened_forms", "unqualified_forms"]

MAX_CHARS = 1000
"""Longer input is cut to this many characters before matching (the longest listed name has 381)."""
MAX_WORDS = 64
"""At most this many content words are compared; a name with more is cut (and says so)."""

_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_DOTTED = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+\.?(?![a-z0-9])")
_ORDINAL = re.compile(r"(?<![a-z0-9])(\d+)(?:st|nd|rd|th)(?![a-z0-9])")
_WORD = re.compile(r"[a-z0-9]+")
_HYPHENATED_FORM = re.compile(r"^\W*([a-z]+)-([a-z]+)")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name reduced to what is compared."""

    words: tuple[str, ...]  # content words in order, without stop words and legal forms, no repeats
    kinds: tuple[int, ...]  # for each word: DISTINCTIVE, GENERIC, PLACE or STOP
    legal: frozenset[str]  # families of the legal forms named ("limited", "joint_stock", ...)
    truncated: bool = False  # the input was longer than MAX_CHARS or had more than MAX_WORDS words

    @property
    def empty(self) -> bool:
        return not self.words

    @property
    def weak(self) -> tuple[bool, ...]:
        """For each word: is it weak evidence (generic or place), not counted when missing?"""
        return tuple(kind != DISTINCTIVE for kind in self.kinds)

    @property
    def strict(self) -> bool:
        """A name without distinctive words ("China Mobile"): its words are compared at their full
        weight (rarity alone), since they are all it has."""
        return DISTINCTIVE not in self.kinds


def _fold(text: str, lexicon: Lexicon) -> str:
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text)
    chars = []
    for ch in text:
        category = unicodedata.category(ch)
        # Control, format, unassigned and symbol characters carry no name: "Acme\u200b" is "Acme",
        # and an emoji must not become a word (anyascii would write it as ":grinning:").
        chars.append(" " if category[0] in "CS" or category == "Zl" or category == "Zp" else ch)
    text = "".join(chars)
    if HAN.search(text):
        if lexicon.simplify_han:
            text = simplified(text)
        text = han_to_words(text, lexicon)
    return anyascii(_APOSTROPHES.sub("", text))


def _strip_forms(words: list[str], lexicon: Lexicon) -> tuple[list[str], set[str]]:
    """Take legal forms off the end (repeatedly) and the start (for forms written first)."""
    families: set[str] = set()
    longest = lexicon.longest_form
    changed = True
    while changed and words:
        changed = False
        for size in range(min(longest, len(words)), 0, -1):
            family = lexicon.trailing_forms.get(tuple(words[-size:]))
            if family is not None and size < len(words):
                families.add(family)
                del words[-size:]
                changed = True
                break
    for _ in range(2):
        for size in range(min(longest, len(words) - 1), 0, -1):
            family = lexicon.leading_forms.get(tuple(words[:size]))
            if family is not None:
                families.add(family)
                del words[:size]
                break
        else:
            break
    return words, families


_JOINED_MIN = 7  # shorter words are left whole: too many split into two short words by chance
_PART_MIN = 3


def _unjoined(word: str, known: Container[str], lexicon: Lexicon) -> tuple[str, ...]:
    """A word the lists do not use, written together from two that they (or the tables) do, one of
    them a table word ("SHIPPINGINC", "COMPANYVTB", "JOINTSTOCK"): the two words; else the word.
    Of several cuts, the most even."""
    if len(word) < _JOINED_MIN or word in known or not word.isalpha() or lexicon.vocabulary_word(word):
        return (word,)
    best: tuple[str, str] | None = None
    for cut in range(_PART_MIN, len(word) - _PART_MIN + 1):
        left, right = word[:cut], word[cut:]
        left_table, right_table = lexicon.vocabulary_word(left), lexicon.vocabulary_word(right)
        if not (left_table or right_table):
            continue
        even = best is None or min(len(left), len(right)) > min(len(best[0]), len(best[1]))
        if even and (left_table or left in known) and (right_table or right in known):
            best = (left, right)
    return best if best is not None else (word,)


def _patronymics_weak(text: str, words: list[str], kinds: tuple[int, ...], lexicon: Lexicon) -> tuple[int, ...]:
    """A person's name written as the lists write it, "KOSTYUKOV, Igor Olegovich": a patronymic after
    the comma is weak evidence, as a corporate word is (not counted when the other name leaves it out:
    "KOSTYUKOV, Igor" is the same person written shorter). Before the comma it is the surname
    ("ABRAMOVICH, Roman") and stays distinctive."""
    head, _, tail = text.partition(",")
    before = set(_WORD.findall(anyascii(head).lower()))
    after = set(_WORD.findall(anyascii(tail).lower()))
    return tuple(
        GENERIC if k == DISTINCTIVE and w in after and w not in before and lexicon.patronymic(w) else k
        for w, k in zip(words, kinds, strict=True)
    )


def normalise(text: str, lexicon: Lexicon, known: Container[str] | None = None, *, symbols: bool = False) -> NormalName:
    """Reduce ``text`` to its compared words. Never raises on any string; may return no words.

    ``known`` is given for a name being screened: the words of the listed names. A word of five
    letters or more that is not among them and is one edit from exactly one generic word or company
    type is read as that word misspelt ("Corpqration", "Limted"). Listed names are never corrected.

    ``symbols`` (``name-v2``) keeps single letters in a name that has no longer word ("1-P" is the
    words "1" and "p", not the number alone), and reads a company type written first but joined by a
    hyphen to the next word as part of that word ("Pao-tou").
    """
    truncated = len(text) > MAX_CHARS
    folded = _fold(text[:MAX_CHARS], lexicon).lower()
    if symbols:
        # "Pao-tou" is one name in two syllables, not the Russian company type PAO before "tou".
        folded = _HYPHENATED_FORM.sub(
            lambda m: m.group(1) + m.group(2) if (m.group(1),) in lexicon.leading_forms else m.group(), folded
        )
    folded = _APOSTROPHES.sub("", folded)
    folded = _DOTTED.sub(lambda m: m.group().replace(".", ""), folded)
    folded = _ORDINAL.sub(r"\1", folded.replace("&", " and "))
    abbreviations = lexicon.abbreviations
    found = _WORD.findall(folded)
    if known is not None and symbols:
        found = [part for word in found for part in _unjoined(word, known, lexicon)]
    words = [abbreviations.get(w, w) for w in found]
    if known is not None:
        words = [
            w if w in known else abbreviations.get(c, c)
            for w, c in zip(words, map(lexicon.correct, words), strict=True)
        ]
    words, families = _strip_forms(words, lexicon)
    keep_letters = symbols and not any(sum(ch.isalpha() for ch in w) >= 2 for w in words)
    content: list[str] = []
    seen: set[str] = set()
    for word in words:
        # Stop words stay, weighing nothing, so that pinyin syllables that are also stop words
        # ("De", "La", "Du") can still join their neighbours; single letters go. A word already
        # seen goes ("Huawei Technologies (Huawei)") unless it repeats the word before it, as
        # pinyin does ("Hui Hui" for "Huihui").
        if len(word) == 1 and not word.isdigit() and not keep_letters:
            continue
        if word in seen and not (content and content[-1] == word):
            continue
        seen.add(word)
        content.append(word)
    if len(content) > MAX_WORDS:
        content, truncated = content[:MAX_WORDS], True
    kinds = tuple(lexicon.kind(w) for w in content)
    if lexicon.patronymic_endings and "," in text:
        kinds = _patronymics_weak(text, content, kinds, lexicon)
    if kinds and all(k == STOP for k in kinds):
        # Nothing but stop words ("The Of"): compare what there is rather than nothing.
        kinds = tuple(DISTINCTIVE for _ in kinds)
    return NormalName(
        words=tuple(content),
        kinds=kinds,
        legal=frozenset(families),
        truncated=truncated,
    )


# --- the forms hidden in how lists write names ----------------------------------------------------

_AKA = re.compile(r"\(\s*(?:a\.?k\.?a\.?|f\.?k\.?a\.?|n\.?k\.?a\.?|aka:?)\s*([^()]+)\)", re.IGNORECASE)
_AFFILIATE = re.compile(
    r"[.;,]?\s*(?:affiliated entity|subordinate institution|subordinate entity|branch)\s*[:\-–]\s*",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\(([^()]{1,80})\)")
_TAIL = re.compile(
    r"(?:,|;|\.)\s*(?:including|and subordinate|this includes|all address|and its)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_INITIAL_SKIP = frozenset({"of", "and", "the", "for", "de", "&"})


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", text) if w.lower() not in _INITIAL_SKIP)


def _is_acronym_of(short: str, name: str) -> bool:
    """Is ``short`` (e.g. "CASIC") the initials of words of ``name``, in order?"""
    letters = re.sub(r"[^A-Za-z]", "", short).upper()
    if len(letters) < 2:
        return False
    initials = iter(_initials(name).upper())
    return all(any(ch == letter for ch in initials) for letter in letters)


def _alias_like(inner: str, outside: str, lexicon: Lexicon) -> bool:
    """Does a parenthesis hold another name for the entry ("(Huawei)", "(NUDT)"), not a qualifier
    such as "(Beijing)" or "(Hong Kong)" that is part of the name?"""
    words = re.findall(r"[A-Za-z0-9]+", inner)
    if len(words) != 1 and not (len(words) == 2 and words[1].isdigit()):
        return False
    outside_words = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", outside)}
    if words[0].lower() in outside_words and len(words[0]) >= 3:
        return True
    if _is_acronym_of(words[0], outside):
        return True
    # An acronym in a name written in mixed case; not a place or a company word ("(UK)", "(GROUP)").
    word = words[0]
    return (
        word.isupper()
        and not outside.isupper()
        and len(word) >= 3
        and lexicon.kind(word.lower()) == DISTINCTIVE
        and word.lower() not in lexicon.abbreviations
        and (word.lower(),) not in lexicon.trailing_forms
    )


def listed_forms(name: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The forms of one listed name (or alias) to index: the name itself first, then the extra forms
    the list's writing implies. Every form is text taken from the name."""
    forms = [name]
    text = name
    for aka in _AKA.finditer(name):
        forms.append(aka.group(1).strip())
        text = text.replace(aka.group(), " ")
    if text != name:
        forms.append(text)
    parts = [p for p in _AFFILIATE.split(text) if p.strip()]
    if len(parts) > 1:
        # "Parent (P). Affiliated Entity: Child" lists the child: the parent's name alone is another
        # entry, and must not match this one as well as its own.
        parts = parts[1:]
        forms.extend(parts)
    for part in parts or [text]:
        head = _TAIL.sub("", part).strip()
        if head and head != part.strip():
            forms.append(head)
        for paren in _PARENTHESIS.finditer(part):
            outside = (part[: paren.start()] + part[paren.end() :]).strip()
            if outside and _alias_like(paren.group(1), outside, lexicon):
                forms.append(re.sub(r"\s+", " ", outside).strip(" .,"))
                forms.append(paren.group(1).strip())
    seen: set[str] = set()
    unique = []
    for form in forms:
        form = re.sub(r"\s+", " ", form).strip(" .,;:-–")
        if form and form not in seen:
            seen.add(form)
            unique.append(form)
    return tuple(unique)


def _without(name: str, matches: list[re.Match[str]]) -> str:
    text = name
    for match in reversed(matches):
        text = text[: match.start()] + " " + text[match.end() :]
    return re.sub(r"\s+", " ", text).strip(" .,;:-–")


def unqualified_forms(name: str, lexicon: Lexicon) -> tuple[tuple[str, bool], ...]:
    """name-v2: a listed name written without its parentheses, each form with whether only places
    were left out. Without the places ("Cinty Int'l (HK) Industry Co., Limited" -> "Cinty Int'l
    Industry Co., Limited"): how a party often writes a subsidiary's name. Without every parenthesis
    ("Seyed Taba (Turkish individual)", "Zhukovskiy Central Aerohydrodynamics Institute (TsAGI)"): the
    name the list describes or abbreviates. Indexed at a small cost, so the names as listed rank first."""
    found = list(_PARENTHESIS.finditer(name))
    if not found:
        return ()
    forms: list[tuple[str, bool]] = []
    places = [m for m in found if _place(m.group(1), lexicon)]
    if places:
        forms.append((_without(name, places), True))
    if len(places) < len(found):
        forms.append((_without(name, found), False))
    return tuple((text, only) for text, only in forms if text and text != name and re.search(r"[^\W\d_]{2}", text))


# --- the forms of a name being screened ---------------------------------------------------------


@cache
def _country_names() -> frozenset[str]:
    import iso3166

    names = set()
    for country in iso3166.countries_by_alpha2.values():
        for name in (country.name, country.apolitical_name):
            # "Virgin Islands, British" is also written "Virgin Islands"; "Korea, Republic of", "Korea".
            for written in (name, name.split(",")[0], name.split("(")[0]):
                names.add(" ".join(re.findall(r"[a-z0-9]+", anyascii(written).lower())))
    return frozenset(names)


def _place(inner: str, lexicon: Lexicon) -> bool:
    """Is a parenthesis only a place: a country, or places of the tables ("(HK)", "(Shanghai)")?"""
    words = re.findall(r"[a-z0-9]+", anyascii(inner).lower())
    if not words:
        return False
    words = [lexicon.abbreviations.get(w, w) for w in words]
    return " ".join(words) in _country_names() or all(w in lexicon.places or w in lexicon.stop for w in words)


def _qualifier(inner: str, outside: str, lexicon: Lexicon) -> bool:
    """Does a parenthesis in a screened name only qualify it: a country ("(Russian Federation)"), a
    place, a company word, or the initials of the name outside ("(IAA)")?"""
    words = re.findall(r"[a-z0-9]+", anyascii(inner).lower())
    if not words:
        return True
    if " ".join(words) in _country_names():
        return True
    if all(lexicon.vocabulary_word(w) for w in words):
        return True
    return len(words) == 1 and _is_acronym_of(inner, outside)


def _cross_script_forms(text: str, lexicon: Lexicon, unverified: float) -> list[tuple[str, float]]:
    """The listed names the cross-script table pairs with a name written in Chinese characters: at
    no cost when a source gave both names together, at ``unverified`` when the pairing is recalled."""
    if not lexicon.cross_script or not HAN.search(text):
        return []
    found = lexicon.cross_script.get(cross_script_key(simplified(text)), ())
    return [(name.listed, 0.0 if name.verified else unverified) for name in found]


def screened_forms(
    text: str, lexicon: Lexicon, penalty: float, *, unverified: float = 0.0, qualified: float = 0.0
) -> tuple[tuple[str, float], ...]:
    """The forms in which a name being screened is compared, each with what it costs: the name as
    written (nothing), and the name without its parentheses, which a list may not have written
    ("AO Sibneftegaz (Russian Federation)", "Islamic Army of Aden (IAA)"): nothing when they only
    qualify it (``_qualifier``; ``qualified`` from name-v4 on, so that an entry written with the same
    parenthesis ranks above one that lacks it: "PCC (UK)" is "PCC (UK)" before it is "PCC FZE"), else
    ``penalty`` (they may name what tells two parties apart).
    A name in Chinese characters that the cross-script table knows is also compared as the listed
    name the table gives (``_cross_script_forms``)."""
    forms = [(text, 0.0)]
    if len(text) <= MAX_CHARS:
        forms.extend(_cross_script_forms(text, lexicon, unverified))
    if "(" not in text or len(text) > MAX_CHARS:
        return tuple(forms)
    inner = [m.group(1) for m in _PARENTHESIS.finditer(text)]
    outside = re.sub(r"\s+", " ", _PARENTHESIS.sub(" ", text)).strip(" .,;:-")
    if not inner or not re.search(r"[^\W\d_]{2}", outside):
        return tuple(forms)
    cost = qualified if all(_qualifier(i, outside, lexicon) for i in inner) else penalty
    forms.append((outside, cost))
    return tuple(forms)
