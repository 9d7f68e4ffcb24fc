"""The determinations register pages in SQL (both databases, a few thousand stored cases): each filter
is part of the query, a page is one statement that fetches at most a page and one row, and paging
through every page finds what a plain reading of the stored cases finds. Determinations stored before
the search terms existed get theirs from the migration.

The expected matches come from the cases as this test wrote them, filtered by the register's rules
as the README states them (any part of a party's name, any case; ECCN and destination exactly)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from earcheck.casefile import parse_cases
from earcheck.db import alembic_config, migrate
from earcheck.records.determination_search import DeterminationFilter, every_match, search_determinations
from earcheck.records.determinations import record_determination
from earcheck.records.keys import Actor
from earcheck.records.schema import determination_terms
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace

STORED = 2_000
DESTINATIONS = ("DE", "CN", "FR", "NL", "JP")
ECCNS = ("EAR99", "3A001.a.1", "5A002")


def _case(i: int) -> dict[str, Any]:
    parties = [{"name": f"Customer {i:04d} GmbH", "country": "DE"}]
    if i % 97 == 0:
        parties.append({"name": "Huawei Technologies Co., Ltd.", "country": "CN"})
    if i % 41 == 0:
        parties.append({"name": "CN Trading 100% Ltd", "country": "HK"})  # a name that looks like a destination
    if i % 53 == 0:
        parties.append({"name": "Ästhetik Straße AG", "country": "DE"})
    return {
        "destination": DESTINATIONS[i % len(DESTINATIONS)],
        "parties": parties,
        "items": [{"id": f"i{i}", "eccn": ECCNS[i % len(ECCNS)], "description": "parts"}],
    }


def _store(engine: sa.Engine, actor: Actor, count: int) -> dict[int, dict[str, Any]]:
    workspace = FakeWorkspace()
    stored = {}
    for i in range(count):
        document = _case(i)
        (parsed,) = parse_cases(document)
        stored[record_determination(engine, actor, parsed, workspace.determine(parsed)).id] = document
    return stored


def _expected(stored: dict[int, dict[str, Any]], **wanted: str) -> list[int]:
    """A plain reading of the stored cases, newest first."""

    def keeps(case: dict[str, Any]) -> bool:
        if "destination" in wanted and case["destination"] != wanted["destination"].upper():
            return False
        if "eccn" in wanted and wanted["eccn"].upper() not in [i["eccn"].upper() for i in case["items"]]:
            return False
        party = wanted.get("party")
        return party is None or any(party.lower() in p["name"].lower() for p in case["parties"])

    return sorted((i for i, case in stored.items() if keeps(case)), reverse=True)


@contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


SEARCHES = [
    {"party": "huawei"},
    {"party": "CN TRADING 100%"},  # the % is a character of the name, not a wildcard
    {"party": "100_"},  # nor is _: as a wildcard it would find "100%"
    {"party": "ästhetik straße"},  # not ASCII: folded alike on both databases
    {"destination": "cn"},
    {"destination": "CN", "eccn": "3a001.A.1"},
    {"eccn": "5A002", "party": "customer 1"},
    {"party": "nobody at all"},
]


@pytest.mark.slow
def test_every_page_is_one_query_and_the_pages_find_what_the_cases_say(engine: sa.Engine, analyst: Actor) -> None:
    stored = _store(engine, analyst, STORED)
    for wanted in SEARCHES:
        expected = _expected(stored, **wanted)
        found: list[int] = []
        after = None
        while True:
            with _statements(engine) as seen:
                page = search_determinations(engine, DeterminationFilter(**wanted), after, 50)
            assert len(seen) == 1, (wanted, seen)  # the page is one query, filters included
            assert len(page.items) <= 50
            found += [d.id for d in page.items]
            if page.next_after is None:
                break
            after = page.next_after
        assert found == expected, wanted
        assert [d.id for d in every_match(engine, DeterminationFilter(**wanted))] == expected
    # The searches above are not vacuous: each kind of term finds some cases and leaves others.
    assert 0 < len(_expected(stored, party="huawei")) < 100
    assert len(_expected(stored, party="100_")) == 0
    assert len(_expected(stored, party="ästhetik straße")) > 10


def test_determinations_stored_before_the_terms_get_them_from_the_migration(
    database_settings: Settings, analyst: Actor
) -> None:
    # Determinations recorded, their terms removed, and the database taken back to records_0005 (no
    # terms table): the rows as a database of that revision holds them.
    engine = migrate(database_settings)
    stored = _store(engine, analyst, 120)
    with engine.begin() as connection:
        connection.execute(sa.delete(determination_terms))
        config = alembic_config(database_settings.database_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "records_0005")
    assert "determination_terms" not in sa.inspect(engine).get_table_names()
    migrate(database_settings)
    for wanted in SEARCHES:
        assert [d.id for d in every_match(engine, DeterminationFilter(**wanted))] == _expected(stored, **wanted)
