"""Searching the stored determinations: the register a compliance officer files and finds them by.

A determination is found by who recorded it, when, its answer, and by what its case names: a party,
an item's ECCN, the destination. The last three live inside the stored case (JSON text), so the
database narrows the rows by a plain substring of that text and each candidate is then checked on its
parsed case: a party called "CN Trading" must not turn up when searching for the destination CN.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.errors import FieldError, RecordError
from earcheck.records.determinations import StoredDetermination, stored_from_row
from earcheck.records.pages import Page
from earcheck.records.schema import determinations

__all__ = [
    "Answer",
    "DeterminationFilter",
    "case_eccns",
    "case_parties",
    "every_match",
    "read_filter",
    "search_determinations",
]

_BATCH = 200  # rows read per round while candidates are checked on their parsed case


class Answer(StrEnum):
    """The three answers a determination can give to "is a licence required?"."""

    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    UNKNOWN = "unknown"  # not determinable: facts are missing

    @property
    def stored(self) -> bool | None:
        return {Answer.REQUIRED: True, Answer.NOT_REQUIRED: False, Answer.UNKNOWN: None}[self]


@dataclass(frozen=True, slots=True)
class DeterminationFilter:
    """What to look for; every field left ``None`` matches everything. ``party`` and ``actor`` match
    any part of the name, ignoring case; ``eccn`` and ``destination`` match exactly, ignoring case;
    ``recorded_from``/``recorded_until`` are UTC days, both included."""

    party: str | None = None
    eccn: str | None = None
    destination: str | None = None
    answer: Answer | None = None
    recorded_from: date | None = None
    recorded_until: date | None = None
    actor: str | None = None

    @property
    def narrows_by_case(self) -> bool:
        return bool(self.party or self.eccn or self.destination)


def case_parties(case: dict[str, Any]) -> list[str]:
    """The names of every party the case names, the exporter first."""
    names = []
    exporter = case.get("exporter") or {}
    if exporter.get("name"):
        names.append(str(exporter["name"]))
    names.extend(str(p["name"]) for p in case.get("parties") or [] if p.get("name"))
    return names


def case_eccns(case: dict[str, Any]) -> list[str]:
    """The items' ECCNs as given (items without one are left out), each once, in the case's order."""
    return list(dict.fromkeys(str(i["eccn"]) for i in case.get("items") or [] if i.get("eccn")))


def _day(value: str, field: str, problems: list[FieldError]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(FieldError(field, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


def read_filter(
    *,
    party: str | None = None,
    eccn: str | None = None,
    destination: str | None = None,
    answer: str | None = None,
    recorded_from: str | None = None,
    recorded_until: str | None = None,
    actor: str | None = None,
) -> DeterminationFilter:
    """The filter a search form or command line describes, every field as typed: an empty field means
    "any"; a ``RecordError`` names each field that cannot be read (an answer or date)."""
    problems: list[FieldError] = []

    def given(value: str | None) -> str | None:
        value = (value or "").replace("\x00", "").strip()
        return value or None

    wanted_answer = None
    if answer_text := given(answer):
        try:
            wanted_answer = Answer(answer_text)
        except ValueError:
            problems.append(FieldError("answer", "must be required, not_required or unknown"))
    start = _day(v, "recorded_from", problems) if (v := given(recorded_from)) else None
    end = _day(v, "recorded_until", problems) if (v := given(recorded_until)) else None
    if start and end and start > end:
        problems.append(FieldError("recorded_until", "is before recorded_from"))
    if problems:
        raise RecordError("invalid search", problems)
    return DeterminationFilter(
        party=given(party),
        eccn=given(eccn),
        destination=given(destination),
        answer=wanted_answer,
        recorded_from=start,
        recorded_until=end,
        actor=given(actor),
    )


def _matches_case(wanted: DeterminationFilter, case: dict[str, Any]) -> bool:
    if wanted.destination and str(case.get("destination") or "").upper() != wanted.destination.upper():
        return False
    if wanted.eccn and wanted.eccn.upper() not in {e.upper() for e in case_eccns(case)}:
        return False
    if wanted.party:
        needle = wanted.party.lower()
        if not any(needle in name.lower() for name in case_parties(case)):
            return False
    return True


def _query(wanted: DeterminationFilter) -> sa.Select[Any]:
    query = sa.select(determinations)
    column = determinations.c
    if wanted.actor:
        query = query.where(column.actor.icontains(wanted.actor, autoescape=True))
    if wanted.answer is not None:
        stored = wanted.answer.stored
        query = query.where(column.license_required.is_(None) if stored is None else column.license_required == stored)
    if wanted.recorded_from is not None:
        query = query.where(column.created_at >= datetime.combine(wanted.recorded_from, time(), UTC))
    if wanted.recorded_until is not None:
        next_day = datetime.combine(wanted.recorded_until + timedelta(days=1), time(), UTC)
        query = query.where(column.created_at < next_day)
    # Coarse narrowing in the database; ``_matches_case`` decides. The stored case is canonical JSON
    # (sorted keys, no spaces), so these substrings are present in every row that can match.
    if wanted.destination:
        query = query.where(column.case_json.icontains(json.dumps(wanted.destination.upper())[1:-1], autoescape=True))
    if wanted.eccn:
        query = query.where(column.case_json.icontains(wanted.eccn, autoescape=True))
    # Only plain ASCII names narrow the rows: JSON escapes quotes, backslashes and control characters,
    # and SQLite's lower() folds ASCII letters only.
    if wanted.party and wanted.party.isascii() and json.dumps(wanted.party)[1:-1] == wanted.party:
        query = query.where(column.case_json.icontains(wanted.party, autoescape=True))
    return query


def search_determinations(
    engine: sa.Engine, wanted: DeterminationFilter, after: int | None = None, limit: int = 50
) -> Page[StoredDetermination]:
    """One page of the stored determinations that match ``wanted``, newest first; ``after`` is the
    ``next_after`` of the page before."""
    found: list[StoredDetermination] = []
    query = _query(wanted)
    column = determinations.c.id
    with engine.connect() as connection:
        while len(found) <= limit:
            batch = query if after is None else query.where(column < after)
            rows = connection.execute(batch.order_by(column.desc()).limit(_BATCH)).all()
            for row in rows:
                stored = stored_from_row(row)
                if not wanted.narrows_by_case or _matches_case(wanted, stored.case):
                    found.append(stored)
                    if len(found) > limit:
                        break
            if len(rows) < _BATCH:
                break
            after = int(rows[-1].id)
    if len(found) > limit:
        return Page(tuple(found[:limit]), found[limit - 1].id)
    return Page(tuple(found), None)


def every_match(engine: sa.Engine, wanted: DeterminationFilter) -> Iterator[StoredDetermination]:
    """Every matching determination, newest first, read a page at a time (for exports)."""
    after: int | None = None
    while True:
        page = search_determinations(engine, wanted, after, 500)
        yield from page.items
        if page.next_after is None:
            return
        after = page.next_after
