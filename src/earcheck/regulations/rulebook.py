"""Every dated rule version earcheck applies, in one list: its citation as numbered then, its dates and how
it was verified. Generated from the rule data itself (``src/earcheck/regulations/data``), so what a reviewer
reads (``earcheck rules``, the web's ``/rules``) is what the engine uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from earcheck.regulations.ccl import SupplementVersion, ccl_supplement
from earcheck.regulations.country_chart import DestinationVersion, country_chart_data
from earcheck.regulations.dated import DatedFact
from earcheck.regulations.de_minimis import de_minimis_data
from earcheck.regulations.embargo import embargo_data
from earcheck.regulations.end_use import end_use_data
from earcheck.regulations.exceptions import exception_data
from earcheck.regulations.fdp import fdp_rules
from earcheck.regulations.list_effects import list_effects

__all__ = ["RuleLine", "rule_lines", "table_lines"]


@dataclass(frozen=True, slots=True)
class RuleLine:
    family: str
    rule: str
    effective: date | None
    superseded: date | None
    citation: str
    verification: str
    note: str
    sources: str = ""  # the Federal Register documents (or edition) the version is from

    def in_force(self, day: date) -> bool:
        return (self.effective is None or self.effective <= day) and (self.superseded is None or day < self.superseded)


def _sources(version: DatedFact) -> str:
    return "; ".join(s.cite for s in version.sources)


def _ccl_text(version: SupplementVersion) -> str:
    if version.absent:
        return "entry absent"
    if version.use_edition:
        return "text of an eCFR edition of the period"
    if version.same_text_as is not None:
        return f"text of {version.same_text_as.isoformat()}"
    if version.own_text:
        assert version.reasons is not None
        if version.license_exceptions is not None:
            lines = "own licence-exception lines"
        elif version.superseded is None:
            lines = "licence-exception lines of the loaded edition from its date, unknown before"
        else:
            lines = "licence-exception lines unknown"
        return f"reasons {', '.join(version.reasons)} (earcheck's dated text; {lines})"
    return "in force, text not in earcheck's data (unknown)"


def _chart_text(version: DestinationVersion) -> str:
    parts = []
    if version.follows:
        parts.append(f"follows {version.follows}")
    if version.use_edition:
        parts.append("the edition's row")
    for name, given in (("marks", version.marks), ("groups", version.groups)):
        if isinstance(given, tuple):
            parts.append(f"{name} {', '.join(given) or 'none'}")
        elif given is not None:
            parts.append(f"{name} as the edition")
    return "; ".join(parts) or "row not known"


def table_lines() -> list[RuleLine]:
    """The dated versions of CCL entries, Country Chart rows and Country Groups that earcheck holds. Rows
    without one are the loaded eCFR edition's, trusted only from their last known amendment."""
    lines = []
    for entry in ccl_supplement().entries:
        for v in entry.versions:
            lines.append(
                RuleLine(
                    "CCL", entry.eccn, v.effective, v.superseded, v.citation, v.verification, _ccl_text(v), _sources(v)
                )
            )
    for row in country_chart_data().rows:
        for d in row.versions:
            lines.append(
                RuleLine(
                    "chart/groups",
                    row.code,
                    d.effective,
                    d.superseded,
                    d.citation,
                    d.verification,
                    _chart_text(d),
                    _sources(d),
                )
            )
    return lines


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
