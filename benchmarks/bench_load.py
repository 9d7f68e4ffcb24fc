"""Load: screenings and determinations at 10, 50 and 200 concurrent connections, with the audit log
written as in production and, as the baseline in the same run, by the same server with auditing off.

Issue 14 item 12 asks that writing the audit rows not hold requests behind one another. This
benchmark measures it: each connection sends its next request as soon as the last one answered
(closed loop), for a few seconds per level; the report gives requests per second and p50/p99
latency per route, level, database and audit mode, and the ratios that the issue's targets are about
(p99 at 200 connections; throughput at 200 against 50; audited against not). "Auditing off" replaces
``earcheck.records.audit.append`` in the benchmark's own server process by one that writes nothing
(the server code has no such switch).

The server is a real uvicorn in a subprocess (``python -m benchmarks.bench_load serve ...``), over
SQLite in a temporary home, and over PostgreSQL when ``EARCHECK_TEST_POSTGRES_URL`` names a server
(``scripts/with-postgres make bench`` starts one). The client runs in this process on asyncio, so on a
small machine client and server share the cores: compare the ratios, not the absolute numbers, and
read the report's ``cpu_count`` and ``load_average`` beside them.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import httpx

from benchmarks.bench_api import CASE, ROOT, SCREENING, SHARED_DATA, _summary, _workspace

LEVELS = (10, 50, 200)
ROUTES = {"screening": ("/api/screenings", SCREENING), "determination": ("/api/determinations", CASE)}


def _serve(port: int, home: str, database_url: str, real: bool, audited: bool) -> None:
    import uvicorn

    from earcheck.api import create_app
    from earcheck.settings import Settings

    if not audited:
        from earcheck.records import audit

        def unaudited(connection: Any, actor: str, action: str, subject: str, payload: Any) -> audit.AuditEntry:
            return audit.AuditEntry(0, "", actor, action, subject, "{}", audit.GENESIS, audit.GENESIS)

        audit.append = unaudited
    environment = {"EARCHECK_HOME": home} | ({"EARCHECK_DATABASE_URL": database_url} if database_url else {})
    settings = Settings.from_env(environment)
    workspace, _ = _workspace(settings, real)
    uvicorn.run(
        create_app(settings, workspace=workspace),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        backlog=1024,
    )


@contextmanager
def _server(home: str, database_url: str, real: bool, audited: bool) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "benchmarks.bench_load", "serve", str(port), home, database_url or "-"]
    command += ["real" if real else "double", "audited" if audited else "unaudited"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                error = server.stderr.read().decode()[-2000:] if server.stderr else ""
                raise RuntimeError(f"the benchmark server did not start: {error}")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


async def _closed_loop(
    url: str, secret: str, route: str, body: Any, connections: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        for _ in range(3):  # warm up
            await client.post(route, json=body)
        started = time.perf_counter()
        stop = started + seconds

        async def connection() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                began = time.perf_counter()
                try:
                    status = (await client.post(route, json=body)).status_code
                except httpx.TransportError:
                    status = 599
                latencies.append(time.perf_counter() - began)
                errors += status >= 400
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(connection() for _ in range(connections)))
        took = time.perf_counter() - started
    measured = {"connections": connections, "requests": len(latencies), "errors": errors, "statuses": statuses}
    return measured | {"rps": round(len(latencies) / took, 1)} | (_summary(latencies) if latencies else {})


@contextmanager
def _databases(home: str) -> Iterator[list[tuple[str, str]]]:
    """("sqlite", "") always; ("postgresql", url) of a fresh database when a server is named."""
    server = os.environ.get("EARCHECK_TEST_POSTGRES_URL")
    if not server:
        yield [("sqlite", "")]
        return
    import sqlalchemy as sa

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield [("sqlite", ""), ("postgresql", server.rsplit("/", 1)[0] + "/" + name)]
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(smoke: bool) -> dict[str, Any]:
    from earcheck.db import migrate
    from earcheck.records.keys import Actor, Role, create_key
    from earcheck.settings import Settings

    levels, seconds = ((10,), 1.0) if smoke else (LEVELS, 8.0)
    real = (SHARED_DATA / "manifest.json").is_file() and not smoke
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home, _databases(home) as databases:
        for database, url in databases:
            environment = {"EARCHECK_HOME": home} | ({"EARCHECK_DATABASE_URL": url} if url else {})
            if real:  # the list snapshots live in the same database as the records
                from earcheck.store import Store

                Store.open(Settings.from_env(environment)).import_path(SHARED_DATA, today=date.today())
            engine = migrate(Settings.from_env(environment))
            _, secret = create_key(engine, Actor("cli:bench", Role.ADMIN), Role.ANALYST, f"load {database}")
            engine.dispose()
            for audited in (True, False):
                mode = "audited" if audited else "unaudited"
                with _server(home, url, real, audited) as base:
                    for kind, (route, body) in ROUTES.items():
                        for connections in levels:
                            measured = asyncio.run(_closed_loop(base, secret, route, body, connections, seconds))
                            results.setdefault(database, {}).setdefault(kind, {}).setdefault(mode, []).append(measured)
    return {
        "workspace": _workspace_kind(real),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds_per_level": seconds,
        "results": results,
        "ratios": _ratios(results),
    }


def _workspace_kind(real: bool) -> str:
    return "earcheck.workspace on the ../shared/data snapshot" if real else "test double (tests/doubles.py)"


def _ratios(results: dict[str, Any]) -> dict[str, Any]:
    """Per database and route: audited/unaudited rps at each level, and rps at 200 over rps at 50."""
    out: dict[str, Any] = {}
    for database, kinds in results.items():
        for kind, modes in kinds.items():
            audited = {m["connections"]: m for m in modes.get("audited", [])}
            unaudited = {m["connections"]: m for m in modes.get("unaudited", [])}
            entry: dict[str, Any] = {
                "audited_over_unaudited_rps": {
                    n: round(audited[n]["rps"] / max(unaudited[n]["rps"], 0.1), 2) for n in audited if n in unaudited
                }
            }
            if 200 in audited and 50 in audited:
                entry["rps_200_over_50"] = round(audited[200]["rps"] / max(audited[50]["rps"], 0.1), 2)
                entry["p99_ms_at_200"] = audited[200].get("p99_ms")
            out[f"{database}/{kind}"] = entry
    return out


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "serve":
        _, _, port, home, url, workspace, mode = sys.argv
        _serve(int(port), home, "" if url == "-" else url, workspace == "real", mode == "audited")
    else:
        print(json.dumps(run(smoke="--smoke" in sys.argv), indent=2, default=str))
