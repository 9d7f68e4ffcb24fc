"""A destination as of a date: its Country Chart row, Country Groups and embargo pointer, with the text
each was read from.

The rows come from the loaded editions of the EAR tables (``earcheck.tables.EarTables``). Where a
destination's treatment changed inside earcheck's coverage -- Hong Kong had its own row until
2020-12-23 and follows China's since; Russia's groups and marks in 2020 and 2022; Sudan's in 2021 --
``data/country_chart.yaml`` says which row applied when: the row of a loaded edition dated within the
period (``edition``), another destination's (``follows``), or one of its own (a list, or ``null``:
not known). A destination without a history follows ``editions.edition_text``: trusted back to its
last known amendment (``table_amendments.yaml``). A mark or group that is not known is reported as
unknown (``None``), never as "no licence".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import ConfigDict, with_config

from earcheck.country import country_name, normalise_country
from earcheck.errors import OutOfCoverage, SourceFormatError
from earcheck.regulations.dated import DatedFact, check_versions, in_force, load_packaged, parse_file
from earcheck.regulations.editions import (
    TABLE_NAMES,
    Editions,
    Table,
    TableVersion,
    Trust,
    edition_text,
    edition_within,
    same_row,
    table_amendments,
    trust_of,
)
from earcheck.tables import CountryChartRow, CountryGroupRow, EarTables

__all__ = [
    "CountryChartData",
    "CountryStatus",
    "DestinationHistory",
    "DestinationVersion",
    "country_chart_data",
    "country_status",
    "load_country_chart",
]

STRICT = ConfigDict(extra="forbid", frozen=True)
DATA_FILE = "country_chart.yaml"
CHART = "15 CFR part 738, Supplement No. 1"
GROUPS = "15 CFR part 740, Supplement No. 1"
EMBARGOES = "15 CFR part 746"

Edition = Literal["edition"]
Row = TypeVar("Row", CountryChartRow, CountryGroupRow)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DestinationVersion(DatedFact):
    """Which row governed a destination over one period.

    ``marks`` and ``groups`` are each ``edition`` (the row of a loaded edition dated within the period),
    a list of the destination's own, or ``null`` (not known); ``use_edition`` is both ``edition``;
    ``follows`` hands the destination to another's row altogether.
    """

    use_edition: bool = False
    follows: str | None = None  # ISO code of the destination whose row governs this one
    marks: tuple[str, ...] | Edition | None = None
    groups: tuple[str, ...] | Edition | None = None
    warning: str | None = None

    @property
    def marks_from(self) -> tuple[str, ...] | Edition | None:
        return "edition" if self.use_edition else self.marks

    @property
    def groups_from(self) -> tuple[str, ...] | Edition | None:
        return "edition" if self.use_edition else self.groups


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DestinationHistory:
    code: str
    versions: tuple[DestinationVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class CountryChartData:
    covers_from: date
    rows: tuple[DestinationHistory, ...]

    def history(self, code: str) -> DestinationHistory | None:
        return next((row for row in self.rows if row.code == code), None)


def load_country_chart(path: Path, text: str | None = None) -> CountryChartData:
    """Parse and check ``country_chart.yaml``; problems raise ``SourceFormatError`` naming the file."""
    data = parse_file(path, CountryChartData, text)
    seen: set[str] = set()
    for r, row in enumerate(data.rows):
        field = f"rows.{r}"
        if row.code in seen:
            raise SourceFormatError(path, f"destination {row.code} appears twice", field=field)
        seen.add(row.code)
        try:
            check_versions(row.versions, f"destination {row.code}")
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=field) from None
        for v, version in enumerate(row.versions):
            own = version.marks is not None or version.groups is not None
            if sum((version.use_edition, version.follows is not None, own)) > 1:
                raise SourceFormatError(
                    path,
                    "give one of use_edition, follows, or marks/groups",
                    field=f"{field}.versions.{v}",
                )
            if version.effective < data.covers_from:
                raise SourceFormatError(path, "version starts before covers_from", field=f"{field}.versions.{v}")
    return data


@cache
def country_chart_data() -> CountryChartData:
    """The packaged ``data/country_chart.yaml``, loaded and checked once per process."""
    return load_packaged(DATA_FILE, load_country_chart)


@dataclass(frozen=True, slots=True)
class CountryStatus:
    """A destination as of a date. ``marks``/``groups`` are ``None`` when not known."""

    code: str
    name: str
    as_of: date
    edition: date
    governed_by: str  # the destination whose row applies (HK -> CN from 2020-12-23)
    marks: frozenset[str] | None
    footnotes: Mapping[str, str]  # chart footnote number -> text
    groups: frozenset[str] | None
    embargo: str | None  # the Part 746 pointer the chart gives instead of marks
    citation: str
    warnings: tuple[str, ...]
    dated_fact: str | None = None
    chart_version: TableVersion | None = None  # the chart row applied, and how far it is vouched for
    groups_version: TableVersion | None = None  # the Country Groups row applied

    @property
    def versions(self) -> tuple[TableVersion, ...]:
        return tuple(v for v in (self.chart_version, self.groups_version) if v is not None)


def country_status(code: str, as_of: date, tables: EarTables) -> CountryStatus:
    """Chart row, Country Groups and embargo pointer of destination ``code`` on ``as_of``.

    Raises ``UnknownCountry`` for a code that is not ISO 3166-1 alpha-2 and ``OutOfCoverage`` for a
    date before earcheck's dated data starts.
    """
    code = normalise_country(code)
    data = country_chart_data()
    if as_of < data.covers_from:
        raise OutOfCoverage(
            f"Country Chart: earcheck's dated data starts on {data.covers_from.isoformat()}, so it cannot "
            f"say which row applied to {code} on {as_of.isoformat()}"
        )
    warnings: list[str] = []
    dated_fact: str | None = None
    governed_by = code
    version = _version(data, code, as_of)
    seen = {code}
    while version is not None and version.follows is not None:
        if version.follows in seen:  # a loop in the data would otherwise never end
            raise OutOfCoverage(f"Country Chart: {code} follows itself through {sorted(seen)}")
        warnings.append(
            f"{code} follows the row of {version.follows} from {version.effective.isoformat()} "
            f"({', '.join(s.cite for s in version.sources)})"
        )
        dated_fact = dated_fact or f"country_chart.{code}.{version.effective.isoformat()}"
        governed_by = version.follows
        seen.add(governed_by)
        version = _version(data, governed_by, as_of)
    if version is None and governed_by not in tables.country_chart:
        inherited = tables.territory_inheritance.get(governed_by)
        if inherited is not None:
            warnings.append(f"{governed_by} has no row of its own in the chart and follows {inherited}")
            governed_by = inherited
            version = _version(data, governed_by, as_of)
    referred = tables.territory_inheritance.get(governed_by)
    if referred is not None and governed_by in tables.country_chart:
        warnings.append(f"the chart refers {governed_by} to the row of {referred} (15 CFR 738.3(b))")
    if version is not None:
        dated_fact = dated_fact or f"country_chart.{governed_by}.{version.effective.isoformat()}"
        if version.warning:
            warnings.append(version.warning.strip())
    chart_row, chart_version = _row(
        Table.COUNTRY_CHART,
        governed_by,
        as_of,
        tables.chart_history(),
        version,
        None if version is None else version.marks_from,
        CHART,
    )
    group_row, groups_version = _row(
        Table.COUNTRY_GROUPS,
        governed_by,
        as_of,
        tables.group_history(),
        version,
        None if version is None else version.groups_from,
        GROUPS,
    )
    marks: frozenset[str] | None
    groups: frozenset[str] | None
    footnotes: Mapping[str, str] = {}
    embargo = None
    if isinstance(chart_row, CountryChartRow):
        marks = chart_row.marks
        footnotes = {n: tables.chart_footnotes.get(n, "") for n in chart_row.footnotes}
        embargo = chart_row.embargo_pointer
    elif isinstance(chart_row, frozenset):
        marks = chart_row
    else:
        marks = None
        if chart_version.trust is not Trust.UNKNOWN:
            warnings.append(f"{governed_by} has no row in the Country Chart of {tables.edition.isoformat()}")
    if isinstance(group_row, CountryGroupRow):
        groups = group_row.groups
    elif isinstance(group_row, frozenset):
        groups = group_row
    else:
        groups = None
        if groups_version.trust is not Trust.UNKNOWN:
            warnings.append(f"{governed_by} has no row in the Country Groups of {tables.edition.isoformat()}")
    if marks is None and chart_version.trust is Trust.UNKNOWN:
        warnings.append(f"the Country Chart marks of {governed_by} on {as_of.isoformat()} are not known")
    if groups is None and groups_version.trust is Trust.UNKNOWN:
        warnings.append(f"the Country Groups of {governed_by} on {as_of.isoformat()} are not known")
    for table_version in (chart_version, groups_version):
        if table_version.warning and table_version.warning not in warnings:
            warnings.append(table_version.warning)
    return CountryStatus(
        code=code,
        name=country_name(code),
        as_of=as_of,
        edition=tables.edition,
        governed_by=governed_by,
        marks=marks,
        footnotes=footnotes,
        groups=groups,
        embargo=embargo,
        citation=f"{CHART}; {GROUPS}" + (f"; {EMBARGOES}" if embargo else ""),
        warnings=tuple(warnings),
        dated_fact=dated_fact,
        chart_version=chart_version,
        groups_version=groups_version,
    )


def _version(data: CountryChartData, code: str, as_of: date) -> DestinationVersion | None:
    history = data.history(code)
    return in_force(history.versions, as_of) if history is not None else None


def _row(
    table: Table,
    code: str,
    as_of: date,
    editions: Editions[Row],
    version: DestinationVersion | None,
    given: tuple[str, ...] | Edition | None,
    citation: str,
) -> tuple[Row | frozenset[str] | None, TableVersion]:
    """The row of ``table`` for ``code``: from its dated version when there is one, else the editions."""
    if version is None:
        return edition_text(table, code, as_of, editions, table_amendments(), citation, same_row)
    sources = "; ".join(s.cite for s in version.sources)
    fact_id = f"country_chart.{code}.{version.effective.isoformat()}"
    trust: Trust = trust_of(version.verification)
    note: str | None = version.warning.strip() if version.warning else None
    if trust is Trust.BELIEVED and note is None:
        note = (
            f"{code}'s {TABLE_NAMES[table]} row is the eCFR edition's, believed (R) to be in force from "
            f"{version.effective.isoformat()}"
            if given == "edition"
            else f"{code}'s {TABLE_NAMES[table]} row from {version.effective.isoformat()} is recalled, not read (R)"
        )

    def applied(text: str, trust_: Trust = trust, warning: str | None = note) -> TableVersion:
        return TableVersion(
            table,
            code,
            text,
            version.citation,
            trust_,
            effective=version.effective,
            superseded=version.superseded,
            verification=version.verification,
            dated_fact=fact_id,
            warning=warning,
            sources=sources or None,
        )

    if given is None:
        return None, applied(f"not known ({sources})", Trust.UNKNOWN, note)
    if given == "edition":
        found = edition_within(editions, version.effective, version.superseded, as_of)
        if found is None:
            return None, applied(
                "not loaded",
                Trust.UNKNOWN,
                f"{code}'s row from {version.effective.isoformat()} ({sources}) is that of an eCFR edition dated "
                "within that period, and none is loaded",
            )
        day, rows = found
        return rows.get(code), applied(f"eCFR edition {day.isoformat()}")
    return frozenset(given), applied(f"{sources} (earcheck's dated data)")
