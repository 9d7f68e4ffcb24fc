"""Reading an ECCN entry's licence-exception lines ("LVS: $500, ...", "GBS: Yes, for ...", "HBM: Yes, for
3A090.c. See § 740.25 of the EAR.") and its STA special conditions.

The lines are prose. Like ``ccl_controls``, this reads the common forms -- "N/A", "Yes", "Yes, for
<paragraphs>", "Yes, except <paragraphs>", a dollar value -- and answers ``None`` (unknown) for the
rest, so that an exception is never offered on a misreading. A reference to the exception's own
section ("see § 740.24 of the EAR") and a destination clause the exception checks itself ("except to
Country Group E:1 or E:2") are read past.

>>> lvs_limit("$500, except semiconductor manufacturing equipment specified in 3B001.a.4, c, d", "3B001", ("b",))
(True, 500)
>>> gbs_eligible("Yes, except a.3 (molecular beam epitaxial growth equipment), .f (lithography)", "3B001", ("f", "1"))
False
>>> line_eligible("Yes, for 3A090.c. See § 740.25 of the EAR.", "3A090", ("c",))
True
>>> line_eligible("Yes, except to Country Group E:1 or E:2. See § 740.22 of the EAR.", "4A005", ())
True
>>> line_eligible("Yes to specific countries (see § 740.7 of the EAR for eligibility criteria).", "4D001", ())
True
>>> sta_eligible("License Exception STA may not be used to ship any item in this ECCN to any of the destinations "
...              "listed in Country Group A:5 or A:6 (See Supplement No.1 to part 740 of the EAR).", "0A501", ("a",))
False
"""

from __future__ import annotations

import re
from functools import lru_cache

from earcheck.model import Tri
from earcheck.regulations.ccl_controls import ScopeKind
from earcheck.regulations.ccl_grammar import parse_scope

__all__ = ["gbs_eligible", "line_eligible", "lvs_limit", "sta_eligible"]

_AMOUNT = re.compile(r"\$\s?([0-9][0-9,]*)")
_PARENS = re.compile(r"\([^()]*\)")
# "See § 740.17 of the EAR for eligibility." / ", see § 740.2(a)(22) and § 740.24 of the EAR."
_SEE = re.compile(r"[.,;]?\s*see\s+(?:§|supplement|part)\s.*$", re.I)
# The exception checks its destinations itself (ACE: "except to Country Group E:1 or E:2"; APP: "Yes to
# specific countries (see § 740.7 ...)").
_EXCEPT_TO = re.compile(r",?\s*except\s+to\s+Country\s+Groups?\s+[A-E]:\d(?:\s*(?:,|or|and)\s*[A-E]:\d)*", re.I)
_TO_COUNTRIES = re.compile(r",?\s*to specific countries\s*(?:\([^()]*\))?", re.I)
# APP: "computers controlled by 4A003.b, and 'electronic assemblies' controlled by 4A003.c, to the
# exclusion of other technical parameters" names the paragraphs; the nouns and the closing clause go.
_CONTROLLED_BY = re.compile(r"(?:computers|“?electronic assemblies”?|commodities|items)\s+controlled\s+by\s+", re.I)
_EXCLUSION = re.compile(r",?\s*to the exclusion of other technical parameters", re.I)


# A parenthesis that sets a condition ("(exported ... for use in civil telecommunications)", "(for
# 4A005 or 4D004)", "(except .a.5.a when controlled for MT)") rather than describing the paragraph.
_QUALIFIER = re.compile(r"^\(\s*(?:for|exported|reexported|except|when|if|only|unless|other than)\b", re.I)


