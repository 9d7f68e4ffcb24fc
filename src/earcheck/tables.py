"""The EAR's tables as read from the eCFR: Country Chart, Country Groups, CCL, Part 740 catalogue.

These are the rows as the official text (or its structured extraction) gives them, for one edition.
How they are read as law on a date -- which edition applies, the rows that changed, entries the
extraction lacks -- is ``earcheck.regulations``' job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "CHART_COLUMNS",
    "CclControl",
    "CclEntry",
    "CclParagraph",
    "CountryChartRow",
    "CountryGroupRow",
    "EarTables",
    "LicenseExceptionInfo",
]

CHART_COLUMNS = (
    "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1",
    "RS1", "RS2", "FC1", "CC1", "CC2", "CC3", "AT1", "AT2",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CountryChartRow:
    code: str  # ISO 3166-1 alpha-2
    name: str
    marks: frozenset[str]  # the columns with an X
    footnotes: tuple[str, ...] = ()
    embargo_pointer: str | None = None  # the Part 746 rows carry prose instead of marks
    line: int = 0
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def same_text(self, other: CountryChartRow | None) -> bool:
        """The same row as ``other`` read from another edition (where it sits in the file aside)."""
        return other is not None and (self.marks, self.footnotes, self.embargo_pointer) == (
            other.marks,
            other.footnotes,
            other.embargo_pointer,
        )


@dataclass(frozen=True, slots=True)
class CountryGroupRow:
    code: str
    name: str
    groups: frozenset[str]  # e.g. {"D:1", "D:3", "D:4", "D:5"}
    line: int = 0
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def same_text(self, other: CountryGroupRow | None) -> bool:
        return other is not None and self.groups == other.groups


@dataclass(frozen=True, slots=True)
class CclControl:
    """One row of an ECCN's "License Requirements" table, as written."""

    control: str  # e.g. "NS applies to 3B001.a.1 to a.3, b, e, f.2 to f.4, g to j"
    country_chart: str  # e.g. "NS Column 2." or "To or within Macau or a destination specified in ..."


@dataclass(frozen=True, slots=True)
class CclParagraph:
    paragraph: str | None  # "c.1.a"; None for notes and headings between paragraphs
    kind: str  # "item" or "text"
    depth: int
    text: str


@dataclass(frozen=True, slots=True)
class CclEntry:
    eccn: str
    heading: str
    reasons: tuple[str, ...]  # ("NS", "RS", "AT"); empty when the extraction gives none
    controls: tuple[CclControl, ...]
    license_exception_notes: Mapping[str, str]  # {"LVS": "$500, except ...", "GBS": "N/A"}
    paragraphs: tuple[CclParagraph, ...] = ()
    related_controls: str | None = None
    line: int = 0
    raw: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    def same_text(self, other: CclEntry | None) -> bool:
        """The same entry as ``other`` read from another edition: the controls and paragraphs it gives.
        (Two extractions of one text may differ in what they capture; then the entry counts as changed,
        which only ever makes earcheck say less.)"""
        return other is not None and (
            self.reasons,
            self.controls,
            self.paragraphs,
        ) == (other.reasons, other.controls, other.paragraphs)


@dataclass(frozen=True, slots=True)
class LicenseExceptionInfo:
    symbol: str  # "LVS"; the catalogue lists "NAC ACA" as one row, split into both symbols
    section: str  # "15 CFR 740.3"
    title: str


@dataclass(frozen=True, slots=True)
class EarTables:
    """One edition of the EAR tables, with the date of the eCFR edition it was read from."""

    edition: date
    country_chart: Mapping[str, CountryChartRow]
    chart_footnotes: Mapping[str, str]
    territory_inheritance: Mapping[str, str]  # ISO code -> ISO code of the row that governs it
    country_groups: Mapping[str, CountryGroupRow]
    ccl: Mapping[str, CclEntry]
    license_exceptions: Mapping[str, LicenseExceptionInfo]
    snapshot: str = ""
    # Every loaded edition of each table, oldest first (the store fills them in; a value built by hand
    # has only its own). A row's text between editions, or before the first, is read against them.
    ccl_editions: tuple[tuple[date, Mapping[str, CclEntry]], ...] = ()
    chart_editions: tuple[tuple[date, Mapping[str, CountryChartRow]], ...] = ()
    group_editions: tuple[tuple[date, Mapping[str, CountryGroupRow]], ...] = ()

    def ccl_history(self) -> tuple[tuple[date, Mapping[str, CclEntry]], ...]:
        return self.ccl_editions or ((self.edition, self.ccl),)

    def chart_history(self) -> tuple[tuple[date, Mapping[str, CountryChartRow]], ...]:
        return self.chart_editions or ((self.edition, self.country_chart),)

    def group_history(self) -> tuple[tuple[date, Mapping[str, CountryGroupRow]], ...]:
        return self.group_editions or ((self.edition, self.country_groups),)
