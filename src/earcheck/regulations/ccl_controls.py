"""Reading an ECCN's "License Requirements" table: which paragraphs each control covers, and where.

Each row of an ECCN's table says "<reason> applies to <scope>" and names either a Country Chart column
("NS Column 2") or, for controls the chart cannot express, a destination rule in prose ("To or within
Macau or a destination specified in Country Group D:5 ..."). 15 CFR 738.4(a) tells how to read them.

This module turns the rows into data the engine can evaluate, and is deliberately conservative:
a scope or destination rule it cannot read becomes *prose*, which evaluates to ``None`` (unknown) --
the engine then asks which control covers the item instead of assuming that none does.

>>> scope = parse_scope("3B001", "3B001.a.4, c, d, f.1, f.5, f.6, k to n, p.2, p.4, r")
>>> scope.covers(("c", "1", "a")), scope.covers(("a", "1")), scope.covers(())
(True, False, None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from earcheck.model import Tri
from earcheck.tables import CclControl

__all__ = [
    "ChartControl",
    "DestinationKind",
    "DestinationRule",
    "ParagraphRange",
    "Scope",
    "ScopeKind",
    "parse_control",
    "parse_destination",
    "parse_scope",
]


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


class ScopeKind(StrEnum):
    ALL = "all"
    PARAGRAPHS = "paragraphs"
    PROSE = "prose"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    text: str
    include: tuple[ParagraphRange, ...] = ()
    exclude: tuple[ParagraphRange, ...] = ()
    mentioned: tuple[tuple[str, ...], ...] = ()  # paragraphs of the entry a prose scope names in full

    def covers(self, paragraph: tuple[str, ...]) -> Tri:
        """Does a control with this scope cover an item classified at ``paragraph`` of the entry?

        ``()`` is an item classified only at entry level (e.g. "3B001"): it is covered by an
        entry-wide control, and *maybe* covered by a control on some of the entry's paragraphs.
        """
        if self.kind is ScopeKind.PROSE:
            # Prose we cannot evaluate -- unless it speaks only of paragraphs this item is not in or under.
            related = any(m[: len(paragraph)] == paragraph or paragraph[: len(m)] == m for m in self.mentioned)
            return False if self.mentioned and paragraph and not related else None
        if any(r.contains(paragraph) for r in self.exclude):
            return False
        partly_excluded = any(r.may_contain_part_of(paragraph) for r in self.exclude)
        if self.kind is ScopeKind.ALL:
            return None if partly_excluded else True
        if any(r.contains(paragraph) for r in self.include):
            return None if partly_excluded else True
        if any(r.may_contain_part_of(paragraph) for r in self.include):
            return None
        return False


_ENTIRE = re.compile(r"^(?:the\s+)?entire\s+entry\.?(?:\s*,?\s*except\s+(?P<except>.+?))?\.?$", re.I)
_TOKEN = re.compile(r"^\.?(?P<para>[a-z0-9]+(?:\s*\.\s*[a-z0-9]+)*)$")
_RANGE = re.compile(r"^(?P<first>.+?)\s+(?:to|through)\s+(?P<last>.+)$")


def _paragraph(code: str, text: str) -> tuple[str, ...] | None:
    text = text.strip().rstrip(".;")
    if text.upper().startswith(code):
        text = text[len(code) :]
    match = _TOKEN.match(text.strip())
    if not match:
        return None
    return tuple(p.strip().lower() for p in match["para"].split("."))


def _ranges(code: str, text: str) -> tuple[ParagraphRange, ...] | None:
    """Parse "3B001.a.1 to a.3, b, e, f.2 to f.4, g to j" into ranges, or None if any part is prose."""
    text = re.sub(r"^(?:paragraphs?|items controlled by|items in)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"\s+of this entry\.?$", "", text, flags=re.I).rstrip(".")
    parts = [p for p in re.split(r",\s*(?:and|or)?\s*|\s+(?:and|or)\s+", text) if p.strip()]
    if not parts:
        return None
    ranges = []
    for part in parts:
        span = _RANGE.match(part.strip())
        first_text, last_text = (span["first"], span["last"]) if span else (part, part)
        first, last = _paragraph(code, first_text), _paragraph(code, last_text)
        if first is None or last is None or not first:
            return None
        if len(last) != len(first) or last[:-1] != first[:-1]:
            # "a.1 to 3"-style shorthand is not used in the CCL; anything else is prose to us.
            return None
        ranges.append(ParagraphRange(first[:-1], first[-1], last[-1]))
    return tuple(ranges)


def parse_scope(code: str, text: str) -> Scope:
    """Scope of a control row: "entire entry [except ...]", a list of paragraphs, or prose."""
    text = text.strip()
    entire = _ENTIRE.match(text)
    if entire:
        if not entire["except"]:
            return Scope(ScopeKind.ALL, text)
        excluded = _ranges(code, entire["except"])
        return Scope(ScopeKind.ALL, text, exclude=excluded) if excluded else Scope(ScopeKind.PROSE, text)
    included = _ranges(code, text)
    if included:
        return Scope(ScopeKind.PARAGRAPHS, text, include=included)
    return Scope(ScopeKind.PROSE, text, mentioned=_mentioned(code, text))


def _mentioned(code: str, text: str) -> tuple[tuple[str, ...], ...]:
    """Paragraphs of entry ``code`` that prose names with the full ECCN ("3A001.b.2"). Prose that names
    another entry's items ("software for 3A001.b") describes the item differently: nothing to use."""
    if re.search(r"\b\d[A-EY]\d{3}\b", text.replace(code, "")):
        return ()
    found = re.findall(rf"\b{code}((?:\.\s?[a-z0-9]+)+)", text)
    return tuple(tuple(p.strip() for p in match.split(".")[1:]) for match in found)


