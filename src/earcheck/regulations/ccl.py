"""An ECCN as of a date: its reasons for control and the Country Chart columns of each control, with the
text they were read from.

The entries come from the loaded editions of the CCL (``earcheck.tables.EarTables.ccl_history``) and
from ``data/ccl_supplement.yaml``: earcheck's dated history of the entries its rules turn on. Each
version there says, for one period, that the entry

- had a text of its own (``reasons`` and ``controls``, and ``heading`` when given) -- also where the
  third-party extraction lacks an entry (3E002) or gets it wrong (3E001, 3E003);
- read as a loaded eCFR edition dated within the period does (``use_edition``);
- did not exist (``absent``): an item classified under it is to be classified under the CCL of the day;
- existed with a text earcheck does not have (none of those).

``paragraphs`` and ``absent_paragraphs`` say which paragraphs the text of the period had, so that a
paragraph added later (3A090.a.1, the ``.z`` paragraphs) is not read into an earlier date. An entry
without a history follows ``editions.edition_text``: trusted only from its last known amendment.

The controls are returned as written -- paragraph scope and columns included -- for the engine to
apply. An ECCN whose text is unknown on the date is *unknown* (``known=False``, with ``question``),
never "not controlled"; a string that is not an ECCN at all raises ``MalformedEccn``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.eccn import Eccn
from earcheck.errors import OutOfCoverage, SourceFormatError
from earcheck.regulations.dated import DatedFact, check_versions, in_force, load_packaged, parse_file
from earcheck.regulations.editions import (
    Table,
    TableVersion,
    Trust,
    edition_text,
    edition_within,
    same_row,
    table_amendments,
    trust_of,
)
from earcheck.tables import CclControl, CclEntry, EarTables

__all__ = [
    "CclSupplement",
    "EccnStatus",
    "Savings",
    "SupplementEntry",
    "SupplementVersion",
    "ccl_supplement",
    "eccn_status",
    "law_date",
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
class Savings:
    """A savings clause: items en route aboard a carrier on ``en_route_on`` may go on under the previous
    text if exported by ``until`` (inclusive)."""

    en_route_on: date
    until: date
    citation: str
    verification: str
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class SupplementVersion(DatedFact):
    """The entry over one period: its own text, an edition's text, absent, or a text not in the data."""

    heading: str | None = None
    reasons: tuple[str, ...] | None = None
    controls: tuple[ControlText, ...] | None = None
    use_edition: bool = False
    same_text_as: date | None = None  # the text is the one earcheck gives for this (later) date
    absent: bool = False
    paragraphs: tuple[str, ...] | None = None  # every paragraph of the period's text, when listed
    absent_paragraphs: tuple[str, ...] = ()  # paragraphs (with what is under them) not yet in the text
    savings: tuple[Savings, ...] = ()
    # The entry's "License Exceptions" lines of the period ("LVS": "$500", "GBS": "N/A"), when read; an
    # own text without them has lines unknown on dates outside the loaded edition's (never the edition's).
    license_exceptions: Mapping[str, str] | None = None
    warning: str | None = None

    @property
    def own_text(self) -> bool:
        return self.reasons is not None and self.controls is not None


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
        return _index(self).get(code)


_INDEXES: dict[int, tuple[CclSupplement, Mapping[str, SupplementEntry]]] = {}


def _index(data: CclSupplement) -> Mapping[str, SupplementEntry]:
    # Keyed by identity (hashing the whole file on every lookup would cost more than the scan it saves);
    # the data object is kept with its index so that the id cannot be reused.
    found = _INDEXES.get(id(data))
    if found is None or found[0] is not data:
        found = _INDEXES[id(data)] = (data, {e.eccn: e for e in data.entries})
    return found[1]


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
        for v, version in enumerate(entry.versions):
            kinds = sum((version.use_edition, version.absent, version.own_text, version.same_text_as is not None))
            if kinds > 1 or (version.reasons is None) != (version.controls is None):
                raise SourceFormatError(
                    path,
                    "give one of: reasons and controls, use_edition, same_text_as, or absent (or none: text not known)",
                    field=f"{where}.versions.{v}",
                )
            for clause in version.savings:
                if clause.en_route_on != version.effective or clause.until < clause.en_route_on:
                    raise SourceFormatError(
                        path,
                        "a savings clause runs from the version's effective date to its 'until'",
                        field=f"{where}.versions.{v}.savings",
                    )
            if version.same_text_as is not None:
                target = in_force(entry.versions, version.same_text_as)
                if target is None or target is version or target.same_text_as is not None or target.absent:
                    raise SourceFormatError(
                        path,
                        "same_text_as must name a date of another version of the entry that has a text",
                        field=f"{where}.versions.{v}.same_text_as",
                    )
    return data


