"""Pages of rows and the child rows of a page's records, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from earcheck.records.parties import PartyRecord, PartyRole, insert_parties, read_parties
from earcheck.records.rows import children, insert_row, read_page
from earcheck.records.schema import api_keys, application_parties, applications

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def _key(connection: sa.Connection, n: int) -> int:
    return insert_row(
        connection,
        api_keys,
        name=f"key {n}",
        role="viewer" if n % 2 else "admin",
        key_sha256=f"{n:064x}",
        prefix=f"ek_{n}",
        created_at=NOW,
        created_by="test",
    )


def _walk(connection: sa.Connection, query: sa.Select[tuple[int]], limit: int, newest_first: bool) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = read_page(
            connection, query, api_keys.c.id, after, limit, lambda rows: [r.id for r in rows], newest_first=newest_first
        )
        pages.append(list(page.items))
        if page.next_after is None:
            return pages
        after = page.next_after


def test_pages_walk_every_row_once_in_either_order(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        ids = [_key(connection, n) for n in range(1, 8)]
        assert ids == sorted(ids)
        query = sa.select(api_keys.c.id)
        assert _walk(connection, query, 3, newest_first=True) == [ids[:3:-1], ids[3:0:-1], ids[:1]]
        assert _walk(connection, query, 3, newest_first=False) == [ids[:3], ids[3:6], ids[6:]]
        # A page that ends exactly with the last row says so: no empty page follows.
        assert _walk(connection, query, 7, newest_first=True) == [ids[::-1]]
        viewers = query.where(api_keys.c.role == "viewer")
        assert _walk(connection, viewers, 2, newest_first=True) == [[ids[6], ids[4]], [ids[2], ids[0]]]


def test_children_are_grouped_by_their_record_in_order(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        made = [
            insert_row(
                connection,
                applications,
                status="draft",
                end_use="",
                additional_information="",
                created_at=NOW,
                created_by="test",
                updated_at=NOW,
            )
            for _ in range(3)
        ]
        first = (PartyRecord(PartyRole.APPLICANT, " SMIC ", "cn"), PartyRecord(PartyRole.END_USER, "Huawei", None, "x"))
        insert_parties(connection, application_parties.c.application_id, made[0], first)
        insert_parties(connection, application_parties.c.application_id, made[2], first[1:])
        insert_parties(connection, application_parties.c.application_id, made[1], ())
        parties = read_parties(connection, application_parties.c.application_id, made)
        assert parties == {
            made[0]: [
                PartyRecord(PartyRole.APPLICANT, "SMIC", "CN"),
                PartyRecord(PartyRole.END_USER, "Huawei", None, "x"),
            ],
            made[1]: [],
            made[2]: [PartyRecord(PartyRole.END_USER, "Huawei", None, "x")],
        }
        rows = children(
            connection,
            sa.select(application_parties),
            application_parties.c.application_id,
            made[:2],
            application_parties.c.position,
        )
        assert {k: [r.name for r in v] for k, v in rows.items()} == {made[0]: ["SMIC", "Huawei"], made[1]: []}
