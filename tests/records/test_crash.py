"""Killing the server with SIGKILL in the middle of writes loses no committed record, and the audit
log still verifies: every change and its audit row commit in one transaction, or neither does."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import httpx
import pytest
import sqlalchemy as sa

from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, create_key
from earcheck.records.licences import LicenceTerms, get_licence, record_licence
from earcheck.records.parties import PartyRecord, PartyRole
from earcheck.records.schema import licence_lines, shipment_lines, shipments
from earcheck.settings import Settings

# The API over the test double's lists: a shipment screens its licence's parties first (the screening
# gate), which needs lists to screen against.
from tests.records.test_crash_grouped import ROOT, SERVER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Parties none of the test double's lists name, so that no hit waits for a decision.
UNLISTED = (
    PartyRecord(PartyRole.APPLICANT, "Blue Heron Instruments Inc.", "US"),
    PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Kestrel Fieldworks Ltd.", "DE"),
)


def _start(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, EARCHECK_HOME=str(settings.home), PYTHONPATH=str(ROOT))
    if not settings.is_sqlite:
        env["EARCHECK_DATABASE_URL"] = settings.database_url
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


@pytest.mark.slow
def test_sigkill_during_writes_loses_nothing_committed(
    database_settings: Settings, make_terms: Callable[..., LicenceTerms]
) -> None:
    engine = migrate(database_settings)
    cli = Actor("cli:test", Role.ADMIN)
    _, secret = create_key(engine, cli, Role.ANALYST, "shipper")
    licence = record_licence(
        engine, cli, replace(make_terms(quantity="1000000", value="100000000.00"), parties=UNLISTED)
    )
    port = _free_port()
    server = _start(database_settings, port)

    acknowledged: list[int] = []
    in_flight: list[dict[str, object]] = []  # sent when the server died: committed or not, nobody knows
    lock = threading.Lock()
    stop = threading.Event()

    def ship(worker: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {secret}"}) as c:
            n = 0
            while not stop.is_set():
                n += 1
                body = {
                    "shipped_on": "2025-06-01",
                    "reference": f"w{worker}-{n}",
                    "lines": [{"line": 1, "quantity": 3, "value": "7.50"}],
                }
                try:
                    response = c.post(
                        f"/api/licences/{licence.id}/shipments",
                        json=body,
                        headers={"Idempotency-Key": str(body["reference"])},
                        timeout=10,
                    )
                except httpx.TransportError:
                    with lock:
                        in_flight.append(body)
                    return  # the server is gone; this request may or may not have committed
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(response.json()["id"])

    workers = [threading.Thread(target=ship, args=(w,)) for w in range(6)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 80 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)  # in the middle of writes: six clients are still posting
    server.wait()
    stop.set()
    for worker in workers:
        worker.join()
    assert len(acknowledged) >= 80

    engine.dispose()
    with engine.connect() as connection:
        stored = set(connection.execute(sa.select(shipments.c.id)).scalars())
        drawn = connection.execute(sa.select(sa.func.sum(shipment_lines.c.quantity_milli))).scalar_one()
        line = connection.execute(sa.select(licence_lines)).one()
    assert set(acknowledged) <= stored  # nothing acknowledged was lost
    assert line.shipped_quantity_milli == drawn == 3000 * len(stored)  # the balance matches the shipments
    report = audit.verify(engine)
    assert report.ok, report.problems
    shipment_rows = audit.entries(engine, action="shipment.record", limit=500)
    assert len(shipment_rows.items) == len(stored)  # every committed shipment has its audit row

    # The server comes back on the same database and the chain goes on.
    server = _start(database_settings, port)
    try:
        after = httpx.post(
            f"http://127.0.0.1:{port}/api/licences/{licence.id}/shipments",
            json={"shipped_on": str(date(2025, 6, 2)), "lines": [{"line": 1, "quantity": 1, "value": 1}]},
            headers={"Authorization": f"Bearer {secret}"},
            timeout=10,
        )
        assert after.status_code == 201
        # Every request whose answer was lost is retried with its key: applied once in all.
        replayed = 0
        for body in in_flight:
            retry = httpx.post(
                f"http://127.0.0.1:{port}/api/licences/{licence.id}/shipments",
                json=body,
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": str(body["reference"])},
                timeout=10,
            )
            assert retry.status_code == 201, retry.text
            replayed += retry.headers.get("Idempotent-Replayed") == "true"
    finally:
        server.kill()
        server.wait()
    assert audit.verify(engine).ok
    with engine.connect() as connection:
        references = list(connection.execute(sa.select(shipments.c.reference)).scalars())
    assert len(references) == len(set(references)) == len(acknowledged) + len(in_flight) + 1
    assert replayed == len(stored) - len(acknowledged)  # committed before the kill, answer lost
    assert get_licence(engine, licence.id).lines[0].shipped_quantity == 3 * (len(references) - 1) + 1
