"""Which text of an EAR table applies on a date, and how far earcheck can vouch for it.

earcheck holds official editions of the tables (the eCFR of a date, imported as snapshots) and its own
dated facts about them (``ccl_supplement.yaml``, ``country_chart.yaml``, ``table_amendments.yaml``).
For one row of one table on one date -- an ECCN's controls, a destination's chart marks or Country
Groups -- the lookups settle on a ``TableVersion``: the text applied, where it comes from, the dates it
was in force, and a ``Trust``:

``vouched``   the text of an edition on its own date, an unchanged text between two editions, or a
              dated version read in authoritative text (VS, VD, VX)
``believed``  a dated version recalled (R), an edition applied after its date, or an edition applied
              back to the row's last known amendment: used, with a warning
``unknown``   earcheck cannot say what the row said on the date: whatever reads it is unknown too,
              with a question, never a silent "no"

The rule for a row without a written history is the issue's: its current text is trusted only from the
date of its last known amendment (``table_amendments.yaml``), never silently earlier. A table whose
amendments earcheck believes it has all of (``complete_from``) lets a row no amendment touched be
believed unchanged since then.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.regulations.dated import DatedFact, Verification, load_packaged, parse_file

__all__ = [
    "TABLE_NAMES",
    "AmendmentIndex",
    "Table",
    "TableAmendment",
    "TableCompleteness",
    "TableVersion",
    "Trust",
    "edition_text",
    "edition_within",
    "load_amendments",
    "same_row",
    "table_amendments",
    "trust_of",
]

STRICT = ConfigDict(extra="forbid", frozen=True)
DATA_FILE = "table_amendments.yaml"


class Table(StrEnum):
    COUNTRY_CHART = "country_chart"
    COUNTRY_GROUPS = "country_groups"
    CCL = "ccl"
    LICENSE_EXCEPTIONS = "license_exceptions"


TABLE_NAMES = {
    Table.COUNTRY_CHART: "Country Chart",
    Table.COUNTRY_GROUPS: "Country Groups",
    Table.CCL: "Commerce Control List",
    Table.LICENSE_EXCEPTIONS: "Part 740 catalogue",
}


class Trust(StrEnum):
    VOUCHED = "vouched"
    BELIEVED = "believed"
    UNKNOWN = "unknown"


def trust_of(verification: Verification) -> Trust:
    """A dated version read in authoritative text is vouched for; one recalled (R) only believed."""
    return Trust.BELIEVED if verification is Verification.R else Trust.VOUCHED


@dataclass(frozen=True, slots=True)
class TableVersion:
    """The text of one row of one table applied on a date, and how far it can be vouched for."""

    table: Table
    key: str  # the row: an ECCN entry ("3A090") or an ISO code ("CN")
    text: str  # which text: "eCFR edition 2026-07-23", "88 FR 73458 (earcheck's dated text)"
    citation: str
    trust: Trust
    effective: date | None = None  # the first day this text is known to be in force
    superseded: date | None = None  # the first day it no longer was, when known
    verification: Verification | None = None
    dated_fact: str | None = None  # id of earcheck's dated fact that chose the text, if one did
    warning: str | None = None  # why the text is only believed, or unknown
    # The Federal Register documents of that dated fact (the rule that began the period), so that a
    # period read from an edition still names the rule it rests on.
    sources: str | None = None

    @property
    def label(self) -> str:
        """One line naming the text, its dates and its trust, for findings and lookups."""
        span = ""
        if self.effective is not None:
            span = f", in force from {self.effective.isoformat()}"
            if self.superseded is not None:
                span += f" to {self.superseded.isoformat()} (exclusive)"
        level = f", {self.verification.value}" if self.verification is not None else ""
        return f"{TABLE_NAMES[self.table]} {self.key}: {self.text}{span} [{self.trust.value}{level}]"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class TableAmendment(DatedFact):
    """One Federal Register rule that amended a table on ``effective``, and the rows it touched.

    ``touched`` lists ECCN entries or ISO codes; ``None`` means earcheck does not know which rows the
    rule changed, so it may have changed any of them.
    """

    table: Table
    title: str
    touched: tuple[str, ...] | None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class TableCompleteness:
    """From ``complete_from`` to the edition, ``amendments`` are believed to list every amendment of
    ``table``: a row none of them touched is believed unchanged over that span."""

    table: Table
    complete_from: date
    verification: Verification
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AmendmentIndex:
    covers_from: date
    completeness: tuple[TableCompleteness, ...]
    amendments: tuple[TableAmendment, ...]

    def complete_from(self, table: Table) -> TableCompleteness | None:
        return next((c for c in self.completeness if c.table is table), None)

    def last_touching(
        self, table: Table, key: str, on_or_before: date, *, named_only: bool = False
    ) -> TableAmendment | None:
        """The latest amendment of ``table`` in force by ``on_or_before`` that touched (or, with
        ``named_only`` false, may have touched) row ``key``."""
        found = [
            a
            for a in self.amendments
            if a.table is table
            and a.effective <= on_or_before
            and ((a.touched is None and not named_only) or (a.touched is not None and key in a.touched))
        ]
        return max(found, key=lambda a: a.effective) if found else None

    def touching_between(self, table: Table, key: str, after: date, until: date) -> list[TableAmendment]:
        """Amendments of row ``key`` that took effect after ``after`` and on or before ``until``."""
        return [
            a
            for a in self.amendments
            if a.table is table and after < a.effective <= until and (a.touched is None or key in a.touched)
        ]

    def of(self, table: Table) -> Sequence[TableAmendment]:
        return [a for a in self.amendments if a.table is table]


def load_amendments(path: Path, text: str | None = None) -> AmendmentIndex:
    """Parse and check ``table_amendments.yaml``; problems raise ``SourceFormatError`` naming the file."""
    data = parse_file(path, AmendmentIndex, text)
    for index, amendment in enumerate(data.amendments):
        if amendment.superseded is not None:
            raise SourceFormatError(
                path, "an amendment takes effect once: give no superseded", field=f"amendments.{index}"
            )
        if amendment.effective < data.covers_from:
            raise SourceFormatError(path, "amendment before covers_from", field=f"amendments.{index}")
    tables = [c.table for c in data.completeness]
    if len(tables) != len(set(tables)):
        raise SourceFormatError(path, "a table is given twice", field="completeness")
    return data


@cache
def table_amendments() -> AmendmentIndex:
    """The packaged ``data/table_amendments.yaml``, loaded and checked once per process."""
    return load_packaged(DATA_FILE, load_amendments)


# --- a row through the loaded editions ----------------------------------------------------------------


class _Comparable(Protocol):
    def same_text(self, other: Any) -> bool: ...


def same_row(a: _Comparable | None, b: _Comparable | None) -> bool:
    """Two editions' rows say the same (both absent counts as the same)."""
    return b is None if a is None else a.same_text(b)


