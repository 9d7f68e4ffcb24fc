"""``earcheck determinations list|export``, ``earcheck audit export`` and ``earcheck report``: the registers
(with the same search as the web page and the API) and the evidence, from the command line."""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from earcheck.cli import app
from earcheck.cli.records import audit_app
from earcheck.db import migrate
from earcheck.exports import (
    AUDIT_COLUMNS,
    DETERMINATION_COLUMNS,
    Cell,
    Format,
    answer_words,
    audit_rows,
    csv_lines,
    determination_row,
    xlsx_bytes,
)
from earcheck.records.determination_search import DeterminationFilter, every_match, read_filter
from earcheck.settings import Settings

determinations_app = typer.Typer(help="Search and export the stored determinations.", no_args_is_help=True)
app.add_typer(determinations_app, name="determinations")

Output = Annotated[Path | None, typer.Option("--output", "-o", help="the file to write (CSV: default the screen)")]
FormatOption = Annotated[Format, typer.Option("--format", help="csv or xlsx")]

# The register's search, as options of every command that reads it (the names read_filter takes).
SEARCH_OPTIONS: dict[str, Any] = {
    "party": Annotated[str | None, typer.Option(help="part of a party's name (the exporter included), any case")],
    "eccn": Annotated[str | None, typer.Option(help="an item's ECCN, exactly")],
    "destination": Annotated[str | None, typer.Option(help="the destination's ISO 3166 code")],
    "answer": Annotated[str | None, typer.Option("--answer", help="required, not_required or unknown")],
    "recorded_from": Annotated[str | None, typer.Option("--from", help="first day recorded, YYYY-MM-DD (UTC)")],
    "recorded_until": Annotated[str | None, typer.Option("--until", help="last day recorded, YYYY-MM-DD (UTC)")],
    "actor": Annotated[str | None, typer.Option("--by", help="part of who recorded it")],
}


def searching(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with the register's search options added (``--party`` ... ``--by``): it is called
    with them read into one ``wanted`` filter, so each command declares only its own options."""
    hints = typing.get_type_hints(command, include_extras=True)
    own = [
        parameter.replace(annotation=hints[name])
        for name, parameter in inspect.signature(command).parameters.items()
        if name != "wanted"
    ]
    search = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in SEARCH_OPTIONS.items()
    ]

    @functools.wraps(command)
    def run(**given: Any) -> None:
        wanted = read_filter(**{name: given.pop(name) for name in SEARCH_OPTIONS})
        command(wanted=wanted, **given)

    run.__signature__ = inspect.Signature([*own, *search])  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in (*own, *search)}
    del run.__wrapped__  # typer must read the signature above, not the command's own
    return run


def _write(fmt: Format, name: str, columns: tuple[str, ...], rows: list[tuple[Cell, ...]], output: Path | None) -> None:
    if fmt is Format.XLSX:
        if output is None:
            raise typer.BadParameter("an XLSX file needs --output FILE", param_hint="--output")
        output.write_bytes(xlsx_bytes(name, columns, rows))
    elif output is None:
        sys.stdout.writelines(csv_lines(columns, rows))
    else:
        with output.open("w", encoding="utf-8", newline="") as file:
            file.writelines(csv_lines(columns, rows))
    if output is not None:
        typer.echo(f"{len(rows)} row(s) written to {output}", err=True)


@determinations_app.command("list")
@searching
def determinations_list(
    wanted: DeterminationFilter,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="at most this many, newest first")] = 50,
) -> None:
    """Print the stored determinations that match, newest first: number, date, answer, destination, case."""
    for count, stored in enumerate(every_match(migrate(Settings.from_env()), wanted)):
        if count == limit:
            break
        when = stored.created_at.strftime("%Y-%m-%d %H:%M")
        destination_code = stored.case.get("destination") or "—"
        words = answer_words(stored.license_required)
        typer.echo(f"{stored.id}\t{when}\t{words}\t{destination_code}\t{stored.case_id or '—'}\t{stored.actor}")


@determinations_app.command("export")
@searching
def determinations_export(wanted: DeterminationFilter, fmt: FormatOption = Format.CSV, output: Output = None) -> None:
    """Write the matching determinations as CSV or XLSX, newest first (CSV cells that a spreadsheet
    would run as formulas start with ')."""
    rows = [determination_row(d) for d in every_match(migrate(Settings.from_env()), wanted)]
    _write(fmt, "determinations", DETERMINATION_COLUMNS, rows, output)


@audit_app.command("export")
def audit_export(
    fmt: FormatOption = Format.CSV,
    output: Output = None,
    subject: Annotated[str | None, typer.Option(help="only rows about this subject, e.g. licence:3")] = None,
    action: Annotated[str | None, typer.Option(help="only rows of this action, e.g. shipment.record")] = None,
) -> None:
    """Write the audit log as CSV or XLSX, oldest first, every column as stored and hashed."""
    rows = list(audit_rows(migrate(Settings.from_env()), subject, action))
    _write(fmt, "audit-log", AUDIT_COLUMNS, rows, output)


@app.command()
def report(
    determination_id: Annotated[int | None, typer.Argument(min=1, help="the stored determination's number")] = None,
    screening: Annotated[
        int | None,
        typer.Option("--screening", min=1, help="a screening certificate instead: the screening's audit row"),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="PDF instead of HTML")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="the file (default: report-ID.pdf|html)")
    ] = None,
) -> None:
    """Write a stored determination's report for the file: answer, findings and citations, parties
    screened, provenance hashes, list snapshot dates and the audit row that recorded it. With
    --screening SEQ, a screening certificate: the query, every hit (or none), the list snapshots with
    their dates, the matching algorithm's version and the audit row."""
    from earcheck.web.evidence import (  # the templates load only when asked for
        certificate_html,
        certificate_pdf,
        report_html,
        report_pdf,
    )

    engine = migrate(Settings.from_env())
    if (determination_id is None) == (screening is None):
        raise typer.BadParameter("give a determination's number, or --screening SEQ (not both)")
    if screening is not None:
        target = output or Path(f"screening-{screening}.{'pdf' if pdf else 'html'}")
        if pdf:
            target.write_bytes(certificate_pdf(engine, screening))
        else:
            target.write_text(certificate_html(engine, screening), encoding="utf-8")
        typer.echo(f"screening {screening}: certificate written to {target}")
        return
    assert determination_id is not None
    target = output or Path(f"report-{determination_id}.{'pdf' if pdf else 'html'}")
    if pdf:
        target.write_bytes(report_pdf(engine, determination_id))
    else:
        target.write_text(report_html(engine, determination_id), encoding="utf-8")
    typer.echo(f"determination {determination_id}: report written to {target}")
