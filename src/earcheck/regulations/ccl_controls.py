"""An ECCN's "License Requirements" rows, read: which paragraphs each control covers, and where.

Each row of an ECCN's table says "<reason> applies to <scope>" and names either a Country Chart column
("NS Column 2") or, for controls the chart cannot express, a destination rule in prose ("To or within
Macau or a destination specified in Country Group D:5 ..."). 15 CFR 738.4(a) tells how to read them.
``earcheck.regulations.ccl_grammar`` turns the text into the values defined here; this module says what
they mean for one item and one transaction.

Everything is three-valued. A scope covers a paragraph (``True``), does not (``False``), or may
(``None``): because the item is classified above the paragraphs the scope distinguishes, or because
the scope turns on a condition the case cannot settle ("if being exported ... for use in an aircraft
controlled in 9A610.b"). A row earcheck cannot read covers every paragraph possibly (``None``), never
none.

>>> from earcheck.regulations.ccl_grammar import parse_scope
>>> scope = parse_scope("3B001", "3B001.a.4, c, d, f.1, f.5, f.6, k to n, p.2, p.4, r")
>>> scope.covers(("c", "1", "a")), scope.covers(("a", "1")), scope.covers(())
(True, False, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from earcheck.model import Tri
from earcheck.tables import CclControl

__all__ = [
    "ChartControl",
    "Clause",
    "Condition",
    "ConditionKind",
    "DestinationKind",
    "DestinationRule",
    "ParagraphRange",
    "Scope",
    "ScopeKind",
    "Target",
    "Where",
    "tri_all",
    "tri_any",
]


def tri_any(values: Iterable[Tri]) -> Tri:
    """Kleene OR."""
    unknown = False
    for value in values:
        if value is True:
            return True
        unknown = unknown or value is None
    return None if unknown else False


def tri_all(values: Iterable[Tri]) -> Tri:
    """Kleene AND."""
    unknown = False
    for value in values:
        if value is False:
            return False
        unknown = unknown or value is None
    return None if unknown else True


def _not(value: Tri) -> Tri:
    return None if value is None else not value


# --- the transaction a row is read against ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Where:
    """What a row's destination rule and conditions can turn on: the destination's chart row and
    groups, and where the item is exported from (``None`` when not known)."""

    destination: str
    marks: frozenset[str]
    groups: frozenset[str]
    footnotes: tuple[str, ...] = ()
    exported_from: str | None = None
    exported_from_groups: frozenset[str] | None = None
    # For technology and software: the entry and paragraph of the items it is for, and for which
    # reasons those items are controlled (None: possibly). Unknown unless the entry's heading bounds it.
    purpose: tuple[str, tuple[str, ...]] | None = None
    purpose_reasons: tuple[tuple[str, Tri], ...] = ()


# --- which paragraphs -----------------------------------------------------------------------------


def _key(token: str) -> tuple[int, int | str]:
    """Sort key for one paragraph token: numbers numerically, letters alphabetically."""
    return (0, int(token)) if token.isdigit() else (1, token)


@dataclass(frozen=True, slots=True)
class ParagraphRange:
    """``a.1 to a.3`` is prefix ``("a",)`` from ``"1"`` to ``"3"``; a single paragraph has first == last."""

    prefix: tuple[str, ...]
    first: str
    last: str

    def contains(self, paragraph: tuple[str, ...]) -> bool:
        """True when ``paragraph`` is inside one of the paragraphs this range names."""
        depth = len(self.prefix)
        if len(paragraph) <= depth or paragraph[:depth] != self.prefix:
            return False
        token = paragraph[depth]
        if token.isdigit() != self.first.isdigit():
            return False
        return _key(self.first) <= _key(token) <= _key(self.last)

    def may_contain_part_of(self, paragraph: tuple[str, ...]) -> bool:
        """True when ``paragraph`` is broader than the range and some of it falls inside the range."""
        named = (*self.prefix, self.first)
        return len(paragraph) < len(named) and named[: len(paragraph)] == paragraph

    def members(self, limit: int = 60) -> Iterator[tuple[str, ...]]:
        """The paragraphs the range names one by one (``k to n`` is k, l, m, n); a range too long to
        spell out, or of mixed kinds, yields its ends only."""
        if self.first == self.last:
            yield (*self.prefix, self.first)
            return
        if self.first.isdigit() and self.last.isdigit() and 0 <= int(self.last) - int(self.first) <= limit:
            for number in range(int(self.first), int(self.last) + 1):
                yield (*self.prefix, str(number))
            return
        if len(self.first) == len(self.last) == 1 and self.first.isalpha() and self.first <= self.last:
            for code in range(ord(self.first), ord(self.last) + 1):
                yield (*self.prefix, chr(code))
            return
        yield (*self.prefix, self.first)
        yield (*self.prefix, self.last)

    def __str__(self) -> str:
        head = ".".join((*self.prefix, self.first))
        return head if self.first == self.last else f"{head} to {'.'.join((*self.prefix, self.last))}"


def _in_ranges(ranges: tuple[ParagraphRange, ...], paragraph: tuple[str, ...]) -> Tri:
    if any(r.contains(paragraph) for r in ranges):
        return True
    return None if any(r.may_contain_part_of(paragraph) for r in ranges) else False


class ConditionKind(StrEnum):
    ITEM = "item"  # a property of the item, its use or its end user that the case does not state
    DESTINATION = "destination"  # "except to Russia for use in ... the ISS"
    EXPORTED_FROM = "exported_from"  # "when exported from Macau or a destination specified in D:5"
    PURPOSE = "purpose"  # "“technology” for items controlled by 1A002, 1B001 to 1B003, or 1C018"


@dataclass(frozen=True, slots=True)
class Target:
    """Items a technology or software row names by ECCN: entry ``code`` (to ``code_to``, a range; a
    two-character code is a whole product group), the paragraphs ``clause`` keeps, and the reason
    they must be controlled for ("for MT reasons"), if any."""

    code: str
    clause: Clause
    code_to: str | None = None
    reason: str | None = None

    def names(self, code: str) -> bool:
        if len(self.code) == 2:
            return code.startswith(self.code)
        return self.code <= code <= self.code_to if self.code_to else code == self.code


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition in a row's words. Item conditions are facts the case file has no field for, so
    they stay unknown and are asked about; the others are read from the transaction."""

    kind: ConditionKind
    text: str
    countries: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    targets: tuple[Target, ...] = ()

    def holds(self, where: Where | None) -> Tri:
        if self.kind is ConditionKind.ITEM or where is None:
            return None
        if self.kind is ConditionKind.PURPOSE:
            if where.purpose is None:
                return None
            code, paragraph = where.purpose
            reasons = dict(where.purpose_reasons)
            return tri_any(
                tri_all([t.clause.matches(paragraph, None), reasons.get(t.reason, False) if t.reason else True])
                for t in self.targets
                if t.names(code)
            )
        if self.kind is ConditionKind.DESTINATION:
            return where.destination in self.countries or bool(where.groups & self.groups)
        if where.exported_from is None:
            return None
        if where.exported_from in self.countries:
            return True
        return None if where.exported_from_groups is None else bool(where.exported_from_groups & self.groups)


