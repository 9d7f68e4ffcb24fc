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
from earcheck.spreadsheet import write_row

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

__all__ = [
    "CSV_COLUMNS",
    "BadRow",
    "OutputFormat",
    "Row",
    "hit_record",
    "read_rows",
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


def read_rows(source: IO[bytes], path: str = "input") -> Iterator[Row | BadRow]:
    """The rows of a CSV file, each a ``Row`` or a ``BadRow`` saying what is wrong with it.

    A missing header column raises ``InputError`` (nothing can be read); every other problem is the
    row's own: bad UTF-8, a missing name, a name longer than is screened, an unknown country.
    """
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _rows(text, path)
    finally:
        text.detach()  # the caller owns the stream: the wrapper must not close it when collected


def _rows(text: io.TextIOWrapper, path: str) -> Iterator[Row | BadRow]:
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: empty file; expected a header line with the columns id,name[,country]") from None
    except csv.Error as error:
        raise InputError(f"{path}, line 1: {error}") from None
    columns = [c.strip().lower() for c in header]
    missing = [c for c in ("id", "name") if c not in columns]
    if missing:
        raise InputError(
            f"{path}, line 1: the header lacks the column(s) {', '.join(missing)}; "
            f"expected id,name[,country], got {','.join(header)!r}"
        )
    at_id, at_name = columns.index("id"), columns.index("name")
    at_country = columns.index("country") if "country" in columns else None
    width = len(columns)
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield BadRow(line, None, f"{path}, line {line}: {error}")
            return  # the csv module cannot resynchronise after a malformed quote
        if not fields:
            continue  # a blank line is no row
        row_id = fields[at_id].strip() if at_id < len(fields) else None
        if any("\udc80" <= ch <= "\udcff" for field in fields for ch in field):
            yield BadRow(line, _clean(row_id), f"{path}, line {line}: not valid UTF-8")
            continue
        if len(fields) != width:
            yield BadRow(line, row_id, f"{path}, line {line}: {len(fields)} fields where the header has {width}")
            continue
        name = fields[at_name].strip()
        if not row_id:
            yield BadRow(line, None, f"{path}, line {line}: empty id")
            continue
        if not name:
            yield BadRow(line, row_id, f"{path}, line {line}: empty name")
            continue
        if len(name) > MAX_CHARS:
            yield BadRow(line, row_id, f"{path}, line {line}: name of {len(name)} characters (at most {MAX_CHARS})")
            continue
        country: str | None = None
        raw_country = fields[at_country].strip() if at_country is not None else ""
        if raw_country:
            try:
                country = normalise_country(raw_country)
            except UnknownCountry as error:
                yield BadRow(line, row_id, f"{path}, line {line}: {error}")
                continue
        yield Row(line, row_id, name, country)


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


def _format(row: Row | BadRow, hits: Sequence[Hit], form: OutputFormat) -> str:
    if form is OutputFormat.JSONL:
        if isinstance(row, BadRow):
            record: dict[str, Any] = {"id": row.id, "line": row.line, "error": row.error, "matches": []}
        else:
            record = {"id": row.id, "matches": [hit_record(h) for h in hits]}
        return json.dumps(record, ensure_ascii=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="")
    if isinstance(row, BadRow):
        write_row(writer, [row.id or "", row.line, 0, "", "", "", "", "", "", "", "", row.error])
    elif not hits:
        write_row(writer, [row.id, row.line, 0, "", "", "", "", "", "", "", "", ""])
    else:
        best = hits[0]
        in_force = "" if best.status.in_force is None else str(best.status.in_force).lower()
        write_row(
            writer,
            [row.id, row.line, len(hits), best.band.value, best.score, best.entry.list_id,
             best.entry.list_code.value, best.entry.name, best.matched_name, best.entry.source,
             in_force, ""]
        )  # fmt: skip
    return out.getvalue()


# What forked workers use: set in the parent just before the pool starts, inherited by fork.
_WORK: tuple[Screener, date, OutputFormat] | None = None


def _screen_chunk(chunk: list[Row | BadRow]) -> list[str]:
    assert _WORK is not None, "screen_rows sets the work before starting workers"
    screener, as_of, form = _WORK
    lines = []
    for row in chunk:
        if isinstance(row, BadRow):
            lines.append(_format(row, (), form))
            continue
        try:
            hits = screener.screen(row.name, row.country, as_of)
        except Exception as error:  # a bug must cost one row, never the batch and its other rows
            bad = BadRow(row.line, row.id, f"line {row.line}: could not be screened ({error!r})")
            lines.append(_format(bad, (), form))
            continue
        lines.append(_format(row, hits, form))
    return lines


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
