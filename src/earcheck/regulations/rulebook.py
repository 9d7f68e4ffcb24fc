"""Every dated rule version earcheck applies, in one list: its citation as numbered then, its dates and how
it was verified. Generated from the rule data itself (``src/earcheck/regulations/data``), so what a reviewer
reads (``earcheck rules``, the web's ``/rules``) is what the engine uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from earcheck.regulations.de_minimis import de_minimis_data
from earcheck.regulations.embargo import embargo_data
from earcheck.regulations.end_use import end_use_data
from earcheck.regulations.exceptions import exception_data
from earcheck.regulations.fdp import fdp_rules
from earcheck.regulations.list_effects import list_effects

__all__ = ["RuleLine", "rule_lines"]


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
