"""Input files cut into partitions: byte ranges of CSV and JSON Lines files, row ranges of Parquet.

A partition is fixed by the file and the partition size alone, so a job planned again after a crash
gets the same partitions (the plan is also kept with the checkpoint). Workers read their partitions
from the file itself: on a cluster of several machines the input must be at the same path for every
worker (a shared filesystem).

CSV records may span lines (a quoted field holding a newline), so a CSV file cannot be cut at any
newline: the client parses it once with the csv module to find where records end. A JSON Lines record
is one line. Parquet partitions are ranges of rows, read from the row groups that hold them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from earcheck.errors import InputError
from earcheck.spreadsheet import csv_records

__all__ = [
    "InputFormat",
    "Partition",
    "Plan",
    "Record",
    "Unreadable",
    "input_format",
    "plan",
    "read_bytes",
    "read_records",
]


class InputFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


_SUFFIXES = {".csv": InputFormat.CSV, ".jsonl": InputFormat.JSONL, ".ndjson": InputFormat.JSONL}
_SUFFIXES |= {".parquet": InputFormat.PARQUET, ".pq": InputFormat.PARQUET}


def input_format(path: Path) -> InputFormat:
    """The format of an input file, by its extension."""
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(f"{path}: the input must be .csv, .jsonl (JSON Lines) or .parquet, by its extension")
    return found


@dataclass(frozen=True, slots=True)
class Partition:
    number: int
    start: int  # byte offset (CSV, JSON Lines) or row index (Parquet) of its first record
    end: int  # where the next partition starts
    first_line: int  # line of the file (Parquet: 1-based row) at ``start``
    rows: int  # records in it (a CSV or JSON Lines blank line counts)


@dataclass(frozen=True, slots=True)
class Plan:
    format: InputFormat
    header: tuple[str, ...]  # the CSV header line; Parquet: the column names; JSON Lines: none
    partitions: tuple[Partition, ...]

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.partitions)


@dataclass(frozen=True, slots=True)
class Record:
    """One input record: a JSON object, a Parquet row, or a CSV row by its header's column names."""

    line: int
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that could not be read at all (bad JSON, bad UTF-8, a malformed CSV row)."""

    line: int
    id: str | None
    error: str


def plan(path: Path, rows_per_partition: int) -> Plan:
    """Cut ``path`` into partitions of about ``rows_per_partition`` records."""
    if rows_per_partition < 1:
        raise InputError("a partition holds at least one row")
    form = input_format(path)
    try:
        if form is InputFormat.PARQUET:
            return _plan_parquet(path, rows_per_partition)
        with path.open("rb") as source:
            if form is InputFormat.CSV:
                return _plan_csv(source, str(path), rows_per_partition)
            return Plan(form, (), tuple(_line_partitions(source, 0, 1, rows_per_partition)))
    except OSError as error:
        raise InputError(f"{path}: cannot read the input ({error.strerror or error})") from None


class _Lines:
    """A binary file's lines as latin-1 text for the csv module, counting the bytes handed out: after
    the csv reader returns a record, ``offset`` is where the record ends. (Latin-1 maps byte to
    character one to one, and UTF-8 never uses the bytes of quote, comma or newline inside a character,
    so the record boundaries found are those of the UTF-8 text.)"""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.offset = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.source:
            self.offset += len(raw)
            yield raw.decode("latin-1")


def _plan_csv(source: IO[bytes], path: str, size: int) -> Plan:
    lines = _Lines(source)
    reader = csv.reader(lines)
    try:
        next(reader)
    except StopIteration:
        raise InputError(f"{path}: empty file; expected a header line") from None
    except csv.Error as error:
        raise InputError(f"{path}, line 1: {error}") from None
    header_end = lines.offset
    source.seek(0)
    head_text = source.read(header_end).decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(head_text, newline="")), [])
    source.seek(header_end)
    lines.offset = header_end
    partitions: list[Partition] = []
    start, first_line, rows = header_end, 1 + reader.line_num, 0
    while True:
        try:
            next(reader)
        except StopIteration:
            break
        except csv.Error:
            # A malformed quote: the csv module cannot find the records after it. The rest of the
            # file is one partition, whose reader reports the error as the single-process one does.
            lines.offset = source.seek(0, io.SEEK_END)
            rows += 1
            break
        rows += 1
        if rows >= size:
            partitions.append(Partition(len(partitions), start, lines.offset, first_line, rows))
            start, first_line, rows = lines.offset, 1 + reader.line_num, 0
    if rows:
        partitions.append(Partition(len(partitions), start, lines.offset, first_line, rows))
    return Plan(InputFormat.CSV, tuple(header), tuple(partitions))


def _line_partitions(source: IO[bytes], offset: int, first_line: int, size: int) -> Iterator[Partition]:
    number, start, line, rows = 0, offset, first_line, 0
    for raw in source:
        offset += len(raw)
        rows += 1
        if rows >= size:
            yield Partition(number, start, offset, line, rows)
            number, start, line, rows = number + 1, offset, line + rows, 0
    if rows:
        yield Partition(number, start, offset, line, rows)


def _plan_parquet(path: Path, size: int) -> Plan:
    import pyarrow.lib
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (pyarrow.lib.ArrowException, ValueError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error})") from None
    total = metadata.num_rows
    partitions = tuple(
        Partition(number, start, min(start + size, total), start + 1, min(start + size, total) - start)
        for number, start in enumerate(range(0, total, size))
    )
    return Plan(InputFormat.PARQUET, tuple(metadata.schema.names), partitions)


def read_bytes(path: Path, partition: Partition) -> bytes:
    """The bytes of a CSV or JSON Lines partition."""
    with path.open("rb") as source:
        source.seek(partition.start)
        return source.read(partition.end - partition.start)


def read_records(path: Path, plan: Plan, partition: Partition) -> Iterator[Record | Unreadable]:
    """The records of one partition, each readable or saying why not."""
    if plan.format is InputFormat.PARQUET:
        yield from _parquet_records(path, partition)
    elif plan.format is InputFormat.JSONL:
        yield from _json_records(read_bytes(path, partition), str(path), partition.first_line)
    else:
        yield from _csv_records(read_bytes(path, partition), str(path), plan.header, partition.first_line)


def _json_records(data: bytes, path: str, first_line: int) -> Iterator[Record | Unreadable]:
    pieces = data.split(b"\n")  # the partition was cut at these newlines (not bytes.splitlines')
    if data.endswith(b"\n"):
        pieces.pop()
    for number, raw in enumerate(pieces):
        line = first_line + number
        if not raw.strip():
            continue
        try:
            value = json.loads(raw.decode("utf-8-sig" if line == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield Unreadable(line, None, f"{path}, line {line}: not valid UTF-8")
            continue
        except json.JSONDecodeError as error:
            yield Unreadable(line, None, f"{path}, line {line}: not valid JSON ({error.msg}, column {error.colno})")
            continue
        if not isinstance(value, dict):
            yield Unreadable(line, None, f"{path}, line {line}: expected a JSON object, got {type(value).__name__}")
            continue
        yield Record(line, value)


def _csv_records(data: bytes, path: str, header: tuple[str, ...], first_line: int) -> Iterator[Record | Unreadable]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape", newline="")
    columns = [c.strip() for c in header]
    for record in csv_records(csv.reader(text), path, len(columns), first_line):
        if record.problem is not None:
            yield Unreadable(record.line, None, record.problem)
        else:
            yield Record(record.line, dict(zip(columns, record.fields, strict=True)))


def _parquet_records(path: Path, partition: Partition) -> Iterator[Record | Unreadable]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    metadata = source.metadata
    groups, first_row, row = [], None, 0
    for group in range(metadata.num_row_groups):
        count = metadata.row_group(group).num_rows
        if row + count > partition.start and row < partition.end:
            groups.append(group)
            first_row = row if first_row is None else first_row
        row += count
    if not groups or first_row is None:
        return
    table: pa.Table = source.read_row_groups(groups)
    table = table.slice(partition.start - first_row, partition.end - partition.start)
    for number, fields in enumerate(table.to_pylist()):
        # A Parquet null is a value not given: left out, so that a case field read from a null is
        # unknown (as when omitted from a case file), never an empty list or a "no".
        yield Record(partition.start + 1 + number, _without_nulls(fields))


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
