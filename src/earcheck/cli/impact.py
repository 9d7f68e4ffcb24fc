"""``earcheck impact``: what changes in a portfolio of cases under a scenario."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from earcheck.cli import app
from earcheck.settings import Settings
from earcheck.supplychain.impact import ImpactRow, ImpactSummary, impact, summarise
from earcheck.supplychain.portfolio import read_portfolio
from earcheck.supplychain.scenario import read_scenario
from earcheck.workspace import Workspace

_SHORT = {True: "yes", False: "no", None: "unknown"}


def row_json(row: ImpactRow) -> dict[str, Any]:
    document = dataclasses.asdict(row)
    document["as_of"] = row.as_of.isoformat()
    return document


def draw_impact(rows: list[ImpactRow], summary: ImpactSummary, out: Path | BinaryIO) -> None:
    """Bars: how many transactions moved from each answer to each other, and how many were skipped."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    moves: dict[str, int] = {}
    for row in rows:
        if row.changed:
            key = f"{_SHORT[row.license_before]} -> {_SHORT[row.license_after]}"
            if row.license_before == row.license_after:
                key = "review policy changed"
            moves[key] = moves.get(key, 0) + 1
    labels = [*moves, "unchanged", "skipped"]
    values = [*moves.values(), summary.reevaluated - summary.changed, summary.skipped]
    figure, axis = plt.subplots(figsize=(8, 3.2), dpi=110)
    colours = ["#c62828"] * len(moves) + ["#2e7d32", "#9e9e9e"]
    axis.barh(labels, values, color=colours)
    axis.set_xlabel("transactions (licence required: before -> after)")
    axis.set_title(f"impact: {summary.changed} of {summary.total} change; {summary.skipped} skipped", fontsize=10)
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)


@app.command("impact")
def impact_command(
    portfolio: Annotated[Path, typer.Option("--portfolio", help="cases as JSON Lines or Parquet")],
    scenario_file: Annotated[Path, typer.Option("--scenario", help="scenario YAML (earcheck schema scenario)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the summary and changed rows as JSON")] = False,
    every: Annotated[bool, typer.Option("--all", help="with --json: every row, skipped ones included")] = False,
    png: Annotated[Path | None, typer.Option("--png", help="also draw the changes as a PNG chart")] = None,
) -> None:
    """List every transaction whose answer or review policy changes under a scenario, before and after, with
    the governing citations and the value at stake; transactions the scenario cannot touch are skipped."""
    scenario = read_scenario(scenario_file)
    workspace = Workspace.open(Settings.from_env())
    rows = list(impact(read_portfolio(portfolio), scenario, workspace.context, date.today()))
    summary = summarise(rows)
    if png is not None:
        draw_impact(rows, summary, png)
    if as_json:
        shown = rows if every else [r for r in rows if r.changed]
        typer.echo(
            json.dumps(
                {
                    "scenario": scenario.name,
                    "summary": dataclasses.asdict(summary),
                    "rows": [row_json(r) for r in shown],
                },
                indent=2,
            )
        )
        return
    console = Console()
    console.rule(f"[bold]{escape(scenario.name)}[/]")
    table = Table("case", "as of", "licence", "subject", "review policy", "now applies", "value", box=None)
    for row in rows:
        if not row.changed:
            continue
        table.add_row(
            row.case_id or str(row.index),
            row.as_of.isoformat(),
            f"{_SHORT[row.license_before]} -> {_SHORT[row.license_after]}",
            f"{_SHORT[row.subject_before]} -> {_SHORT[row.subject_after]}",
            f"{row.policy_before or '-'} -> {row.policy_after or '-'}",
            "\n".join(row.now_applies + tuple(f"no longer: {c}" for c in row.no_longer_applies)),
            f"{row.value:,.0f}" if row.value is not None else "?",
        )
    console.print(table)
    console.print(
        f"{summary.total} transactions: {summary.reevaluated} re-evaluated, {summary.skipped} skipped, "
        f"{summary.changed} changed (value {summary.value_changed:,.0f} USD); "
        f"{summary.determinations} determinations made"
    )
    for reason, count in summary.skipped_why.items():
        console.print(f"  skipped {count}: {escape(reason)}", highlight=False)
    if png is not None:
        console.print(f"chart written to {png}")