@cache
def ccl_supplement() -> CclSupplement:
    """The packaged ``data/ccl_supplement.yaml``, loaded and checked once per process."""
    return load_packaged(DATA_FILE, load_ccl_supplement)


@dataclass(frozen=True, slots=True)
class EccnStatus:
    """An ECCN as of a date. ``known`` is False when earcheck cannot give its controls on the date:
    unknown, not "no" (``question`` then says what would settle it)."""

    eccn: str  # as asked, normalised (with its paragraph)
    entry: str  # the CCL entry, e.g. 3B001
    as_of: date
    edition: date
    known: bool
    heading: str | None = None
    reasons: tuple[str, ...] | None = None
    controls: tuple[CclControl, ...] | None = None
    # The entry's licence-exception lines as of the date; None when the text applied does not give them
    # (a dated text earcheck holds without its License Exceptions paragraph): unknown, not "none".
    license_exception_notes: Mapping[str, str] | None = field(default_factory=dict)
    source: str | None = None  # "ccl" (an edition) or "supplement" (earcheck's dated data)
    citation: str = CCL
    warnings: tuple[str, ...] = ()
    dated_fact: str | None = None
    version: TableVersion | None = None  # the text applied, and how far it is vouched for
    exists: bool | None = True  # False: the entry or paragraph did not exist on the date
    question: str | None = None  # asked when the controls cannot be read (known=False)


def law_date(text: str, as_of: date, shipped_on: date | None) -> date:
    """The date whose CCL text governs an item shipped on ``shipped_on``: ``as_of``, or the day before a
    new text took effect when the item was en route then and a savings clause keeps the old text."""
    code = Eccn.parse(text).entry.code
    entry = ccl_supplement().entry(code)
    if entry is None or shipped_on is None:
        return as_of
    version = in_force(entry.versions, as_of)
    if version is None:
        return as_of
    for clause in version.savings:
        if shipped_on <= clause.en_route_on and as_of <= clause.until:
            return version.effective - timedelta(days=1)
    return as_of


def _classify(code: str, eccn: Eccn, as_of: date) -> str:
    return (
        f"Classify the item under the CCL as of {as_of.isoformat()}: {eccn} did not exist then"
        + (f" (ECCN {code} did not have that paragraph)" if eccn.paragraph and str(eccn) != code else "")
        + ", so its classification that day, and the controls of that classification, are needed."
    )


def _paragraph_absent(version: SupplementVersion, paragraph: tuple[str, ...]) -> bool | None:
    """Did ``paragraph`` not exist in the version's text? None when the text's paragraphs are not listed."""
    if not paragraph:
        return False
    for absent in version.absent_paragraphs:
        named = tuple(absent.split("."))
        if paragraph[: len(named)] == named:
            return True
    if version.paragraphs is None:
        return False
    listed = [tuple(p.split(".")) for p in version.paragraphs]
    return not any(p[: len(paragraph)] == paragraph for p in listed)


def _edition_paragraph_absent(row: CclEntry, paragraph: tuple[str, ...]) -> bool:
    """Did an edition's text lack ``paragraph``? Only decided where the edition lists the entry's
    paragraphs (categories 1, 3, 4 and 5 of the extraction)."""
    listed = [tuple(d.split(".")) for p in row.paragraphs if (d := p.designator)]
    if not paragraph or not listed:
        return False
    return not any(p[: len(paragraph)] == paragraph for p in listed)


