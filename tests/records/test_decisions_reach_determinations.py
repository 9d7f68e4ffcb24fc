"""A reviewer's decision about a hit reaches the determinations made afterwards, and stops applying
when the list entry changes."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from earcheck.casefile import parse_cases
from earcheck.lists import Band, Hit
from earcheck.parties import ExactScreener
from earcheck.records.keys import Actor, Role
from earcheck.records.screening import DecidingScreener, Verdict, entry_fingerprint, record_decision
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "snapshot"
HUAWEI = "Huawei Technologies Co., Ltd."
CASE = {
    "as_of": "2021-06-01",
    "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
    "parties": [{"name": HUAWEI, "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"eccn": "EAR99", "origin": "US", "value": 100}],
    "knowledge": {"for_products_of": []},
}


class _Review:
    """Wraps a screener so that its hits come back in the review band, as a fuzzy match would."""

    def __init__(self, screener: object) -> None:
        self._screener = screener

    def screen(self, name: str, country: str | None, as_of: date) -> list[Hit]:
        hits = self._screener.screen(name, country, as_of)  # type: ignore[attr-defined]
        return [dataclasses.replace(h, band=Band.REVIEW, score=0.8) for h in hits]


@pytest.fixture
def workspace(settings: Settings) -> Workspace:
    store = Store.open(settings)
    store.import_path(FIXTURES, today=date(2026, 8, 1))
    return Workspace(store, DecidingScreener(_Review(ExactScreener(store)), store.engine))


def test_review_band_hit_is_unknown_until_decided(workspace: Workspace) -> None:
    [case] = parse_cases(CASE)
    answer = workspace.determine(case)
    assert answer.license_required is None
    assert any("the same as" in m.question for m in answer.missing_facts)


def _decide(workspace: Workspace, verdict: Verdict, reason: str) -> None:
    analyst = Actor("Andy Analyst", Role.ANALYST)
    for hit in workspace.screen(HUAWEI, "CN", date(2021, 6, 1)):
        record_decision(
            workspace.store.engine,
            analyst,
            party_name=HUAWEI,
            list_id=hit.entry.list_id,
            entry_sha256=entry_fingerprint(hit.entry),
            entry_name=hit.entry.name,
            verdict=verdict,
            reason=reason,
        )
    workspace.refresh_decisions()


def test_cleared_hit_no_longer_counts_and_a_confirmed_one_does(workspace: Workspace) -> None:
    [case] = parse_cases(CASE)
    assert any(h.entry.list_code == "EL" for h in workspace.screen(HUAWEI, "CN", date(2021, 6, 1)))
    _decide(workspace, Verdict.TRUE_MATCH, "same company: registration number and address agree")
    assert workspace.determine(case).license_required is True
    _decide(workspace, Verdict.FALSE_POSITIVE, "a different company of the same name in another city")
    cleared = workspace.determine(case)
    assert cleared.license_required is False
    assert all(m.band == "cleared" for s in cleared.screening for m in s.matches)
