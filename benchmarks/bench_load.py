"""Load: screenings and determinations at 10, 50 and 200 concurrent connections, with the audit log
written as in production and, as the baseline in the same run, by the same server with auditing off.

Issue 14 item 12 asks that writing the audit rows not hold requests behind one another. This
benchmark measures it: each connection sends its next request as soon as the last one answered
(closed loop), for a few seconds per level; the report gives requests per second and p50/p99
latency per route, level, database and audit mode, and the ratios that the issue's targets are about
(p99 at 200 connections; throughput at 200 against 50; audited against not). The modes, each a server
of its own:

- ``audited``: as in production, the audit rows written through the group commit (``earcheck.group_commit``);
- ``audited_one_by_one``: the audit rows written one transaction per request, as before the group commit
  (``group_commit.submit`` replaced by a plain ``write_transaction``), to show what the group commit changes;
- ``unaudited``: ``earcheck.records.audit.append`` replaced by one that writes nothing (the baseline; a
  determination still stores its row).

The replacements are made in the benchmark's own server process; the server code has no such switches.

The issue's latency target is about a *rate* (p99 under 50 ms at 200 screenings a second), which a
closed loop cannot offer: each mode also gets an open loop (``steady``) that sends a screening every
1/200 s whatever the answers, on at most 200 connections, and times each from when it was due, so
that queueing in the client counts (no coordinated omission).

The server is a real uvicorn in a subprocess (``python -m benchmarks.bench_load serve ...``), over
SQLite in a temporary home, and over PostgreSQL when ``EARCHECK_TEST_POSTGRES_URL`` names a server
(``scripts/with-postgres make bench`` starts one). The client runs in this process on asyncio, so on a
small machine client and server share the cores: compare the ratios, not the absolute numbers, and
read the report's ``cpu_count`` and ``load_average`` beside them.

``python -m benchmarks.bench_load cpu`` measures instead the audited server's CPU milliseconds per
request, requests sent one after another (``EARCHECK_BENCH_CPU_REQUESTS``, default 200, per route): the
figure that stays comparable on a loaded machine, for before and after a change.
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psutil

from benchmarks.bench_api import CASE, ROOT, SCREENING, SHARED_DATA, _summary, _workspace

LEVELS = (10, 50, 200)
RATE = 200.0  # screenings a second, offered by the open loop
# Seconds per level and mode; EARCHECK_BENCH_LOAD_SECONDS shortens a run on a shared machine.
SECONDS = float(os.environ.get("EARCHECK_BENCH_LOAD_SECONDS", "8"))
MODES = ("audited", "audited_one_by_one", "unaudited")
ROUTES = {"screening": ("/api/screenings", SCREENING), "determination": ("/api/determinations", CASE)}


# Server processes, as ``earcheck serve`` runs by default (one per core); EARCHECK_BENCH_LOAD_WORKERS=1
# measures a single process.
WORKERS = int(os.environ.get("EARCHECK_BENCH_LOAD_WORKERS", str(os.cpu_count() or 1)))


def _serve(port: int, home: str, database_url: str, real: bool, mode: str) -> None:
    """The benchmark server: uvicorn with ``WORKERS`` processes, each built by ``_worker_app``."""
    import uvicorn

    from earcheck.db import migrate
    from earcheck.settings import Settings

    environment = {"EARCHECK_HOME": home} | ({"EARCHECK_DATABASE_URL": database_url} if database_url else {})
    os.environ.update(environment | {"EARCHECK_BENCH_LOAD_MODE": mode, "EARCHECK_BENCH_LOAD_REAL": str(int(real))})
    migrate(Settings.from_env(environment)).dispose()  # once, as ``earcheck serve`` does before its workers
    uvicorn.run(
        "benchmarks.bench_load:_worker_app",
        factory=True,
        workers=WORKERS,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        backlog=1024,
    )


def _worker_app() -> Any:
    """One worker's application, with the audit mode's replacement made in this process, warmed (the
    screener's index built, a determination made) before it takes requests; then it says it is ready
    with a file in ``EARCHECK_BENCH_LOAD_READY``, so that no level starts before every worker can answer."""
    from earcheck.api import create_app
    from earcheck.casefile import parse_cases
    from earcheck.records.screening import screen_all
    from earcheck.settings import Settings

    mode = os.environ["EARCHECK_BENCH_LOAD_MODE"]
    if mode == "audited_one_by_one":
        from earcheck import group_commit
        from earcheck.db import write_transaction

        def one_by_one(engine: Any, work: Any) -> Any:
            with write_transaction(engine) as connection:
                return work(connection)

        group_commit.submit = one_by_one
    if mode == "unaudited":
        from earcheck.records import audit

        def unaudited(connection: Any, actor: str, action: str, subject: str, payload: Any) -> audit.AuditEntry:
            return audit.AuditEntry(0, "", actor, action, subject, "{}", audit.GENESIS, audit.GENESIS)

        audit.append = unaudited
    settings = Settings.from_env()
    workspace, _ = _workspace(settings, os.environ["EARCHECK_BENCH_LOAD_REAL"] == "1")
    app = create_app(settings, workspace=workspace)
    screen_all(workspace, SCREENING["name"], SCREENING["country"], date.fromisoformat(SCREENING["as_of"]))
    workspace.determine(parse_cases(CASE, "benchmark case")[0])
    ready = os.environ.get("EARCHECK_BENCH_LOAD_READY")
    if ready:
        (Path(ready) / str(os.getpid())).touch()
    return app


@dataclass(frozen=True, slots=True)
class _Server:
    url: str
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (user and system, all threads of the uvicorn process and of
        its worker processes)."""
        total = 0.0
        for process in (self.process, *self.process.children(recursive=True)):
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total


@contextmanager
def _server(home: str, database_url: str, real: bool, mode: str) -> Iterator[_Server]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "benchmarks.bench_load", "serve", str(port), home, database_url or "-"]
    command += ["real" if real else "double", mode]
    ready = Path(tempfile.mkdtemp(prefix="bench-ready-", dir=home))
    # PYTHONPATH kept behind the repository: a before/after run may put an older earcheck there.
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    environment = dict(os.environ, PYTHONPATH=path, EARCHECK_BENCH_LOAD_READY=str(ready))
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # each worker builds its screener before it says it is ready
        while True:
            try:
                every = len(list(ready.iterdir())) >= WORKERS
                if every and httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                error = server.stderr.read().decode()[-2000:] if server.stderr else ""
                raise RuntimeError(f"the benchmark server did not start: {error}")
            time.sleep(0.1)
        yield _Server(url, psutil.Process(server.pid))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # busy building its screener (a loaded machine): stop it all the same
            server.kill()
            server.wait()


