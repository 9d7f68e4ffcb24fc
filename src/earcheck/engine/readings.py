"""The readings of a classification that the facts leave open, and what the CCL data says of an entry.

An item classified at "9A610" (or at "5A001.b") may be in any paragraph below it. The entry's control
rows tell only some paragraphs apart: 9A610's rows name .b, .t to .w, .x and .y, so an item in 9A610
is in one of those or *elsewhere in 9A610*, and every paragraph "elsewhere" is treated alike by every
row. ``paragraph_classes`` gives one representative paragraph per class; the chart is read for each,
and when all agree that is the answer, whatever the paragraph. "Elsewhere" is left out only when the
entry's own list of paragraphs (the extraction gives it for categories 1, 3, 4 and 5) shows that the
rows name every paragraph there is.

The module also says what an entry *is* when its rows say nothing usable: a pointer to the ITAR
(15 CFR 734.3(b)(1): not subject to the EAR), or an entry whose controls the data lacks, which is
unknown -- never "no controls, no licence".

>>> from earcheck.regulations.ccl_grammar import read_row
>>> from earcheck.tables import CclControl
>>> rows = read_row("9A610", CclControl("MT applies to 9A610.t, .u, .v, and .w", "MT Column 1."))
>>> [c.label for c in paragraph_classes("9A610", (), rows[0].scope.ranges(), None)]
['9A610.t', '9A610.u', '9A610.v', '9A610.w', 'elsewhere in 9A610']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from earcheck.model import Tri
from earcheck.regulations.ccl import EccnStatus
from earcheck.regulations.ccl_controls import ChartControl, ConditionKind, ParagraphRange, Target, tri_any
from earcheck.tables import CclEntry

__all__ = [
    "ELSEWHERE",
    "ParagraphClass",
    "Purpose",
    "entry_gap_question",
    "itar_placeholder",
    "listed_paragraphs",
    "paragraph_classes",
    "purposes",
    "unrowed_reasons",
]

ELSEWHERE = "*"  # a paragraph token no CCL paragraph has: "a paragraph the rows do not name"
_FULL_TEXT_CATEGORIES = frozenset({1, 3, 4, 5})
_CLASS_LIMIT = 64  # beyond this many classes the paragraph is simply asked for


@dataclass(frozen=True, slots=True)
class ParagraphClass:
    paragraph: tuple[str, ...]  # a representative paragraph; a last token ELSEWHERE stands for "any other"
    label: str  # "9A610.b", "elsewhere in 5A001.b"


def _label(code: str, paragraph: tuple[str, ...]) -> str:
    if paragraph and paragraph[-1] == ELSEWHERE:
        return f"elsewhere in {'.'.join((code, *paragraph[:-1]))}"
    return ".".join((code, *paragraph))


def listed_paragraphs(entry: CclEntry | None) -> frozenset[tuple[str, ...]] | None:
    """The entry's paragraphs as the extraction lists them, when it gives the full item text."""
    if entry is None or not entry.paragraphs or int(entry.eccn[0]) not in _FULL_TEXT_CATEGORIES:
        return None
    return frozenset(
        tuple(d.lower().split(".")) for p in entry.paragraphs if (d := p.designator) and p.text.strip() != "[Reserved]"
    )


def paragraph_classes(
    code: str,
    given: tuple[str, ...],
    ranges: Iterable[ParagraphRange],
    listed: frozenset[tuple[str, ...]] | None,
) -> tuple[ParagraphClass, ...]:
    """One representative paragraph per class of the paragraphs under ``given`` that ``ranges`` (those the
    rows name) tell apart."""
    named: set[tuple[str, ...]] = set()
    for paragraph_range in ranges:
        named.update(paragraph_range.members())
    below = {m for m in named if len(m) > len(given) and m[: len(given)] == given}
    if not below:
        return (ParagraphClass(given, _label(code, given)),)
    found: list[ParagraphClass] = []

    def walk(node: tuple[str, ...]) -> None:
        children = sorted({m[: len(node) + 1] for m in below if len(m) > len(node) and m[: len(node)] == node})
        if not children:
            found.append(ParagraphClass(node, _label(code, node)))
            return
        for child in children:
            walk(child)
        real = {p[: len(node) + 1] for p in listed or () if len(p) > len(node) and p[: len(node)] == node}
        if listed is None or not real or real - set(children):
            found.append(ParagraphClass((*node, ELSEWHERE), _label(code, (*node, ELSEWHERE))))

    walk(given)
    if len(found) > _CLASS_LIMIT:
        return (ParagraphClass(given, _label(code, given)),)
    return tuple(found)


# --- what technology and software are for ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Purpose:
    """One class of the items a technology or software entry may be for: a paragraph class of an entry
    its heading names, with the reasons those items are controlled for (``None``: possibly)."""

    label: str
    code: str
    paragraph: tuple[str, ...]
    reasons: tuple[tuple[str, Tri], ...]


Rows = Callable[[str], tuple[tuple[ChartControl, ...], frozenset[tuple[str, ...]] | None] | None]