def eccn_status(text: str, as_of: date, tables: EarTables) -> EccnStatus:
    """Reasons for control and chart columns of the ECCN ``text`` on ``as_of``, with the text applied.

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
            version=TableVersion(
                Table.CCL, "EAR99", "15 CFR 734.3(c) (no ECCN)", "15 CFR 734.3(c)", Trust.VOUCHED, effective=None
            ),
        )
    code = eccn.entry.code
    dated = supplement.entry(code)
    if dated is not None:
        return _from_history(eccn, code, dated, as_of, tables)
    row, version = edition_text(
        Table.CCL, code, as_of, tables.ccl_history(), table_amendments(), f"{CCL}, ECCN {code}", same_row
    )
    return _from_edition(eccn, code, row, version, as_of, tables)


def _from_history(eccn: Eccn, code: str, dated: SupplementEntry, as_of: date, tables: EarTables) -> EccnStatus:
    citation = f"{CCL}, ECCN {code}"
    version = in_force(dated.versions, as_of)
    if version is None:
        first = dated.versions[0].effective
        where = "starts on " + first.isoformat() if as_of < first else "has no text in force then"
        gap = TableVersion(
            Table.CCL,
            code,
            "not known",
            citation,
            Trust.UNKNOWN,
            warning=f"earcheck's dated history of {code} {where}: its controls on {as_of.isoformat()} are not known",
        )
        return _unknown(eccn, code, as_of, tables, gap)
    fact_id = f"ccl_supplement.{code}.{version.effective.isoformat()}"
    sources = "; ".join(s.cite for s in version.sources)
    trust = trust_of(version.verification)
    warning = version.warning.strip() if version.warning else None
    if trust is Trust.BELIEVED and warning is None:
        warning = (
            f"{code}: the eCFR text is applied from {version.effective.isoformat()}, a date earcheck recalls (R) "
            "rather than read"
            if version.use_edition
            else f"{code}: earcheck's dated text of this entry is recalled, not read (R); check its reasons and "
            "columns against the regulation text (see ccl_supplement.yaml)"
        )

    def applied_text(text: str, trust_: Trust = trust, note: str | None = warning) -> TableVersion:
        return TableVersion(
            Table.CCL,
            code,
            text,
            version.citation,
            trust_,
            effective=version.effective,
            superseded=version.superseded,
            verification=version.verification,
            dated_fact=fact_id,
            warning=note,
            sources=sources or None,
        )

    if version.absent:
        applied = applied_text(f"absent ({sources})")
        return EccnStatus(
            eccn=str(eccn),
            entry=code,
            as_of=as_of,
            edition=tables.edition,
            known=False,
            source="supplement",
            citation=version.citation,
            warnings=(f"{code} did not exist on {as_of.isoformat()} ({sources})", *([warning] if warning else [])),
            dated_fact=fact_id,
            version=applied,
            exists=False,
            question=_classify(code, eccn, as_of),
        )
    if _paragraph_absent(version, eccn.paragraph):
        applied = applied_text(f"text of {sources}")
        return EccnStatus(
            eccn=str(eccn),
            entry=code,
            as_of=as_of,
            edition=tables.edition,
            known=False,
            source="supplement",
            citation=version.citation,
            warnings=(f"{eccn} was not a paragraph of {code} on {as_of.isoformat()} ({sources})",),
            dated_fact=fact_id,
            version=applied,
            exists=False,
            question=_classify(code, eccn, as_of),
        )
    if version.own_text and trust is Trust.BELIEVED:
        # A recalled text gives way to an official edition of the same period, when one is loaded.
        found = edition_within(tables.ccl_history(), version.effective, version.superseded, as_of)
        if found is not None and code in found[1]:
            day, rows = found
            read = applied_text(f"eCFR edition {day.isoformat()}", Trust.VOUCHED, None)
            return _known(eccn, code, rows[code], as_of, tables, read, "ccl", version.citation, fact_id)
    if version.own_text:
        assert version.reasons is not None
        assert version.controls is not None
        edition_row = tables.ccl.get(code)
        applied = applied_text(f"text of {sources} (earcheck's dated data)")
        return EccnStatus(
            eccn=str(eccn),
            entry=code,
            as_of=as_of,
            edition=tables.edition,
            known=True,
            heading=version.heading.strip() if version.heading else (edition_row.heading if edition_row else None),
            reasons=version.reasons,
            controls=tuple(CclControl(c.control, c.country_chart) for c in version.controls),
            license_exception_notes=_own_lines(version, edition_row, tables.edition),
            source="supplement",
            citation=version.citation,
            warnings=tuple(w for w in (warning,) if w),
            dated_fact=fact_id,
            version=applied,
        )
    if version.same_text_as is not None:
        # The text of this period is the one of a later date (a rule restored it, e.g.): read it there,
        # and say which period's text it is and why it applies.
        later = _from_history(eccn, code, dated, version.same_text_as, tables)
        if later.version is None:
            return later
        borrowed = applied_text(
            f"{later.version.text}, the text of {version.same_text_as.isoformat()} (same as then: {sources})",
            Trust.UNKNOWN if later.version.trust is Trust.UNKNOWN else trust,
            warning or later.version.warning,
        )
        return dataclasses.replace(later, as_of=as_of, version=borrowed, dated_fact=fact_id, citation=version.citation)
    if version.use_edition:
        found = edition_within(tables.ccl_history(), version.effective, version.superseded, as_of)
        if found is None:
            applied = applied_text(
                "not loaded",
                Trust.UNKNOWN,
                f"{code}'s text from {version.effective.isoformat()} ({sources}) is that of an eCFR edition dated "
                "within that period, and none is loaded",
            )
            return _unknown(eccn, code, as_of, tables, applied)
        day, rows = found
        row = rows.get(code)
        applied = applied_text(f"eCFR edition {day.isoformat()}")
        if row is None:
            return _unknown(eccn, code, as_of, tables, applied)
        if _edition_paragraph_absent(row, eccn.paragraph):
            return _paragraph_not_in(eccn, code, as_of, tables, applied, day)
        return _known(eccn, code, row, as_of, tables, applied, "ccl", version.citation, fact_id)
    applied = applied_text(
        f"not known ({sources})",
        Trust.UNKNOWN,
        warning
        or f"{code} was in force on {as_of.isoformat()} ({sources}), but its text then is not in earcheck's data",
    )
    return _unknown(eccn, code, as_of, tables, applied)


def _own_lines(version: SupplementVersion, edition_row: CclEntry | None, edition: date) -> Mapping[str, str] | None:
    """The licence-exception lines of an own-text version: its own, or the loaded edition's where the
    edition's date falls in the version's period (the same text then); otherwise not known."""
    if version.license_exceptions is not None:
        return version.license_exceptions
    in_period = version.effective <= edition and (version.superseded is None or edition < version.superseded)
    if in_period and edition_row is not None:
        return edition_row.license_exception_notes
    return None


def _from_edition(
    eccn: Eccn, code: str, row: CclEntry | None, version: TableVersion, as_of: date, tables: EarTables
) -> EccnStatus:
    if version.trust is Trust.UNKNOWN:
        return _unknown(eccn, code, as_of, tables, version)
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
                *([version.warning] if version.warning else []),
            ),
            version=version,
            exists=None,
        )
    if version.effective is not None and version.effective == as_of and _edition_paragraph_absent(row, eccn.paragraph):
        return _paragraph_not_in(eccn, code, as_of, tables, version, version.effective)
    return _known(eccn, code, row, as_of, tables, version, "ccl", f"{CCL}, ECCN {code}", None)


def _known(
    eccn: Eccn,
    code: str,
    row: CclEntry,
    as_of: date,
    tables: EarTables,
    version: TableVersion,
    source: str,
    citation: str,
    fact_id: str | None,
) -> EccnStatus:
    warnings = [version.warning] if version.warning else []
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
        source=source,
        citation=citation,
        warnings=tuple(warnings),
        dated_fact=fact_id,
        version=version,
    )


def _paragraph_not_in(
    eccn: Eccn, code: str, as_of: date, tables: EarTables, version: TableVersion, day: date
) -> EccnStatus:
    return EccnStatus(
        eccn=str(eccn),
        entry=code,
        as_of=as_of,
        edition=tables.edition,
        known=False,
        warnings=(f"{eccn} is not a paragraph of {code} in the eCFR edition of {day.isoformat()}",),
        version=version,
        exists=False,
        question=(
            f"{eccn} is not a paragraph of ECCN {code} as the CCL of {day.isoformat()} reads: which paragraph of "
            f"{code} (as of {as_of.isoformat()}) describes the item?"
        ),
    )


def _unknown(eccn: Eccn, code: str, as_of: date, tables: EarTables, version: TableVersion) -> EccnStatus:
    reason = version.warning or f"the text of {code} on {as_of.isoformat()} is not known"
    return EccnStatus(
        eccn=str(eccn),
        entry=code,
        as_of=as_of,
        edition=tables.edition,
        known=False,
        warnings=(reason,),
        version=version,
        exists=None,
        question=(
            f"Which reasons for control and Country Chart columns did ECCN {code} have on {as_of.isoformat()}? "
            f"earcheck cannot vouch for its text that day: {reason}."
        ),
    )