def _warm_up(server: _Server, secret: str) -> None:
    """One request per route before any is timed: the first screening builds the screener's index
    (a minute or more on a loaded machine), which no level should be charged for or time out on."""
    headers = {"Authorization": f"Bearer {secret}"}
    for route, body in ROUTES.values():
        response = httpx.post(f"{server.url}{route}", json=body, headers=headers, timeout=900)
        if response.status_code >= 400:
            raise RuntimeError(f"the warm-up {route} answered {response.status_code}: {response.text[:500]}")


async def _closed_loop(
    server: _Server, secret: str, route: str, body: Any, connections: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, limits=limits, timeout=60) as client:
        for _ in range(3):  # warm up
            await client.post(route, json=body)
        cpu_before = server.cpu_seconds()
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
        cpu = server.cpu_seconds() - cpu_before
    measured = {"connections": connections, "requests": len(latencies), "errors": errors, "statuses": statuses}
    measured |= {"rps": round(len(latencies) / took, 1), "server_cpu_ms_per_request": _per_request(cpu, latencies)}
    return measured | (_summary(latencies) if latencies else {})


def _per_request(cpu_seconds: float, latencies: list[float]) -> float | None:
    """The server's CPU milliseconds per request answered: what bounds the rate on this many cores
    (200 requests a second on 2 cores leave 10 ms each, for the client too when it shares them)."""
    return round(1000 * cpu_seconds / len(latencies), 2) if latencies else None


