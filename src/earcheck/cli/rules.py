"""``earcheck rules``: the dated rules earcheck applies, with their citations and how each was verified.

The list is generated from the rule data itself (``src/earcheck/regulations/data``), so what a reviewer
reads here is what the engine uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from earcheck.cli import app
from earcheck.regulations.de_minimis import de_minimis_data
from earcheck.regulations.embargo import embargo_data
from earcheck.regulations.end_use import end_use_data
from earcheck.regulations.exceptions import exception_data
from earcheck.regulations.fdp import fdp_rules
from earcheck.regulations.list_effects import list_effects


@dataclass(frozen=True, slots=True)
class RuleLine:
    family: str
    rule: str
    effective: date | None
    superseded: date | None
    citation: str
    verification: str
    note: str

    def in_force(self, day: date) -> bool:
        return (self.effective is None or self.effective <= day) and (self.superseded is None or day < self.superseded)


def rule_lines() -> list[RuleLine]:
    """Every dated rule version earcheck applies, family by family."""
    lines = []
    for rule in fdp_rules():
        for v in rule.versions:
            lines.append(
                RuleLine(
                    "FDP",
                    rule.title,
                    v.effective,
                    v.superseded,
                    v.citation,
                    v.verification,
                    f"licence: {v.license.citation}" if v.license else "licence: Country Chart and Part 746 (GP3)",
                )
            )
    minimis = de_minimis_data()
    for t in minimis.thresholds:
        note = f"{t.low_percent}% for {', '.join(t.low_groups)}; {t.high_percent}% elsewhere"
        lines.append(
            RuleLine("de minimis", "de minimis levels", t.effective, t.superseded, t.citation, t.verification, note)
        )
    for x in minimis.no_de_minimis:
        note = "no de minimis level"
        lines.append(RuleLine("de minimis", x.title, x.effective, x.superseded, x.citation, x.verification, note))
    for embargo in embargo_data().embargoes:
        for e in embargo.versions:
            lines.append(
                RuleLine("embargo", embargo.name, e.effective, e.superseded, e.citation, e.verification, e.policy)
            )
    for end_use in end_use_data().rules:
        for u in end_use.versions:
            lines.append(
                RuleLine("end use", end_use.title, u.effective, u.superseded, u.citation, u.verification, u.policy)
            )
    for effect in list_effects().lists:
        lines.append(
            RuleLine("list", effect.name, None, None, effect.citation, effect.verification, effect.effect.value)
        )
    data = exception_data()
    for exception in data.exceptions:
        family = "licence exception" if exception.kind.value == "license_exception" else "authorization"
        for ex in exception.versions:
            note = exception.title + (f" -- {ex.note}" if ex.note else "")
            lines.append(
                RuleLine(family, exception.symbol, ex.effective, ex.superseded, ex.citation, ex.verification, note)
            )
    for restriction in data.restrictions:
        for r in restriction.versions:
            note = f"740.2 restriction: {restriction.title}"
            lines.append(
                RuleLine(
                    "licence exception", restriction.id, r.effective, r.superseded, r.citation, r.verification, note
                )
            )
    return lines


@app.command()
def rules(
    as_of: Annotated[str | None, typer.Option("--as-of", help="only the versions in force on this date")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """List the dated rules earcheck applies: citation as numbered then, dates, verification level."""
    lines = rule_lines()
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
            line.note,
        )
    console = Console()
    console.print(table)
    console.print(
        "verified: VS read in the authoritative text; VD from the eCFR extraction; VX quoted by a law firm or "
        "the press; R from memory, unchecked. Sources and notes: src/earcheck/regulations/data, docs/research."
    )
