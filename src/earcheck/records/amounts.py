"""Money and quantities, exactly: ``Decimal`` outside, integers inside.

A licence's value limit is in US dollars and cents; a quantity may be a count or a measure ("12.5
kg"), to three decimal places. Both are stored as integers (cents, thousandths) so that the drawdown
arithmetic in SQL is exact on every database, and neither ever becomes a float.
"""

from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation, Overflow

from earcheck.errors import InvalidAmount

__all__ = ["MAX_CENTS", "MAX_MILLI", "from_cents", "from_milli", "to_cents", "to_milli"]

# Both bounds stay well inside a signed 64-bit column even after a line's running total.
MAX_CENTS = 10**17  # one quadrillion dollars
MAX_MILLI = 10**17

# Checked on the number as written, before any arithmetic: "1e999990" is a valid Decimal whose integer
# has a million digits (seconds of work to build), and "1e999999" overflows the default context. No
# amount earcheck stores has more than MAX_DIGITS significant digits or a power of ten beyond these.
MAX_DIGITS = 30
MAX_EXPONENT = 20  # 10**20 is far above MAX_CENTS dollars and MAX_MILLI units
MIN_EXPONENT = -30
# Wide enough that scaling a number within the bounds above is exact, and any signal is an error.
_EXACT = Context(prec=2 * MAX_DIGITS, traps=[InvalidOperation, Overflow])


def _scaled(amount: Decimal | int | str, places: int, upper: int, what: str) -> int:
    if isinstance(amount, str) and len(amount) > 2 * MAX_DIGITS:
        raise InvalidAmount(f"{what} is longer than {2 * MAX_DIGITS} characters")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount(f"{what} {str(amount)[:40]!r} is not a number") from None
    if not value.is_finite():
        raise InvalidAmount(f"{what} must be a finite number, not {amount!r}")
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if value.is_signed() and not value.is_zero():
        raise InvalidAmount(f"{what} {value:.6g} is negative")
    if not value.is_zero() and value.adjusted() > MAX_EXPONENT:
        raise InvalidAmount(f"{what} {value:.6g} is too large")
    if len(digits) > MAX_DIGITS or exponent < MIN_EXPONENT:
        raise InvalidAmount(f"{what} has more than {places} decimal places or {MAX_DIGITS} digits")
    scaled = value.scaleb(places, context=_EXACT)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(f"{what} {amount} has more than {places} decimal places")
    result = int(scaled)
    if result < 0:
        raise InvalidAmount(f"{what} {amount} is negative")
    if result > upper:
        raise InvalidAmount(f"{what} {amount} is too large")
    return result


def to_cents(amount: Decimal | int | str) -> int:
    """US dollars (``Decimal("1234.50")``) to integer cents; refuses fractions of a cent."""
    return _scaled(amount, 2, MAX_CENTS, "amount")


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def to_milli(quantity: Decimal | int | str) -> int:
    """A quantity to integer thousandths of its unit; refuses more than three decimal places."""
    return _scaled(quantity, 3, MAX_MILLI, "quantity")


def from_milli(milli: int) -> Decimal:
    value = Decimal(milli).scaleb(-3)
    # Shown as "12" or "12.5", not "12.000".
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