async def _steady(server: _Server, secret: str, route: str, body: Any, rate: float, seconds: float) -> dict[str, Any]:
    """Open loop: a request due every 1/rate s, sent when due (on at most 200 connections); latency counts
    from when it was due, so a request that waited for a connection is charged for the wait."""
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    headers = {"Authorization": f"Bearer {secret}"}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    # A request not answered within 10 s (waiting for a connection included) counts as an error (599): an
    # overloaded server then costs the run seconds, not the minutes its queue would take to drain.
    async with httpx.AsyncClient(base_url=server.url, headers=headers, limits=limits, timeout=10) as client:
        for _ in range(3):  # warm up
            await client.post(route, json=body)
        cpu_before = server.cpu_seconds()
        start = time.perf_counter() + 0.05

        async def one(index: int) -> None:
            due = start + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                status = (await client.post(route, json=body)).status_code
            except httpx.TransportError:
                status = 599
            latencies.append(time.perf_counter() - due)
            statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(one(i) for i in range(max(1, int(rate * seconds)))))
        took = time.perf_counter() - start
        cpu = server.cpu_seconds() - cpu_before
    errors = sum(n for status, n in statuses.items() if status >= 400)
    measured = {"rate_per_s": rate, "requests": len(latencies), "errors": errors, "statuses": statuses}
    measured |= {"rps": round(len(latencies) / took, 1), "server_cpu_ms_per_request": _per_request(cpu, latencies)}
    return measured | _summary(latencies)


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
    from earcheck.records.audit import head
    from earcheck.records.keys import Actor, Role, create_key
    from earcheck.settings import Settings

    levels, seconds, rate = ((10,), 1.0, 20.0) if smoke else (LEVELS, SECONDS, RATE)
    real = (SHARED_DATA / "manifest.json").is_file() and not smoke
    load_before = [round(x, 2) for x in os.getloadavg()]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home, _databases(home) as databases:
        for database, url in databases:
            environment = {"EARCHECK_HOME": home} | ({"EARCHECK_DATABASE_URL": url} if url else {})
            if real:  # the list snapshots live in the same database as the records
                from earcheck.store import Store

                Store.open(Settings.from_env(environment)).import_path(SHARED_DATA, today=date.today())
            engine = migrate(Settings.from_env(environment))
            _, secret = create_key(engine, Actor("cli:bench", Role.ADMIN), Role.ANALYST, f"load {database}")
            for mode in MODES:
                head_before, _ = head(engine)
                with _server(home, url, real, mode) as server:
                    _warm_up(server, secret)
                    for kind, (route, body) in ROUTES.items():
                        for connections in levels:
                            measured = asyncio.run(_closed_loop(server, secret, route, body, connections, seconds))
                            results.setdefault(database, {}).setdefault(kind, {}).setdefault(mode, []).append(measured)
                    route, body = ROUTES["screening"]
                    offered = asyncio.run(_steady(server, secret, route, body, rate, seconds))
                    results[database].setdefault("screening_steady", {})[mode] = offered
                written = head(engine)[0] - head_before
                results[database].setdefault("audit_rows_written", {})[mode] = written
                if (mode == "unaudited") != (written == 0):
                    # The baseline must write no audit row, and the audited modes must write theirs.
                    raise RuntimeError(f"{database} {mode}: {written} audit rows written")
            engine.dispose()
    return {
        "workspace": _workspace_kind(real),
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds_per_level": seconds,
        "results": results,
        "ratios": _ratios(results),
    }


CPU_REQUESTS = int(os.environ.get("EARCHECK_BENCH_CPU_REQUESTS", "200"))


