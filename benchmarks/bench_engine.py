"""Determinations per second on a generated portfolio (issue 3).

Measured in one process and on all cores, with and without the screening cache, and for 10,000 and
100,000 cases to see how the time grows. The baseline, measured in the same run, is validating the same
case documents into ``Case`` values (pydantic), the cheapest thing every determination must do anyway:
the engine's cost is reported as a ratio to it, which machine noise affects far less than seconds do.
Target: at least 5,000 determinations per second on 2 cores, growing linearly.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.portfolio import SHARED, portfolio
from earcheck.casefile import parse_cases
from earcheck.model import Case
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

TODAY = date(2026, 11, 26)
_WORKSPACE: Workspace | None = None
_CASES: list[Case] = []


def _home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="earcheck-bench-engine-"))
    Store.open(Settings.from_env({"EARCHECK_HOME": str(home)})).import_path(SHARED, today=TODAY)
    return home


def _open(home: Path) -> Workspace:
    """A workspace with the screening index of every list period loaded (each is built once, at import
    or on first use, and then cached on disk: the benchmark measures determinations, not that)."""
    workspace = Workspace.open(Settings.from_env({"EARCHECK_HOME": str(home)}))
    for day in ("2020-01-01", "2022-01-01", "2025-01-01", "2026-08-01"):
        warm = {"as_of": day, "destination": "DE", "parties": [{"name": "Warm Up Ltd."}], "items": [{"eccn": "EAR99"}]}
        workspace.determine(parse_cases(warm)[0], TODAY)
    return workspace


def _run(workspace: Workspace, cases: list[Case], cached: bool) -> float:
    started = time.perf_counter()
    for case in cases:
        if not cached:
            workspace.forget_screenings()
        workspace.determine(case, TODAY)
    return time.perf_counter() - started


def _cpu_ms(workspace: Workspace, cases: list[Case]) -> float:
    """CPU milliseconds per determination (process time: less disturbed than wall time by the other
    processes of a shared machine)."""
    started = time.process_time()
    for case in cases:
        workspace.determine(case, TODAY)
    return round((time.process_time() - started) * 1000 / len(cases), 3)


def _worker(span: tuple[int, int]) -> int:
    assert _WORKSPACE is not None
    for case in _CASES[span[0] : span[1]]:
        _WORKSPACE.determine(case, TODAY)
    return span[1] - span[0]


def _parallel(workspace: Workspace, cases: list[Case], workers: int) -> float:
    """All cores: worker processes forked from the warm workspace (screening index and caches shared
    copy-on-write), as a batch job would run them."""
    global _WORKSPACE, _CASES
    _WORKSPACE, _CASES = workspace, cases  # inherited by the forked workers: nothing is pickled but spans
    chunks = [(i, min(i + 500, len(cases))) for i in range(0, len(cases), 500)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.apply(time.sleep, (0,))
        started = time.perf_counter()
        done = sum(pool.imap_unordered(_worker, chunks))
        elapsed = time.perf_counter() - started
    assert done == len(cases)
    return elapsed


def run(smoke: bool) -> dict[str, Any]:
    sizes = (200, 1000) if smoke else (10_000, 100_000)
    home = _home()
    workspace = _open(home)
    report: dict[str, Any] = {"cores": os.cpu_count(), "sizes": {}}
    for size in sizes:
        documents = portfolio(size)
        started = time.perf_counter()
        cases = [parse_cases(d)[0] for d in documents]
        baseline = time.perf_counter() - started
        cached = _run(workspace, cases, cached=True)
        # Fresh cases of the same kind, once on their own dates and once all on one day (a day's batch of
        # shipments): the second is where the engine's memos by date meet most repetition.
        fresh = [parse_cases(d)[0] for d in portfolio(size, seed=size)][: max(size // 5, 200)]
        cpu_ms = _cpu_ms(workspace, fresh[: len(fresh) // 2])
        one_day = [replace(c, as_of=date(2026, 11, 2)) for c in fresh[len(fresh) // 2 :]]
        one_day_cpu_ms = _cpu_ms(workspace, one_day)
        uncached = _run(workspace, cases[: max(size // 10, 100)], cached=False) * size / max(size // 10, 100)
        parallel = _parallel(workspace, cases, os.cpu_count() or 1)
        answers = [workspace.determine(c, TODAY).license_required for c in cases[:2000]]
        report["sizes"][size] = {
            "baseline_parse_per_s": round(size / baseline),
            "one_process_cached_per_s": round(size / cached),
            "one_process_uncached_per_s": round(size / uncached),
            "all_cores_per_s": round(size / parallel),
            "engine_cost_vs_parse": round(cached / baseline, 2),
            "cpu_ms_per_determination": cpu_ms,
            "cpu_ms_per_determination_one_day": one_day_cpu_ms,
            "answers_sample": {str(v): answers.count(v) for v in (True, False, None)},
        }
    small, large = sizes
    per_case_small = 1 / report["sizes"][small]["one_process_cached_per_s"]
    per_case_large = 1 / report["sizes"][large]["one_process_cached_per_s"]
    report["growth_per_case_time_large_vs_small"] = round(per_case_large / per_case_small, 2)
    report["target_all_cores_per_s"] = 5000
    report["meets_target"] = report["sizes"][large]["all_cores_per_s"] >= 5000
    return report
