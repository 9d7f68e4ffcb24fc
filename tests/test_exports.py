"""XLSX cells: text kept exact and never a formula; a control character XML cannot carry is written as a
visible escape rather than crashing the export (a fuzzed party name once did)."""

from __future__ import annotations

import io

import openpyxl

from earcheck.exports import xlsx_bytes


def test_control_characters_become_visible_escapes_and_formulas_stay_text() -> None:
    data = xlsx_bytes("parties", ["name"], [["Acme\x07 GmbH"], ["=HYPERLINK(1)"], [7]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert [c.value for c in sheet["A"]] == ["name", "Acme\\x07 GmbH", "=HYPERLINK(1)", 7]
    assert sheet["A3"].data_type == "s"
