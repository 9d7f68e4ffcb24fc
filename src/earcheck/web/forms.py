"""Reading the UI's forms. Every field arrives as text; a field that is missing reads as empty, and a
table of rows arrives as one list per column (``party_name``, ``party_country``, ...)."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData

from earcheck.errors import FieldError
from earcheck.records.idempotency import IdempotencyKey
from earcheck.records.keys import Actor

__all__ = [
    "IDEMPOTENCY_FIELD",
    "MAX_NUMBER_TEXT",
    "column",
    "form_key",
    "new_form_key",
    "number",
    "text",
    "whole_number",
]

# A form that records something carries a fresh key in this hidden field, so that sending it twice
# (a double click, a reload after a lost response) records it once (earcheck.records.idempotency).
IDEMPOTENCY_FIELD = "idempotency_key"
MAX_NUMBER_TEXT = 40  # "1,000,000,000,000.000" and then some; longer is no amount anyone types


def text(form: FormData, name: str) -> str:
    """The field ``name``, trimmed."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def column(form: FormData, name: str) -> list[str]:
    """Every value of the field ``name`` (one per table row), trimmed."""
    return [v.strip() if isinstance(v, str) else "" for v in form.getlist(name)]


def number(value: str, field: str, problems: list[FieldError]) -> Decimal:
    """An amount as typed ("1,250.00", "$1,250"); a problem is added to ``problems`` (and 0 returned)
    when it is not a finite number. Only its text is read here; ``earcheck.records.amounts`` bounds its
    size and precision before any arithmetic."""
    if len(value) > MAX_NUMBER_TEXT:
        problems.append(FieldError(field, f"longer than {MAX_NUMBER_TEXT} characters: not an amount"))
        return Decimal(0)
    try:
        amount = Decimal(value.replace(",", "").replace("$", ""))
        if not amount.is_finite():
            raise InvalidOperation(value)
        return amount
    except (InvalidOperation, ValueError):
        problems.append(FieldError(field, f"{value!r} is not a number" if value else "is required"))
        return Decimal(0)


def whole_number(value: str, upper: int) -> int | None:
    """A record's or a line's number as typed: ASCII digits only (``"²".isdigit()`` is true, but ``int("²")`` fails),
    from 1 to ``upper``; ``None`` when it is not one."""
    if not (value.isascii() and value.isdecimal() and len(value) <= len(str(upper))):
        return None
    number_ = int(value)
    return number_ if 1 <= number_ <= upper else None


def new_form_key() -> str:
    """The hidden ``IDEMPOTENCY_FIELD`` value of a form shown once."""
    return uuid.uuid4().hex


def form_key(form: FormData, actor: Actor, operation: str) -> IdempotencyKey | None:
    """The form's idempotency key, bound to what the form says (every field but the CSRF token and the
    key itself), or ``None`` for a form sent without one."""
    key = text(form, IDEMPOTENCY_FIELD)
    if not key:
        return None
    fields = sorted(
        (k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in ("csrf", IDEMPOTENCY_FIELD)
    )
    return IdempotencyKey.of(actor, key, operation, fields)
