"""Reading an ECCN's "List Based License Exceptions" lines (LVS value, GBS eligibility).

The lines are prose ("$500, except semiconductor manufacturing equipment specified in 3B001.a.4, c,
d ...", "Yes for 4A003.g and ..."). Like ``ccl_controls``, this reads the common forms and answers
``None`` (unknown) for the rest, so that an exception is never offered on a misreading.

>>> lvs_limit("$500, except semiconductor manufacturing equipment specified in 3B001.a.4, c, d", "3B001", ("b",))
(True, 500)
>>> gbs_eligible("Yes, except a.3 (molecular beam epitaxial growth equipment), .f (lithography)", "3B001", ("f", "1"))
False
"""

from __future__ import annotations

import re
from functools import lru_cache

from earcheck.model import Tri
from earcheck.regulations.ccl_controls import ScopeKind
from earcheck.regulations.ccl_grammar import parse_scope

__all__ = ["gbs_eligible", "lvs_limit"]

_AMOUNT = re.compile(r"\$\s?([0-9][0-9,]*)")
_PARENS = re.compile(r"\([^()]*\)")


def _listed(code: str, text: str, paragraph: tuple[str, ...]) -> Tri:
    """Is ``paragraph`` among the paragraphs a note lists? None if the list is not plain paragraphs."""
    cleaned = _PARENS.sub("", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .;")
    cleaned = re.sub(r"^(?:semiconductor manufacturing equipment specified in|items? in)\s+", "", cleaned)
    scope = parse_scope(code, cleaned)
    if scope.kind is not ScopeKind.PARAGRAPHS:
        return None
    return scope.covers(paragraph)


@lru_cache(maxsize=8192)
def gbs_eligible(note: str | None, code: str, paragraph: tuple[str, ...]) -> Tri:
    """Eligibility for License Exception GBS from the ECCN's GBS line (None: cannot tell)."""
    if note is None:
        return False  # no GBS line: the entry does not offer GBS
    text = " ".join(note.split())
    if text.upper().startswith("N/A"):
        return False
    if re.fullmatch(r"Yes\.?", text, re.I):
        return True
    except_ = re.match(r"Yes,?\s+except\s+(?:for\s+)?(.+)$", text, re.I)
    if except_:
        listed = _listed(code, except_[1], paragraph)
        return None if listed is None else not listed
    for_ = re.match(r"Yes,?\s+for\s+(.+)$", text, re.I)
    if for_:
        return _listed(code, for_[1], paragraph)
    return None


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
