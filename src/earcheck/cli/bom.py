"""``earcheck bom import|show``: bills of materials and their de minimis rollup."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from earcheck.casefile import determination_json, parse_cases
from earcheck.cli import app
from earcheck.eccn import Eccn
from earcheck.errors import NoData
from earcheck.model import Rollup
from earcheck.settings import Settings
from earcheck.supplychain.bom import Bom, load_mapping, read_bom
from earcheck.workspace import Workspace

bom_app = typer.Typer(
    help="Bills of materials: import them, show them and their de minimis rollup.", no_args_is_help=True
)
app.add_typer(bom_app, name="bom")

_COUNTS = {True: "[red]counts[/]", False: "[green]does not count[/]", None: "[yellow]open[/]"}


def _rates(texts: list[str]) -> dict[str, Decimal]:
    rates = {}
    for text in texts:
        code, _, number = text.partition("=")
        try:
            value = Decimal(number)
        except InvalidOperation:
            value = Decimal(-1)
        if len(code.strip()) != 3 or not value.is_finite() or value <= 0:
            raise typer.BadParameter(f"{text!r}: write CODE=USD_PER_UNIT, e.g. EUR=1.08", param_hint="--rate")
        rates[code.strip().upper()] = value
    return rates


def known_eccn_check(workspace: Workspace) -> tuple[object, str | None]:
    """A function telling whether an ECCN's entry is on the CCL (any loaded edition), or None and why not."""
    try:
        tables = workspace.store.ear_tables(None)
    except NoData as error:
        return None, f"ECCNs not checked against the CCL: {error}"
    entries = {code for _, ccl in tables.ccl_history() for code in ccl}

    def known(text: str) -> bool:
        eccn = Eccn.parse(text)
        return eccn.is_ear99 or eccn.code in entries

    return known, None


def import_bom(workspace: Workspace, path: Path, mapping: str | None, rates: dict[str, Decimal]) -> tuple[Bom, str]:
    known, warning = known_eccn_check(workspace)
    if warning:
        Console(stderr=True).print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    bom = read_bom(path, load_mapping(mapping) if mapping else None, rates, known if callable(known) else None)
    return bom, workspace.bom_store().save(bom)


@bom_app.command("import")
def import_command(
    bom_file: Annotated[Path, typer.Argument(help="CSV or XLSX bill of materials")],
    mapping: Annotated[
        str | None, typer.Option("--mapping", help="column mapping: erp-indented, or a YAML mapping file")
    ] = None,
    rate: Annotated[
        list[str] | None, typer.Option("--rate", help="exchange rate CODE=USD per unit (repeatable)")
    ] = None,
) -> None:
    """Check a BOM file whole and keep it; prints its ID (use it as `bom: ID` in a case)."""
    workspace = Workspace.open(Settings.from_env())
    bom, bom_id = import_bom(workspace, bom_file, mapping, _rates(rate or []))
    typer.echo(bom_id)
    Console(stderr=True).print(f"{len(bom.lines)} rows; top item {escape(bom.top.part)}", highlight=False)


def _tree(bom: Bom) -> Tree:
    top = bom.top
    tree = Tree(f"[bold]{escape(top.part)}[/] {top.unit_value} {top.currency}")
    nodes: dict[tuple[str, ...], Tree] = {(top.part,): tree}
    for placement in bom.placements():
        line = placement.line
        label = (
            f"{escape(line.part)} x{placement.per_top} {placement.value:.2f} USD "
            f"origin {line.origin or '?'} eccn {line.eccn or '?'}"
            + (f" ({escape(line.supplier)})" if line.supplier else "")
        )
        parent = nodes[(top.part, *placement.path[:-1])]
        nodes[(top.part, *placement.path)] = parent.add(label)
    return tree


def show_rollup(console: Console, result: Rollup) -> None:
    level = f"{result.level_percent}%" if result.level_percent is not None else "unknown level"
    share = f"{result.share_percent:.2f}%" if result.share_percent is not None else "?"
    console.rule(f"[bold]de minimis rollup[/] of {escape(result.item)} ({result.bom}) to {result.destination}")
    console.print(
        f"US controlled content {share} of {level} ({result.level_citation or 'no level'}); "
        f"{result.controlled_value:.2f} of {result.item_value:.2f} USD"
        + (f"; {result.open_value:.2f} USD open" if result.open_value else "")
        + (f"; margin {result.margin_percent:.2f} points" if result.margin_percent is not None else ""),
        highlight=False,
    )
    word = {True: "subject to the EAR", False: "not subject by de minimis", None: "not known"}[result.subject]
    console.print(f"Engine: [bold]{word}[/]: {escape(result.because)}", highlight=False)
    for line in result.lines:
        console.print(
            f"  {' / '.join(map(escape, line.path))} (row {line.row}): {_COUNTS[line.counts]} {line.value:.2f} USD: "
            f"{escape(line.because)} [dim]({escape(line.citation)})[/]",
            highlight=False,
        )
    for text in result.what_if:
        console.print(f"  {escape(text)}", highlight=False)
    for number, question in enumerate(result.questions, 1):
        console.print(f"  {number}. [cyan]{escape(question.field)}[/]: {escape(question.question)}", highlight=False)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--as-of") from None


