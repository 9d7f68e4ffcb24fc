"""A batch job on Dask's distributed scheduler: planned on the client, one task per partition.

The client plans the job (``job.Job``), makes sure the screening indexes it needs are built (so that
workers only load them), and submits one task per unfinished partition. The task's description (the
``Work``) is scattered once to every worker; each worker process opens earcheck's state itself, once
per job, from the same immutable files the client used (``EARCHECK_HOME``'s database and index, or the
shared database): the index and rule data are never shipped per task. A worker whose state does not
rest on the job's basis (another engine version, other list snapshots) refuses the work rather than
answer on another basis.

Each task writes its partition's part and counts into the checkpoint (``job.Checkpoint``). A task run
twice (its worker was lost after writing) writes the same bytes, so a killed worker or client costs
only the partitions that were under way; the output is assembled from the parts once all are there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from earcheck import __version__
from earcheck.batch.delta import ListChange, hit_changes, list_change
from earcheck.batch.impact import impact_rows, prepare_case, scenario_basis
from earcheck.batch.inputs import BadCase, case_rows, check_header, screening_rows
from earcheck.batch.job import Checkpoint, Job, JobKind, JobOptions, PartStats, differences, file_sha256
from earcheck.batch.outputs import (
    CHECK_COLUMNS,
    DELTA_COLUMNS,
    DETERMINATION_COLUMN,
    IMPACT_COLUMNS,
    SCREEN_COLUMNS,
    Columns,
    assemble,
    output_format,
    write_part,
)
from earcheck.batch.partitions import Partition, plan
from earcheck.casefile import determination_json
from earcheck.engine.context import rules_revision
from earcheck.errors import BatchFailed, EarcheckError, InputError
from earcheck.lists import Band, Hit
from earcheck.model import Determination, Outcome
from earcheck.screening.batch import BadRow, best_hit, screen_row
from earcheck.screening.screener import Screener, ScreeningConfig
from earcheck.screening.snapshots import prepare, screener_for
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.supplychain.scenario import Scenario, read_scenario
from earcheck.workspace import Workspace

__all__ = ["Cluster", "Summary", "Work", "columns_of", "resolve_since", "run_job", "run_partition", "screening_config"]

DEFAULT_PARTITION_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Cluster:
    """Where the tasks run: an existing scheduler, or a ``LocalCluster`` of ``workers`` processes."""

    scheduler: str | None = None
    workers: int = 2
    connect_seconds: float = 30.0  # how long to try reaching the scheduler


@dataclass(frozen=True, slots=True)
class Work:
    """What every task of a job needs besides its partition (scattered once to each worker)."""

    job: Job
    home: str
    database_url: str
    checkpoint: str

    @property
    def settings(self) -> Settings:
        return Settings(Path(self.home), self.database_url)

    @property
    def config(self) -> ScreeningConfig:
        return screening_config(self.job.options)


def screening_config(options: JobOptions) -> ScreeningConfig:
    """The screening thresholds and algorithm of a job (the defaults where none was given)."""
    defaults = ScreeningConfig()
    return ScreeningConfig(
        match_threshold=defaults.match_threshold if options.match_threshold is None else options.match_threshold,
        review_threshold=defaults.review_threshold if options.review_threshold is None else options.review_threshold,
        algorithm=options.algorithm or defaults.algorithm,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    job: str
    output: str
    rows: int
    output_rows: int
    matches: int
    reviews: int
    errors: int
    partitions: int
    resumed: int  # partitions found finished in the checkpoint (not run again)
    seconds: float  # this run's wall time
    rows_per_second: float  # rows of the partitions this run did, per second of its wall time
    workers: int
    worker_loads: int  # how many times a worker process loaded earcheck's state (once per worker)
    partition_seconds: float  # mean task time per partition (on its worker)
    partition_cpu_seconds: float  # mean CPU time per partition (on its worker)
    max_worker_mib: float
    counts: dict[str, int]
    dashboard: str | None
    basis: dict[str, str]

    def document(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def columns_of(job: Job) -> Columns:
    kind = job.options.kind
    if kind is JobKind.SCREEN:
        return SCREEN_COLUMNS
    if kind is JobKind.DELTA:
        return DELTA_COLUMNS
    if kind is JobKind.IMPACT:
        return IMPACT_COLUMNS
    return CHECK_COLUMNS + DETERMINATION_COLUMN if job.options.full else CHECK_COLUMNS


# --- the basis: what the output rests on ------------------------------------------------------------


def _screen_basis(store: Store, day: date, config: ScreeningConfig) -> dict[str, str]:
    return {
        "engine": __version__,
        "rules": rules_revision(),
        "lists": store.list_basis(day).version,
        "algorithm": config.algorithm,
    }


def basis_of(
    kind: JobKind, store: Store, day: date, since: date | None, config: ScreeningConfig, scenario: str | None = None
) -> dict[str, str]:
    """The versions a job's rows rest on: checked when a job resumes and by every worker."""
    if kind in (JobKind.CHECK, JobKind.IMPACT):
        lists = [info for info in store.snapshots() if info.kind.is_list]
        version = "; ".join(f"{i.file_name}@{i.as_of.isoformat()}#{i.id[:8]}" for i in lists) or "none"
        found = {"engine": __version__, "rules": rules_revision(), "lists": version, "algorithm": config.algorithm}
        if kind is JobKind.IMPACT:
            assert scenario is not None, "an impact job has a scenario"
            found["scenario"] = scenario_basis(Path(scenario))
        return found
    found = _screen_basis(store, day, config)
    if kind is JobKind.DELTA:
        assert since is not None, "a delta job has a since date"
        found["since_lists"] = store.list_basis(since).version
    return found