def cpu(requests: int = CPU_REQUESTS) -> dict[str, Any]:
    """The server's CPU milliseconds per request, per route and database: ``requests`` requests sent one
    after another (one connection, so no queueing or lock waits enter) to the audited server, as in
    production. CPU time, unlike latency, barely moves when other work loads the machine, so this is the
    figure to compare before and after a change on a shared machine."""
    from earcheck.db import migrate
    from earcheck.records.keys import Actor, Role, create_key
    from earcheck.settings import Settings

    real = (SHARED_DATA / "manifest.json").is_file()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as home, _databases(home) as databases:
        for database, url in databases:
            environment = {"EARCHECK_HOME": home} | ({"EARCHECK_DATABASE_URL": url} if url else {})
            if real:
                from earcheck.store import Store

                Store.open(Settings.from_env(environment)).import_path(SHARED_DATA, today=date.today())
            engine = migrate(Settings.from_env(environment))
            _, secret = create_key(engine, Actor("cli:bench", Role.ADMIN), Role.ANALYST, f"cpu {database}")
            engine.dispose()
            with _server(home, url, real, "audited") as server:
                _warm_up(server, secret)
                headers = {"Authorization": f"Bearer {secret}"}
                with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
                    for kind, (route, body) in ROUTES.items():
                        for _ in range(5):  # warm up this connection and route
                            client.post(route, json=body).raise_for_status()
                        before = server.cpu_seconds()
                        sizes = {len(client.post(route, json=body).content) for _ in range(requests)}
                        used = server.cpu_seconds() - before
                        results.setdefault(database, {})[kind] = {
                            "requests": requests,
                            "server_cpu_ms_per_request": round(1000 * used / requests, 2),
                            "response_bytes": sorted(sizes),
                        }
    return {
        "workspace": _workspace_kind(real),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }


def _workspace_kind(real: bool) -> str:
    return "earcheck.workspace on the ../shared/data snapshot" if real else "test double (tests/doubles.py)"


def _ratios(results: dict[str, Any]) -> dict[str, Any]:
    """Per database and route: audited over unaudited and grouped over one-by-one rps at each level, the
    server's CPU ms per request, rps at 200 over rps at 50, p99 at 200; for the open loop, each mode's rps,
    latency and CPU per request."""
    out: dict[str, Any] = {}
    for database, kinds in results.items():
        for kind, modes in kinds.items():
            if kind == "audit_rows_written":
                continue
            if kind == "screening_steady":
                wanted = ("rps", "p50_ms", "p99_ms", "errors", "server_cpu_ms_per_request")
                out[f"{database}/{kind}"] = {mode: {k: m.get(k) for k in wanted} for mode, m in modes.items()}
                continue
            one_by_one = {m["connections"]: m for m in modes.get("audited_one_by_one", [])}
            audited = {m["connections"]: m for m in modes.get("audited", [])}
            unaudited = {m["connections"]: m for m in modes.get("unaudited", [])}
            entry: dict[str, Any] = {
                "audited_over_unaudited_rps": {
                    n: round(audited[n]["rps"] / max(unaudited[n]["rps"], 0.1), 2) for n in audited if n in unaudited
                }
            }
            entry["grouped_over_one_by_one_rps"] = {
                n: round(audited[n]["rps"] / max(one_by_one[n]["rps"], 0.1), 2) for n in audited if n in one_by_one
            }
            entry["server_cpu_ms_per_request"] = {
                mode: {m["connections"]: m.get("server_cpu_ms_per_request") for m in measured}
                for mode, measured in modes.items()
            }
            if 200 in audited and 50 in audited:
                entry["rps_200_over_50"] = round(audited[200]["rps"] / max(audited[50]["rps"], 0.1), 2)
                entry["p99_ms_at_200"] = audited[200].get("p99_ms")
            out[f"{database}/{kind}"] = entry
    return out


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "serve":
        _, _, port, home, url, workspace, mode = sys.argv
        _serve(int(port), home, "" if url == "-" else url, workspace == "real", mode)
    elif "cpu" in sys.argv[1:]:
        print(json.dumps(cpu(10 if "--smoke" in sys.argv else CPU_REQUESTS), indent=2, default=str))
    else:
        print(json.dumps(run(smoke="--smoke" in sys.argv), indent=2, default=str))