R = TypeVar("R")
Editions = Sequence[tuple[date, Mapping[str, R]]]  # every loaded edition of one table, oldest first


def edition_within(
    editions: Editions[R], start: date, end: date | None, as_of: date
) -> tuple[date, Mapping[str, R]] | None:
    """A loaded edition dated inside [start, end): the newest on or before ``as_of``, else the earliest."""
    inside = [e for e in editions if start <= e[0] and (end is None or e[0] < end)]
    before = [e for e in inside if e[0] <= as_of]
    if before:
        return before[-1]
    return inside[0] if inside else None


def edition_text(
    table: Table,
    key: str,
    as_of: date,
    editions: Editions[R],
    index: AmendmentIndex,
    citation: str,
    same: Callable[[R | None, R | None], bool] = operator.eq,
) -> tuple[R | None, TableVersion]:
    """The row ``key`` of ``table`` on ``as_of`` when earcheck has no written history of it.

    On an edition's own date its row is the law. Between two editions an unchanged row is vouched for;
    a changed one is believed on either side of the amendments recorded between them, unknown
    otherwise. After the newest edition the row is believed, unless an amendment of it is recorded
    since. Before the earliest edition the row is trusted only from its last known amendment (or, for
    a table whose amendments are believed complete, from where that belief starts).
    """
    name = TABLE_NAMES[table]
    earlier = [e for e in editions if e[0] <= as_of]
    later = [e for e in editions if e[0] > as_of]
    if earlier:
        day, rows = earlier[-1]
        row = rows.get(key)
        text = f"eCFR edition {day.isoformat()}"
        if day == as_of:
            return row, TableVersion(
                table, key, text, citation, Trust.VOUCHED, effective=day, verification=Verification.VD
            )
        if later:
            next_day, next_rows = later[0]
            if same(next_rows.get(key), row):
                return row, TableVersion(
                    table,
                    key,
                    f"{text} (unchanged in the edition of {next_day.isoformat()})",
                    citation,
                    Trust.VOUCHED,
                    effective=day,
                    verification=Verification.VD,
                )
            changes = index.touching_between(table, key, day, next_day)
            if changes and as_of < changes[0].effective:
                first = changes[0]
                return row, TableVersion(
                    table,
                    key,
                    text,
                    citation,
                    Trust.BELIEVED,
                    effective=day,
                    superseded=first.effective,
                    verification=Verification.R,
                    warning=f"the {name} row of {key} differs between the editions of {day.isoformat()} and "
                    f"{next_day.isoformat()}; earcheck takes the change as made by {first.sources[0].cite} "
                    f"(in force {first.effective.isoformat()}), so the earlier text applies on {as_of.isoformat()}",
                )
            if changes and as_of >= changes[-1].effective:
                change = changes[-1]
                return next_rows.get(key), TableVersion(
                    table,
                    key,
                    f"eCFR edition {next_day.isoformat()}",
                    citation,
                    Trust.BELIEVED,
                    effective=change.effective,
                    verification=Verification.R,
                    warning=f"the {name} row of {key} of the edition of {next_day.isoformat()} is applied from "
                    f"{change.effective.isoformat()}, when {change.sources[0].cite} changed it",
                )
            return None, TableVersion(
                table,
                key,
                "not known",
                citation,
                Trust.UNKNOWN,
                warning=f"the {name} row of {key} changed between the editions of {day.isoformat()} and "
                f"{next_day.isoformat()}, and earcheck's data does not say when: its text on "
                f"{as_of.isoformat()} is not known",
            )
        since = index.touching_between(table, key, day, as_of)
        if since:
            return None, TableVersion(
                table,
                key,
                "not known",
                citation,
                Trust.UNKNOWN,
                warning=f"{since[-1].sources[0].cite} (in force {since[-1].effective.isoformat()}) amended the "
                f"{name} row of {key} after the newest edition loaded ({day.isoformat()}): its text on "
                f"{as_of.isoformat()} is not in earcheck's data",
            )
        return row, TableVersion(
            table,
            key,
            text,
            citation,
            Trust.BELIEVED,
            effective=day,
            verification=Verification.VD,
            warning=f"the {name} is the edition of {day.isoformat()}; amendments after that date are not in "
            "earcheck's data",
        )
    if not later:
        return None, TableVersion(table, key, "not loaded", citation, Trust.UNKNOWN, warning=f"no {name} is loaded")
    first_day, rows = later[0]
    row = rows.get(key)
    text = f"eCFR edition {first_day.isoformat()}"
    complete = index.complete_from(table)
    last = index.last_touching(table, key, first_day)
    if complete is None and index.last_touching(table, key, first_day, named_only=True) is None:
        # Amendments of unknown reach say when a row may have changed, not that it did not change since.
        last = None
    if last is not None:
        if as_of >= last.effective:
            return row, TableVersion(
                table,
                key,
                text,
                citation,
                Trust.BELIEVED,
                effective=last.effective,
                verification=Verification.R,
                warning=f"the {name} row of {key} is the edition of {first_day.isoformat()}, applied back to its "
                f"last known amendment ({last.sources[0].cite}, in force {last.effective.isoformat()}); later "
                "amendments, if any, are not in earcheck's data",
            )
        return None, TableVersion(
            table,
            key,
            "not known",
            citation,
            Trust.UNKNOWN,
            warning=f"the {name} row of {key} was last amended by {last.sources[0].cite} (in force "
            f"{last.effective.isoformat()}); its text on {as_of.isoformat()} is not in earcheck's data",
        )
    if complete is not None and as_of >= complete.complete_from:
        return row, TableVersion(
            table,
            key,
            text,
            citation,
            Trust.BELIEVED,
            effective=complete.complete_from,
            verification=complete.verification,
            warning=f"the {name} row of {key} is the edition of {first_day.isoformat()}: no amendment of it since "
            f"{complete.complete_from.isoformat()} is known to earcheck ({complete.verification.value})",
        )
    return None, TableVersion(
        table,
        key,
        "not known",
        citation,
        Trust.UNKNOWN,
        warning=f"earcheck has no dated history of the {name} row of {key} and knows no amendment of it, so the "
        f"edition of {first_day.isoformat()} is trusted only from its own date, not on {as_of.isoformat()}",
    )
