"""Issue 14 item 5: a shipment or an application sent with an Idempotency-Key is applied at most
once, also when copies of it race each other, on SQLite and on PostgreSQL; a retry gets the first
record; the same key with another request is refused.

The expected balances are arithmetic on what the test sends: one shipment of 3 wafers from 100."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck import db
from earcheck.errors import DrawdownRefused, IdempotencyKeyReused, RecordError
from earcheck.records import audit
from earcheck.records.applications import ApplicationDraft, create_application, get_application
from earcheck.records.idempotency import IdempotencyKey, once
from earcheck.records.keys import Actor
from earcheck.records.licences import LicenceTerms, get_licence, record_licence
from earcheck.records.schema import applications, shipments
from earcheck.records.shipments import Drawdown, Shipment, get_shipment, record_shipment
from earcheck.settings import Settings

Terms = Callable[..., LicenceTerms]
COPIES = 12


def _ship(
    engine: sa.Engine, analyst: Actor, licence_id: int, key: IdempotencyKey | None, size: int = 3
) -> tuple[Shipment, bool]:
    return once(
        engine,
        key,
        lambda: record_shipment(
            engine, analyst, licence_id, date(2025, 6, 1), [Drawdown(1, Decimal(size), Decimal(size * 100))],
            idempotency_key=key,
        ),
        lambda resource: get_shipment(engine, int(resource.split(":")[1])),
    )  # fmt: skip


def _key(actor: Actor, text: str, size: int = 3) -> IdempotencyKey:
    return IdempotencyKey.of(actor, text, "POST /licences/1/shipments", {"size": size})


def test_a_retry_gets_the_first_shipment(engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms) -> None:
    licence = record_licence(engine, approver, make_terms())
    first, replayed_first = _ship(engine, analyst, licence.id, _key(analyst, "k-1"))
    again, replayed_again = _ship(engine, analyst, licence.id, _key(analyst, "k-1"))
    assert (replayed_first, replayed_again) == (False, True)
    assert again == first
    assert get_licence(engine, licence.id).lines[0].remaining_quantity == Decimal(97)
    assert audit.verify(engine).ok


def test_the_same_key_with_another_request_is_refused(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms())
    _ship(engine, analyst, licence.id, _key(analyst, "k-1", 3))
    with pytest.raises(IdempotencyKeyReused, match="different request"):
        _ship(engine, analyst, licence.id, _key(analyst, "k-1", 4), size=4)
    assert get_licence(engine, licence.id).lines[0].remaining_quantity == Decimal(97)


def test_keys_belong_to_their_actor_and_a_failed_request_stores_none(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms())
    other = Actor("Olga Other", analyst.role, key_id=99)
    _, replayed = _ship(engine, other, licence.id, _key(other, "k-1"))
    assert not replayed  # another user's "k-1" is another key
    with pytest.raises(DrawdownRefused):
        _ship(engine, analyst, licence.id, _key(analyst, "k-2", 500), size=500)
    # Nothing was stored for the refused request: a corrected one may use the same key.
    _, replayed = _ship(engine, analyst, licence.id, _key(analyst, "k-2", 5), size=5)
    assert not replayed
    assert get_licence(engine, licence.id).lines[0].remaining_quantity == Decimal(92)


@pytest.mark.parametrize("text", ["", "x" * 201, "clé", "a\nb"])
def test_a_key_is_short_printable_ascii(analyst: Actor, text: str) -> None:
    with pytest.raises(RecordError, match="Idempotency-Key"):
        _key(analyst, text)


def _wide_engine(settings: Settings) -> sa.Engine:
    engine = sa.create_engine(settings.database_url, pool_size=COPIES, max_overflow=0, pool_timeout=60)
    if settings.is_sqlite:
        sa.event.listen(engine, "connect", db._sqlite_pragmas)
        sa.event.listen(engine, "begin", db._sqlite_begin)
    return engine


def test_racing_copies_of_one_shipment_draw_once(
    database_settings: Settings, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    db.migrate(database_settings)
    engine = _wide_engine(database_settings)
    licence = record_licence(engine, approver, make_terms())
    barrier = threading.Barrier(COPIES)
    results: list[tuple[int, bool]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        barrier.wait()
        try:
            shipment, replayed = _ship(engine, analyst, licence.id, _key(analyst, "the-one"))
            with lock:
                results.append((shipment.id, replayed))
        except BaseException as error:
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(results) == COPIES
    assert len({shipment_id for shipment_id, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False] + [True] * (COPIES - 1)
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(shipments)).scalar_one() == 1
    assert get_licence(engine, licence.id).lines[0].remaining_quantity == Decimal(97)
    assert audit.verify(engine).ok
    engine.dispose()


def test_an_application_is_drafted_once(engine: sa.Engine, analyst: Actor) -> None:
    draft = ApplicationDraft(end_use="Incorporation into application processors by the ultimate consignee.")
    key = IdempotencyKey.of(analyst, "draft-1", "POST /applications", {"end_use": draft.end_use})

    def write() -> object:
        return create_application(engine, analyst, draft, key)

    first, _ = once(engine, key, write, lambda r: get_application(engine, int(r.split(":")[1])))
    again, replayed = once(engine, key, write, lambda r: get_application(engine, int(r.split(":")[1])))
    assert replayed
    assert again == first
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one() == 1