def purposes(
    controls: Iterable[ChartControl], domain: tuple[Target, ...] | None, rows_of: Rows
) -> tuple[Purpose, ...] | None:
    """The readings of "what is it for" that the entry's heading leaves open, when its rows turn on it
    ("NS applies to “technology” for commodities controlled by 3A001, 3A002, ..."); None when they do
    not, or when the heading does not bound it. ``rows_of`` gives a named entry's rows and paragraphs."""
    targets = [
        target
        for control in controls
        for condition in control.scope.conditions()
        if condition.kind is ConditionKind.PURPOSE
        for target in condition.targets
    ]
    if not targets or domain is None:
        return None
    asked = {t.reason for t in targets if t.reason}
    found: list[Purpose] = []
    for item in domain:
        looked = rows_of(item.code)
        own, listed = looked if looked is not None else ((), None)
        ranges = [
            *(r for t in targets if t.names(item.code) for r in t.clause.ranges()),
            *item.clause.ranges(),
            *(r for c in own for r in c.scope.ranges()),
        ]
        for kind in paragraph_classes(item.code, (), ranges, listed):
            if item.clause.matches(kind.paragraph, None) is False:
                continue
            reasons = _reasons_for(kind.paragraph, own if looked is not None else None, asked)
            found.append(Purpose(kind.label, item.code, kind.paragraph, reasons))
            if len(found) > 4 * _CLASS_LIMIT:
                return None
    return tuple(found) or None


def _reasons_for(
    paragraph: tuple[str, ...], own: tuple[ChartControl, ...] | None, asked: set[str]
) -> tuple[tuple[str, Tri], ...]:
    """For which reasons the items at ``paragraph`` of an entry with rows ``own`` are controlled (each reason
    the purpose rows ask about, and the entry's own); every one unknown when the entry's rows are not known."""
    return tuple(
        (reason, tri_any(c.scope.covers(paragraph) for c in own if c.reason == reason) if own is not None else None)
        for reason in sorted(asked | {c.reason for c in own or ()})
    )


def given_purpose(controls: Iterable[ChartControl], code: str, paragraph: tuple[str, ...], rows_of: Rows) -> Purpose:
    """The one reading of "what is it for" when the case names it (the item's ``for_eccn``), with the
    reasons the named commodity is controlled for on the date, as ``purposes`` gives them for a class."""
    asked = {
        target.reason
        for control in controls
        for condition in control.scope.conditions()
        if condition.kind is ConditionKind.PURPOSE
        for target in condition.targets
        if target.reason
    }
    looked = rows_of(code)
    label = ".".join((code, *paragraph))
    return Purpose(label, code, paragraph, _reasons_for(paragraph, looked[0] if looked is not None else None, asked))


# --- what an entry is when its rows say nothing usable ----------------------------------------------

_ITAR_HEADING = re.compile(r"\((?:These items are|This entry is|This “?software”? is)\s+“?subject to the ITAR", re.I)


def itar_placeholder(status: EccnStatus, controls: tuple[ChartControl, ...]) -> bool:
    """True for an entry that only points to the ITAR: its rows say so, or it has none and its heading
    says "(These items are “subject to the ITAR.” ...)"."""
    if controls:
        return all(c.itar for c in controls)
    return bool(status.heading and _ITAR_HEADING.search(status.heading))


def unrowed_reasons(status: EccnStatus, controls: tuple[ChartControl, ...]) -> tuple[str, ...]:
    """Reasons for control the entry lists with no row of their own: controls the data lacks."""
    have = {c.reason for c in controls}
    missing = []
    for reason in status.reasons or ():
        code = re.sub(r"\d$", "", reason.strip().upper())
        if code == "FOREIGN POLICY" and "RU" in have:
            continue  # the Russian industry sector rows are the CCL's "foreign policy" reason
        if code not in have:
            missing.append(reason)
    return tuple(missing)


def entry_gap_question(status: EccnStatus, subject: str) -> str:
    """The question to ask about an entry the data gives no usable rows for."""
    heading = status.heading or ""
    code = status.entry
    if re.search(r"\b0[A-E]521\b", code):
        return (
            f"{code} covers only the items listed in Supplement No. 5 to part 774, each with its own reasons for "
            f"control and destinations: which listing is {subject}, and what does it require?"
        )
    pointer = re.search(r"controlled by ECCN (\d[A-E]\d{3})|is Controlled by ECCN (\d[A-E]\d{3})", heading, re.I)
    if pointer:
        target = pointer[1] or pointer[2]
        return f"The CCL says items like {subject} are controlled by {target}: classify it under {target}."
    if "SS" in (status.reasons or ()):
        return (
            f"{code} is under short-supply controls (15 CFR part 754): does part 754 require a licence for "
            f"{subject} to this destination?"
        )
    return (
        f"earcheck's CCL data has no licence-requirement rows for {code} ({heading[:120]}): which reasons for "
        f"control and destinations apply to {subject}?"
    )
