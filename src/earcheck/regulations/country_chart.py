"""A destination as of a date: its Country Chart row, Country Groups and embargo pointer.

The rows come from the loaded edition of the EAR tables (``earcheck.tables.EarTables``). Where a
destination's treatment differed inside earcheck's coverage -- Hong Kong had its own row until
2020-12-23 and follows China's since -- ``data/country_chart.yaml`` says which row applied when. A
mark that is not known is reported as unknown (``marks is None``), never as "no licence".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.country import country_name, normalise_country
from earcheck.errors import OutOfCoverage, SourceFormatError
from earcheck.regulations.dated import DatedFact, Verification, check_versions, in_force, load_packaged, parse_file
from earcheck.regulations.editions import EditionTrust, Table, edition_warnings
from earcheck.tables import EarTables

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


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DestinationVersion(DatedFact):
    """Which row governed a destination over one period: the edition's, another's, or its own."""

    use_edition: bool = False
    follows: str | None = None  # ISO code of the destination whose row governs this one
    marks: tuple[str, ...] | None = None  # own row's marks; None = not known
    groups: tuple[str, ...] | None = None  # own Country Groups; None = not known
    warning: str | None = None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DestinationHistory:
    code: str
    versions: tuple[DestinationVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class CountryChartData:
    covers_from: date
    editions: tuple[EditionTrust, ...]
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
                    "give one of use_edition, follows, or own marks/groups",
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
    row = tables.country_chart.get(governed_by)
    group_row = tables.country_groups.get(governed_by)
    marks: frozenset[str] | None
    groups: frozenset[str] | None
    if version is not None and not version.use_edition:
        # The destination's own row of that period, as our dated data gives it (possibly unknown).
        dated_fact = dated_fact or f"country_chart.{governed_by}.{version.effective.isoformat()}"
        marks = frozenset(version.marks) if version.marks is not None else None
        groups = frozenset(version.groups) if version.groups is not None else None
        if marks is None:
            warnings.append(f"the Country Chart marks of {governed_by} on {as_of.isoformat()} are not known")
        if version.warning:
            warnings.append(version.warning.strip())
        footnotes: Mapping[str, str] = {}
        embargo = None
    else:
        marks = row.marks if row is not None else None
        groups = group_row.groups if group_row is not None else None
        if row is None:
            warnings.append(f"{governed_by} has no row in the Country Chart of {tables.edition.isoformat()}")
        if group_row is None:
            warnings.append(f"{governed_by} has no row in the Country Groups of {tables.edition.isoformat()}")
        footnotes = {n: tables.chart_footnotes.get(n, "") for n in (row.footnotes if row else ())}
        embargo = row.embargo_pointer if row is not None else None
        if version is not None:
            dated_fact = dated_fact or f"country_chart.{governed_by}.{version.effective.isoformat()}"
            if version.verification is Verification.R and as_of < _trusted_from(data, Table.COUNTRY_CHART, tables):
                warnings.append(
                    f"{governed_by}'s row is believed unchanged since {version.effective.isoformat()} (unverified, R)"
                )
        warnings += edition_warnings(data.editions, Table.COUNTRY_CHART, tables.edition, as_of)
        warnings += edition_warnings(data.editions, Table.COUNTRY_GROUPS, tables.edition, as_of)
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
    )


def _version(data: CountryChartData, code: str, as_of: date) -> DestinationVersion | None:
    history = data.history(code)
    return in_force(history.versions, as_of) if history is not None else None


def _trusted_from(data: CountryChartData, table: Table, tables: EarTables) -> date:
    trust = next((t for t in data.editions if t.table is table and t.edition == tables.edition), None)
    return trust.effective if trust is not None else tables.edition
