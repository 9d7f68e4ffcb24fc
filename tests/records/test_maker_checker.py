"""Issue 14, item 1: one analyst cannot clear a strong hit, and an answer never hides a clearance.

Clearing a hit at the match level takes a second person (another key, approver or above), with a
reason of at least 20 characters; until confirmed, the hit still counts. Every determination that rests
on a cleared hit says whose decision it rests on, and never that no party is listed.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from earcheck.casefile import parse_cases
from earcheck.errors import Forbidden, RecordError
from earcheck.lists import Band, Hit
from earcheck.model import Determination, Outcome
from earcheck.parties import ExactScreener
from earcheck.records.keys import Actor, Role
from earcheck.records.screening import DecidingScreener, Verdict, confirm_decision, entry_fingerprint, record_decision
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "snapshot"
HUAWEI = "Huawei Technologies Co., Ltd."
DAY = date(2021, 6, 1)
CASE = {
    "as_of": DAY.isoformat(),
    "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
    "parties": [{"name": HUAWEI, "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"eccn": "EAR99", "origin": "US", "value": 100}],
    "knowledge": {"for_products_of": []},
}
ANALYST = Actor("Andy Analyst", Role.ANALYST, key_id=2)
APPROVER = Actor("Paula Approver", Role.APPROVER, key_id=3)
REASON = "a different company of the same name, registered in Hangzhou"


class _Banded:
    """Wraps a screener so that its hits come back in a chosen band (as a fuzzy score would put them)."""

    def __init__(self, screener: object) -> None:
        self._screener = screener
        self.band = Band.MATCH

    def screen(self, name: str, country: str | None, as_of: date) -> list[Hit]:
        hits = self._screener.screen(name, country, as_of)  # type: ignore[attr-defined]
        score = 1.0 if self.band is Band.MATCH else 0.8
        return [dataclasses.replace(h, band=self.band, score=score) for h in hits]


@pytest.fixture
def banded(settings: Settings) -> tuple[Workspace, _Banded]:
    store = Store.open(settings)
    store.import_path(FIXTURES, today=date(2026, 8, 1))
    inner = _Banded(ExactScreener(store))
    return Workspace(store, DecidingScreener(inner, store.engine)), inner


def _clear(workspace: Workspace, actor: Actor = ANALYST, reason: str = REASON) -> list[int]:
    """Clear every Entity List hit of the name (the fixture lists Huawei twice); the decisions' ids."""
    ids = []
    for hit in workspace.screen(HUAWEI, "CN", DAY):
        if hit.entry.list_code != "EL":
            continue
        decision = record_decision(
            workspace.store.engine,
            actor,
            party_name=HUAWEI,
            list_id=hit.entry.list_id,
            entry_sha256=entry_fingerprint(hit.entry),
            entry_name=hit.entry.name,
            verdict=Verdict.FALSE_POSITIVE,
            reason=reason,
            found=hit,
        )
        ids.append(decision.id)
    workspace.refresh_decisions()
    assert ids
    return ids


def _confirm(workspace: Workspace, ids: list[int], actor: Actor = APPROVER) -> None:
    for decision_id in ids:
        confirm_decision(workspace.store.engine, actor, decision_id)
    workspace.refresh_decisions()


def _answer(workspace: Workspace) -> Determination:
    [case] = parse_cases(CASE)
    return workspace.determine(case, today=date(2026, 8, 1))


def _entity_list_findings(answer: Determination) -> list[str]:
    return [f.because for f in answer.findings if f.rule == "entity_list"]


def test_a_one_word_reason_is_refused(banded: tuple[Workspace, _Banded]) -> None:
    workspace, _ = banded
    with pytest.raises(RecordError, match="at least 20 characters"):
        _clear(workspace, reason="x")


def test_one_analysts_clearance_of_a_match_changes_nothing(banded: tuple[Workspace, _Banded]) -> None:
    workspace, _ = banded
    ids = _clear(workspace)
    answer = _answer(workspace)
    assert answer.license_required is True
    matches = [m for s in answer.screening for m in s.matches if m.list_code == "EL"]
    assert len(matches) == len(ids)
    for match in matches:
        assert match.band == "match"
        assert match.decision is not None
        assert "NOT applied" in match.decision
    assert {f"decision #{i}" in " ".join(m.decision or "" for m in matches) for i in ids} == {True}
    assert not any(f.rule == "screening.cleared" for f in answer.findings)


def test_the_maker_cannot_be_the_checker(banded: tuple[Workspace, _Banded]) -> None:
    workspace, _ = banded
    [decision_id, *_] = _clear(workspace, actor=APPROVER)
    with pytest.raises(Forbidden, match="another person must confirm"):
        confirm_decision(workspace.store.engine, APPROVER, decision_id)
    same_key = Actor("Paula under another name", Role.ADMIN, key_id=APPROVER.key_id)
    with pytest.raises(Forbidden, match="another person must confirm"):
        confirm_decision(workspace.store.engine, same_key, decision_id)
    with pytest.raises(Forbidden, match="approver"):
        confirm_decision(workspace.store.engine, ANALYST, decision_id)
    assert _answer(workspace).license_required is True


def test_a_confirmed_clearance_applies_and_every_answer_says_whose_it_is(banded: tuple[Workspace, _Banded]) -> None:
    workspace, _ = banded
    ids = _clear(workspace)
    _confirm(workspace, ids)
    answer = _answer(workspace)
    assert answer.license_required is False
    cleared = [f for f in answer.findings if f.rule == "screening.cleared"]
    assert len(cleared) == len(ids)
    for finding, decision_id in zip(sorted(cleared, key=lambda f: f.because), ids, strict=True):
        assert finding.outcome is Outcome.APPLIES
        for words in (
            "by Andy Analyst (key 2)",
            "confirmed by Paula Approver (key 3)",
            REASON,
            date.today().isoformat(),
        ):
            assert words in finding.because
        assert any(f"decision #{decision_id}" in f.because for f in cleared)
    for because in _entity_list_findings(answer):
        assert "except hits that reviewers cleared" in because
        assert all(f"decision #{i}" in because for i in ids)
    assert all(m.band == "cleared" for s in answer.screening for m in s.matches if m.list_code == "EL")


def test_a_review_band_hit_is_cleared_by_one_person(banded: tuple[Workspace, _Banded]) -> None:
    workspace, inner = banded
    inner.band = Band.REVIEW
    assert _answer(workspace).license_required is None
    _clear(workspace)
    answer = _answer(workspace)
    assert answer.license_required is False
    assert any(f.rule == "screening.cleared" for f in answer.findings)


def test_a_review_band_clearance_does_not_clear_the_same_entry_at_match_level(
    banded: tuple[Workspace, _Banded],
) -> None:
    workspace, inner = banded
    inner.band = Band.REVIEW
    ids = _clear(workspace)
    inner.band = Band.MATCH  # the same name now scores as a match (e.g. screened with its country)
    workspace.forget_screenings()
    assert _answer(workspace).license_required is True
    _confirm(workspace, ids)
    assert _answer(workspace).license_required is False