def resolve_since(store: Store, text: str) -> date:
    """``--since``: a date, or a list snapshot (by its id or a prefix of it) whose date is taken."""
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text)
    found = [info for info in store.snapshots() if info.kind.is_list and info.id.startswith(text.lower())]
    if len(found) != 1:
        known = ", ".join(f"{i.id[:8]} ({i.file_name}, {i.as_of.isoformat()})" for i in store.snapshots())
        problem = "no list snapshot" if not found else "more than one list snapshot"
        raise InputError(f"--since {text!r}: not a date (YYYY-MM-DD) and {problem} has that id; loaded: {known}")
    return found[0].as_of


# --- on the workers --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Loaded:
    """One worker process's state for one job, opened the first time one of its tasks runs."""

    screener: Screener | None = None  # screen: the lists of the job's day
    workspace: Workspace | None = None  # check, impact
    scenario: Scenario | None = None  # impact
    old: Screener | None = None  # delta: the lists of ``since``
    change: ListChange | None = None


# A worker process keeps the state of the last job it worked for (a new job replaces it).
_LOADED: dict[str, _Loaded] = {}


def _load(work: Work) -> _Loaded:
    job, settings, config = work.job, work.settings, work.config
    store = Store.open(settings)
    since = job.since
    found = basis_of(job.options.kind, store, job.day, since, config, job.options.scenario)
    if found != dict(job.basis):
        changed = [
            f"{k}: {job.basis.get(k)!r} for the job, {v!r} here" for k, v in found.items() if job.basis.get(k) != v
        ]
        raise BatchFailed(
            f"worker {socket.gethostname()} (pid {os.getpid()}) does not rest on the job's basis: "
            f"{'; '.join(changed)} (every worker must see the same EARCHECK_HOME or database)"
        )
    loaded = _Loaded()
    home = settings.ensure_home()
    if job.options.kind in (JobKind.CHECK, JobKind.IMPACT):
        loaded.workspace = Workspace.open(settings, config)
        if job.options.kind is JobKind.IMPACT:
            assert job.options.scenario is not None
            loaded.scenario = read_scenario(Path(job.options.scenario))  # its SHA-256 was checked just now
        return loaded
    # Long runs: the index's lookups copied into dictionaries once per worker process (a dictionary
    # lookup is cheaper than a mapped one), from the pack every process maps from the same file.
    loaded.screener = new = screener_for(store, home, job.day, config).in_memory()
    if job.options.kind is JobKind.DELTA:
        assert since is not None, "a delta job has a since date"
        loaded.old = screener_for(store, home, since, config).in_memory()
        loaded.change = list_change(loaded.old.entries, new.entries)
    return loaded


