"""API latency: single screenings and determinations over HTTP at a steady request rate, against the
same work called in-process as the baseline.

A real uvicorn server runs in a subprocess (``python -m benchmarks.bench_api serve PORT HOME``) over
its own SQLite database; requests are sent from httpx on an open-loop schedule (a request is due every
1/rate seconds whether or not the last one has answered), and each latency is measured from the time
the request was due, so a slow server cannot hide its queueing. The baseline runs the route's own work
(screen or determine, then record and audit) in this process, with no HTTP. The ratio
``http_p50 / inprocess_p50`` is the cost of the HTTP face.

The engine and screener are ``earcheck.workspace.Workspace`` over the ``../shared/data`` snapshot,
imported into a temporary home first; where that folder is missing, the test double of
``tests/doubles.py`` stands in, and the report says so.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("EARCHECK_SHARED_DATA", ROOT.parent / "shared" / "data"))
CASE: dict[str, Any] = {
    "id": "smic-huawei-2020-09-20",
    "as_of": "2020-09-20",
    "exporter": {"name": "Semiconductor Manufacturing International Corporation", "country": "CN"},
    "parties": [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"id": "wafers", "eccn": "EAR99", "origin": "CN", "value": 1000000}],
}
SCREENING = {"name": "Huawei Technologies Co Ltd", "country": "CN", "as_of": "2020-09-20"}


def _workspace(settings: Any, real: bool) -> tuple[Any, str]:
    if real:
        from earcheck.workspace import Workspace

        return Workspace.open(settings), "earcheck.workspace on the ../shared/data snapshot"
    sys.path.insert(0, str(ROOT))
    from tests.doubles import FakeWorkspace

    return FakeWorkspace(), "test double (no snapshot data found)"


def _serve(port: int, home: str, real: bool) -> None:
    import uvicorn

    from earcheck.api import create_app
    from earcheck.settings import Settings

    settings = Settings.from_env({"EARCHECK_HOME": home})
    workspace, _ = _workspace(settings, real)
    uvicorn.run(create_app(settings, workspace=workspace), host="127.0.0.1", port=port, log_level="warning")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summary(latencies: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in latencies]
    return {
        "p50_ms": round(_percentile(ms, 0.50), 2),
        "p99_ms": round(_percentile(ms, 0.99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def _steady(send: Callable[[], int], rate: float, seconds: float) -> dict[str, Any]:
    """Fire ``send`` every 1/rate s for ``seconds``; latency counts from when each call was due."""
    count = max(1, int(rate * seconds))
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.05

    def one(index: int) -> None:
        nonlocal failures
        due = start + index / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        status = send()
        elapsed = time.perf_counter() - due
        with lock:
            latencies.append(elapsed)
            if status >= 400:
                failures += 1

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(count)))
    took = time.perf_counter() - start
    return {
        "requests": count,
        "rate_per_s": rate,
        "seconds": round(took, 2),
        "errors": failures,
    } | _summary(latencies)


def run(smoke: bool) -> dict[str, Any]:
    from earcheck.api.routes.screening import screen
    from earcheck.api.screening import ScreeningIn
    from earcheck.casefile import parse_cases
    from earcheck.db import migrate
    from earcheck.records.determinations import record_determination
    from earcheck.records.keys import Actor, Role, create_key
    from earcheck.settings import Settings

    rate, seconds, baseline_calls = (10.0, 1.0, 10) if smoke else (20.0, 20.0, 200)
    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env({"EARCHECK_HOME": home})
        engine = migrate(settings)
        cli = Actor("cli:bench", Role.ADMIN)
        _, secret = create_key(engine, cli, Role.ANALYST, "benchmark")
        real = (SHARED_DATA / "manifest.json").is_file()
        if real:
            from earcheck.store import Store

            Store.open(settings).import_path(SHARED_DATA, today=date.today())
        workspace, workspace_kind = _workspace(settings, real)
        actor = Actor("benchmark", Role.ANALYST, 1)

        # Baseline: the same work in-process.
        body = ScreeningIn(**SCREENING)
        (case,) = parse_cases(CASE)

        def timed(call: Callable[[], object]) -> list[float]:
            for _ in range(3):  # warm up: the first call loads the lists and the rules
                call()
            out = []
            for _ in range(baseline_calls):
                began = time.perf_counter()
                call()
                out.append(time.perf_counter() - began)
            return out

        inprocess = {
            "screening": _summary(timed(lambda: screen(engine, workspace, actor, body))),
            "determination": _summary(
                timed(lambda: record_determination(engine, actor, case, workspace.determine(case)))
            ),
        }

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_api", "serve", str(port), home, "real" if real else "double"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the benchmark server did not start")
                time.sleep(0.1)
            headers = {"Authorization": f"Bearer {secret}"}
            with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
                for _ in range(5):  # warm up both routes
                    client.post("/api/screenings", json=SCREENING)
                    client.post("/api/determinations", json=CASE)
                http = {
                    "screening": _steady(
                        lambda: client.post("/api/screenings", json=SCREENING).status_code, rate, seconds
                    ),
                    "determination": _steady(
                        lambda: client.post("/api/determinations", json=CASE).status_code, rate, seconds
                    ),
                }
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {
        "workspace": workspace_kind,
        "database": "sqlite",
        "inprocess": inprocess,
        "http": http,
        "ratio_p50": {kind: round(http[kind]["p50_ms"] / max(inprocess[kind]["p50_ms"], 0.001), 2) for kind in http},
    }


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "serve":
        _serve(int(sys.argv[2]), sys.argv[3], sys.argv[4] == "real")
    else:
        print(json.dumps(run(smoke="--smoke" in sys.argv), indent=2))
