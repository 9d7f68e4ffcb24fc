"""``earcheck screen``: fuzzy screening of one name, or of a CSV of names, against every loaded list.

    earcheck screen "Huawei Technologies Co Ltd" --country CN --as-of 2020-09-20
    earcheck screen --input names.csv --format jsonl > hits.jsonl

One name prints a table of its hits (``--json``: one JSON object). A file (columns ``id,name`` and
optionally ``country``) prints one line per row, in input order, screened on all cores, with a
progress bar on stderr when it is a terminal; a row that cannot be screened gets an error line.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from earcheck.basis import ListBasis
from earcheck.cli import app
from earcheck.country import normalise_country
from earcheck.errors import InputError, UnknownCountry
from earcheck.lists import Hit
from earcheck.screening.batch import CSV_COLUMNS, OutputFormat, hit_record, read_rows, screen_rows
from earcheck.screening.screener import Screener, ScreeningConfig
from earcheck.screening.snapshots import cached_screener
from earcheck.settings import Settings

_DEFAULTS = ScreeningConfig()


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: expected YYYY-MM-DD", param_hint="--as-of") from None


def _config(match: float, review: float) -> ScreeningConfig:
    try:
        return ScreeningConfig(match_threshold=match, review_threshold=review)
    except InputError as error:
        raise typer.BadParameter(str(error), param_hint="--match-threshold/--review-threshold") from None


def _screener(as_of: date, config: ScreeningConfig, *, batch: bool = False) -> tuple[Screener, ListBasis]:
    """The screener for ``as_of``, and the list snapshots it screens against (with staleness warnings).

    From the prebuilt index when ``earcheck data import`` left one for this database and its snapshots
    (no store opened: one name is screened in well under a second), else through the store. A batch
    copies the index into memory first (faster per name)."""
    settings = Settings.from_env()
    home = settings.ensure_home()
    found = cached_screener(home, settings.database_url, as_of, config)
    if found is None:
        from earcheck.screening.snapshots import screener_for
        from earcheck.store import Store

        store = Store.open(settings)
        found = screener_for(store, home, as_of, config), store.list_basis(as_of)
    screener, basis = found
    return (screener.in_memory() if batch else screener), basis


def _single_json(
    name: str, country: str | None, as_of: date, screener: Screener, hits: list[Hit], basis: ListBasis
) -> dict[str, Any]:
    config = screener.config
    return {
        "query": name,
        "country": country,
        "as_of": as_of.isoformat(),
        "algorithm": config.algorithm,
        "match_threshold": config.match_threshold,
        "review_threshold": config.review_threshold,
        "lists": [
            {"list": s.list_code, "snapshot": s.snapshot, "file": s.file_name, "as_of": s.as_of.isoformat()}
            for s in basis.snapshots
        ],
        "warnings": list(basis.warnings),
        "matches": [hit_record(hit) for hit in hits],
    }


def _print_basis(console: Console, basis: ListBasis) -> None:
    console.print(f"Lists: {basis.version}", markup=False)
    for warning in basis.warnings:
        console.print(Text("warning: ", style="yellow") + Text(warning))


def _in_force(hit: Hit) -> str:
    value = hit.status.in_force
    return "possibly" if value is None else ("yes" if value else "no")


def _print_table(name: str, as_of: date, hits: list[Hit], basis: ListBasis) -> None:
    console = Console(highlight=False, soft_wrap=True)
    if not hits:
        console.print(f"No list entry matches {name!r} as of {as_of.isoformat()}.", markup=False)
        _print_basis(console, basis)
        return
    table = Table(title=f"{name} — as of {as_of.isoformat()}", title_justify="left")
    for column in ("score", "band", "list", "entry", "matched name", "in force", "terms"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        status = hit.status
        terms = "; ".join(
            part
            for part in (
                f"footnote {', '.join(map(str, sorted(status.footnotes)))}" if status.footnotes else "",
                status.license_policy or "",
                ", ".join(hit.entry.federal_register[:3]),
            )
            if part
        )
        table.add_row(
            f"{hit.score:.3f}",
            hit.band.value,
            hit.entry.list_code.value,
            hit.entry.name,
            hit.matched_name,
            _in_force(hit),
            terms,
        )
    console.print(table)
    for hit in hits:
        console.print(f"  {hit.entry.list_code.value} {hit.entry.list_id}: {hit.status.reason}", markup=False)
    _print_basis(console, basis)


def _count_rows(path: Path) -> int | None:
    try:
        with path.open("rb") as source:
            return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: source.read(1 << 20), b"")) - 1)
    except OSError:
        return None


def _batch(
    source: Path, form: OutputFormat, as_of: date, config: ScreeningConfig, jobs: int | None, out: IO[str]
) -> None:
    if str(source) != "-" and not source.is_file():
        raise InputError(f"{source}: no such file")
    screener, basis = _screener(as_of, config, batch=True)
    errors = Console(stderr=True)
    _print_basis(errors, basis)
    with contextlib.ExitStack() as stack:
        stream = sys.stdin.buffer if str(source) == "-" else stack.enter_context(source.open("rb"))
        rows = read_rows(stream, str(source))
        if form is OutputFormat.CSV:
            out.write(",".join(CSV_COLUMNS) + "\n")
        total = None if str(source) == "-" else _count_rows(source)
        # Imported here: a single name (the common case) needs no progress bar, and starts sooner.
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        )
        with progress:
            task = progress.add_task("screening", total=total)
            for line in screen_rows(
                screener, rows, as_of, form, processes=jobs, progress=lambda n: progress.advance(task, n)
            ):
                out.write(line + "\n")


@app.command()
def screen(
    name: Annotated[str | None, typer.Argument(help="The name to screen (or use --input for a file).")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 country of the party (evidence).")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="The party's address (evidence; one name only).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Screen against the lists as of this date (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (one name).")] = False,
    input_path: Annotated[
        Path | None,
        typer.Option("--input", help="CSV file with columns id,name[,country] ('-' reads standard input)."),
    ] = None,
    form: Annotated[
        OutputFormat, typer.Option("--format", help="Batch output: jsonl (every hit) or csv (best hit).")
    ] = OutputFormat.JSONL,
    match_threshold: Annotated[
        float,
        typer.Option(
            "--match-threshold",
            help=f"Score from which a hit is a match (default {_DEFAULTS.match_threshold}).",
        ),
    ] = _DEFAULTS.match_threshold,
    review_threshold: Annotated[
        float,
        typer.Option(
            "--review-threshold",
            help=f"Score from which a hit is reported for review (default {_DEFAULTS.review_threshold}).",
        ),
    ] = _DEFAULTS.review_threshold,
    jobs: Annotated[
        int | None, typer.Option("--jobs", min=1, help="Worker processes for --input (default: all cores).")
    ] = None,
) -> None:
    """Screen a name, or a CSV of names, against every restricted-party list loaded.

    Scores are in [0, 1]: a hit at or above the match threshold is a match, one between the review
    and match thresholds needs a person's review. Each hit shows the listed name or alias that
    matched, whether the entry was in force on the date, and its terms (footnotes, review policy,
    Federal Register citations).
    """
    day = _as_of(as_of)
    config = _config(match_threshold, review_threshold)
    if (name is None) == (input_path is None):
        raise typer.BadParameter("give a NAME or --input FILE (one of them)")
    if input_path is not None:
        if address is not None or country is not None:
            raise typer.BadParameter("--country and --address are for one name; a file has a country column")
        _batch(input_path, form, day, config, jobs, sys.stdout)
        return
    assert name is not None
    code: str | None = None
    if country:
        try:
            code = normalise_country(country)
        except UnknownCountry as error:
            raise typer.BadParameter(str(error), param_hint="--country") from None
    screener, basis = _screener(day, config)
    hits = screener.screen(name, code, day, address=address)
    if as_json:
        typer.echo(json.dumps(_single_json(name, code, day, screener, hits, basis), indent=2, ensure_ascii=False))
    else:
        _print_table(name, day, hits, basis)
