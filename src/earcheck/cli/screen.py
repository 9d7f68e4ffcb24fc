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
from typing import IO, Annotated

import typer
from rich.console import Console

from earcheck.cli import app
from earcheck.cli.one_name import print_basis, print_table, screener_for_day, single_json
from earcheck.country import normalise_country
from earcheck.errors import InputError, UnknownCountry
from earcheck.screening.batch import CSV_COLUMNS, OutputFormat, read_rows, screen_rows
from earcheck.screening.screener import ScreeningConfig

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
    screener, basis = screener_for_day(as_of, config, batch=True)
    errors = Console(stderr=True)
    print_basis(errors, basis)
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
    # earcheck.cli.main screens most single names itself (earcheck.cli.one_name), with the same output.
    screener, basis = screener_for_day(day, config)
    hits = screener.screen(name, code, day, address=address)
    if as_json:
        typer.echo(json.dumps(single_json(name, code, day, screener, hits, basis), indent=2, ensure_ascii=False))
    else:
        print_table(name, day, hits, basis)
