"""The registers' searches and exports as the API and the web pages share them.

``determination_filter`` reads the determinations register's search from query parameters.
Every parameter arrives as text, because a web form sends its empty fields as ``""``; an empty field
means "any". A date or answer that cannot be read is refused with the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Query
from starlette.responses import Response, StreamingResponse

from earcheck.errors import FieldError, RecordError
from earcheck.exports import (
    AUDIT_COLUMNS,
    DETERMINATION_COLUMNS,
    Cell,
    Format,
    audit_row,
    csv_lines,
    determination_row,
    xlsx_bytes,
)
from earcheck.records import audit
from earcheck.records.determination_search import Answer, DeterminationFilter, every_match

__all__ = ["audit_export", "determination_filter", "determinations_export"]


def _day(value: str, field: str, problems: list[FieldError]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(FieldError(field, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


def determination_filter(
    party: Annotated[str | None, Query(max_length=200, description="part of a party's name, any case")] = None,
    eccn: Annotated[str | None, Query(max_length=40, description="an item's ECCN, exactly (any case)")] = None,
    destination: Annotated[str | None, Query(max_length=2, description="ISO 3166 code of the destination")] = None,
    answer: Annotated[str | None, Query(description="required, not_required or unknown")] = None,
    recorded_from: Annotated[str | None, Query(max_length=10, description="first day recorded (UTC)")] = None,
    recorded_until: Annotated[str | None, Query(max_length=10, description="last day recorded (UTC)")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="part of who recorded it")] = None,
) -> DeterminationFilter:
    """The filter the query describes; a ``RecordError`` (422) names each parameter that cannot be read."""
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


def _spreadsheet(fmt: Format, name: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%MZ")
    headers = {"Content-Disposition": f'attachment; filename="earcheck-{name}-{stamp}.{fmt.value}"'}
    if fmt is Format.CSV:
        return StreamingResponse(csv_lines(columns, rows), media_type=fmt.media_type, headers=headers)
    return Response(xlsx_bytes(name, columns, rows), media_type=fmt.media_type, headers=headers)


def determinations_export(engine: sa.Engine, wanted: DeterminationFilter, fmt: Format) -> Response:
    """Every determination the search finds, newest first, as a CSV or XLSX download."""
    return _spreadsheet(
        fmt, "determinations", DETERMINATION_COLUMNS, map(determination_row, every_match(engine, wanted))
    )


def audit_export(engine: sa.Engine, fmt: Format, subject: str | None = None, action: str | None = None) -> Response:
    """The audit log (or the rows of one subject or action), oldest first, as a CSV or XLSX download."""

    def rows() -> Iterable[Sequence[Cell]]:
        after: int | None = None
        while True:
            page = audit.entries(engine, after=after, limit=500, newest_first=False, subject=subject, action=action)
            yield from map(audit_row, page.items)
            if page.next_after is None:
                return
            after = page.next_after

    return _spreadsheet(fmt, "audit-log", AUDIT_COLUMNS, rows())
