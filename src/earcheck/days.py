"""Dates as earcheck accepts them: written ``YYYY-MM-DD``, and within a range it can answer for.

A date arrives as text (a case file, a form, a JSON body, a query string). Left to itself pydantic
also reads a number as a Unix time, so ``as_of: 0`` became 1970-01-01 and ``"0"`` did too; and a
date in year 9999 reaches date arithmetic that overflows. Here a date is an ISO 8601 calendar date
(or a ``date`` a program passes) and nothing else, and it must fall in a documented range:

=================  ==========================  =====================================================
what               range                       why
=================  ==========================  =====================================================
case dates         1900-01-01 to 2199-12-31    ``as_of``, ``shipped_on``, ``production_started``,
                                               screening dates: far wider than any rule earcheck
                                               holds (from 2019), narrow enough for date arithmetic
record dates       1980-01-01 to 2099-12-31    licence validity and shipment dates: a licence
                                               earcheck records was issued under the Export
                                               Administration Act of 1979 or its successor (ECRA,
                                               2018), and none runs past this century; outside,
                                               a date is a typo (``0205-06-01``) or hostile
=================  ==========================  =====================================================
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from earcheck.errors import FieldError

__all__ = [
    "CASE_DATES",
    "RECORD_DATES",
    "CaseDate",
    "DateRange",
    "RecordDate",
    "iso_date",
    "parse_iso_date",
]

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateRange:
    """The first and last day accepted for one kind of date."""

    def __init__(self, first: date, last: date, what: str) -> None:
        self.first, self.last, self.what = first, last, what

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def problem(self, day: date, field: str) -> FieldError | None:
        """What is wrong with ``day`` as the value of ``field``, if anything."""
        if day in self:
            return None
        return FieldError(field, self.message(day))

    def message(self, day: date) -> str:
        return f"{day.isoformat()} is outside the range of {self.what} ({self.first} to {self.last})"

    def check(self, day: date) -> date:
        """``day``, or a ``ValueError`` (which pydantic reports against its field)."""
        if day not in self:
            raise ValueError(self.message(day))
        return day


CASE_DATES = DateRange(date(1900, 1, 1), date(2199, 12, 31), "case dates")
RECORD_DATES = DateRange(date(1980, 1, 1), date(2099, 12, 31), "licence and shipment dates")


def parse_iso_date(text: str) -> date:
    """``YYYY-MM-DD`` to a date; a ``ValueError`` that says what is wrong otherwise."""
    if not _ISO.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None


def iso_date(value: Any) -> date:
    """What a date field accepts: a ``date`` (not a ``datetime``) or its ``YYYY-MM-DD`` text. Numbers
    are refused rather than read as seconds since 1970."""
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str):
        return parse_iso_date(value.strip())
    raise ValueError("a date is written YYYY-MM-DD (as text), not as a number")


CaseDate = Annotated[date, BeforeValidator(iso_date), AfterValidator(CASE_DATES.check)]
"""A date in a case or a screening request: ``YYYY-MM-DD``, within ``CASE_DATES``."""
RecordDate = Annotated[date, BeforeValidator(iso_date), AfterValidator(RECORD_DATES.check)]
"""A licence validity or shipment date: ``YYYY-MM-DD``, within ``RECORD_DATES``."""