@dataclass(frozen=True, slots=True)
class Clause:
    """Some paragraphs of the entry (none listed: the entire entry), on conditions, less exceptions."""

    paragraphs: tuple[ParagraphRange, ...] = ()
    conditions: tuple[Condition, ...] = ()
    exceptions: tuple[Clause, ...] = ()

    def matches(self, paragraph: tuple[str, ...], where: Where | None) -> Tri:
        inside = _in_ranges(self.paragraphs, paragraph) if self.paragraphs else True
        if inside is False:
            return False
        held = tri_all([inside, *(c.holds(where) for c in self.conditions)])
        if held is False or not self.exceptions:
            return held
        return tri_all([held, _not(tri_any(e.matches(paragraph, where) for e in self.exceptions))])

    def ranges(self) -> Iterator[ParagraphRange]:
        yield from self.paragraphs
        for exception in self.exceptions:
            yield from exception.ranges()

    def all_conditions(self) -> Iterator[Condition]:
        yield from self.conditions
        for exception in self.exceptions:
            yield from exception.all_conditions()


class ScopeKind(StrEnum):
    ALL = "all"  # the entire entry, perhaps less listed paragraphs
    PARAGRAPHS = "paragraphs"  # listed paragraphs, unconditionally
    CONDITIONAL = "conditional"  # paragraphs or the entry on conditions the case may not settle
    PROSE = "prose"  # words earcheck does not read: possibly every paragraph


