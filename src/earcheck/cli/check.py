"""``earcheck check`` and ``earcheck timeline``: decide case files against the loaded data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from earcheck.casefile import determination_json, dump_determinations, read_cases
from earcheck.cli import app
from earcheck.days import CASE_DATES, parse_iso_date
from earcheck.engine.timeline import Timeline
from earcheck.model import Case, Determination, Outcome, Tri
from earcheck.settings import Settings
from earcheck.supplychain.rollup import import_paths
from earcheck.workspace import Workspace

_WORDS = {True: "[bold red]licence required[/]", False: "[green]no licence required[/]", None: "[yellow]unknown[/]"}
_SHORT = {True: "yes", False: "no", None: "unknown"}


def _word(value: Tri) -> str:
    return _WORDS[value]


def show_determination(console: Console, answer: Determination, everything: bool = False) -> None:
    title = answer.case_id or "case"
    console.rule(f"[bold]{title}[/] as of {answer.as_of.isoformat()}")
    console.print(
        f"Answer: {_word(answer.license_required)}; subject to the EAR: {_SHORT[answer.subject_to_ear]}"
        + (f"; review policy: {answer.review_policy}" if answer.review_policy else "")
    )
    for warning in answer.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    items = Table("item", "subject to EAR", "licence", "review policy", box=None)
    for item in answer.items:
        items.add_row(item.id, _SHORT[item.subject_to_ear], _word(item.license_required), item.review_policy or "")
    console.print(items)
    findings = Table("outcome", "rule", "citation", "because", box=None, show_lines=False)
    for finding in answer.findings:
        if not everything and finding.outcome is Outcome.DOES_NOT_APPLY:
            continue
        colour = {"applies": "red", "indeterminate": "yellow", "does_not_apply": "dim"}[finding.outcome.value]
        findings.add_row(f"[{colour}]{finding.outcome.value}[/]", finding.rule, finding.citation, finding.because)
    console.print("[bold]Findings[/]" + ("" if everything else " (those that apply or may; --all for every rule)"))
    console.print(findings)
    tables = list(dict.fromkeys(t for f in answer.findings for t in f.tables))
    if tables:
        console.print("[bold]Table texts applied[/]")
        for text in tables:
            console.print(f"  {text}", highlight=False, soft_wrap=True, markup=False)
    if answer.license_exceptions:
        exceptions = Table("exception", "item", "available", "because", box=None)
        for result in answer.license_exceptions:
            if result.in_force or everything:
                exceptions.add_row(
                    f"{result.symbol} ({result.citation})", result.item or "", _SHORT[result.available], result.because
                )
        console.print("[bold]Licence exceptions[/]" + ("" if everything else " (in force on the date; --all for all)"))
        console.print(exceptions)
        absent = sorted({r.symbol for r in answer.license_exceptions if not r.in_force})
        if absent and not everything:
            console.print(f"  not in force on {answer.as_of.isoformat()}: {', '.join(absent)}")
        for result in answer.license_exceptions:
            if result.available is not False and result.obligations:
                console.print(f"  [bold]{result.symbol}[/] ({result.item}) requires: " + " ".join(result.obligations))
    if answer.missing_facts:
        console.print("[bold]Questions that would settle the unknowns[/]")
        for number, fact in enumerate(answer.missing_facts, 1):
            console.print(f"  {number}. [cyan]{fact.field}[/]: {fact.question}")
    hits = [(s, m) for s in answer.screening for m in s.matches]
    if hits:
        console.print("[bold]Screening[/]")
        for screening, match in hits:
            console.print(
                escape(
                    f"  {screening.party} ({screening.role.value}) -> {match.name} [{match.list_code}] "
                    f"score {match.score:.2f}, in force: {_SHORT[match.in_force]}"
                    + (f"; {match.decision}" if match.decision else "")
                ),
                highlight=False,
            )
    for rolled in answer.rollups:
        from earcheck.cli.bom import show_rollup

        show_rollup(console, rolled)
    used = answer.provenance.list_snapshots
    if used:
        console.print(f"Lists used: {escape(answer.provenance.lists)}", highlight=False)


def with_bom_files(workspace: Workspace, case: Case, base: Path) -> Case:
    """``case`` with each ``bom: PATH`` (relative to the case file) imported and named by its ID."""
    if not any(item.bom is not None for item in case.items):
        return case
    from earcheck.cli.bom import import_bom

    return import_paths(case, base, lambda path: import_bom(workspace, path, None, {})[1])


@app.command()
def check(
    case_file: Annotated[Path, typer.Argument(help="YAML or JSON case file (one case, or a list of cases)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the determination(s) as JSON")] = False,
    everything: Annotated[bool, typer.Option("--all", help="show every finding, also rules that do not apply")] = False,
) -> None:
    """Decide whether the transaction(s) in CASE_FILE need a US export licence, and why."""
    cases, many = read_cases(case_file)
    workspace = Workspace.open(Settings.from_env())
    cases = [with_bom_files(workspace, case, case_file.parent) for case in cases]
    answers = [workspace.determine(case) for case in cases]
    if as_json:
        typer.echo(dump_determinations(answers, many))
        return
    console = Console()
    for answer in answers:
        show_determination(console, answer, everything)


def _timeline_json(timeline: Timeline) -> dict[str, object]:
    return {
        "case_id": timeline.case_id,
        "from": timeline.start.isoformat(),
        "to": timeline.end.isoformat(),
        "intervals": [
            {
                "from": interval.start.isoformat(),
                "to": interval.end.isoformat(),
                "license_required": interval.license_required,
                "subject_to_ear": interval.subject_to_ear,
                "review_policy": interval.review_policy,
                "citations": list(interval.citations),
                "changes": list(interval.changes),
                "determination": determination_json(interval.determination),
            }
            for interval in timeline.intervals
        ],
    }


def show_timeline(console: Console, timeline: Timeline) -> None:
    console.rule(f"[bold]{timeline.case_id or 'case'}[/]: {timeline.start.isoformat()} to {timeline.end.isoformat()}")
    table = Table("from", "to", "licence", "subject", "review policy", "governing (applies)", box=None)
    for interval in timeline.intervals:
        table.add_row(
            interval.start.isoformat(),
            interval.end.isoformat(),
            _word(interval.license_required),
            _SHORT[interval.subject_to_ear],
            interval.review_policy or "",
            "\n".join(interval.citations),
        )
    console.print(table)
    console.print("[bold]What changed[/]")
    for interval in timeline.intervals[1:]:
        console.print(f"[bold]{interval.start.isoformat()}[/] -> {_word(interval.license_required)}")
        for change in interval.changes:
            console.print(f"  {change}", highlight=False)


def _date(option: str, text: str) -> date:
    try:
        return CASE_DATES.check(parse_iso_date(text))
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from None


@app.command("timeline")
def timeline_command(
    case_file: Annotated[Path, typer.Argument(help="YAML or JSON case file")],
    start: Annotated[str | None, typer.Option("--from", help="first date (default 2019-01-01)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="last date (default today)")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="also draw the timeline as a PNG chart")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the intervals as JSON")] = False,
) -> None:
    """Show how the answer for CASE_FILE changed over time, interval by interval, with the rules behind it."""
    first = _date("--from", start) if start else None
    last = _date("--to", end) if end else date.today()
    cases, _ = read_cases(case_file)
    workspace = Workspace.open(Settings.from_env())
    timelines = [workspace.timeline(case, first, last) for case in cases]
    if as_json:
        documents = [_timeline_json(t) for t in timelines]
        typer.echo(json.dumps(documents if len(documents) > 1 else documents[0], indent=2))
    else:
        console = Console()
        for timeline in timelines:
            show_timeline(console, timeline)
    if png is not None:
        from earcheck.charts import draw_timeline  # matplotlib loads only when a chart is asked for

        draw_timeline(timelines[0], png)
        if not as_json:
            Console().print(f"chart written to {png}")
