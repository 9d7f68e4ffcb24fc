"""Supply chains (issue 12): a 1,000,000-line BOM rolled up, and an impact scenario over 100,000 cases.

- Rollup: a generated multi-level BOM (1,000 sub-assemblies, each with its parts; US-origin parts of a dozen
  ECCNs, foreign parts, discrete and own sub-assemblies) decided for China on 2026-08-01: ``with_boms`` and
  ``rollup`` end to end, the engine's de minimis answer included (the column-wise walk; each line is written
  out when read). Baseline in the same run: one plain pass over ``Bom.placements()`` summing their values --
  the least a line-by-line rollup must do. Target: under 2 s. Wall and CPU (process_time) seconds both.
- Impact: the generated portfolio of ``benchmarks.portfolio`` under a scenario listing one of its customers
  and moving one destination between Country Groups, in one process (``impact``; baseline: validating the
  same case documents) and through ``batch impact`` on a LocalCluster of 2 workers (one thread each) from a
  JSON Lines file, with the job's wall seconds (cluster start, workers loading the data, planning and the
  output included), the workers' CPU seconds, and the ratio of wall seconds to the single-process run's.
  Both report re-evaluated and skipped counts and the determinations made. Target: under 60 s on 2 cores.
  ``--smoke``: 2,000 cases (the batch run in partitions of 500).
Memory: the process's peak resident set (ru_maxrss), for what it is worth with the data loaded; for the batch
run, each worker's largest resident set at the end of one of its partitions.
"""

from __future__ import annotations

import json
import os
import random
import resource
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.portfolio import SHARED, portfolio
from earcheck.batch.job import JobKind, JobOptions, PartStats
from earcheck.batch.run import Cluster, run_job
from earcheck.casefile import parse_cases
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.supplychain.bom import Bom, BomLine
from earcheck.supplychain.impact import impact, summarise
from earcheck.supplychain.rollup import rollup, with_boms
from earcheck.supplychain.scenario import parse_scenario
from earcheck.workspace import Workspace

TODAY = date(2026, 11, 26)
ECCNS = ["3A001.a.1", "3A991.a", "5A991", "EAR99", "EAR99", "4A994.b", "5A992.c", "3A001.b.2", None]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workspace() -> tuple[Settings, Workspace]:
    home = Path(tempfile.mkdtemp(prefix="earcheck-bench-supply-"))
    settings = Settings.from_env({"EARCHECK_HOME": str(home)})
    Store.open(settings).import_path(SHARED, today=TODAY)
    return settings, Workspace.open(settings)


