"""``earcheck rules``: the dated rules earcheck applies, with their citations and how each was verified.

The list is generated from the rule data itself (``src/earcheck/regulations/data``), so what a reviewer
reads here is what the engine uses.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from earcheck.cli import app
from earcheck.regulations.rulebook import RuleLine, rule_lines, table_lines

__all__ = ["RuleLine", "rule_lines", "table_lines"]


@app.command()
def rules(
    as_of: Annotated[str | None, typer.Option("--as-of", help="only the versions in force on this date")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """List the dated rules earcheck applies: citation as numbered then, dates, verification level."""
    lines = rule_lines() + table_lines()
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(f"{as_of!r} is not a date (YYYY-MM-DD)", param_hint="--as-of") from None
        lines = [line for line in lines if line.in_force(day)]
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "family": line.family,
                        "rule": line.rule,
                        "effective": line.effective.isoformat() if line.effective else None,
                        "superseded": line.superseded.isoformat() if line.superseded else None,
                        "citation": line.citation,
                        "verification": line.verification,
                        "note": line.note,
                        "sources": line.sources,
                    }
                    for line in lines
                ],
                indent=2,
            )
        )
        return
    table = Table("family", "rule", "from", "until", "citation", "verified", "note", box=None)
    for line in lines:
        table.add_row(
            line.family,
            line.rule,
            line.effective.isoformat() if line.effective else "",
            line.superseded.isoformat() if line.superseded else "",
            line.citation,
            line.verification,
            f"{line.note} [{line.sources}]" if line.sources else line.note,
        )
    console = Console()
    console.print(table)
    console.print(
        "verified: VS read in the authoritative text; VD from the eCFR extraction; VX quoted by a law firm or "
        "the press; R from memory, unchecked. Sources and notes: src/earcheck/regulations/data, docs/research. "
        "CCL and chart/groups rows not listed are the loaded eCFR edition's, trusted only from their last known "
        "amendment (table_amendments.yaml)."
    )
