"""``kill -9`` of the server while many clients screen and determine, their audit rows written by the
group commit: every screening and determination the server answered is in the database, each answer's
audit row is the row that records it, and the chain still verifies, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, create_key
from earcheck.records.schema import audit_log, determinations
from earcheck.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# The API over the test double's lists and rules, so that screenings and determinations need no data.
SERVER = """
import sys
import uvicorn
from earcheck.api import create_app
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace
app = create_app(Settings.from_env(), workspace=FakeWorkspace())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""
CLIENTS = 24  # more than the server's thread pool hands out at once: batches form


def _start(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
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
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


@pytest.mark.slow
def test_sigkill_during_grouped_audit_writes_loses_no_acknowledged_row(database_settings: Settings) -> None:
    engine = migrate(database_settings)
    _, secret = create_key(engine, Actor("cli:test", Role.ADMIN), Role.ANALYST, "load")
    server, url = _start(database_settings)

    screened: dict[int, str] = {}  # audit seq the server answered -> the name screened
    determined: dict[int, str] = {}  # determination id the server answered -> the case id
    refused: list[str] = []  # an answer other than success while the server was up
    lock = threading.Lock()
    stop = threading.Event()

    def client(worker: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=20) as c:
            n = 0
            while not stop.is_set():
                n += 1
                name, case_id = f"party w{worker}-{n}", f"case w{worker}-{n}"
                case = {"id": case_id, "destination": "CN", "items": [{"eccn": "EAR99"}],
                        "parties": [{"name": name, "country": "CN"}]}  # fmt: skip
                try:
                    if n % 2:
                        response = c.post("/api/screenings", json={"name": name, "country": "CN"})
                        answered, key, value = response.status_code == 200, "audit_seq", name
                    else:
                        response = c.post("/api/determinations", json=case)
                        answered, key, value = response.status_code == 201, "id", case_id
                except httpx.TransportError:
                    return  # the server is gone: this request's answer never came, committed or not
                with lock:
                    if not answered:
                        refused.append(response.text[:300])
                        return
                    (screened if key == "audit_seq" else determined)[response.json()[key]] = value

    clients = [threading.Thread(target=client, args=(w,)) for w in range(CLIENTS)]
    for thread in clients:
        thread.start()
    deadline = time.monotonic() + 90
    while len(screened) + len(determined) < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)  # in the middle of writes: every client is still posting
    server.wait()
    stop.set()
    for thread in clients:
        thread.join()
    assert refused == []
    assert len(screened) + len(determined) >= 300

    engine.dispose()
    with engine.connect() as connection:
        rows = {int(r.seq): r for r in connection.execute(sa.select(audit_log))}
        stored = {int(r.id): r.case_id for r in connection.execute(sa.select(determinations))}
    for seq, name in screened.items():  # acknowledged, so committed, and the row is that screening's
        assert rows[seq].action == "screening.run"
        assert json.loads(rows[seq].payload)["name"] == name
    for determination_id, case_id in determined.items():
        assert stored[determination_id] == case_id
    recorded = [r for r in rows.values() if r.action == "determination.record"]
    assert {json.loads(r.payload)["id"] for r in recorded} == set(stored)  # every stored one has its row
    report = audit.verify(engine)
    assert report.ok, report.problems
    assert sorted(rows) == list(range(1, len(rows) + 1))

    # Back up on the same database, the chain goes on from where the commits stopped.
    server, url = _start(database_settings)
    try:
        after = httpx.post(
            f"{url}/api/screenings", json={"name": "after"}, headers={"Authorization": f"Bearer {secret}"}, timeout=20
        )
        assert after.status_code == 200
        assert after.json()["audit_seq"] == len(rows) + 1
    finally:
        server.kill()
        server.wait()
    assert audit.verify(engine).ok