@dataclass(frozen=True, slots=True)
class Scope:
    """Which paragraphs of the entry a row covers: any include clause, less any exclude clause."""

    kind: ScopeKind
    text: str
    include: tuple[Clause, ...] = (Clause(),)
    exclude: tuple[Clause, ...] = ()
    within: tuple[Clause, ...] = ()  # further limits, each of which must hold (a chart footnote's list)

    def covers(self, paragraph: tuple[str, ...], where: Where | None = None) -> Tri:
        """Does the row cover an item classified at ``paragraph`` of the entry (``()``: entry level)?"""
        if self.kind is ScopeKind.PROSE:
            return None
        included = tri_any(c.matches(paragraph, where) for c in self.include)
        if included is False:
            return False
        if self.within:
            included = tri_all([included, *(c.matches(paragraph, where) for c in self.within)])
        if included is False or not self.exclude:
            return included
        return tri_all([included, _not(tri_any(c.matches(paragraph, where) for c in self.exclude))])

    def ranges(self) -> Iterator[ParagraphRange]:
        """Every paragraph range the scope names (to tell apart the readings of an unknown paragraph)."""
        for clause in (*self.include, *self.exclude, *self.within):
            yield from clause.ranges()

    def conditions(self) -> Iterator[Condition]:
        for clause in (*self.include, *self.exclude, *self.within):
            yield from clause.all_conditions()


# --- where ----------------------------------------------------------------------------------------


class DestinationKind(StrEnum):
    COLUMN = "column"  # an X in this Country Chart column
    SET = "set"  # named countries and Country Groups (or every destination), less exclusions
    UN = "un"  # 746.1(b): the UN arms-embargoed destinations
    CWC_NON_PARTY = "cwc_non_party"  # States not Party to the CWC (Supplement No. 2 to part 745)
    FOOTNOTE = "footnote"  # the destinations whose Country Chart row carries this footnote
    UNPARSED = "unparsed"


@dataclass(frozen=True, slots=True)
class DestinationRule:
    kind: DestinationKind
    text: str
    column: str | None = None
    countries: frozenset[str] = frozenset()  # named outright: reached even if also in an excluded group
    groups: frozenset[str] = frozenset()
    worldwide: bool = False
    except_countries: frozenset[str] = frozenset()
    except_groups: frozenset[str] = frozenset()
    within: bool = False  # "to or within": reaches transfers (in-country) too
    footnote: str | None = None
    pointer: bool = False  # the footnote points at special provisions earcheck does not hold

    def requires(self, where: Where) -> Tri:
        """Does this rule require a licence to ``where.destination``?"""
        code = where.destination
        if self.kind is DestinationKind.UNPARSED:
            return None
        if self.kind is DestinationKind.COLUMN:
            return self.column in where.marks
        if self.kind is DestinationKind.FOOTNOTE:
            return (None if self.pointer else True) if self.footnote in where.footnotes else False
        if self.kind is DestinationKind.UN:
            return code in self.countries or "1" in where.footnotes
        if self.kind is DestinationKind.CWC_NON_PARTY:
            # Which destinations are CWC States Parties is in Supplement No. 2 to part 745, which
            # earcheck does not hold: only the destinations the row names are known.
            return False if code in self.except_countries else (True if code in self.countries else None)
        if code in self.countries:
            return True
        if code in self.except_countries or where.groups & self.except_groups:
            return False
        return self.worldwide or bool(where.groups & self.groups)


# --- one row --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartControl:
    """One control of an ECCN's licence-requirements table, read (a row may hold more than one)."""

    eccn: str  # the entry, e.g. "3B001"
    reason: str  # NS, RS, MT, NP, CB, CC, AT, FC, UN, EI, SL, SI, CW, SS, RU (Russian industry sector), ...
    scope: Scope
    destination: DestinationRule
    text: CclControl
    itar: bool = False  # the row says the items are "subject to the ITAR" (15 CFR 734.3(b)(1))

    @property
    def read(self) -> bool:
        """True when both the scope and the destination rule were read (not prose)."""
        return self.scope.kind is not ScopeKind.PROSE and self.destination.kind is not DestinationKind.UNPARSED

    def reaches(self, paragraph: tuple[str, ...], where: Where) -> Tri:
        """Does this control require a licence for an item at ``paragraph`` in this transaction?"""
        return tri_all([self.scope.covers(paragraph, where), self.destination.requires(where)])
