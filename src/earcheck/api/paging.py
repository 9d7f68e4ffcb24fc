"""Pagination for every list the API returns: ``limit`` and an opaque ``cursor``.

A response is ``{"items": [...], "next_cursor": "..."}``; pass ``next_cursor`` back as ``cursor``
for the next page, until it is ``null``. The cursor encodes the key of the last item seen
(keyset pagination): pages stay consistent while new records are added.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from earcheck.errors import FieldError, RecordError
from earcheck.records.pages import MAX_PAGE, Page

__all__ = ["Cursor", "Limit", "Listing", "decode_cursor", "encode_cursor", "listing"]

T = TypeVar("T")
R = TypeVar("R")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Cursor = Annotated[
    str | None, Query(max_length=100, description="next_cursor from the previous page; omit for the first")
]

_MAX_KEY = 2**62


def encode_cursor(key: int | None) -> str | None:
    if key is None:
        return None
    return base64.urlsafe_b64encode(f"k{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("k") or not text[1:].isdigit():
            raise ValueError(text)
        key = int(text[1:])
        if key > _MAX_KEY:
            raise ValueError(text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise RecordError("invalid page request", [FieldError("cursor", "not a cursor this API gave out")]) from None
    return key


class Listing(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null on the last page")


def listing(page: Page[R], out: Callable[[R], T]) -> Listing[T]:
    """A page of records as the API returns it, each record turned into its response by ``out``."""
    return Listing(items=[out(x) for x in page.items], next_cursor=encode_cursor(page.next_after))
