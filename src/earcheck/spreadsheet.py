"""CSV cells that a spreadsheet will show as text, never run as a formula.

A name screened, an entry's alias or a reference typed by someone else can begin with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return; Excel, LibreOffice and Google Sheets read such a cell as a
formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``) when the CSV is opened. OWASP's advice for CSV
injection is followed: such a text cell is written with a leading single quote, which the spreadsheet
shows as text and does not run. Numbers earcheck writes itself are left as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["FORMULA_STARTS", "RowWriter", "safe_cell", "write_row"]

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