def _state(work: Work) -> tuple[_Loaded, float]:
    """This process's state for the job, and the seconds spent loading it (0 when already loaded)."""
    key = work.job.id + work.checkpoint
    found = _LOADED.get(key)
    if found is not None:
        return found, 0.0
    started = time.perf_counter()
    _LOADED.clear()
    found = _LOADED[key] = _load(work)
    return found, time.perf_counter() - started


def _worker_name() -> str:
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        return str(get_worker().address)
    return f"{socket.gethostname()}:{os.getpid()}"


def _memory_mib() -> float:
    import psutil

    return round(float(psutil.Process().memory_info().rss) / 2**20, 1)


def run_partition(partition: Partition, work: Work) -> PartStats:
    """Do one partition: write its part, then its counts (which mark it finished). Runs on a worker."""
    started, cpu_started = time.perf_counter(), time.process_time()
    job = work.job
    checkpoint = Checkpoint(Path(work.checkpoint))
    # The scheduler runs a task again when its worker died after writing the part but before reporting
    # it done: a finished part is final, and the second run hands back its counts instead of redoing it.
    if (done := checkpoint.finished(partition.number, job.output_format)) is not None:
        return done
    loaded, setup = _state(work)
    path = Path(job.options.input)
    counts: dict[str, int] = {}
    if job.options.kind is JobKind.SCREEN:
        assert loaded.screener is not None
        rows = _screen(loaded.screener, path, job, partition)
    elif job.options.kind is JobKind.DELTA:
        rows = _delta(loaded, path, job, partition, counts)
    elif job.options.kind is JobKind.IMPACT:
        rows = _impact(loaded, path, job, partition, counts)
    else:
        assert loaded.workspace is not None
        rows = _check(loaded.workspace, path, job, partition, counts)
    write_part(checkpoint.part(partition.number, job.output_format), columns_of(job), rows, job.output_format)
    columns = columns_of(job).names
    at_error = columns.index("error")
    if job.options.kind is JobKind.CHECK:
        matches = sum(1 for row in rows if (row[columns.index("party_matches")] or 0) > 0)
        reviews = sum(1 for row in rows if (row[columns.index("party_reviews")] or 0) > 0)
    elif job.options.kind is JobKind.IMPACT:
        matches = sum(1 for row in rows if row[columns.index("changed")])
        reviews = 0
    elif job.options.kind is JobKind.DELTA:
        matches = sum(1 for row in rows if row[columns.index("new_band")] == Band.MATCH.value)
        reviews = sum(1 for row in rows if row[columns.index("new_band")] == Band.REVIEW.value)
    else:
        matches = sum(1 for row in rows if row[columns.index("band")] == Band.MATCH.value)
        reviews = sum(1 for row in rows if row[columns.index("band")] == Band.REVIEW.value)
    stats = PartStats(
        number=partition.number,
        rows=partition.rows,
        output_rows=len(rows),
        matches=matches,
        reviews=reviews,
        errors=sum(1 for row in rows if row[at_error] is not None),
        seconds=round(time.perf_counter() - started, 4),
        worker=_worker_name(),
        memory_mib=_memory_mib(),
        counts=counts,
        setup_seconds=round(setup, 4),
        cpu_seconds=round(time.process_time() - cpu_started, 4),
    )
    checkpoint.write_stats(stats)
    return stats


def _screen(screener: Screener, path: Path, job: Job, partition: Partition) -> list[tuple[Any, ...]]:
    config, basis = screener.config, job.basis
    tail = (
        job.day.isoformat(), config.algorithm, config.match_threshold, config.review_threshold,
        basis["engine"], basis["rules"], basis["lists"],
    )  # fmt: skip
    return [
        (*best_hit(*screen_row(screener, row, job.day)), *tail) for row in screening_rows(path, job.plan, partition)
    ]


