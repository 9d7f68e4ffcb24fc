"""Two server processes on one database, as ``earcheck serve --workers 2`` runs: concurrent screenings
answered by both, each acknowledged screening's audit row is the row that records it, the sequence has
no gap or duplicate, and the chain verifies, on SQLite and PostgreSQL. Each worker has its own group
commit; the audit chain's order across them rests on the database's write lock."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import sqlalchemy as sa

from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, create_key
from earcheck.records.schema import audit_log
from earcheck.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
CLIENTS = 16
SCREENINGS = 240


def worker_app() -> Any:
    """One worker's application, over the test double's lists (no data needed)."""
    from earcheck.api import create_app
    from tests.doubles import FakeWorkspace

    return create_app(Settings.from_env(), workspace=FakeWorkspace())


SERVER = f"""
import sys
import uvicorn
uvicorn.run("tests.api.test_serve_workers:worker_app", factory=True, workers={WORKERS}, host="127.0.0.1",
            port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    if request.param == "sqlite":
        return settings
    return Settings(home=settings.home, database_url=request.getfixturevalue("postgres_url"))


def _started(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = dict(os.environ, EARCHECK_HOME=str(settings.home), PYTHONPATH=str(ROOT))
    if not settings.is_sqlite:
        env["EARCHECK_DATABASE_URL"] = settings.database_url
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            children = psutil.Process(server.pid).children()
            if len(children) >= WORKERS and httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


@pytest.mark.slow
def test_two_workers_on_one_database_keep_the_audit_chain(database_settings: Settings) -> None:
    engine = migrate(database_settings)  # once before the workers, as earcheck serve does
    _, secret = create_key(engine, Actor("cli:test", Role.ADMIN), Role.ANALYST, "workers")
    server, url = _started(database_settings)
    workers = [psutil.Process(p.pid) for p in psutil.Process(server.pid).children()]
    busy_before = [w.cpu_times().user + w.cpu_times().system for w in workers]
    screened: dict[int, str] = {}  # audit seq answered -> the name screened
    refused: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=60) as c:
            for n in range(SCREENINGS // CLIENTS):
                name = f"party c{number}-{n}"
                response = c.post("/api/screenings", json={"name": name, "country": "CN"})
                with lock:
                    if response.status_code != 200:
                        refused.append(response.text[:300])
                    else:
                        screened[response.json()["audit_seq"]] = name

    try:
        # A connection per client, each kept open: the kernel hands the connections to both workers.
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        busy = [w.cpu_times().user + w.cpu_times().system - b for w, b in zip(workers, busy_before, strict=True)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert refused == []
    assert len(screened) == SCREENINGS  # every answer a distinct audit row
    # Both workers served screenings (the children also count multiprocessing's resource tracker, idle).
    assert sum(seconds > 0.05 for seconds in busy) >= WORKERS, busy

    engine.dispose()
    with engine.connect() as connection:
        rows = {int(r.seq): r for r in connection.execute(sa.select(audit_log))}
    for seq, name in screened.items():
        assert rows[seq].action == "screening.run"
        assert json.loads(rows[seq].payload)["name"] == name
    assert sorted(rows) == list(range(1, len(rows) + 1))
    report = audit.verify(engine)
    assert report.ok, report.problems