def generated_bom(lines: int, seed: int = 12) -> Bom:
    rng = random.Random(seed)
    out = [BomLine(2, "top", None, Decimal(1), Decimal(10_000_000), "USD", "CN", "5A992.c")]
    groups = max(1, lines // 1000)
    row = 3
    for group in range(groups):
        name = f"sub{group}"
        out.append(
            BomLine(
                row,
                name,
                "top",
                Decimal(1),
                Decimal(1000),
                "USD",
                rng.choice(["CN", "KR", "US"]),
                None,
                discrete_product=rng.choice([True, False]),
            )
        )
        row += 1
        for part in range(lines // groups - 1):
            origin = rng.choice(["US", "US", "CN", "JP", None])
            out.append(
                BomLine(
                    row,
                    f"{name}-p{part}",
                    name,
                    Decimal(rng.randint(1, 4)),
                    Decimal(rng.randint(1, 200)) / 100,
                    "USD",
                    origin,
                    rng.choice(ECCNS),
                )
            )
            row += 1
    return Bom(tuple(out), "generated")


def _rollup(workspace: Workspace, lines: int) -> dict[str, Any]:
    bom = generated_bom(lines)
    bom_id = "bench"
    started, base_cpu = time.perf_counter(), time.process_time()
    baseline = sum((p.value for p in bom.placements()), Decimal(0))
    base_seconds, base_cpu = time.perf_counter() - started, time.process_time() - base_cpu
    document = {"as_of": "2026-08-01", "destination": "CN", "parties": [], "items": [{"id": "top", "bom": bom_id}]}
    case = parse_cases(document)[0]
    context = workspace.context(date(2026, 8, 1))
    before_rss = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    case = with_boms(case, lambda _: bom)
    result = rollup(case, 0, bom, context, TODAY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "lines": len(bom.lines),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "baseline_walk_seconds": round(base_seconds, 3),
        "baseline_walk_cpu_seconds": round(base_cpu, 3),
        "ratio_to_baseline": round(seconds / base_seconds, 2) if base_seconds else None,
        "cpu_ratio_to_baseline": round(cpu / base_cpu, 2) if base_cpu else None,
        "peak_rss_growth_mb": round(_rss_mb() - before_rss, 1),  # the walk's columns (the BOM is built before)
        "share_percent": round(result.share_percent or 0, 3),
        "subject": result.subject,
        "target_seconds": 2.0,
        "walked_value": float(baseline),
    }


def _scenario(documents: list[dict[str, Any]]) -> dict[str, Any]:
    customer = next(p["name"] for d in documents for p in d.get("parties") or [] if "Kestrel" in p["name"])
    return {
        "name": "bench",
        "changes": [
            {"add_entry": {"name": customer, "effective": "2019-01-01", "footnotes": [1]}},
            {"move_country": {"country": "TH", "effective": "2022-01-01", "add_groups": ["D:5"]}},
        ],
    }


def _impact(workspace: Workspace, count: int) -> dict[str, Any]:
    documents = portfolio(count)
    started = time.perf_counter()
    cases = [parse_cases(d)[0] for d in documents]
    base_seconds = time.perf_counter() - started
    scenario = parse_scenario(_scenario(documents))
    started, cpu = time.perf_counter(), time.process_time()
    summary = summarise(impact(cases, scenario, workspace.context, TODAY))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "cases": summary.total,
        "reevaluated": summary.reevaluated,
        "skipped": summary.skipped,
        "changed": summary.changed,
        "determinations": summary.determinations,
        "skipped_why": dict(list(summary.skipped_why.items())[:5]),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "baseline_validate_seconds": round(base_seconds, 2),
        "ratio_to_baseline": round(seconds / base_seconds, 2) if base_seconds else None,
        "peak_rss_mb": round(_rss_mb(), 1),
        "target_seconds": 60.0,
    }


def _batch_impact(settings: Settings, count: int, partition_rows: int, single: dict[str, Any]) -> dict[str, Any]:
    """``batch impact`` on 2 workers over the cases ``_impact`` decided (the same documents, as JSON Lines)."""
    from distributed import LocalCluster

    folder = Path(tempfile.mkdtemp(prefix="earcheck-bench-impact-"))
    documents = portfolio(count)
    source, scenario = folder / "cases.jsonl", folder / "scenario.json"
    source.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    scenario.write_text(json.dumps(_scenario(documents)), encoding="utf-8")
    options = JobOptions(
        JobKind.IMPACT, str(source), str(folder / "impact.parquet"), partition_rows, today=TODAY, scenario=str(scenario)
    )
    memory: dict[str, float] = {}

    def seen(stats: PartStats) -> None:
        memory[stats.worker] = max(memory.get(stats.worker, 0.0), stats.memory_mib)

    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address="127.0.0.1:0") as local:
        summary = run_job(options, settings, Cluster(scheduler=local.scheduler_address), on_partition=seen)
    seconds = time.perf_counter() - started  # the cluster's start and stop included
    cpu = summary.partition_cpu_seconds * summary.partitions
    return {
        "cases": summary.rows,
        "reevaluated": summary.counts.get("reevaluated", 0),
        "skipped": summary.counts.get("skipped", 0),
        "changed": summary.counts.get("changed", 0),
        "determinations": summary.counts.get("determinations", 0),
        "errors": summary.errors,
        "workers": summary.workers,
        "partitions": summary.partitions,
        "seconds": round(seconds, 2),
        "job_seconds": summary.seconds,  # run_job's own wall time (the cluster already started)
        "worker_cpu_seconds": round(cpu, 2),  # every partition's CPU time, both workers added up
        "ratio_to_single_process": round(seconds / single["seconds"], 2) if single["seconds"] else None,
        "cpu_ratio_to_single_process": round(cpu / single["cpu_seconds"], 2) if single["cpu_seconds"] else None,
        "peak_worker_rss_mib": dict(sorted(memory.items())),
        "same_counts_as_single_process": [summary.counts.get(k, 0) for k in ("reevaluated", "skipped", "changed")]
        == [single["reevaluated"], single["skipped"], single["changed"]],
        "load_average_after": round(os.getloadavg()[0], 2),
        "target_seconds": 60.0,
    }


def run(smoke: bool) -> dict[str, Any]:
    settings, workspace = _workspace()
    # Warm up: the first decisions load the tables' readings and each list period's screening index (as
    # bench_engine does); the numbers are for a server or batch worker that is already running.
    _rollup(workspace, 200)
    _impact(workspace, 100)
    rolled = _rollup(workspace, 20_000 if smoke else 1_000_000)
    cases = 2_000 if smoke else 100_000
    single = _impact(workspace, cases)
    return {
        "rollup": rolled,
        "impact": single,
        "batch_impact": _batch_impact(settings, cases, 500 if smoke else 5_000, single),
        "peak_rss_mb": round(_rss_mb(), 1),
        "note": "seconds on a shared 2-core machine; compare the ratios and CPU seconds (process_time)",
    }
