"""Impact analysis: which transactions of a portfolio change answer, or review policy, under a scenario?

``impact(cases, scenario, context_for, today)`` is a pure function over an iterable of cases: it yields
one ``ImpactRow`` per case, in order, so that a batch runner can map it over partitions and add the rows
up (``summarise``). Each case is decided twice by the engine -- against the real context and against the
scenario's (``apply_scenario``) -- but only if the scenario can touch it, and only once when the decision
under the scenario read nothing the scenario changes (``ScenarioContext``: the other would be the same).

What a scenario can touch is worked out from keys, not by deciding: the *reach* of the scenario (the
names it lists or delists, the countries it moves, the window of dates a moved rule changes, the dates
from which each change holds) against the *keys* of a case (every name the engine screens -- exporter,
parties, design house, the parties whose products the item goes into -- every country it reads, and its
date). A case outside the reach of every change gets the same answer by construction and is skipped, with
the reason counted. A name a delisting or changed entry may match only fuzzily is checked with the real
screener, so that an alias or a misspelling is never skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from earcheck.engine.context import Context
from earcheck.engine.determine import determine
from earcheck.engine.parties import named_parties
from earcheck.model import Case, Determination, Outcome, Tri
from earcheck.supplychain.scenario import (
    RuleEffective,
    Scenario,
    ScenarioContext,
    ScenarioScreener,
    apply_scenario,
    name_key,
)

__all__ = ["Derived", "ImpactRow", "ImpactSummary", "case_keys", "impact", "summarise"]


@dataclass(frozen=True, slots=True)
class ImpactRow:
    """One case of the portfolio under the scenario. Skipped cases carry only why they were skipped."""

    index: int  # position in the portfolio (0-based)
    case_id: str | None
    as_of: date
    value: float | None  # the case's items' fair market value, USD (None when any is not given)
    reevaluated: bool
    skipped_because: str | None = None
    changed: bool = False
    license_before: Tri = None
    license_after: Tri = None
    subject_before: Tri = None
    subject_after: Tri = None
    policy_before: str | None = None
    policy_after: str | None = None
    now_applies: tuple[str, ...] = ()  # citations of findings that apply only under the scenario
    no_longer_applies: tuple[str, ...] = ()  # ... that applied only without it
    determinations: int = 0  # made for this row: 2, or 1 when the scenario's context read nothing it changes


@dataclass(frozen=True, slots=True)
class ImpactSummary:
    total: int
    reevaluated: int
    skipped: int
    changed: int
    value_changed: float  # fair market value of the changed cases (those with a value given)
    skipped_why: dict[str, int] = field(default_factory=dict)
    determinations: int = 0  # made in all (two per re-evaluated case, one where the second is provably equal)


@dataclass(frozen=True, slots=True)
class CaseKeys:
    names: frozenset[tuple[str, str | None]]  # (name, country) as the engine screens them
    countries: frozenset[str]
    as_of: date


def case_keys(case: Case, today: date) -> CaseKeys:
    # The names are those the engine itself screens (its own list of them), with the country it screens with.
    names = {(party.name, party.country) for party in named_parties(case)}
    countries: set[str] = {case.destination}
    for party in (case.exporter, *(case.parties or ())):
        if party is not None:
            countries.update(c for c in (party.country, party.headquarters) if c)
    if case.knowledge is not None:
        countries.update(case.knowledge.onward_destinations or ())
    for item in case.items:
        countries.update(c for c in (item.origin, item.location) if c)
        production = item.production
        if production is not None:
            for plant in (*(production.plant or ()), *(production.component_plants or ())):
                if plant.location:
                    countries.add(plant.location)
    return CaseKeys(frozenset(names), frozenset(countries), case.as_of or today)


def _window(moved: RuleEffective) -> tuple[date, date]:
    """The dates on which the moved version, or the one before it, is in force only on one side."""
    low, high = sorted((moved.version_from, moved.effective))
    return low, high


def _reach(keys: CaseKeys, scenario: Scenario, base: Context, screener: ScenarioScreener) -> list[str]:
    """Why each change cannot touch the case; empty when one can."""
    reasons: list[str] = []
    for change in scenario.changes:
        entry = change.add_entry or change.remove_entry or change.modify_entry
        if entry is not None:
            if keys.as_of < entry.effective:
                reasons.append(f"before the change of {entry.name!r} ({entry.effective.isoformat()})")
                continue
            if change.add_entry is not None:
                # Added entries match by the screener's normalised words (ScenarioScreener): the same test.
                if any(name_key(name) in screener.added_keys for name, _ in keys.names):
                    return []
            else:
                # A removed or changed entry reaches the parties that the real screener matches to it.
                targets = screener.targets(change.remove_entry or change.modify_entry)  # type: ignore[arg-type]
                if any(
                    hit.entry.list_id in targets
                    for name, country in keys.names
                    for hit in base.screen(name, country, keys.as_of)
                ):
                    return []
            reasons.append(f"no party is {entry.name!r}")
        elif change.rule_effective is not None:
            moved = change.rule_effective
            low, high = _window(moved)
            if low <= keys.as_of < high:
                return []
            reasons.append(f"date outside the window {low.isoformat()}..{high.isoformat()} of {moved.rule}")
        elif change.move_country is not None:
            move = change.move_country
            if keys.as_of < move.effective:
                reasons.append(f"before {move.country} moves ({move.effective.isoformat()})")
            elif move.country not in keys.countries:
                reasons.append(f"{move.country} is not a country of the case")
            else:
                return []
    return reasons


def _applies(answer: Determination) -> set[str]:
    # The "tables" finding is provenance (the table versions read), not law: which it names depends on what
    # the engine's caches let it skip reading, so one case decided twice can name different tables.
    return {f"{f.rule}: {f.citation}" for f in answer.findings if f.outcome is Outcome.APPLIES and f.rule != "tables"}


def _value(case: Case) -> float | None:
    values = [item.value for item in case.items]
    return None if any(v is None for v in values) else float(sum(v for v in values if v is not None))


def _rules_reach(scenario: Scenario, as_of: date) -> bool:
    """Does a moved rule's window hold the date? (The scenario's rule book then differs where it counts.)"""
    windows = (_window(c.rule_effective) for c in scenario.changes if c.rule_effective is not None)
    return any(low <= as_of < high for low, high in windows)


# The scenario's context derived from each real one (by the real one's id, the real one kept to check it).
Derived = dict[int, tuple[Context, ScenarioContext]]


def impact(
    cases: Iterable[Case],
    scenario: Scenario,
    context_for: Callable[[date], Context],
    today: date,
    derived: Derived | None = None,
) -> Iterator[ImpactRow]:
    """One row per case, in order: re-evaluated (before and after the scenario) or skipped, and why.

    ``context_for(as_of)`` gives the real engine context for a date (``Workspace.context``); the scenario's
    context is derived from it once per context (into ``derived`` when given: a caller that runs one
    scenario in slices, as ``batch impact`` does, keeps the derived contexts, and what they cached, across
    its calls). Cases given with ``bom:`` must have it read already.

    A case within reach is decided under the scenario first. When that determination read no destination
    the scenario moves and no screening it changes (``ScenarioContext.touched``), and no moved rule's window
    holds its date, the real context gives the same determination (see ``ScenarioContext``): it is not
    decided again. Such a row is re-evaluated and unchanged, with ``determinations`` 1.
    """
    if derived is None:
        derived = {}
    for index, case in enumerate(cases):
        keys = case_keys(case, today)
        base = context_for(keys.as_of)
        pair = derived.get(id(base))
        if pair is None or pair[0] is not base:
            pair = derived[id(base)] = (base, apply_scenario(base, scenario))
        changed_context = pair[1]
        reasons = _reach(keys, scenario, base, changed_context.scenario_screener)
        if reasons:
            yield ImpactRow(index, case.id, keys.as_of, _value(case), False, "; ".join(dict.fromkeys(reasons)))
            continue
        changed_context.watch()
        after = determine(case, changed_context, today)
        if changed_context.touched() or _rules_reach(scenario, keys.as_of):
            before, determinations = determine(case, base, today), 2
        else:
            before, determinations = after, 1
        was, now = _applies(before), _applies(after)
        changed = (before.license_required, before.subject_to_ear, before.review_policy) != (
            after.license_required,
            after.subject_to_ear,
            after.review_policy,
        )
        yield ImpactRow(
            index=index,
            case_id=case.id,
            as_of=keys.as_of,
            value=_value(case),
            reevaluated=True,
            changed=changed,
            license_before=before.license_required,
            license_after=after.license_required,
            subject_before=before.subject_to_ear,
            subject_after=after.subject_to_ear,
            policy_before=before.review_policy,
            policy_after=after.review_policy,
            now_applies=tuple(sorted(now - was)),
            no_longer_applies=tuple(sorted(was - now)),
            determinations=determinations,
        )


def summarise(rows: Iterable[ImpactRow]) -> ImpactSummary:
    total = reevaluated = changed = determinations = 0
    value = 0.0
    why: Counter[str] = Counter()
    for row in rows:
        total += 1
        determinations += row.determinations
        if row.reevaluated:
            reevaluated += 1
        elif row.skipped_because:
            why[row.skipped_because] += 1
        if row.changed:
            changed += 1
            value += row.value or 0.0
    return ImpactSummary(
        total, reevaluated, total - reevaluated, changed, value, dict(why.most_common()), determinations
    )
