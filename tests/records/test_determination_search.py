"""Searching the determinations register (both databases). Each case is small and written here, so the
expected matches are read off the cases themselves, not from the code under test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from earcheck.casefile import parse_cases
from earcheck.records.determination_search import Answer, DeterminationFilter, every_match, search_determinations
from earcheck.records.determinations import record_determination
from earcheck.records.keys import Actor, Role
from earcheck.records.schema import determinations
from tests.doubles import FakeWorkspace


def _record(engine: sa.Engine, actor: Actor, **case: object) -> int:
    document = {"destination": "CN", "items": [{"id": "i1", "eccn": "3A090", "description": "chips"}]} | case
    (parsed,) = parse_cases(document)
    return record_determination(engine, actor, parsed, FakeWorkspace().determine(parsed)).id


@pytest.fixture
def register(engine: sa.Engine, analyst: Actor) -> dict[str, int]:
    other = Actor("Olga Other", Role.ANALYST, key_id=99)
    return {
        # a party: Huawei → the double answers "licence required"
        "huawei": _record(engine, analyst, parties=[{"name": "Huawei Technologies Co., Ltd.", "country": "CN"}]),
        # a party whose name holds the code of another destination
        "cn_trading": _record(
            engine,
            other,
            destination="DE",
            parties=[{"name": "CN Trading GmbH", "country": "DE"}],
            items=[{"id": "i1", "eccn": "5A992.c", "description": "router"}],
        ),
        # no parties → not determinable
        "unknown": _record(engine, analyst, destination="NL"),
        # the exporter counts as a party too
        "acme": _record(engine, other, exporter={"name": 'Acme "Quoted" Inc.', "country": "US"}, parties=[]),
    }


def _ids(engine: sa.Engine, **wanted: object) -> set[int]:
    return {d.id for d in every_match(engine, DeterminationFilter(**wanted))}  # type: ignore[arg-type]


def test_each_filter_finds_what_the_cases_say(engine: sa.Engine, register: dict[str, int]) -> None:
    assert _ids(engine) == set(register.values())
    assert _ids(engine, party="huawei") == {register["huawei"]}
    assert _ids(engine, party='"quoted"') == {register["acme"]}  # exporter; a name JSON escapes
    assert _ids(engine, destination="cn") == {register["huawei"], register["acme"]}  # not "CN Trading"
    assert _ids(engine, eccn="5a992.C") == {register["cn_trading"]}
    assert _ids(engine, eccn="5A992") == set()  # exact ECCN, not a prefix
    assert _ids(engine, answer=Answer.REQUIRED) == {register["huawei"]}
    assert _ids(engine, answer=Answer.NOT_REQUIRED) == {register["cn_trading"], register["acme"]}
    assert _ids(engine, answer=Answer.UNKNOWN) == {register["unknown"]}
    assert _ids(engine, actor="olga") == {register["cn_trading"], register["acme"]}
    assert _ids(engine, actor="%") == set()  # a LIKE wildcard is a plain character here
    assert _ids(engine, destination="CN", party="acme", actor="olga") == {register["acme"]}


def test_the_date_range_is_in_utc_days_both_included(engine: sa.Engine, register: dict[str, int]) -> None:
    with engine.begin() as connection:
        when = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
        connection.execute(
            sa.update(determinations).where(determinations.c.id == register["huawei"]).values(created_at=when)
        )
    march = date(2026, 3, 1)
    assert _ids(engine, recorded_from=march, recorded_until=march) == {register["huawei"]}
    assert register["huawei"] not in _ids(engine, recorded_from=march + timedelta(days=1))
    assert _ids(engine, recorded_until=march - timedelta(days=1)) == set()


def test_pages_follow_one_another_without_gaps_or_repeats(engine: sa.Engine, analyst: Actor) -> None:
    made = [_record(engine, analyst, parties=[{"name": f"Party {n}", "country": "CN"}]) for n in range(7)]
    made += [_record(engine, analyst, destination="DE") for _ in range(3)]  # filtered out in between
    seen: list[int] = []
    after = None
    while True:
        page = search_determinations(engine, DeterminationFilter(party="party"), after, 3)
        seen.extend(d.id for d in page.items)
        assert len(page.items) <= 3
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted(made[:7], reverse=True)