# --- where ----------------------------------------------------------------------------------------


class DestinationKind(StrEnum):
    COLUMN = "column"  # an X in this Country Chart column
    SET = "set"  # named countries and Country Groups, minus exclusions
    UN = "un"  # 746.1(b): destinations the Country Chart marks with footnote 1
    UNPARSED = "unparsed"


@dataclass(frozen=True, slots=True)
class DestinationRule:
    kind: DestinationKind
    text: str
    column: str | None = None
    countries: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    worldwide: bool = False
    except_countries: frozenset[str] = frozenset()
    except_groups: frozenset[str] = frozenset()
    within: bool = False  # "to or within": reaches transfers (in-country) too

    def requires(
        self, destination: str, marks: frozenset[str], groups: frozenset[str], footnotes: tuple[str, ...]
    ) -> Tri:
        """Does this rule require a licence to ``destination`` (given its chart marks, groups, footnotes)?"""
        if self.kind is DestinationKind.UNPARSED:
            return None
        if self.kind is DestinationKind.COLUMN:
            return self.column in marks
        if self.kind is DestinationKind.UN:
            return "1" in footnotes
        if destination in self.except_countries or groups & self.except_groups:
            return False
        return self.worldwide or destination in self.countries or bool(groups & self.groups)


_COLUMN = re.compile(r"^(?P<reason>[A-Z]{2})\s+Column\s+(?P<n>[123])\b", re.I)
_GROUPS = re.compile(r"\b([ABDE]:[1-6]|[B])\b")
_GROUP_LIST = re.compile(r"Country Groups?\s+((?:[ABDE]:\d(?:,\s*|\s*,?\s*(?:and|or)\s+)?)+)", re.I)
_NAMED = {
    "Macau": "MO",
    "United Arab Emirates": "AE",
    "China": "CN",
    "Russia": "RU",
    "Venezuela": "VE",
    "North Korea": "KP",
    "Iraq": "IQ",
    "Pakistan": "PK",
    "Canada": "CA",
}


def _named_countries(text: str) -> frozenset[str]:
    return frozenset(code for name, code in _NAMED.items() if re.search(rf"\b{name}\b", text))


def _group_list(text: str) -> frozenset[str]:
    found: set[str] = set()
    for listed in _GROUP_LIST.findall(text):
        found.update(re.findall(r"[ABDE]:\d", listed))
    return frozenset(found)


