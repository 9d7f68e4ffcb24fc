"""The Dask batch (issue 13): rows per second with 1 and 2 workers, per-worker memory, and the
single-process figures of today in the same run; delta mode's speed-up over a full re-screen.

- Screening: ``names`` generated names (``bench_screening.million_names``: Faker word pools of twenty
  locales, the labelled positives mixed in), screened by ``earcheck.screening.batch.screen_rows`` in
  one process (the baseline) and by ``batch screen`` on a LocalCluster of 1 and of 2 workers.
- Determinations: ``cases`` generated cases (``portfolio.py``), decided by ``Workspace.determine`` in
  one process (the baseline) and by ``batch check`` on 1 and 2 workers.
- Delta: the same names (a share of them real SDN names of either snapshot) screened in full for
  2024-06-01 and in delta mode since 2022-01-01 (the two SDN snapshots govern those dates). Delta
  mode screens every name on both dates (``earcheck.batch.delta`` says why), so its "speed-up" over
  one full screening is about 0.5: reported, not hoped for. A sample is also screened in full on both
  dates to check that delta mode reported every changed hit (``not_seen_by_delta``).

Rates are wall-clock rows per second of the whole job (cluster start, state loading, planning and the
output included), so the speed-up is what a user sees. ``EARCHECK_BENCH_BATCH_ROWS`` sets the number
of names (default 1,000,000) and ``EARCHECK_BENCH_BATCH_CASES`` the number of cases (default: as many
as names; a determination costs about ten names' screening, so a shorter run takes fewer);
``EARCHECK_BENCH_BATCH_SINGLE`` how many of them the single-process baselines take (default 100,000);
``--smoke``: 300 names and 100 cases, on one LocalCluster of 2 workers shared by its jobs. The machine
is shared: the report records the load average before, after each job and at the end, and numbers
taken under contention are indicative only. ``rows_per_task_second`` is a worker process's own rate
(rows per second of task time), the per-partition cost the estimate in ``docs/batch.md`` rests on.
"""

from __future__ import annotations

import csv
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_screening import million_names
from benchmarks.portfolio import SHARED, portfolio
from earcheck.batch.delta import hit_changes, list_change
from earcheck.batch.job import JobKind, JobOptions
from earcheck.batch.run import Cluster, Summary, run_job
from earcheck.casefile import parse_cases
from earcheck.screening.batch import Row, screen_rows
from earcheck.screening.screener import ScreeningConfig
from earcheck.screening.snapshots import screener_for
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

TODAY = date(2026, 11, 26)
AS_OF = date(2026, 8, 1)
SINCE, DAY = date(2022, 1, 1), date(2024, 6, 1)


def _settings(folder: Path) -> Settings:
    home = folder / "home"
    settings = Settings(home, f"sqlite:///{home / 'earcheck.db'}")
    Store.open(settings).import_path(SHARED, today=TODAY)
    return settings


def _sdn_names() -> list[str]:
    names = []
    for file in ("sdn-2021-08-18.csv", "sdn-2024-05-03.csv"):
        with (SHARED / "ofac" / file).open(encoding="latin-1", newline="") as source:
            names += [row[1] for row in csv.reader(source) if len(row) > 1]
    return names


def _write_names(path: Path, count: int) -> None:
    sdn = _sdn_names()
    rng = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name"])
        for number, name in enumerate(million_names(count, seed=17, extra=())):
            # One name in twenty from either SDN file, so that delta mode has work near the changes.
            writer.writerow([f"n{number}", rng.choice(sdn) if number % 20 == 0 else name])


