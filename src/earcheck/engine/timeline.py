"""How a case's answer changed over time.

The case is decided on every date where a rule, a table row or a list entry that earcheck knows of
changed (and on the first day after each savings clause ran out); consecutive dates with the same
answer, review policy and governing findings merge into one interval.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from earcheck.engine.context import Context
from earcheck.engine.determine import determine
from earcheck.model import Case, Determination, Effect, Finding, Outcome, Tri
from earcheck.regulations.ccl import ccl_supplement
from earcheck.regulations.country_chart import country_chart_data
from earcheck.regulations.de_minimis import de_minimis_data
from earcheck.regulations.editions import table_amendments
from earcheck.regulations.embargo import embargo_data
from earcheck.regulations.end_use import end_use_data
from earcheck.regulations.entity_list import entity_list_data
from earcheck.regulations.exceptions import exception_data
from earcheck.regulations.fdp import fdp_rules
from earcheck.tables import EarTables

__all__ = ["Interval", "Timeline", "change_dates", "edition_dates", "timeline"]

COVERS_FROM = date(2019, 1, 1)


@dataclass(frozen=True, slots=True)
class Interval:
    start: date
    end: date  # last day included
    license_required: Tri
    subject_to_ear: Tri
    review_policy: str | None
    governing: tuple[Finding, ...]  # findings that applied or could apply in the interval
    determination: Determination  # the answer on the interval's first day
    changes: tuple[str, ...] = ()  # what began or ended on the first day, in words

    @property
    def citations(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for finding in self.governing:
            if finding.outcome is Outcome.APPLIES and (finding.effect is not Effect.FLAG or _is_savings(finding)):
                seen.setdefault(finding.citation, None)
        return tuple(seen)


def _is_savings(finding: Finding) -> bool:
    """A savings clause is recorded as a flag (it changes no fact), but in its window it is what the
    answer rests on: an item subject to the EAR that proceeds without a licence does so under it."""
    return finding.rule.endswith(".savings")


@dataclass(frozen=True, slots=True)
class Timeline:
    case_id: str | None
    start: date
    end: date
    intervals: tuple[Interval, ...]


def _span(effective: date, superseded: date | None) -> Iterable[date]:
    yield effective
    if superseded is not None:
        yield superseded


@cache
def change_dates() -> frozenset[date]:
    """Every date on which something in earcheck's dated data begins or ends."""
    dates: set[date] = set()
    for rule in fdp_rules():
        for version in rule.versions:
            dates.update(_span(version.effective, version.superseded))
            for clause in version.savings:
                dates.update((clause.cutoff, clause.until + timedelta(days=1)))
    minimis = de_minimis_data()
    for threshold in minimis.thresholds:
        dates.update(_span(threshold.effective, threshold.superseded))
    for exclusion in minimis.no_de_minimis:
        dates.update(_span(exclusion.effective, exclusion.superseded))
    for embargo in embargo_data().embargoes:
        for embargo_version in embargo.versions:
            dates.update(_span(embargo_version.effective, embargo_version.superseded))
            dates.update(clause.until + timedelta(days=1) for clause in embargo_version.savings)
    for end_use_rule in end_use_data().rules:
        for end_use in end_use_rule.versions:
            dates.update(_span(end_use.effective, end_use.superseded))
    for exception_version in exception_data().versions():
        dates.update(_span(exception_version.effective, exception_version.superseded))
    for family in entity_list_data().families:
        dates.update(batch.effective for batch in family.batches)
        for track in family.terms:
            for terms in track.versions:
                dates.update(_span(terms.effective, terms.superseded))
        for entry in family.entries:
            if entry.listed_between is not None:
                dates.update((entry.listed_between.earliest, entry.listed_between.latest))
    for row in country_chart_data().rows:
        for destination in row.versions:
            dates.update(_span(destination.effective, destination.superseded))
    for supplement in ccl_supplement().entries:
        for ccl in supplement.versions:
            dates.update(_span(ccl.effective, ccl.superseded))
            dates.update(clause.until + timedelta(days=1) for clause in ccl.savings)
    # An amendment of a table row earcheck has no written history for still changes what it can vouch for.
    dates.update(amendment.effective for amendment in table_amendments().amendments)
    return frozenset(dates)


def edition_dates(tables: EarTables) -> set[date]:
    """The dates of the loaded editions of the tables: where a row's text, or the trust in it, changes."""
    return {
        day for history in (tables.ccl_history(), tables.chart_history(), tables.group_history()) for day, _ in history
    }


def _key(determination: Determination) -> tuple[object, ...]:
    live = frozenset(
        (f.rule, f.citation, f.outcome, f.party, f.because)
        for f in determination.findings
        if f.outcome is not Outcome.DOES_NOT_APPLY
    )
    return (determination.license_required, determination.subject_to_ear, determination.review_policy, live)


def _changes(before: tuple[Finding, ...], after: tuple[Finding, ...]) -> tuple[str, ...]:
    """Findings that began (+) or ended (-) between two intervals, named by citation and reason."""

    def ident(f: Finding) -> tuple[object, ...]:
        return (f.rule, f.citation, f.outcome, f.party, f.because)

    old, new = {ident(f) for f in before}, {ident(f) for f in after}
    began = [f"+ {f.citation}: {f.because}" for f in after if ident(f) not in old and f.rule != "subject_to_ear"]
    ended = [f"- {f.citation}: {f.because}" for f in before if ident(f) not in new and f.rule != "subject_to_ear"]
    return tuple(began + ended)


def timeline(case: Case, context_for: Callable[[date], Context], start: date | None, end: date) -> Timeline:
    """Decide ``case`` on every change date in [start, end] and merge equal neighbours."""
    start = max(start or COVERS_FROM, COVERS_FROM)
    if end < start:
        end = start
    known = change_dates() | edition_dates(context_for(end).tables)
    points = sorted({start, *(d for d in known if start < d <= end)})
    intervals: list[Interval] = []
    previous_key: tuple[object, ...] | None = None
    for index, day in enumerate(points):
        answer = determine(dataclasses.replace(case, as_of=day), context_for(day), day)
        key = _key(answer)
        last = points[index + 1] - timedelta(days=1) if index + 1 < len(points) else end
        if key == previous_key and intervals:
            intervals[-1] = dataclasses.replace(intervals[-1], end=last)
            continue
        governing = tuple(f for f in answer.findings if f.outcome is not Outcome.DOES_NOT_APPLY)
        changes = _changes(intervals[-1].governing, governing) if intervals else ()
        intervals.append(
            Interval(
                day,
                last,
                answer.license_required,
                answer.subject_to_ear,
                answer.review_policy,
                governing,
                answer,
                changes,
            )
        )
        previous_key = key
    return Timeline(case.id, start, end, tuple(intervals))
