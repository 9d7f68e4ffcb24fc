"""An ECCN as of a date: its reasons for control and the Country Chart columns of each control.

The entries come from the loaded edition of the CCL (``earcheck.tables.EarTables.ccl``), corrected by
``data/ccl_supplement.yaml`` where the third-party extraction lacks an entry (3E002) or gets it wrong
(3E001, 3E003). The controls are returned as written -- paragraph scope and columns included -- for the
engine to apply. An ECCN the table does not have is *unknown* (``known=False``), never "not
controlled"; a string that is not an ECCN at all raises ``MalformedEccn``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.eccn import Eccn
from earcheck.errors import OutOfCoverage, SourceFormatError
from earcheck.regulations.country_chart import country_chart_data
from earcheck.regulations.dated import DatedFact, Verification, check_versions, in_force, load_packaged, parse_file
from earcheck.regulations.editions import Table, edition_warnings
from earcheck.tables import CclControl, EarTables

__all__ = [
    "CclSupplement",
    "EccnStatus",
    "SupplementEntry",
    "SupplementVersion",
    "ccl_supplement",
    "eccn_status",
    "load_ccl_supplement",
]

STRICT = ConfigDict(extra="forbid", frozen=True)
DATA_FILE = "ccl_supplement.yaml"
CCL = "15 CFR part 774, Supplement No. 1"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ControlText:
    control: str
    country_chart: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class SupplementVersion(DatedFact):
    """Replaces the extraction's reasons and controls (and heading, when given) over one period."""

    heading: str | None = None
    reasons: tuple[str, ...]
    controls: tuple[ControlText, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class SupplementEntry:
    eccn: str
    versions: tuple[SupplementVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class CclSupplement:
    covers_from: date
    entries: tuple[SupplementEntry, ...]

    def entry(self, code: str) -> SupplementEntry | None:
        return next((e for e in self.entries if e.eccn == code), None)


def load_ccl_supplement(path: Path, text: str | None = None) -> CclSupplement:
    """Parse and check ``ccl_supplement.yaml``; problems raise ``SourceFormatError`` naming the file."""
    data = parse_file(path, CclSupplement, text)
    seen: set[str] = set()
    for e, entry in enumerate(data.entries):
        where = f"entries.{e}"
        try:
            eccn = Eccn.parse(entry.eccn)
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=f"{where}.eccn") from None
        if eccn.paragraph or str(eccn) != entry.eccn:
            raise SourceFormatError(path, "give the whole entry, e.g. 3E002", field=f"{where}.eccn")
        if entry.eccn in seen:
            raise SourceFormatError(path, f"ECCN {entry.eccn} appears twice", field=where)
        seen.add(entry.eccn)
        try:
            check_versions(entry.versions, f"ECCN {entry.eccn}")
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=where) from None
    return data


@cache
def ccl_supplement() -> CclSupplement:
    """The packaged ``data/ccl_supplement.yaml``, loaded and checked once per process."""
    return load_packaged(DATA_FILE, load_ccl_supplement)


@dataclass(frozen=True, slots=True)
class EccnStatus:
    """An ECCN as of a date. ``known`` is False when the CCL data has no such entry: unknown, not "no"."""

    eccn: str  # as asked, normalised (with its paragraph)
    entry: str  # the CCL entry, e.g. 3B001
    as_of: date
    edition: date
    known: bool
    heading: str | None = None
    reasons: tuple[str, ...] | None = None
    controls: tuple[CclControl, ...] | None = None
    license_exception_notes: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None  # "ccl" (the edition) or "supplement" (earcheck's dated data)
    citation: str = CCL
    warnings: tuple[str, ...] = ()
    dated_fact: str | None = None


def eccn_status(text: str, as_of: date, tables: EarTables) -> EccnStatus:
    """Reasons for control and chart columns of the ECCN ``text`` on ``as_of``.

    Raises ``MalformedEccn`` for text that is not an ECCN and ``OutOfCoverage`` before the dated data.
    """
    eccn = Eccn.parse(text)
    supplement = ccl_supplement()
    if as_of < supplement.covers_from:
        raise OutOfCoverage(
            f"CCL: earcheck's dated data starts on {supplement.covers_from.isoformat()}, so it cannot "
            f"say how {eccn} was controlled on {as_of.isoformat()}"
        )
    if eccn.is_ear99:
        return EccnStatus(
            eccn="EAR99",
            entry="EAR99",
            as_of=as_of,
            edition=tables.edition,
            known=True,
            heading="Items subject to the EAR that are not described by any ECCN (15 CFR 734.3(c))",
            reasons=(),
            controls=(),
            source="ccl",
            citation="15 CFR 734.3(c)",
            warnings=(
                (
                    "EAR99 has no reason for control, so the Country Chart requires no licence for it; "
                    "embargoes and end-user or end-use rules still can"
                ),
            ),
        )
    code = eccn.entry.code
    warnings = edition_warnings(country_chart_data().editions, Table.CCL, tables.edition, as_of)
    row = tables.ccl.get(code)
    dated = supplement.entry(code)
    version = in_force(dated.versions, as_of) if dated is not None else None
    if version is not None:
        if version.verification is Verification.R:
            warnings.insert(
                0,
                f"{code}: earcheck's correction of this entry is recalled, not read (R); check its reasons "
                "and columns against the regulation text (see ccl_supplement.yaml)",
            )
        return EccnStatus(
            eccn=str(eccn),
            entry=code,
            as_of=as_of,
            edition=tables.edition,
            known=True,
            heading=version.heading.strip() if version.heading else (row.heading if row else None),
            reasons=version.reasons,
            controls=tuple(CclControl(c.control, c.country_chart) for c in version.controls),
            license_exception_notes=row.license_exception_notes if row else {},
            source="supplement",
            citation=version.citation,
            warnings=tuple(warnings),
            dated_fact=f"ccl_supplement.{code}.{version.effective.isoformat()}",
        )
    if row is None:
        return EccnStatus(
            eccn=str(eccn),
            entry=code,
            as_of=as_of,
            edition=tables.edition,
            known=False,
            warnings=(
                (
                    f"{code} is not in the CCL table of {tables.edition.isoformat()} nor in earcheck's "
                    "supplement: its controls are unknown (not 'uncontrolled')"
                ),
                *warnings,
            ),
        )
    if not row.reasons:
        warnings.insert(0, f"the CCL table gives {code} no reasons for control: read them from the entry")
    return EccnStatus(
        eccn=str(eccn),
        entry=code,
        as_of=as_of,
        edition=tables.edition,
        known=True,
        heading=row.heading,
        reasons=row.reasons or None,
        controls=row.controls,
        license_exception_notes=row.license_exception_notes,
        source="ccl",
        citation=f"{CCL}, ECCN {code}",
        warnings=tuple(warnings),
    )
