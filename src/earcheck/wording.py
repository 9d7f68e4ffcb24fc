"""Validation problems in plain words. pydantic words its problems for programmers ("Value should have
at least 1 item after validation", "Input should be a valid number, unable to parse string as a number");
a compliance officer reads "needs at least 1 item" and "is not a number". The messages of earcheck's own
validators (country codes, ECCNs, dates) are already written for people and pass through unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["plain_message"]


def _count(n: Any, noun: str) -> str:
    number = f"{n:,}" if isinstance(n, int) else str(n)
    return f"{number} {noun}" if n == 1 else f"{number} {noun}s"


def plain_message(detail: Mapping[str, Any]) -> str:
    """The words for one problem of ``ValidationError.errors()`` (or ``RequestValidationError.errors()``)."""
    kind = str(detail.get("type", ""))
    ctx: Mapping[str, Any] = detail.get("ctx") or {}
    message = str(detail.get("msg", "is not valid")).removeprefix("Value error, ")
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return (
            "is empty" if ctx.get("min_length") == 1 else f"needs at least {_count(ctx.get('min_length'), 'character')}"
        )
    if kind == "string_too_long":
        return f"at most {_count(ctx.get('max_length'), 'character')}"
    if kind == "too_short":
        return f"needs at least {_count(ctx.get('min_length'), 'item')}"
    if kind == "too_long":
        return f"at most {_count(ctx.get('max_length'), 'item')}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "decimal_parsing", "decimal_type"):
        return "is not a number"
    if kind == "finite_number":
        return "is not a finite number"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most",
                "less_than": "less than"}[kind]  # fmt: skip
        limit = next(iter(ctx.values()), "")
        return f"must be {word} {limit}"
    if kind in ("bool_parsing", "bool_type"):
        return "must be true or false (yes or no)"
    if kind == "enum" or kind == "literal_error":
        return f"must be one of {ctx.get('expected', 'the listed values')}"
    if kind in ("string_type", "string_unicode"):
        return "must be text"
    if kind in ("dict_type", "dataclass_type", "model_type", "model_attributes_type", "dataclass_exact_type"):
        return "must be a set of named fields"
    if kind in ("tuple_type", "list_type", "iterable_type", "set_type", "frozen_set_type"):
        return "must be a list"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown field"
    if kind.startswith("date"):  # date_parsing, date_from_datetime_inexact, datetime_type, ...
        return "is not a date: write it as YYYY-MM-DD"
    if kind == "json_invalid":
        return "is not valid JSON"
    return message
