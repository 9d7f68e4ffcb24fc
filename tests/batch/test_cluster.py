"""The batch on real clusters: a LocalCluster, and a scheduler with two workers started as separate
processes. Every row is compared with the single-process command's (``earcheck screen --input
--format csv``, ``earcheck check --json``), row for row."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from earcheck.batch.job import Checkpoint, JobKind, JobOptions
from earcheck.batch.run import Cluster, run_job
from earcheck.screening.batch import CSV_COLUMNS
from earcheck.settings import Settings
from earcheck.spreadsheet import safe_cell
from tests.batch.conftest import AS_OF, Processes

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def screen_options(names: Path, output: Path, rows: int = 400) -> JobOptions:
    return JobOptions(JobKind.SCREEN, str(names), str(output), rows, as_of=AS_OF)


def check_options(cases: Path, output: Path, rows: int = 150) -> JobOptions:
    # `earcheck check` decides for the real today: so does the batch here, to compare the two
    return JobOptions(JobKind.CHECK, str(cases), str(output), rows, today=date.today(), full=True)


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.reader(source))


def parquet_rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def assert_screen_equal(batch: list[list[str]], single: list[list[str]]) -> None:
    header = batch[0]
    assert header[: len(CSV_COLUMNS)] == single[0]
    assert {"as_of", "algorithm", "engine", "rules", "lists"} <= set(header)
    assert len(batch) == len(single)
    for ours, theirs in zip(batch[1:], single[1:], strict=True):
        assert ours[: len(CSV_COLUMNS)] == theirs
    by = {name: header.index(name) for name in ("lists", "as_of", "algorithm")}
    assert {row[by["as_of"]] for row in batch[1:]} == {AS_OF.isoformat()}
    assert all("consolidated.csv@2026-07-31" in row[by["lists"]] for row in batch[1:])


def assert_check_equal(rows: list[dict[str, Any]], single: dict[str, Any]) -> None:
    errors = [row for row in rows if row["error"]]
    assert {row["line"] for row in errors} == {101, 301}  # the bad JSON line and the bad destination
    assert "not valid JSON" in next(r["error"] for r in errors if r["line"] == 101)
    assert "unknown country code 'XX'" in next(r["error"] for r in errors if r["line"] == 301)
    good = [row for row in rows if not row["error"]]
    assert [row["id"] for row in good] == list(single)
    for row in good:
        answer = single[row["id"]]
        assert json.loads(row["determination"]) == answer
        assert row["license_required"] == answer["license_required"]
        assert row["as_of"] == answer["as_of"]
        assert row["lists"] == answer["provenance"]["lists"]
        assert json.loads(row["warnings"]) == answer["warnings"]
        matches = [m for s in answer["screening"] for m in s["matches"] if m["band"] == "match"]
        assert row["party_matches"] == len(matches)


def test_a_local_cluster_screens_and_checks_as_one_process(
    real_settings: Settings,
    names_csv: Path,
    single_screen: list[list[str]],
    cases_jsonl: Path,
    single_check: dict[str, Any],
    tmp_path: Path,
) -> None:
    summary = run_job(screen_options(names_csv, tmp_path / "hits.csv"), real_settings, Cluster(workers=2))
    batch = csv_rows(tmp_path / "hits.csv")
    assert_screen_equal(batch, single_screen)
    at = {name: batch[0].index(name) for name in ("band", "error")}
    assert summary.rows == summary.output_rows == len(single_screen) - 1
    assert summary.matches == sum(1 for row in batch[1:] if row[at["band"]] == "match") > 900
    assert summary.errors == sum(1 for row in batch[1:] if row[at["error"]]) == 5
    assert summary.workers == 2
    assert summary.dashboard
    assert summary.dashboard.startswith("http://127.0.0.1:")
    # The state is loaded once per worker process, never per task.
    assert 1 <= summary.worker_loads <= 2 < summary.partitions

    summary = run_job(check_options(cases_jsonl, tmp_path / "answers.parquet"), real_settings, Cluster(workers=2))
    assert_check_equal(parquet_rows(tmp_path / "answers.parquet"), single_check)
    assert summary.counts["required"] + summary.counts["not_required"] + summary.counts["unknown"] == 300


def test_a_scheduler_and_workers_started_apart(
    real_settings: Settings,
    names_csv: Path,
    single_screen: list[list[str]],
    cases_jsonl: Path,
    single_check: dict[str, Any],
    processes: Processes,
    tmp_path: Path,
) -> None:
    cluster = Cluster(scheduler=processes.address)
    summary = run_job(screen_options(names_csv, tmp_path / "hits.parquet"), real_settings, cluster)
    rows = parquet_rows(tmp_path / "hits.parquet")
    as_csv = [[_cell(row[c]) for c in CSV_COLUMNS] for row in rows]
    assert as_csv == single_screen[1:]
    assert summary.workers == 2

    run_job(check_options(cases_jsonl, tmp_path / "answers.csv"), real_settings, cluster)
    # A whole determination (--full) can be longer than the csv module's default field limit (128 KiB).
    limit = csv.field_size_limit(1 << 26)
    try:
        with (tmp_path / "answers.csv").open(newline="", encoding="utf-8") as source:
            answers = [_typed(row) for row in csv.DictReader(source)]
    finally:
        csv.field_size_limit(limit)
    assert_check_equal(answers, single_check)


def _cell(value: Any) -> str:
    """A Parquet value as the CSV output writes it."""
    if isinstance(value, str):
        return str(safe_cell(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _typed(row: dict[str, str]) -> dict[str, Any]:
    words = {"true": True, "false": False, "": None}
    out: dict[str, Any] = dict(row)
    out["line"] = int(row["line"])
    out["license_required"] = words[row["license_required"]]
    out["party_matches"] = int(row["party_matches"]) if row["party_matches"] else None
    out["error"] = row["error"] or None
    return out


def test_a_worker_loads_the_in_memory_screener_once_per_job_never_per_task(
    real_settings: Settings, names_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tasks of one job run one after another in this process, as on one worker process: the
    state is loaded by the first, from the index pack the client prepared, and kept for the rest."""
    from earcheck.batch import run

    loads: list[Any] = []
    load = run._load

    def counted(work: run.Work) -> Any:
        loads.append(load(work))
        return loads[-1]

    monkeypatch.setattr(run, "_load", counted)
    monkeypatch.setattr(run, "_LOADED", {})
    options = screen_options(names_csv, tmp_path / "hits.csv", rows=300)
    job = run._plan_job(options, real_settings, None)
    run._prepare_indexes(job, real_settings, run.screening_config(options))
    checkpoint = Checkpoint(tmp_path / "hits.csv.parts")
    checkpoint.start(job)
    work = run.Work(job, str(real_settings.home), real_settings.database_url, str(checkpoint.folder))
    stats = [run.run_partition(partition, work) for partition in job.plan.partitions]
    assert len(stats) >= 8
    assert len(loads) == 1
    assert [s.setup_seconds > 0 for s in stats] == [True] + [False] * (len(stats) - 1)
    screener = loads[0].screener
    assert isinstance(screener.index.vocab, dict), "the lookups are copied into dictionaries, not mapped per task"
    assert screener.index.stored_entries is not None, "the entries come from the pack the client built"
