"""200 shipments at once against one licence line never overdraw it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck import db
from earcheck.errors import DrawdownRefused
from earcheck.records import audit
from earcheck.records.keys import Actor
from earcheck.records.licences import LicenceTerms, get_licence, record_licence
from earcheck.records.schema import shipment_lines
from earcheck.records.shipments import Drawdown, record_shipment
from earcheck.settings import Settings

SHIPMENTS = 200


def _wide_engine(settings: Settings) -> sa.Engine:
    """An engine with a connection for every shipment, so all 200 transactions are open at once
    (the shared engine's pool would queue them in the application instead of in the database)."""
    engine = sa.create_engine(settings.database_url, pool_size=SHIPMENTS, max_overflow=0, pool_timeout=60)
    if settings.is_sqlite:
        sa.event.listen(engine, "connect", db._sqlite_pragmas)
        sa.event.listen(engine, "begin", db._sqlite_begin)
    return engine


@pytest.mark.slow
def test_concurrent_shipments_never_overdraw_a_line(
    database_settings: Settings, approver: Actor, analyst: Actor, make_terms: Callable[..., LicenceTerms]
) -> None:
    db.migrate(database_settings)
    engine = _wide_engine(database_settings)
    licence = record_licence(engine, approver, make_terms(quantity="250", value="100000.00"))
    rng = random.Random(7)
    sizes = [rng.randint(1, 3) for _ in range(SHIPMENTS)]  # about 400 wafers asked of 250
    accepted: list[int] = []
    refused: list[int] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(SHIPMENTS)
    lock = threading.Lock()

    def ship(size: int) -> None:
        barrier.wait()
        try:
            record_shipment(
                engine,
                analyst,
                licence.id,
                date(2025, 6, 1),
                [Drawdown(1, Decimal(size), Decimal(size * 100))],
            )
            with lock:
                accepted.append(size)
        except DrawdownRefused:
            with lock:
                refused.append(size)
        except BaseException as error:  # anything else fails the test below, with its cause
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=ship, args=(size,)) for size in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()

    assert failures == []
    assert len(accepted) + len(refused) == SHIPMENTS
    (line,) = get_licence(db.connect(database_settings.database_url), licence.id).lines
    assert line.shipped_quantity == sum(accepted) <= 250
    assert line.shipped_value == sum(accepted) * 100
    # The balance only ever shrinks, so every refused shipment was larger than what is left now.
    assert refused
    assert line.remaining_quantity < min(refused)
    with db.connect(database_settings.database_url).connect() as connection:
        rows = connection.execute(sa.select(sa.func.count(), sa.func.sum(shipment_lines.c.quantity_milli))).one()
    assert (rows[0], rows[1]) == (len(accepted), sum(accepted) * 1000)
    report = audit.verify(db.connect(database_settings.database_url))
    assert report.ok
    assert report.rows == 1 + len(accepted)