def _delta(
    loaded: _Loaded, path: Path, job: Job, partition: Partition, counts: dict[str, int]
) -> list[tuple[Any, ...]]:
    new, old, change, since = loaded.screener, loaded.old, loaded.change, job.since
    if new is None or old is None or change is None or since is None:
        raise AssertionError("a delta job loads the lists of both dates")
    config, basis = new.config, job.basis
    tail = (
        since.isoformat(), basis["since_lists"], job.day.isoformat(), basis["lists"], config.algorithm,
        config.match_threshold, config.review_threshold, basis["engine"], basis["rules"],
    )  # fmt: skip
    out: list[tuple[Any, ...]] = []
    screened = 0
    for row in screening_rows(path, job.plan, partition):
        if isinstance(row, BadRow):
            out.append((row.id or "", row.line, *(None,) * 12, row.error, *tail))
            continue
        # Every name is screened on both dates: see ``earcheck.batch.delta`` for why no name can be
        # left out (a word's weight depends on the whole list). A name near no listed name costs only
        # the screener's first step on each side (its score bounds).
        screened_before, before = screen_row(old, row, since)
        screened_after, after = screen_row(new, row, job.day)
        bad = next((r for r in (screened_before, screened_after) if isinstance(r, BadRow)), None)
        if bad is not None:
            out.append((row.id, row.line, *(None,) * 12, bad.error, *tail))
            continue
        screened += 1
        for found in hit_changes(before, after, change):
            hit = found.hit
            counts[found.change] = counts.get(found.change, 0) + 1
            out.append(
                (
                    row.id, row.line, found.change, found.entry.value, hit.entry.list_code.value, hit.entry.list_id,
                    hit.entry.name, hit.matched_name, *_side(found.old), *_side(found.new), None, *tail,
                )
            )  # fmt: skip
    counts["rescreened"] = screened
    return out


def _side(hit: Hit | None) -> tuple[Any, Any, Any]:
    if hit is None:
        return None, None, None
    return hit.score, hit.band.value, hit.status.in_force


def _check(
    workspace: Workspace, path: Path, job: Job, partition: Partition, counts: dict[str, int]
) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    full = job.options.full
    for item in case_rows(path, job.plan, partition):
        if isinstance(item, BadCase):
            out.append(_check_error(item.id, item.line, item.error, job, full))
            continue
        try:
            answer = workspace.determine(item.case, job.day)
        except EarcheckError as error:
            out.append(_check_error(item.id, item.line, f"{path}, line {item.line}: {error}", job, full))
            continue
        except Exception as error:  # a bug must cost one case, never the batch and its other cases
            problem = f"{path}, line {item.line}: could not be decided ({error!r})"
            out.append(_check_error(item.id, item.line, problem, job, full))
            continue
        word = {True: "required", False: "not_required", None: "unknown"}[answer.license_required]
        counts[word] = counts.get(word, 0) + 1
        out.append(_check_row(item.id, item.line, answer, job, full))
    return out


def _impact(
    loaded: _Loaded, path: Path, job: Job, partition: Partition, counts: dict[str, int]
) -> list[tuple[Any, ...]]:
    workspace, scenario = loaded.workspace, loaded.scenario
    if workspace is None or scenario is None:
        raise AssertionError("an impact job loads the workspace and the scenario")
    basis = job.basis
    tail = (basis["engine"], basis["rules"], basis["lists"], basis["scenario"])
    items = list(case_rows(path, job.plan, partition))
    return impact_rows(
        path, items, scenario, workspace.context, lambda case: prepare_case(workspace, case), job.day, tail, counts
    )


def _rules(answer: Determination, outcome: Outcome) -> str:
    return ";".join(dict.fromkeys(f.rule for f in answer.findings if f.outcome is outcome))


