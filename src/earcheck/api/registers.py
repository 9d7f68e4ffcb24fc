"""The registers' searches and exports as the API and the web pages share them.

``determination_filter`` reads the determinations register's search from query parameters.
Every parameter arrives as text, because a web form sends its empty fields as ``""``; an empty field
means "any". A date or answer that cannot be read is refused with the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Query
from starlette.responses import Response, StreamingResponse

from earcheck.exports import (
    AUDIT_COLUMNS,
    DETERMINATION_COLUMNS,
    Cell,
    Format,
    audit_rows,
    csv_lines,
    determination_row,
    xlsx_bytes,
)
from earcheck.records.counterparties import COUNTERPARTY_COLUMNS, counterparty_row, parties_register
from earcheck.records.determination_search import DeterminationFilter, every_match, read_filter

__all__ = ["audit_export", "determination_filter", "determinations_export", "parties_export"]


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
    return read_filter(
        party=party,
        eccn=eccn,
        destination=destination,
        answer=answer,
        recorded_from=recorded_from,
        recorded_until=recorded_until,
        actor=actor,
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

    return _spreadsheet(fmt, "audit-log", AUDIT_COLUMNS, audit_rows(engine, subject, action))


def parties_export(engine: sa.Engine, search: str | None, fmt: Format) -> Response:
    """The parties register (or the parties whose name contains ``search``) as a CSV or XLSX download."""
    return _spreadsheet(fmt, "parties", COUNTERPARTY_COLUMNS, map(counterparty_row, parties_register(engine, search)))
