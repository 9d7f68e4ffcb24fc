"""Batch screening: a CSV of names in, one result line per row out, in input order, on all cores.

Input: a CSV file with a header naming the columns ``id`` and ``name`` and optionally ``country``
(ISO 3166-1 alpha-2), in any order; other columns are ignored. Output, one line per input row:

- ``jsonl``: ``{"id": ..., "matches": [{"list_id", "name", "matched_name", "source", "score", ...}]}``
  with every hit, best first; a row that cannot be screened gets ``{"id": ..., "line": N,
  "error": "...", "matches": []}`` instead, so no row is ever dropped silently.
- ``csv``: one row per input row with the best hit's columns and the number of hits (the JSON Lines
  form has them all); a bad row has its ``error`` column filled.

Rows are screened in chunks by a pool of worker processes that inherit the loaded screener by
``fork`` (nothing is copied or pickled per row), and come back in input order.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from earcheck.country import normalise_country
from earcheck.errors import InputError, UnknownCountry
from earcheck.lists import Hit
from earcheck.screening.normalise import MAX_CHARS
from earcheck.screening.screener import Screener
from earcheck.spreadsheet import csv_records, write_row

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

__all__ = [
    "CSV_COLUMNS",
    "BadRow",
    "OutputFormat",
    "Row",
    "best_hit",
    "csv_cell",
    "header_columns",
    "hit_record",
    "make_row",
    "read_rows",
    "result_line",
    "screen_row",
    "screen_rows",
]

CHUNK = 200  # rows per task sent to a worker: large enough to amortise the hand-off


class OutputFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line of the row in the input file
    id: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    id: str | None
    error: str


def read_rows(
    source: IO[bytes], path: str = "input", *, header: Sequence[str] | None = None, first_line: int = 1
) -> Iterator[Row | BadRow]:
    """The rows of a CSV file, each a ``Row`` or a ``BadRow`` saying what is wrong with it.

    A missing header column raises ``InputError`` (nothing can be read); every other problem is the
    row's own: bad UTF-8, a missing name, a name longer than is screened, an unknown country.

    ``header`` is for a part of a file (a batch partition): ``source`` then holds records only, its
    first line being line ``first_line`` of the file, and the header is the file's.
    """
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _rows(text, path, header, first_line)
    finally:
        text.detach()  # the caller owns the stream: the wrapper must not close it when collected


def header_columns(header: Sequence[str], path: str = "input") -> tuple[int, int, int | None]:
    """Where ``id``, ``name`` and (if present) ``country`` are in a header line; ``InputError`` when
    ``id`` or ``name`` is missing."""
    columns = [c.strip().lower() for c in header]
    missing = [c for c in ("id", "name") if c not in columns]
    if missing:
        raise InputError(
            f"{path}, line 1: the header lacks the column(s) {', '.join(missing)}; "
            f"expected id,name[,country], got {','.join(header)!r}"
        )
    return columns.index("id"), columns.index("name"), columns.index("country") if "country" in columns else None


def _rows(text: io.TextIOWrapper, path: str, header: Sequence[str] | None, first_line: int) -> Iterator[Row | BadRow]:
    reader = csv.reader(text)
    if header is None:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file; expected a header line with the columns id,name[,country]") from None
        except csv.Error as error:
            raise InputError(f"{path}, line 1: {error}") from None
        first_line = 1
    at_id, at_name, at_country = header_columns(header, path)
    for record in csv_records(reader, path, len(header), first_line):
        fields = record.fields
        row_id = fields[at_id].strip() if at_id < len(fields) else None
        if record.problem is not None:
            # A field of bad UTF-8 may be the id itself: shown with its bad bytes replaced.
            yield BadRow(record.line, _clean(row_id), record.problem)
            continue
        yield make_row(
            record.line, row_id, fields[at_name], fields[at_country] if at_country is not None else None, path
        )


def make_row(line: int, row_id: str | None, name: str | None, country: str | None, path: str = "input") -> Row | BadRow:
    """One row from its fields, or what is wrong with it: an empty id or name, a name longer than is
    screened, an unknown country (a blank country is none)."""
    row_id = row_id.strip() if row_id is not None else None
    name = (name or "").strip()
    if not row_id:
        return BadRow(line, None, f"{path}, line {line}: empty id")
    if not name:
        return BadRow(line, row_id, f"{path}, line {line}: empty name")
    if len(name) > MAX_CHARS:
        return BadRow(line, row_id, f"{path}, line {line}: name of {len(name)} characters (at most {MAX_CHARS})")
    code: str | None = None
    if country and country.strip():
        try:
            code = normalise_country(country.strip())
        except UnknownCountry as error:
            return BadRow(line, row_id, f"{path}, line {line}: {error}")
    return Row(line, row_id, name, code)


def _clean(text: str | None) -> str | None:
    return None if text is None else text.encode("utf-8", "replace").decode("utf-8")


def hit_record(hit: Hit) -> dict[str, Any]:
    """One hit as the JSON the CLI, the batch output and the API print."""
    status, entry = hit.status, hit.entry
    return {
        "list_id": entry.list_id,
        "name": entry.name,
        "matched_name": hit.matched_name,
        "source": entry.source,
        "score": hit.score,
        "band": hit.band.value,
        "list_code": entry.list_code.value,
        "in_force": status.in_force,
        "reason": status.reason,
        "listed_from": status.listed_from.isoformat() if status.listed_from else None,
        "footnotes": sorted(status.footnotes),
        "license_requirement": status.license_requirement,
        "license_policy": status.license_policy,
        "federal_register": list(entry.federal_register),
        "start_date": entry.start_date.isoformat() if entry.start_date else None,
        "citation": status.citation,
        "programs": list(entry.programs),
        "countries": list(entry.countries),
        "snapshot": entry.snapshot,
        "explanation": dict(hit.explanation),
        "variants": list(hit.variants),
    }


CSV_COLUMNS = (
    "id", "line", "hits", "band", "score", "list_id", "list_code", "name", "matched_name", "source",
    "in_force", "error",
)  # fmt: skip


def best_hit(row: Row | BadRow, hits: Sequence[Hit]) -> tuple[Any, ...]:
    """The ``CSV_COLUMNS`` of one row: its best hit (the first) and how many there are, or its error.
    Values are typed (``None`` where the CSV has an empty cell)."""
    if isinstance(row, BadRow):
        return (row.id or "", row.line, 0, None, None, None, None, None, None, None, None, row.error)
    if not hits:
        return (row.id, row.line, 0, None, None, None, None, None, None, None, None, None)
    best = hits[0]
    return (
        row.id, row.line, len(hits), best.band.value, best.score, best.entry.list_id, best.entry.list_code.value,
        best.entry.name, best.matched_name, best.entry.source, best.status.in_force, None,
    )  # fmt: skip


def csv_cell(value: Any) -> Any:
    """A value as the CSV output writes it: nothing for ``None``, ``true``/``false`` for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return value


