"""``earcheck batch screen|check|impact``: large files on Dask's distributed scheduler.

    earcheck batch screen --input names.parquet --output hits.parquet --workers 8
    earcheck batch screen --input names.csv --output changes.csv --since 2021-08-18
    earcheck batch check --input orders.jsonl --output answers.csv --scheduler tcp://10.0.0.5:8786
    earcheck batch impact --input orders.parquet --scenario listing.yaml --output impact.parquet

Running the same command again after a crash (or a kill) resumes from the checkpoint beside the
output; ``--restart`` starts over. The summary goes to stderr, and also to ``--summary FILE`` as JSON.
See ``docs/batch.md`` for clusters of several machines.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from earcheck.batch.job import Job, JobKind, JobOptions, PartStats
from earcheck.batch.run import DEFAULT_PARTITION_ROWS, Cluster, Summary, run_job
from earcheck.cli import app
from earcheck.settings import Settings

batch_app = typer.Typer(
    name="batch",
    help="Screen, decide or weigh a scenario over large files on a Dask cluster (resumable).",
    no_args_is_help=True,
)
app.add_typer(batch_app)

InputOption = Annotated[
    Path, typer.Option("--input", help="CSV, JSON Lines (.jsonl) or Parquet file, by its extension.")
]
OutputOption = Annotated[Path, typer.Option("--output", help="CSV or Parquet file to write, by its extension.")]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes of a local cluster, without --scheduler (default: cores)."),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler, e.g. tcp://host:8786.")
]
PartitionOption = Annotated[int, typer.Option("--partition-rows", min=1, help="Rows per partition (task).")]
RestartOption = Annotated[bool, typer.Option("--restart", help="Discard the checkpoint and start over.")]
SummaryOption = Annotated[Path | None, typer.Option("--summary", help="Also write the summary to this JSON file.")]


def _cluster(scheduler: str | None, workers: int | None) -> Cluster:
    if scheduler and workers:
        raise typer.BadParameter("--workers starts a local cluster: not with --scheduler (its workers are its own)")
    return Cluster(scheduler, workers or len(os.sched_getaffinity(0)))


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: expected YYYY-MM-DD", param_hint=option) from None


def _run(options: JobOptions, cluster: Cluster, restart: bool, summary_path: Path | None) -> None:
    console = Console(stderr=True, highlight=False)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = progress.add_task(options.kind.value, total=None)

    def started(job: Job, rows: int, dashboard: str | None) -> None:
        done = job.plan.rows - rows
        console.print(f"Job {job.id}: {job.plan.rows} rows in {len(job.plan.partitions)} partitions", markup=False)
        if done:
            console.print(f"Resuming: {done} rows already done (checkpoint)", markup=False)
        if dashboard:
            console.print(f"Dask dashboard: {dashboard}", markup=False)
        progress.update(task, total=rows)

    def finished(stats: PartStats) -> None:
        progress.advance(task, stats.rows)

    with progress:
        summary = run_job(
            options, Settings.from_env(), cluster, restart=restart, on_start=started, on_partition=finished
        )
    _print_summary(console, summary)
    if summary_path is not None:
        summary_path.write_text(json.dumps(summary.document(), indent=2) + "\n")


def _print_summary(console: Console, summary: Summary) -> None:
    if "scenario" in summary.basis:  # batch impact: its own counts say what happened
        counts = summary.counts
        console.print(
            f"{summary.rows} cases -> {summary.output}: {counts.get('reevaluated', 0)} re-evaluated, "
            f"{counts.get('skipped', 0)} skipped, {counts.get('changed', 0)} changed, {summary.errors} errors; "
            f"{summary.seconds:.1f} s, {summary.rows_per_second:.0f} cases/s on {summary.workers} workers"
            + (f" ({summary.resumed} partitions resumed)" if summary.resumed else ""),
            markup=False,
        )
        console.print(f"Scenario: {summary.basis['scenario']}; lists: {summary.basis.get('lists')}", markup=False)
        return
    console.print(
        f"{summary.rows} rows -> {summary.output_rows} output rows in {summary.output}: "
        f"{summary.matches} matches, {summary.reviews} for review, {summary.errors} errors; "
        f"{summary.seconds:.1f} s, {summary.rows_per_second:.0f} rows/s on {summary.workers} workers"
        + (f" ({summary.resumed} partitions resumed)" if summary.resumed else ""),
        markup=False,
    )
    if summary.counts:
        console.print("Counts: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())), markup=False)
    console.print(f"Lists: {summary.basis.get('lists')}", markup=False)


def _options(kind: JobKind, input_path: Path, output: Path, partition_rows: int, **values: object) -> JobOptions:
    if input_path.resolve() == output.resolve():
        raise typer.BadParameter("--output must not be the --input file")
    return JobOptions(
        kind=kind,
        input=str(input_path.resolve()),
        output=str(output.resolve()),
        partition_rows=partition_rows,
        **values,  # type: ignore[arg-type]
    )


@batch_app.command("screen")
def screen(
    input_path: InputOption,
    output: OutputOption,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Screen against the lists of this date.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Delta mode: report only the hits that changed since this date or list snapshot id.",
        ),
    ] = None,
    match_threshold: Annotated[float | None, typer.Option("--match-threshold")] = None,
    review_threshold: Annotated[float | None, typer.Option("--review-threshold")] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    partition_rows: PartitionOption = DEFAULT_PARTITION_ROWS,
    restart: RestartOption = False,
    summary: SummaryOption = None,
) -> None:
    """Screen every name (columns id, name[, country]) against the lists; one output row per name
    with its best hit, as ``earcheck screen --format csv`` has it, plus what it was screened with."""
    options = _options(
        JobKind.DELTA if since else JobKind.SCREEN,
        input_path,
        output,
        partition_rows,
        as_of=_date(as_of, "--as-of"),
        since=since,
        match_threshold=match_threshold,
        review_threshold=review_threshold,
    )
    _run(options, _cluster(scheduler, workers), restart, summary)


@batch_app.command("check")
def check(
    input_path: InputOption,
    output: OutputOption,
    today: Annotated[
        str | None, typer.Option("--today", help="The date a case without as_of is decided for (default today).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Add each whole determination as JSON.")] = False,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    partition_rows: PartitionOption = DEFAULT_PARTITION_ROWS // 4,
    restart: RestartOption = False,
    summary: SummaryOption = None,
) -> None:
    """Decide every case (a JSON Lines case per line; CSV: a 'case' column of JSON; Parquet: the case's
    fields as columns, or a 'case' column); one output row per case, keyed by its id."""
    options = _options(JobKind.CHECK, input_path, output, partition_rows, today=_date(today, "--today"), full=full)
    _run(options, _cluster(scheduler, workers), restart, summary)


@batch_app.command("impact")
def impact(
    input_path: InputOption,
    output: OutputOption,
    scenario: Annotated[
        Path, typer.Option("--scenario", help="Scenario YAML (earcheck schema scenario).", exists=True, dir_okay=False)
    ],
    today: Annotated[
        str | None, typer.Option("--today", help="The date a case without as_of is decided for (default today).")
    ] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    partition_rows: PartitionOption = DEFAULT_PARTITION_ROWS // 4,
    restart: RestartOption = False,
    summary: SummaryOption = None,
) -> None:
    """Decide every case of a portfolio (as for batch check) with and without a scenario; one output row
    per case: re-evaluated or skipped (and why), and what changes, as ``earcheck impact`` has it."""
    options = _options(
        JobKind.IMPACT,
        input_path,
        output,
        partition_rows,
        today=_date(today, "--today"),
        scenario=str(scenario.resolve()),
    )
    _run(options, _cluster(scheduler, workers), restart, summary)
