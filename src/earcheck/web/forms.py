"""Reading the UI's forms. Every field arrives as text; a field that is missing reads as empty, and a
table of rows arrives as one list per column (``party_name``, ``party_country``, ...)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData

from earcheck.errors import FieldError

__all__ = ["column", "number", "text"]


def text(form: FormData, name: str) -> str:
    """The field ``name``, trimmed."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def column(form: FormData, name: str) -> list[str]:
    """Every value of the field ``name`` (one per table row), trimmed."""
    return [v.strip() if isinstance(v, str) else "" for v in form.getlist(name)]


def number(value: str, field: str, problems: list[FieldError]) -> Decimal:
    """An amount as typed ("1,250.00", "$1,250"); a problem is added to ``problems`` (and 0 returned)
    when it is not a finite number."""
    try:
        amount = Decimal(value.replace(",", "").replace("$", ""))
        if not amount.is_finite():
            raise InvalidOperation(value)
        return amount
    except (InvalidOperation, ValueError):
        problems.append(FieldError(field, f"{value!r} is not a number" if value else "is required"))
        return Decimal(0)
