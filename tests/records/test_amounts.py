from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earcheck.errors import InvalidAmount
from earcheck.records.amounts import MAX_CENTS, from_cents, from_milli, to_cents, to_milli


@pytest.mark.parametrize(
    ("text", "cents"), [("0", 0), ("0.01", 1), ("1234.5", 123450), ("1234.50", 123450), ("1e3", 100000)]
)
def test_dollars_become_exact_cents(text: str, cents: int) -> None:
    assert to_cents(Decimal(text)) == cents
    assert to_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("0.001", "more than 2 decimal places"),
        ("-1", "negative"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("abc", "not a number"),
        (str(MAX_CENTS), "too large"),
    ],
)
def test_amounts_that_are_not_money_are_refused(text: str, why: str) -> None:
    with pytest.raises(InvalidAmount, match=why):
        to_cents(text)


def test_quantities_keep_three_decimals_and_print_plainly() -> None:
    assert to_milli("12.5") == 12500
    assert str(from_milli(12500)) == "12.5"
    assert str(from_milli(12000)) == "12"
    assert str(from_cents(123450)) == "1234.50"
    with pytest.raises(InvalidAmount, match="3 decimal places"):
        to_milli("0.0001")


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_cents_round_trip(cents: int) -> None:
    assert to_cents(from_cents(cents)) == cents


@given(st.integers(min_value=0, max_value=10**17))
def test_thousandths_round_trip(milli: int) -> None:
    assert to_milli(from_milli(milli)) == milli
