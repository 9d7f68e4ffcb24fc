"""Issue 14 item 9: CSV cells that begin with ``=``, ``+``, ``-``, ``@``, tab or carriage return are
written with a leading ``'`` (OWASP, "CSV Injection"), so a spreadsheet shows them and runs nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from earcheck.screening.batch import CSV_COLUMNS, OutputFormat, read_rows, screen_rows
from earcheck.screening.screener import Screener
from earcheck.spreadsheet import safe_cell


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_starts_are_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Huawei", "1-P", " =x", "", 0.97, 3, "'already"])
def test_other_cells_are_left_alone(cell: object) -> None:
    assert safe_cell(cell) == cell


def test_screen_csv_output_neutralises_user_cells(screener: Screener) -> None:
    text = "id,name,country\n\"=cmd|' /C calc'!A0\",Huawei Technologies,CN\n@x,Nobody Inc,US\n-3,,US\n"
    rows = list(read_rows(io.BytesIO(text.encode()), "names.csv"))
    out = list(screen_rows(screener, rows, date(2026, 8, 1), OutputFormat.CSV, processes=1))
    parsed = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in csv.reader(out)]
    assert [r["id"] for r in parsed] == ["'=cmd|' /C calc'!A0", "'@x", "'-3"]
    assert parsed[0]["list_id"] == "huawei"  # the hit itself is unchanged
    assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for r in parsed for v in r.values())
