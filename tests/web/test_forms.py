"""Reading the UI's forms: trimmed text, table columns, amounts as people type them."""

from __future__ import annotations

from decimal import Decimal

from starlette.datastructures import FormData

from earcheck.errors import FieldError
from earcheck.web.forms import column, number, text

FORM = FormData([("name", "  Huawei  "), ("line", " 1"), ("line", ""), ("line", "2 ")])


def test_text_is_trimmed_and_a_missing_field_is_empty() -> None:
    assert text(FORM, "name") == "Huawei"
    assert text(FORM, "country") == ""


def test_a_column_has_one_trimmed_value_per_row() -> None:
    assert column(FORM, "line") == ["1", "", "2"]
    assert column(FORM, "quantity") == []


def test_amounts_are_read_as_typed_and_problems_are_listed() -> None:
    problems: list[FieldError] = []
    assert number("$1,250.50", "items[0].value", problems) == Decimal("1250.50")
    assert number("12.5", "items[0].quantity", problems) == Decimal("12.5")
    assert problems == []
    assert number("", "items[1].value", problems) == 0
    assert number("lots", "items[1].quantity", problems) == 0
    assert number("Infinity", "items[2].value", problems) == 0
    assert problems == [
        FieldError("items[1].value", "is required"),
        FieldError("items[1].quantity", "'lots' is not a number"),
        FieldError("items[2].value", "'Infinity' is not a number"),
    ]