def _scope_covers(code: str, text: str, paragraph: tuple[str, ...]) -> Tri:
    cleaned = _PARENS.sub("", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .;,")
    cleaned = re.sub(r"^(?:and\s+)?(?:semiconductor manufacturing equipment specified in|items? in)\s+", "", cleaned)
    if not cleaned:
        return False
    scope = parse_scope(code, cleaned)
    if scope.kind is not ScopeKind.PARAGRAPHS:
        return None
    return scope.covers(paragraph)


def _segments(text: str) -> list[str]:
    """The items of a list, split at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in (part.strip() for part in parts) if p]


def _listed(code: str, text: str, paragraph: tuple[str, ...]) -> Tri:
    """Is ``paragraph`` among the paragraphs a note lists? None if the list is not plain paragraphs, or
    if it is listed only with a condition earcheck cannot check (a qualifying parenthesis)."""
    segments = _segments(text)
    plain = [s for s in segments if not any(_QUALIFIER.match(m[0]) for m in _PARENS.finditer(s))]
    qualified = [s for s in segments if s not in plain]
    covered = _scope_covers(code, ", ".join(plain), paragraph) if plain else False
    if covered is not False or not qualified:
        return covered
    conditional = _scope_covers(code, ", ".join(qualified), paragraph)
    return False if conditional is False else None


@lru_cache(maxsize=8192)
def line_eligible(note: str | None, code: str, paragraph: tuple[str, ...], missing: Tri = False) -> Tri:
    """Does the entry's line for an exception make the item eligible? ``missing`` answers for no line."""
    if note is None:
        return missing
    text = " ".join(note.split())
    text = _TO_COUNTRIES.sub("", text)
    text = _SEE.sub("", text)
    text = _EXCEPT_TO.sub("", text)
    text = _EXCLUSION.sub("", _CONTROLLED_BY.sub("", text)).strip(" .;,")
    if re.fullmatch(r"N/A\.?", text, re.I):
        return False
    if text.upper().startswith("N/A"):
        # "N/A for MT ..." names only some items: cannot tell which without reading them.
        return None
    if re.fullmatch(r"Yes\.?", text, re.I):
        return True
    except_ = re.match(r"Yes,?\s+except\s+(?:for\s+)?(.+)$", text, re.I)
    if except_:
        listed = _listed(code, except_[1], paragraph)
        return None if listed is None else not listed
    for_ = re.match(r"Yes,?:?\s+(?:for\s+)?(.+)$", text, re.I)
    if for_:
        return _listed(code, for_[1], paragraph)
    return None


def gbs_eligible(note: str | None, code: str, paragraph: tuple[str, ...]) -> Tri:
    """Eligibility for License Exception GBS from the ECCN's GBS line (None: cannot tell); no line: none."""
    return line_eligible(note, code, paragraph)


@lru_cache(maxsize=8192)
def lvs_limit(note: str | None, code: str, paragraph: tuple[str, ...]) -> tuple[Tri, int | None]:
    """(eligible, dollar limit) for License Exception LVS from the ECCN's LVS line."""
    if note is None:
        return False, None
    text = " ".join(note.split())
    if text.upper().startswith("N/A"):
        # "N/A for MT, NP; N/A for ..." names only some items: cannot tell which without reading them.
        return (False, None) if re.fullmatch(r"N/A\.?", text, re.I) else (None, None)
    amount = _AMOUNT.search(text)
    if amount is None:
        return None, None
    limit = int(amount[1].replace(",", ""))
    rest = text[amount.end() :].strip(" .;,")
    if not rest:
        return True, limit
    excluded = re.match(r"(?:except|N/A for)\s+(.+)$", rest, re.I)
    if excluded:
        listed = _listed(code, excluded[1], paragraph)
        return (None if listed is None else not listed), limit
    return None, limit


_STA_BAR = re.compile(
    r"^License Exception STA may not be used to (?:ship|ship or transmit) (?P<what>.+?) to any of the "
    r"destinations listed in Country Groups? (?P<groups>A:5 or A:6|A:6)\b",
    re.I,
)
_WHOLE_ENTRY = re.compile(r"^(?:any|“?technology”?|any technology|any item)\b.*\b(?:this ECCN|this entry)$", re.I)


@lru_cache(maxsize=8192)
def sta_eligible(note: str | None, code: str, paragraph: tuple[str, ...], in_a6: bool | None = False) -> Tri:
    """Does the entry's "Special Conditions for STA" leave STA open for this item? No condition: yes.

    Reads the common bar "License Exception STA may not be used to ship <items> to any of the
    destinations listed in Country Group A:5 or A:6"; any other special condition answers None.
    """
    if note is None:
        return True
    text = " ".join(note.split()).removeprefix("STA: ").strip()
    bar = _STA_BAR.match(text)
    if bar is None:
        return None
    only_a6 = bar["groups"].upper() == "A:6"
    if only_a6 and in_a6 is False:
        return True
    what = bar["what"].strip()
    if _WHOLE_ENTRY.match(what):
        covered: Tri = True
    else:
        covered = _listed(code, re.sub(r"^(?:any item in|items? in)\s+", "", what, flags=re.I), paragraph)
    if covered is not True:
        return None if covered is None else True
    # A bar on A:6 alone reaches the item only in A:6; groups not known on the date leave that open.
    return None if only_a6 and in_a6 is None else False
