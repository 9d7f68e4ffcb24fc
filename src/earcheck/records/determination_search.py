"""Searching the stored determinations: the register a compliance officer files and finds them by.

A determination is found by who recorded it, when, its answer, and by what its case names: a party,
an item's ECCN, the destination. Those three are kept beside each stored case as its search terms
(``determination_terms``, folded as they are searched), so every filter is SQL and a page of the
register is one query of at most a page of rows, whatever the number stored. A party called
"CN Trading" is a party term, never the destination CN.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.errors import FieldError, RecordError
from earcheck.records.determinations import StoredDetermination, case_eccns, case_parties, stored_from_row
from earcheck.records.pages import Page
from earcheck.records.schema import determination_terms, determinations

__all__ = [
    "Answer",
    "DeterminationFilter",
    "case_eccns",
    "case_parties",
    "every_match",
    "read_filter",
    "search_determinations",
]


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


def _has_term(kind: str, condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The determination has a search term of ``kind`` meeting ``condition``."""
    terms = determination_terms.c
    return sa.exists().where(terms.determination_id == determinations.c.id, terms.kind == kind, condition)


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
    if wanted.destination:
        query = query.where(_has_term("destination", determination_terms.c.value == wanted.destination.upper()))
    if wanted.eccn:
        query = query.where(_has_term("eccn", determination_terms.c.value == wanted.eccn.upper()))
    if wanted.party:
        # Lower-cased here as the terms were when written: the same folding on both databases (SQLite's
        # lower() folds ASCII letters only), and LIKE with the wildcards in the name escaped.
        query = query.where(
            _has_term("party", determination_terms.c.value.contains(wanted.party.lower(), autoescape=True))
        )
    return query


def search_determinations(
    engine: sa.Engine, wanted: DeterminationFilter, after: int | None = None, limit: int = 50
) -> Page[StoredDetermination]:
    """One page of the stored determinations that match ``wanted``, newest first; ``after`` is the
    ``next_after`` of the page before."""
    query = _query(wanted)
    column = determinations.c.id
    if after is not None:
        query = query.where(column < after)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(column.desc()).limit(limit + 1)).all()
    found = [stored_from_row(row) for row in rows[:limit]]
    return Page(tuple(found), found[-1].id if len(rows) > limit else None)


def every_match(engine: sa.Engine, wanted: DeterminationFilter) -> Iterator[StoredDetermination]:
    """Every matching determination, newest first, read a page at a time (for exports)."""
    after: int | None = None
    while True:
        page = search_determinations(engine, wanted, after, 500)
        yield from page.items
        if page.next_after is None:
            return
        after = page.next_after