def _check_row(case_id: str, line: int, answer: Determination, job: Job, full: bool) -> tuple[Any, ...]:
    matches = [m for s in answer.screening for m in s.matches]
    provenance = answer.provenance
    row: tuple[Any, ...] = (
        case_id, line, answer.as_of.isoformat(), answer.license_required, answer.subject_to_ear,
        answer.review_policy, _rules(answer, Outcome.APPLIES), _rules(answer, Outcome.INDETERMINATE),
        ";".join(dict.fromkeys(f.field for f in answer.missing_facts)),
        sum(1 for m in matches if m.band == Band.MATCH.value), sum(1 for m in matches if m.band == Band.REVIEW.value),
        json.dumps(list(answer.warnings), ensure_ascii=False), None, provenance.engine, provenance.rules,
        provenance.lists, provenance.case_sha256,
    )  # fmt: skip
    if full:
        row += (json.dumps(determination_json(answer), ensure_ascii=False, sort_keys=True),)
    return row


def _check_error(case_id: str | None, line: int, error: str, job: Job, full: bool) -> tuple[Any, ...]:
    basis = job.basis
    row: tuple[Any, ...] = (case_id or "", line, *(None,) * 10, error, basis["engine"], basis["rules"], None, None)
    return (*row, None) if full else row


# --- on the client ---------------------------------------------------------------------------------


def _plan_job(options: JobOptions, settings: Settings, stored: Job | None) -> Job:
    path = Path(options.input)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    form = output_format(Path(options.output))
    store = Store.open(settings)
    day = stored.day if stored else (options.as_of or options.today or date.today())
    since = None
    if options.kind is JobKind.DELTA:
        assert options.since is not None
        since = stored.since if stored else resolve_since(store, options.since)
        if since is not None and since >= day:
            raise InputError(f"--since {since.isoformat()} must be before the date screened ({day.isoformat()})")
    config = screening_config(options)
    if options.kind is JobKind.IMPACT and (options.scenario is None or not Path(options.scenario).is_file()):
        raise InputError(f"{options.scenario}: no such scenario file")
    basis = basis_of(options.kind, store, day, since, config, options.scenario)
    sha, size = file_sha256(path)
    if stored and (stored.input_sha256, stored.input_size) == (sha, size):
        job_plan = stored.plan
    else:
        job_plan = plan(path, options.partition_rows)
    kind = "check" if options.kind in (JobKind.CHECK, JobKind.IMPACT) else "screen"
    check_header(kind, job_plan, path)
    return Job(options, day, since, sha, size, basis, job_plan, form)


def _prepare_indexes(job: Job, settings: Settings, config: ScreeningConfig) -> None:
    """Build the indexes the workers will load, once, here: workers only read them."""
    store = Store.open(settings)
    home = settings.ensure_home()
    days = {job.day, *([job.since] if job.since else [])}
    if job.options.kind in (JobKind.CHECK, JobKind.IMPACT):
        # A case's date decides its lists: one index per list period (each snapshot's date starts one).
        days |= {info.as_of for info in store.snapshots() if info.kind.is_list}
    for day in sorted(days):
        prepare(store, home, day, config.algorithm)


@contextlib.contextmanager
def _client(cluster: Cluster) -> Iterator[Any]:
    distributed: Any = importlib.import_module("distributed")  # untyped: its calls are checked by the tests
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if cluster.scheduler:
        try:
            client = Client(cluster.scheduler, timeout=f"{cluster.connect_seconds}s")
        except (OSError, TimeoutError, ValueError) as error:
            raise InputError(f"cannot reach the Dask scheduler at {cluster.scheduler!r}: {error}") from None
        with client:
            yield client
        return
    local = LocalCluster(
        n_workers=cluster.workers,
        threads_per_worker=1,  # the screening is pure Python: one task per process, one process per core
        processes=True,
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )
    with local, Client(local) as client:
        yield client


