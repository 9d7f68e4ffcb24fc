"""Opening an official file, decoding it, and walking its CSV records with their line numbers.

Every adapter reads through here, so every adapter treats a missing file, a folder, an empty file,
bytes in the wrong encoding and a truncated CSV the same way: as a ``SourceFormatError`` naming the
file, the line (as an editor counts them) and the field.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from earcheck.errors import SourceFormatError
from earcheck.sources.report import ParseReport

__all__ = [
    "BadRows",
    "CsvRecord",
    "CsvRecords",
    "check_header",
    "decode_utf8",
    "decode_utf8_strict",
    "headed_csv",
    "read_file",
    "snapshot_id",
    "stamp",
    "valid_utf8",
]

T = TypeVar("T")


def read_file(path: Path) -> bytes:
    """The file's bytes; a missing path, a folder or an empty file is a ``SourceFormatError``."""
    if not path.exists():
        raise SourceFormatError(path, "no such file")
    if path.is_dir():
        raise SourceFormatError(path, "is a folder; expected an official list or table file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceFormatError(path, f"cannot read the file: {error.strerror or error}") from error
    if not data.strip():
        raise SourceFormatError(path, "empty file")
    return data


def snapshot_id(data: bytes) -> str:
    """How the store names an imported file: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def stamp(
    path: Path, data: bytes, as_of: date | None, snapshot: str | None, report: ParseReport | None
) -> tuple[str, date]:
    """The (snapshot, snapshot_date) a list adapter puts on its entries.

    Without an ``as_of``, today's date is used, as ``earcheck data import`` records an undated file,
    and the report says so.
    """
    if as_of is None:
        as_of = date.today()
        if report is not None:
            report.warn(f"{path}: no as-of date given; recorded as today, {as_of}")
    return snapshot or snapshot_id(data), as_of


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8, dropping a byte-order mark. Bytes that are not UTF-8 are kept as lone surrogates
    (``surrogateescape``) so that ``valid_utf8`` can name the row and field they are in."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data.decode("utf-8", errors="surrogateescape")


def decode_utf8_strict(data: bytes, path: Path) -> str:
    """Decode a UTF-8 file that is read whole (JSON), naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceFormatError(
            path,
            f"not valid UTF-8 (byte 0x{data[error.start]:02X}): this file must be UTF-8; re-save it as UTF-8",
            line=line,
        ) from None


_ESCAPED = re.compile("[\udc80-\udcff]")


def valid_utf8(value: str, path: Path, line: int, field: str) -> None:
    """Raise if ``value`` holds bytes that were not UTF-8 (see ``decode_utf8``)."""
    bad = _ESCAPED.search(value)
    if bad:
        byte = ord(bad.group()) - 0xDC00
        raise SourceFormatError(
            path,
            f"not valid UTF-8 (byte 0x{byte:02X}): this file must be UTF-8, and looks like it was saved "
            "in another encoding (Latin-1 or Windows-1252?); re-save it as UTF-8",
            line=line,
            field=field,
        )


class BadRows:
    """What to do with a row that cannot be read: raise (strict) or record it in the report (lenient)."""

    def __init__(self, strict: bool, report: ParseReport | None) -> None:
        if not strict and report is None:
            raise TypeError("lenient parsing needs a ParseReport to collect the rows it skips")
        self.strict = strict
        self.report = report

    def handle(self, error: SourceFormatError, text: str | None = None) -> None:
        if self.strict or self.report is None:
            raise error
        self.report.skip(error, text)

    def warn_or_raise(self, error: SourceFormatError) -> None:
        """A file-level problem that lenient mode can read past (an unknown column): a warning then."""
        if self.strict or self.report is None:
            raise error
        self.report.warn(str(error))


@dataclass(frozen=True, slots=True)
class CsvRecord:
    line: int  # first line of the record (a quoted field may span several)
    last_line: int
    fields: list[str]


class CsvRecords:
    """The records of a CSV text, each with its line numbers; a malformed record goes to ``bad``."""

    def __init__(self, text: str, path: Path, bad: BadRows) -> None:
        self.path = path
        self.bad = bad
        # Split as csv expects (newline=""): quoted fields keep their own line breaks.
        self.lines = list(io.StringIO(text, newline=""))

    def text(self, first: int, last: int) -> str:
        """The file's text from line ``first`` to ``last`` (1-based, inclusive)."""
        return "".join(self.lines[first - 1 : last])

    def __iter__(self) -> Iterator[CsvRecord]:
        reader = csv.reader(self.lines, strict=True)
        while True:
            first = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                last = reader.line_num
                self.bad.handle(
                    SourceFormatError(self.path, self._describe(error, first, last), line=first),
                    self.text(first, last),
                )
                continue
            if fields:  # a blank line holds no record
                yield CsvRecord(first, reader.line_num, fields)

    def _describe(self, error: csv.Error, first: int, last: int) -> str:
        message = str(error)
        if "unexpected end of data" in message:
            return (
                f"a quoted field opened on line {first} is never closed (lines {first}-{last} unread): "
                "the file looks truncated"
            )
        if "field larger than field limit" in message:
            return f"a field from line {first} runs on for too long: probably an unclosed quote"
        return f"malformed CSV: {message}"


def check_header(
    header: Sequence[str],
    *,
    path: Path,
    known: Sequence[str],
    required: Sequence[str],
    bad: BadRows,
    what: str,
) -> None:
    """Check a CSV header against the official columns, naming the ones missing or unknown.

    Duplicate and missing required columns make the file unreadable in any mode. Other missing
    columns and unknown columns fail in strict mode; lenient mode reads on (unknown columns are kept
    in each record's ``raw``) with a warning.
    """
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise SourceFormatError(path, f"column {name!r} appears twice in the header", line=1, field=name)
        seen.add(name)
    missing_required = [name for name in required if name not in seen]
    if missing_required:
        raise SourceFormatError(
            path,
            f"not a {what}: required column(s) missing: {', '.join(missing_required)}",
            line=1,
            field=missing_required[0],
        )
    missing = [name for name in known if name not in seen]
    if missing:
        bad.warn_or_raise(
            SourceFormatError(
                path,
                f"column(s) of the {what} missing: {', '.join(missing)} (read them as empty with --lenient)",
                line=1,
                field=missing[0],
            )
        )
    unknown = [name for name in header if name not in known]
    if unknown:
        bad.warn_or_raise(
            SourceFormatError(
                path,
                f"unknown column(s), not in the {what}: {', '.join(unknown)} "
                "(with --lenient they are kept in each record's raw text only)",
                line=1,
                field=unknown[0],
            )
        )


def headed_csv(
    path: Path,
    *,
    known: Sequence[str],
    required: Sequence[str],
    what: str,
    bad: BadRows,
    report: ParseReport | None,
    convert: Callable[[dict[str, str], int], Iterable[T]],
    data: bytes | None = None,
) -> Iterator[T]:
    """Read a UTF-8 CSV file with a header row, converting each row (a column -> value mapping).

    The file and its header are checked at once; the rows as they are iterated. A row of the wrong
    length, with bytes that are not UTF-8, or that ``convert`` rejects with a ``SourceFormatError``
    goes to ``bad`` with its text. ``report.records`` counts what was yielded.
    """
    data = read_file(path) if data is None else data
    rows = CsvRecords(decode_utf8(data), path, bad)
    records = iter(rows)
    first = next(records, None)
    if first is None:
        raise SourceFormatError(path, f"no header: expected the {what} columns")
    header = [name.strip() for name in first.fields]
    for column in header:
        valid_utf8(column, path, first.line, column)
    check_header(header, path=path, known=known, required=required, bad=bad, what=what)
    return _converted(rows, records, header, bad, report, convert)


def _converted(
    rows: CsvRecords,
    records: Iterator[CsvRecord],
    header: list[str],
    bad: BadRows,
    report: ParseReport | None,
    convert: Callable[[dict[str, str], int], Iterable[T]],
) -> Iterator[T]:
    path = rows.path
    for record in records:
        try:
            fields = record.fields
            if len(fields) != len(header):
                short = len(fields) < len(header)
                raise SourceFormatError(
                    path,
                    f"row has {len(fields)} fields, the header has {len(header)}"
                    + (" (the file may be truncated)" if short else ""),
                    line=record.line,
                    field=header[len(fields)] if short else None,
                )
            row = dict(zip(header, fields, strict=True))
            for name, value in row.items():
                valid_utf8(value, path, record.line, name)
            converted = list(convert(row, record.line))
        except SourceFormatError as error:
            bad.handle(error, rows.text(record.line, record.last_line))
            continue
        if report is not None:
            report.records += len(converted)
        yield from converted
