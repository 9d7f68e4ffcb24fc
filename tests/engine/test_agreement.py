"""Settling a null answer that every completion of its finite unknown facts decides the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from earcheck.casefile import parse_cases
from earcheck.engine.agreement import settle_unknowns
from earcheck.model import Case, Determination, ItemResult, MissingFact
from earcheck.workspace import Workspace

DOCUMENT = {
    "as_of": "2026-08-15",
    "destination": "KP",
    "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
    "parties": [],
    "items": [{"id": "kit", "eccn": "EAR99", "origin": "US", "value": 10}],
}
TODAY = date(2026, 11, 26)


def _null(case: Case, workspace: Workspace) -> Determination:
    base = workspace.determine(case, today=TODAY)
    question = MissingFact("items[0].food_or_medicine", "Is item kit (EAR99) food or medicine?")
    item = ItemResult("kit", None, True)
    return replace(base, license_required=None, items=(item,), missing_facts=(question,))


def test_an_answer_that_holds_for_every_value_is_given_with_a_finding(real_workspace: Workspace) -> None:
    [case] = parse_cases(DOCUMENT)
    context = real_workspace.context(date(2026, 8, 15))
    seen: list[bool | None] = []

    def decide(completed: Case) -> Determination:
        # Stands in for two rules that each need one value of the fact: together they always apply.
        seen.append(completed.items[0].food_or_medicine)
        return replace(_null(case, real_workspace), license_required=True, items=(ItemResult("kit", True, True),))

    settled = settle_unknowns(case, _null(case, real_workspace), decide, context)
    assert sorted(seen, key=str) == [False, True]
    assert settled.license_required is True
    assert settled.missing_facts == ()
    [finding] = [f for f in settled.findings if f.rule == "agreement"]
    assert "items[0].food_or_medicine" in finding.because


def test_values_that_disagree_leave_the_answer_null(real_workspace: Workspace) -> None:
    [case] = parse_cases(DOCUMENT)
    context = real_workspace.context(date(2026, 8, 15))

    def decide(completed: Case) -> Determination:
        value = not completed.items[0].food_or_medicine
        return replace(_null(case, real_workspace), license_required=value, items=(ItemResult("kit", value, True),))

    base = _null(case, real_workspace)
    assert settle_unknowns(case, base, decide, context) is base


def test_the_engine_itself_answers_north_korea_food_questions_only_when_they_matter(
    real_workspace: Workspace,
) -> None:
    [case] = parse_cases(DOCUMENT)
    answer = real_workspace.determine(case, today=TODAY)
    # 746.4(a): every item but EAR99 food and medicine: an EAR99 item whose nature is unknown stays open.
    assert answer.license_required is None
    asked = [m.field for m in answer.missing_facts if "exception_facts" not in m.field]
    assert asked == ["items[0].food_or_medicine"]
