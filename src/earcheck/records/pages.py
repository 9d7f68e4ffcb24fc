"""One page of a list, for keyset pagination: every list of records is read a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["MAX_PAGE", "Page"]

T = TypeVar("T")

MAX_PAGE = 500  # the largest page any list hands out


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """``items`` in the list's order; ``next_after`` is the key to pass as ``after`` for the next
    page, or ``None`` on the last page."""

    items: tuple[T, ...]
    next_after: int | None = None