def _write_cases(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        done, seed = 0, 1
        while done < count:  # in slices, so that a million cases never sit in memory at once
            for case in portfolio(min(50_000, count - done), seed=seed):
                case["id"] = f"{case['id']}-{seed}"
                out.write(json.dumps(case) + "\n")
            done, seed = done + min(50_000, count - done), seed + 1


def _job(kind: JobKind, source: Path, output: Path, rows: int, **values: Any) -> JobOptions:
    return JobOptions(kind, str(source), str(output), rows, **values)


def _figures(summary: Summary) -> dict[str, Any]:
    return {
        "rows": summary.rows,
        "seconds": summary.seconds,
        "rows_per_second": summary.rows_per_second,
        "workers": summary.workers,
        "partitions": summary.partitions,
        "partition_seconds_mean": summary.partition_seconds,
        # a worker process's own rate: rows per second of task time (no cluster start, no planning)
        "rows_per_task_second": round(summary.rows / (summary.partition_seconds * summary.partitions), 1)
        if summary.partition_seconds
        else None,
        # the same per second of the tasks' CPU time: equal with 1 and 2 workers when nothing but the
        # cores limits the speed-up (no lock, no shared file, no scheduler in the way)
        "rows_per_cpu_second": round(summary.rows / (summary.partition_cpu_seconds * summary.partitions), 1)
        if summary.partition_cpu_seconds
        else None,
        # CPU milliseconds per row on a worker: the figure to compare across worker counts on a
        # machine shared with other work (wall-clock speed-ups there measure the other work)
        "cpu_ms_per_row": round(1000 * summary.partition_cpu_seconds * summary.partitions / summary.rows, 3)
        if summary.rows
        else None,
        "worker_loads": summary.worker_loads,
        "max_worker_rss_mib": summary.max_worker_mib,
        "matches": summary.matches,
        "errors": summary.errors,
        "load_average_after": os.getloadavg()[0],  # how busy the shared machine was
    }


def _single_screen(settings: Settings, names: Path, limit: int) -> dict[str, Any]:
    started = time.perf_counter()
    screener = screener_for(Store.open(settings), settings.home, AS_OF, ScreeningConfig())
    with names.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        rows = (Row(n + 2, row[0], row[1], None) for n, row in zip(range(limit), reader, strict=False))
        count = sum(1 for _ in screen_rows(screener, rows, AS_OF, processes=1))
    seconds = time.perf_counter() - started
    return {"rows": count, "seconds": round(seconds, 2), "rows_per_second": round(count / seconds, 1)}


def _single_check(settings: Settings, cases: Path, limit: int) -> dict[str, Any]:
    started = time.perf_counter()
    workspace = Workspace.open(settings)
    count = 0
    with cases.open(encoding="utf-8") as source:
        for _, line in zip(range(limit), source, strict=False):
            workspace.determine(parse_cases(json.loads(line))[0], TODAY)
            count += 1
    seconds = time.perf_counter() - started
    return {"rows": count, "seconds": round(seconds, 2), "rows_per_second": round(count / seconds, 1)}


def _missed_by_delta(
    settings: Settings, names: Path, reported: set[tuple[str, str, str]], sample: int
) -> dict[str, Any]:
    """Full re-screens of the first ``sample`` names on both dates: the changed hits delta mode did
    not report (none, since delta mode screens every name on both dates; counted to show it), and how
    many of them moved a hit across a band (match, review, none)."""
    store = Store.open(settings)
    old = screener_for(store, settings.home, SINCE, ScreeningConfig())
    new = screener_for(store, settings.home, DAY, ScreeningConfig())
    change = list_change(old.entries, new.entries)
    missed = band_moves = total = 0
    with names.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        for _, (row_id, name) in zip(range(sample), reader, strict=False):
            for found in hit_changes(old.screen(name, None, SINCE), new.screen(name, None, DAY), change):
                total += 1
                if (row_id, found.change, found.hit.entry.list_id) in reported:
                    continue
                missed += 1
                old_band = found.old.band if found.old else None
                new_band = found.new.band if found.new else None
                band_moves += old_band != new_band
    return {"names": sample, "changed_hits": total, "missed": missed, "missed_that_moved_a_band": band_moves}


def run(smoke: bool) -> dict[str, Any]:
    if not smoke:
        return _run(smoke, lambda workers: Cluster(workers=workers))
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address="127.0.0.1:0") as local:
        return _run(smoke, lambda workers: Cluster(scheduler=local.scheduler_address))


def _run(smoke: bool, cluster: Callable[[int], Cluster]) -> dict[str, Any]:
    # The inputs, outputs and checkpoints of a full run take a few GB: removed when it ends.
    with tempfile.TemporaryDirectory(prefix="earcheck-bench-batch-") as folder:
        return _measure(smoke, cluster, Path(folder))