@bom_app.command("show")
def show_command(
    bom_id: Annotated[str, typer.Argument(help="ID of an imported BOM")],
    destination: Annotated[
        str | None, typer.Option("--destination", help="roll up for this destination (ISO code)")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="rules in force on this date (default today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Show an imported BOM as a tree, or with --destination its de minimis rollup (the engine's answer)."""
    workspace = Workspace.open(Settings.from_env())
    bom = workspace.bom_store().load(bom_id)
    if destination is None:
        history = workspace.bom_store().answers(bom_id)
        if as_json:
            typer.echo(json.dumps({"id": bom_id, **bom.to_json(), "answers": history}, indent=2))
        else:
            Console().print(_tree(bom))
            for record in history:
                for answer in record["answers"]:  # type: ignore[attr-defined]
                    Console().print(
                        f"answered {escape(answer['question_id'])} = {escape(answer['answer'])} by "
                        f"{escape(answer['answered_by'])} on {answer['answered_on']}",
                        highlight=False,
                    )
        return
    document: dict[str, object] = {"destination": destination, "items": [{"id": bom.top.part, "bom": bom_id}]}
    if as_of is not None:
        document["as_of"] = _date(as_of)
    case = parse_cases(document)[0]
    answer = workspace.determine(case)
    if as_json:
        typer.echo(json.dumps(determination_json(answer)["rollups"][0], indent=2))
        return
    show_rollup(Console(), answer.rollups[0])


def _rollup_for(workspace: Workspace, bom_id: str, destination: str, as_of: str | None) -> Rollup:
    bom = workspace.bom_store().load(bom_id)
    document: dict[str, object] = {"destination": destination, "items": [{"id": bom.top.part, "bom": bom_id}]}
    if as_of is not None:
        document["as_of"] = _date(as_of)
    return workspace.determine(parse_cases(document)[0]).rollups[0]


@bom_app.command("questions")
def questions_command(
    bom_id: Annotated[str, typer.Argument(help="ID of an imported BOM")],
    destination: Annotated[str, typer.Option("--destination", help="destination of the rollup (ISO code)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="rules in force on this date (default today)")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="also write a printable page per supplier")] = None,
) -> None:
    """Print the questions each supplier must answer to settle the rollup, as CSV for mail merge."""
    from earcheck.supplychain.questionnaire import bom_questions, questions_csv, questions_html

    workspace = Workspace.open(Settings.from_env())
    result = _rollup_for(workspace, bom_id, destination, as_of)
    questions = bom_questions(workspace.bom_store().load(bom_id), result)
    typer.echo(questions_csv(questions), nl=False)
    if html is not None:
        html.write_text(questions_html(questions), encoding="utf-8")


@bom_app.command("answers")
def answers_command(
    answers_file: Annotated[Path, typer.Argument(help="the questions CSV with answer, answered_by, answered_on")],
) -> None:
    """Settle a BOM's open cells from suppliers' answers: prints the ID of the answered BOM (the answers are
    kept with it: who answered, when)."""
    from earcheck.supplychain.questionnaire import apply_answers, read_answers

    answers = read_answers(answers_file)
    if not answers:
        raise typer.BadParameter("no answered rows in the file", param_hint="ANSWERS_FILE")
    workspace = Workspace.open(Settings.from_env())
    store = workspace.bom_store()
    bom_ids = {a.question_id.split(":", 1)[0] for a in answers}
    if len(bom_ids) != 1:
        raise typer.BadParameter(f"answers for {len(bom_ids)} BOMs; give one BOM's answers per file")
    (old_id,) = bom_ids
    answered = apply_answers(store.load(old_id), answers)
    new_id = store.save(answered)
    store.save_answers(
        new_id,
        old_id,
        [
            {
                "question_id": a.question_id,
                "answer": a.value,
                "answered_by": a.answered_by,
                "answered_on": a.answered_on.isoformat(),
            }
            for a in answers
        ],
    )
    typer.echo(new_id)


@app.command("trace")
def trace_command(
    graph_file: Annotated[Path, typer.Argument(help="production graph (YAML or JSON; earcheck schema graph)")],
    supply: Annotated[str | None, typer.Argument(help="id of one supply in the graph (default: every supply)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="decide on this date instead of the supply's")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Trace the foreign-direct-product rules across a production graph's tiers: the engine's answer for each
    supply, and the questions each supplier in the graph must answer."""
    from earcheck.cli.check import show_determination
    from earcheck.supplychain.graph import read_graph
    from earcheck.supplychain.trace import trace

    graph = read_graph(graph_file)
    workspace = Workspace.open(Settings.from_env())
    ids = [supply] if supply else [s.id for s in graph.supplies]
    results = [trace(graph, supply_id, workspace.determine, _date(as_of)) for supply_id in ids]
    if as_json:
        documents = [
            {
                "supply": r.supply,
                "determination": determination_json(r.determination),
                "questions": [
                    {"organisation": q.organisation, "tier": q.tier, "field": q.field, "question": q.question}
                    for q in r.questions
                ],
            }
            for r in results
        ]
        typer.echo(json.dumps(documents if supply is None else documents[0], indent=2))
        return
    console = Console()
    for result in results:
        show_determination(console, result.determination)
        if result.questions:
            console.print("[bold]Questions for suppliers[/]")
            for question in result.questions:
                console.print(
                    f"  [cyan]{escape(question.organisation)}[/] ({question.tier}): {escape(question.question)}",
                    highlight=False,
                )
