"""CSV files as people's spreadsheets write and read them: cells that a spreadsheet will show as text,
never run as a formula, and the records of a CSV file read one by one, each readable or saying why not.

A name screened, an entry's alias or a reference typed by someone else can begin with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return; Excel, LibreOffice and Google Sheets read such a cell as a
formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``) when the CSV is opened. OWASP's advice for CSV
injection is followed: such a text cell is written with a leading single quote, which the spreadsheet
shows as text and does not run. Numbers earcheck writes itself are left as numbers.

Every CSV input (``earcheck screen --input``, the partitions of ``earcheck batch``) is read by
``csv_records``, so that a file reads the same whichever command is given it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["FORMULA_STARTS", "CsvReader", "CsvRecord", "RowWriter", "csv_records", "safe_cell", "write_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell: object) -> object:
    """``cell``, with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class RowWriter(Protocol):
    """What ``csv.writer`` returns."""

    def writerow(self, row: Iterable[Any], /) -> Any: ...


def write_row(writer: RowWriter, row: Iterable[object]) -> None:
    """``writer.writerow(row)`` with every cell made safe: every CSV export writes its rows here."""
    writer.writerow([safe_cell(cell) for cell in row])


class CsvReader(Protocol):
    """What ``csv.reader`` returns."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class CsvRecord:
    line: int  # 1-based line of the file where the record starts
    fields: list[str]  # as read (those that could be read when ``problem`` is set)
    problem: str | None = None  # why the record cannot be used, with the file and line


def csv_records(reader: CsvReader, path: str, width: int, first_line: int) -> Iterator[CsvRecord]:
    """The records ``reader`` reads after the header, ``width`` fields each; blank lines are skipped.

    ``first_line`` is the file's line at which ``reader`` started (1 for a whole file, whose header
    it has read; a partition's first line otherwise). A record of bad UTF-8 (read with
    ``errors="surrogateescape"``) or of another width is a problem of its own; a malformed quote ends
    the reading, since the csv module cannot find where the next record starts.
    """
    while True:
        line = first_line + reader.line_num
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield CsvRecord(line, [], f"{path}, line {line}: {error}")
            return
        if not fields:
            continue
        if any("\udc80" <= ch <= "\udcff" for field in fields for ch in field):
            yield CsvRecord(line, fields, f"{path}, line {line}: not valid UTF-8")
        elif len(fields) != width:
            yield CsvRecord(line, fields, f"{path}, line {line}: {len(fields)} fields where the header has {width}")
        else:
            yield CsvRecord(line, fields)