def result_line(row: Row | BadRow, hits: Sequence[Hit], form: OutputFormat) -> str:
    """One row's output line (no newline), as ``earcheck screen --input`` writes it in ``form``."""
    if form is OutputFormat.JSONL:
        if isinstance(row, BadRow):
            record: dict[str, Any] = {"id": row.id, "line": row.line, "error": row.error, "matches": []}
        else:
            record = {"id": row.id, "matches": [hit_record(h) for h in hits]}
        return json.dumps(record, ensure_ascii=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="")
    write_row(writer, [csv_cell(value) for value in best_hit(row, hits)])
    return out.getvalue()


# What forked workers use: set in the parent just before the pool starts, inherited by fork.
_WORK: tuple[Screener, date, OutputFormat] | None = None


def screen_row(screener: Screener, row: Row | BadRow, as_of: date) -> tuple[Row | BadRow, list[Hit]]:
    """Screen one row; a row that fails comes back as a ``BadRow`` saying why (a bug must cost one
    row, never the batch and its other rows)."""
    if isinstance(row, BadRow):
        return row, []
    try:
        return row, screener.screen(row.name, row.country, as_of)
    except Exception as error:
        return BadRow(row.line, row.id, f"line {row.line}: could not be screened ({error!r})"), []


def _screen_chunk(chunk: list[Row | BadRow]) -> list[str]:
    assert _WORK is not None, "screen_rows sets the work before starting workers"
    screener, as_of, form = _WORK
    return [result_line(*screen_row(screener, row, as_of), form) for row in chunk]


def _chunks(rows: Iterable[Row | BadRow], size: int) -> Iterator[list[Row | BadRow]]:
    chunk: list[Row | BadRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_rows(
    screener: Screener,
    rows: Iterable[Row | BadRow],
    as_of: date,
    form: OutputFormat = OutputFormat.JSONL,
    *,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """Screen ``rows`` and yield one output line per row (without newline), in input order.

    ``processes`` defaults to the cores available; 1 screens in this process. ``progress`` is called
    with the number of rows just finished.
    """
    import multiprocessing  # here: screening one name (``earcheck screen NAME``) never needs it

    global _WORK
    processes = processes or len(os.sched_getaffinity(0))
    # A mapped index opens at once; for many rows, dictionaries answer each lookup faster.
    _WORK = (screener.in_memory(), as_of, form)
    try:
        if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for chunk in _chunks(rows, CHUNK):
                yield from _screen_chunk(chunk)
                if progress:
                    progress(len(chunk))
            return
        # A bounded window of chunks in flight: the input is read as fast as it is screened, so a
        # file of millions of rows never sits in memory (Pool.imap would queue all of it).
        window = processes * 4
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: deque[AsyncResult[list[str]]] = deque()
            for chunk in _chunks(rows, CHUNK):
                pending.append(pool.apply_async(_screen_chunk, (chunk,)))
                if len(pending) >= window:
                    lines = pending.popleft().get()
                    yield from lines
                    if progress:
                        progress(len(lines))
            while pending:
                lines = pending.popleft().get()
                yield from lines
                if progress:
                    progress(len(lines))
    finally:
        _WORK = None