def run_job(
    options: JobOptions,
    settings: Settings,
    cluster: Cluster,
    *,
    checkpoint_folder: Path | None = None,
    restart: bool = False,
    on_start: Callable[[Job, int, str | None], None] | None = None,
    on_partition: Callable[[PartStats], None] | None = None,
) -> Summary:
    """Run (or resume) a job to the end and write its output; ``on_start`` is told the job, the rows
    still to do and the dashboard address, ``on_partition`` each partition as it finishes."""
    started = time.perf_counter()
    output = Path(options.output)
    checkpoint = Checkpoint(checkpoint_folder or output.with_name(output.name + ".parts"))
    checkpoint.check_ours()
    with checkpoint.locked():
        stored = None if restart else checkpoint.read_job()
        job = _plan_job(options, settings, stored)
        if stored is not None:
            problems = differences(job, stored)
            if problems:
                raise InputError(
                    f"{checkpoint.folder} holds another job ({'; '.join(problems)}): give --restart to start "
                    "over, or another --output"
                )
            job = stored
        else:
            checkpoint.clear_parts()
            checkpoint.start(job)
        checkpoint.sweep()
        done = checkpoint.done(job)
        todo = [p for p in job.plan.partitions if p.number not in done]
        work = Work(job, str(settings.home), settings.database_url, str(checkpoint.folder))
        finished = dict(done)
        dashboard: str | None = None
        workers = 0
        failures: list[str] = []
        if todo:
            _prepare_indexes(job, settings, work.config)
            with _client(cluster) as client:
                dashboard = client.dashboard_link
                workers = len(client.scheduler_info().get("workers", {}))
                if on_start:
                    on_start(job, sum(p.rows for p in todo), dashboard)
                failures = _submit(client, work, todo, finished, on_partition)
        elif on_start:
            on_start(job, 0, None)
        if failures:
            missing = len(job.plan.partitions) - len(finished)
            raise BatchFailed(
                f"{missing} partition(s) of {len(job.plan.partitions)} failed; the {len(finished)} finished are "
                f"kept in {checkpoint.folder} and running the same command again resumes. First error: {failures[0]}"
            )
        parts = [checkpoint.part(p.number, job.output_format) for p in job.plan.partitions]
        assemble(parts, columns_of(job), job.output_format, output)
    return _summary(job, finished, done, time.perf_counter() - started, workers, dashboard)


def _submit(
    client: Any, work: Work, todo: Sequence[Partition], finished: dict[int, PartStats], on_partition: Any
) -> list[str]:
    as_completed: Any = importlib.import_module("distributed").as_completed
    [shared] = client.scatter([work], broadcast=True, hash=False)
    keys = [f"earcheck-{work.job.options.kind.value}-{work.job.id}-{p.number:06d}" for p in todo]
    futures = client.map(run_partition, todo, work=shared, key=keys, pure=False)
    failures = []
    for future in as_completed(futures):
        if future.status == "error":
            failures.append(f"partition {todo[keys.index(future.key)].number}: {future.exception()!r}")
            continue
        stats: PartStats = future.result()
        finished[stats.number] = stats
        if on_partition:
            on_partition(stats)
    return failures


def _summary(
    job: Job,
    finished: dict[int, PartStats],
    resumed: dict[int, PartStats],
    seconds: float,
    workers: int,
    dashboard: str | None,
) -> Summary:
    stats = [finished[p.number] for p in job.plan.partitions]
    now = [s for s in stats if s.number not in resumed]
    counts: dict[str, int] = {}
    for s in stats:
        for key, value in s.counts.items():
            counts[key] = counts.get(key, 0) + value
    return Summary(
        job=job.id,
        output=job.options.output,
        rows=sum(s.rows for s in stats),
        output_rows=sum(s.output_rows for s in stats),
        matches=sum(s.matches for s in stats),
        reviews=sum(s.reviews for s in stats),
        errors=sum(s.errors for s in stats),
        partitions=len(stats),
        resumed=len(resumed),
        seconds=round(seconds, 3),
        rows_per_second=round(sum(s.rows for s in now) / seconds, 1) if now and seconds > 0 else 0.0,
        workers=workers,
        worker_loads=sum(1 for s in now if s.setup_seconds > 0),
        partition_seconds=round(sum(s.seconds for s in now) / len(now), 4) if now else 0.0,
        partition_cpu_seconds=round(sum(s.cpu_seconds for s in now) / len(now), 4) if now else 0.0,
        max_worker_mib=max((s.memory_mib for s in now), default=0.0),
        counts=counts,
        dashboard=dashboard,
        basis=dict(job.basis),
    )
