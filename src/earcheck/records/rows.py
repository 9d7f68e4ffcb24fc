"""Reading and writing the rows of the records tables, the same way for every kind of record.

- ``insert_row``: one new row, and the id the database gave it.
- ``read_page``: one page of a list, by keyset pagination: the rows before (or after) the last key
  seen, one more than the page holds, so that the page knows whether another follows.
- ``children``: the rows that belong to a page's records (parties, item lines, status changes), read
  in one query per table rather than one per record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa

from earcheck.records.pages import Page

__all__ = ["children", "insert_row", "read_page"]

T = TypeVar("T")


def insert_row(connection: sa.Connection, table: sa.Table, **values: Any) -> int:
    """Insert one row into ``table`` and return its ``id``."""
    return int(connection.execute(_insert_returning_id(table), values).scalar_one())


@cache
def _insert_returning_id(table: sa.Table) -> sa.Insert:
    # One statement per table, the values bound at execution: building the statement anew for every
    # row cost more (SQLAlchemy's construction and cache key) than the database took to insert it.
    return sa.insert(table).returning(table.c.id)


def read_page(
    connection: sa.Connection,
    query: sa.Select[Any],
    key: sa.Column[Any],
    after: int | None,
    limit: int,
    build: Callable[[Sequence[sa.Row[Any]]], Sequence[T]],
    *,
    newest_first: bool = True,
) -> Page[T]:
    """The page of ``query``'s rows that follows the key ``after`` (``None``: the first page), ordered
    by ``key``, newest (highest) first unless ``newest_first`` is false; ``build`` turns the page's
    rows into records, in the same order."""
    if after is not None:
        query = query.where(key < after if newest_first else key > after)
    query = query.order_by(key.desc() if newest_first else key).limit(limit + 1)
    rows = connection.execute(query).all()
    found = build(rows[:limit])
    return Page(tuple(found), int(rows[limit - 1]._mapping[key]) if len(rows) > limit else None)


def children(
    connection: sa.Connection,
    query: sa.Select[Any],
    parent: sa.Column[Any],
    ids: Sequence[int],
    order: sa.ColumnElement[Any],
) -> dict[int, list[sa.Row[Any]]]:
    """The rows of ``query`` whose column ``parent`` is one of ``ids``, grouped by it (every id has a
    list, perhaps empty), each group in ``order``."""
    grouped: dict[int, list[sa.Row[Any]]] = {i: [] for i in ids}
    for row in connection.execute(query.where(parent.in_(ids)).order_by(parent, order)):
        grouped[int(row._mapping[parent])].append(row)
    return grouped