def parse_destination(text: str) -> DestinationRule:
    """Where a control row requires a licence: a chart column, or the prose rules the CCL uses."""
    clean = " ".join(text.split())
    column = _COLUMN.match(clean)
    if column and len(clean) < 60:
        return DestinationRule(DestinationKind.COLUMN, clean, column=f"{column['reason'].upper()}{column['n']}")
    if re.search(r"UN controls", clean):
        return DestinationRule(DestinationKind.UN, clean)
    within = bool(re.search(r"\bwithin\b", clean, re.I))
    main, _, excluded = clean.partition("excluding any destination also specified in")
    if re.match(r"^(?:Worldwide control|To or within any destination worldwide)", clean, re.I):
        return DestinationRule(DestinationKind.SET, clean, worldwide=True, within=within)
    if re.match(r"^A license is required for ALL destinations", clean, re.I):
        except_ = re.search(r"except ([A-Z][a-z]+)", clean)
        return DestinationRule(
            DestinationKind.SET,
            clean,
            worldwide=True,
            except_countries=_named_countries(except_[1]) if except_ else frozenset(),
            within=within,
        )
    if re.match(r"^To or within ", clean) or re.match(r"^China, Russia,? or Venezuela", clean):
        return DestinationRule(
            DestinationKind.SET,
            clean,
            countries=_named_countries(main),
            groups=_group_list(main),
            except_groups=_group_list("Country Groups " + excluded) if excluded else frozenset(),
            within=within,
        )
    to_country = re.match(
        r"^A license is required for (?:items controlled by (?:paragraph \.[a-z] of )?this entry"
        r"(?:, other than [^,]+,)? |export or reexport of these items )"
        r"(?:for export or reexport )?to (?P<where>[A-Za-z ]+?)(?: or transfer within [A-Za-z ]+?)? for ",
        clean,
    )
    if to_country and "other than" not in clean and "paragraph" not in clean:
        return DestinationRule(DestinationKind.SET, clean, countries=_named_countries(to_country["where"]))
    return DestinationRule(DestinationKind.UNPARSED, clean)


# --- one row --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartControl:
    """One row of an ECCN's licence-requirements table, read."""

    eccn: str  # the entry, e.g. "3B001"
    reason: str  # NS, RS, MT, NP, CB, CC, AT, FC, UN, EI, SL, CW, RU (Russian industry sector), ...
    scope: Scope
    destination: DestinationRule
    text: CclControl


_REASON = re.compile(r"^(?P<reason>[A-Z]{2})\s+(?:applies|apply)\b(?:\s+to)?\s*(?P<scope>.*)$", re.S)


def parse_control(eccn: str, row: CclControl) -> ChartControl:
    control = " ".join(row.control.split())
    destination = parse_destination(row.country_chart)
    if control.lower().startswith("russian industry sector sanction"):
        reason, scope_text = "RU", control.split(" to ", 1)[-1] if " to " in control else control
        if destination.kind is DestinationKind.UNPARSED and "746.8" in destination.text:
            destination = DestinationRule(DestinationKind.SET, destination.text, countries=frozenset({"RU", "BY"}))
    else:
        match = _REASON.match(control)
        if not match:
            return ChartControl(eccn, "?", Scope(ScopeKind.PROSE, control), destination, row)
        reason, scope_text = match["reason"], match["scope"]
    bare_column = re.search(r"(?:^|\s)(?:[A-Z]{2}\s+)?Column\s+([123])\.?$", destination.text)
    if destination.kind is DestinationKind.UNPARSED and bare_column:
        # "Column 1." alone, or the reason repeated into the chart cell: the column is the row's reason's.
        destination = DestinationRule(DestinationKind.COLUMN, destination.text, column=f"{reason}{bare_column[1]}")
    if reason == "EI" and destination.kind is DestinationKind.UNPARSED and "742.15" in destination.text:
        # 742.15(a): items controlled for EI reasons need a licence to all destinations except Canada
        # (verification R: from the rule's structure; ENC in 740.17 is how most of them ship).
        destination = DestinationRule(
            DestinationKind.SET, destination.text, worldwide=True, except_countries=frozenset({"CA"})
        )
    return ChartControl(eccn, reason, parse_scope(eccn, scope_text), destination, row)