def _measure(smoke: bool, cluster: Callable[[int], Cluster], folder: Path) -> dict[str, Any]:
    rows = 300 if smoke else int(os.environ.get("EARCHECK_BENCH_BATCH_ROWS", "1000000"))
    case_count = 100 if smoke else int(os.environ.get("EARCHECK_BENCH_BATCH_CASES", str(rows)))
    # The smoke run proves the code works: one size of cluster, tiny inputs (its rates mean nothing).
    sizes = (2,) if smoke else (1, 2)
    partition = 100 if smoke else max(500, rows // 100)
    report: dict[str, Any] = {
        "rows": rows, "cases": case_count, "cores": os.cpu_count(), "load_before": os.getloadavg()
    }  # fmt: skip
    settings = _settings(folder)
    names, cases = folder / "names.csv", folder / "cases.jsonl"
    _write_names(names, rows)
    _write_cases(cases, case_count)

    # The single-process baselines run over the first ``single`` rows of the same inputs: a rate per
    # row, steady after the first thousands, so a million rows more would only cost an hour (the
    # determinations) without changing it. Their row counts are in the report.
    single = int(os.environ.get("EARCHECK_BENCH_BATCH_SINGLE", "100000"))
    screening: dict[str, Any] = {"single_process": _single_screen(settings, names, single)}
    for workers in sizes:
        job = _job(JobKind.SCREEN, names, folder / f"hits-{workers}.parquet", partition, as_of=AS_OF)
        screening[f"workers_{workers}"] = _figures(run_job(job, settings, cluster(workers)))
    if not smoke:
        screening["speedup_2_vs_1"] = round(
            screening["workers_2"]["rows_per_second"] / screening["workers_1"]["rows_per_second"], 2
        )
    screening["workers_2_vs_single_process"] = round(
        screening["workers_2"]["rows_per_second"] / screening["single_process"]["rows_per_second"], 2
    )
    report["screening"] = screening

    checking: dict[str, Any] = {"single_process": _single_check(settings, cases, single)}
    case_partition = 50 if smoke else max(250, case_count // 100)
    for workers in sizes:
        job = _job(JobKind.CHECK, cases, folder / f"answers-{workers}.parquet", case_partition, today=TODAY)
        checking[f"workers_{workers}"] = _figures(run_job(job, settings, cluster(workers)))
    if not smoke:
        checking["speedup_2_vs_1"] = round(
            checking["workers_2"]["rows_per_second"] / checking["workers_1"]["rows_per_second"], 2
        )
    report["determinations"] = checking

    # The baseline: what a user without delta mode runs, the names screened in full on the new date
    # (the old date's results being kept from the night before). Delta mode screens both dates.
    full = run_job(_job(JobKind.SCREEN, names, folder / "full.csv", partition, as_of=DAY), settings, cluster(2))
    delta_out = folder / "delta.csv"
    delta = run_job(
        _job(JobKind.DELTA, names, delta_out, partition, as_of=DAY, since=SINCE.isoformat()),
        settings,
        cluster(2),
    )
    with delta_out.open(newline="", encoding="utf-8") as source:
        reported = {(r["id"], r["change"], r["list_id"]) for r in csv.DictReader(source) if not r["error"]}
    report["delta"] = {
        "since": SINCE.isoformat(),
        "as_of": DAY.isoformat(),
        "full_rescreen": _figures(full),
        "delta": _figures(delta) | {"counts": delta.counts},
        "speedup_vs_full_rescreen": round(full.seconds / delta.seconds, 2),
        "cpu_speedup_vs_full_rescreen": round(
            (full.partition_cpu_seconds * full.partitions) / (delta.partition_cpu_seconds * delta.partitions), 2
        )
        if delta.partition_cpu_seconds
        else None,
        "not_seen_by_delta": _missed_by_delta(settings, names, reported, min(rows, 20_000)),
    }
    report["load_after"] = os.getloadavg()
    report["targets"] = {"speedup_2_vs_1": 1.8}
    return report
