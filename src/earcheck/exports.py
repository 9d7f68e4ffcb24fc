"""Registers and the audit log as spreadsheets: CSV and XLSX (openpyxl).

CSV rows go through ``earcheck.spreadsheet`` like every CSV earcheck writes, so a party called
``=HYPERLINK(...)`` never becomes a live link in the officer's spreadsheet. XLSX cells are written as
typed strings instead, which no spreadsheet evaluates, so their text stays exact (except for the
control characters XML cannot carry, written as visible ``\\xNN`` escapes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from earcheck.records import audit
from earcheck.records.audit import AuditEntry
from earcheck.records.determination_search import case_eccns, case_parties
from earcheck.records.determinations import StoredDetermination
from earcheck.spreadsheet import write_row

__all__ = [
    "AUDIT_COLUMNS",
    "DETERMINATION_COLUMNS",
    "Cell",
    "Format",
    "answer_words",
    "audit_row",
    "audit_rows",
    "csv_lines",
    "determination_row",
    "xlsx_bytes",
]

Cell = str | int | date | datetime | None


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        if self is Format.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DETERMINATION_COLUMNS = (
    "id",
    "recorded_at",
    "recorded_by",
    "case_id",
    "as_of",
    "destination",
    "parties",
    "eccns",
    "answer",
    "case_sha256",
    "result_sha256",
)

AUDIT_COLUMNS = ("seq", "at", "actor", "action", "subject", "payload", "prev_hash", "hash")


def answer_words(license_required: bool | None) -> str:
    if license_required is None:
        return "not determinable"
    return "licence required" if license_required else "no licence required"


def determination_row(stored: StoredDetermination) -> tuple[Cell, ...]:
    return (
        stored.id,
        stored.created_at,
        stored.actor,
        stored.case_id,
        stored.as_of,
        stored.case.get("destination"),
        "; ".join(case_parties(stored.case)),
        "; ".join(case_eccns(stored.case)),
        answer_words(stored.license_required),
        stored.case_sha256,
        stored.result_sha256,
    )


def audit_row(entry: AuditEntry) -> tuple[Cell, ...]:
    return (entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.payload, entry.prev_hash, entry.hash)


def audit_rows(engine: sa.Engine, subject: str | None = None, action: str | None = None) -> Iterator[tuple[Cell, ...]]:
    """Every row of the audit log (or of one subject or action), oldest first, read a page at a time."""
    after: int | None = None
    while True:
        page = audit.entries(engine, after=after, limit=500, newest_first=False, subject=subject, action=action)
        yield from map(audit_row, page.items)
        if page.next_after is None:
            return
        after = page.next_after


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like target for ``csv.writer`` that hands back what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The CSV text, one line at a time (a header line, then one per row), for streaming responses."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(columns)
    yield line.text
    for row in rows:
        # Numbers are written as they are: only text can carry a formula.
        write_row(writer, [v if isinstance(v, str | int) else _text(v) for v in row])
        yield line.text


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An XLSX workbook with one sheet: a header row, then one row per record."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on sheet names
    sheet.append(list(columns))
    for row in rows:
        cells = []
        for given in row:
            value: Any = given
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)  # XLSX has no time zones; every stored time is UTC
            if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                # XML 1.0 cannot carry most control characters: such a character is written as a
                # visible escape (\x07), never dropped, so the cell still shows that something was there.
                value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
