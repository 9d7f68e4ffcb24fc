"""Ongoing screening with two real OFAC SDN snapshots: a stored party that gains a hit is queued.

Expectations come from reading the two SDN.CSV files with the csv module (``_sdn_names`` below), not
from the screener: "JOINT STOCK COMPANY SBERBANK TECHNOLOGIES" (ent_num 36410, programme RUSSIA-EO14024)
is in the file of 2024-05-03 and not in that of 2021-08-18.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from earcheck.errors import RecordError
from earcheck.records import audit
from earcheck.records.counterparties import add_counterparty, parties_register
from earcheck.records.keys import Actor, Role
from earcheck.records.review_queue import Change, acknowledge, count_waiting, decide, require_decided, waiting
from earcheck.records.screening import Verdict, confirm_decision
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

PARTY = "Joint Stock Company Sberbank Technologies"
TODAY = date(2026, 12, 7)


def _sdn_names(path: Path) -> dict[str, str]:
    """ent_num by SDN_Name, straight from the file (no header; name in the second column)."""
    with path.open(encoding="latin-1", newline="") as file:
        return {row[1]: row[0] for row in csv.reader(file) if len(row) > 3}


@pytest.fixture
def workspace(settings: Settings) -> Workspace:
    return Workspace.open(settings)


def test_a_party_that_joins_the_sdn_list_is_queued_and_decided_by_two_people(
    workspace: Workspace, shared_data: Path
) -> None:
    old, new = shared_data / "ofac" / "sdn-2021-08-18.csv", shared_data / "ofac" / "sdn-2024-05-03.csv"
    assert PARTY.upper() not in _sdn_names(old)
    assert _sdn_names(new)[PARTY.upper()] == "36410"
    store: Store = workspace.store
    engine = store.engine
    analyst, approver = Actor("Andy Analyst", Role.ANALYST), Actor("Paula Approver", Role.APPROVER)
    add_counterparty(engine, analyst, PARTY, "RU", "Moscow")

    first = workspace.rescreen_after(store.import_path(old, date(2021, 8, 18), today=TODAY), analyst, TODAY)
    assert first is not None
    assert first.parties == 1
    assert not [r for r in first.raised if "SBERBANK TECHNOLOGIES" in r.entry_name.upper()]

    second = workspace.rescreen_after(store.import_path(new, date(2024, 5, 3), today=TODAY), analyst, TODAY)
    assert second is not None
    gained = [r for r in second.raised if r.entry_name.upper() == PARTY.upper()]
    assert len(gained) == 1
    assert gained[0].change is Change.NEW
    assert gained[0].band == "match"
    assert gained[0].list_id in {r.list_id for r in waiting(engine)}

    # The register shows the latest screening, with the hit.
    (party,) = parties_register(engine, "sberbank technologies")
    assert party.latest is not None
    assert any(h["name"].upper() == PARTY.upper() for h in party.latest.hits)

    # Importing the same file again stores nothing and re-screens nothing.
    assert workspace.rescreen_after(store.import_path(new, date(2024, 5, 3), today=TODAY), analyst, TODAY) is None

    # A match-level hit cleared by one person still waits; the second person's confirmation settles it.
    before = count_waiting(engine)
    decision = decide(engine, analyst, gained[0].id, Verdict.FALSE_POSITIVE, "a different company, same words (test)")
    assert gained[0].id in {r.id for r in waiting(engine)}
    confirm_decision(engine, approver, decision.id)
    assert gained[0].id not in {r.id for r in waiting(engine)}
    assert count_waiting(engine) == before - 1


def test_a_hit_that_is_gone_is_queued_for_acknowledgement(workspace: Workspace, shared_data: Path) -> None:
    """Importing the older file as the newer date: the entry of 2024 is gone from what governs."""
    store, engine = workspace.store, workspace.store.engine
    analyst = Actor("Andy Analyst", Role.ANALYST)
    add_counterparty(engine, analyst, PARTY, "RU")
    first = store.import_path(shared_data / "ofac" / "sdn-2024-05-03.csv", date(2024, 5, 3), today=TODAY)
    workspace.rescreen_after(first, analyst, TODAY)
    later = shared_data / "ofac" / "sdn-2021-08-18.csv"
    imported = store.import_path(later, date(2024, 6, 1), today=TODAY, accept_shrink="test: older file, dated later")
    report = workspace.rescreen_after(imported, analyst, TODAY)
    assert report is not None
    (gone,) = [r for r in report.raised if r.change is Change.CLEARED and r.entry_name.upper() == PARTY.upper()]
    with pytest.raises(RecordError):
        acknowledge(engine, analyst, gone.id, " ")
    acknowledge(engine, analyst, gone.id, "checked: removed from the SDN list")
    assert gone.id not in {r.id for r in waiting(engine)}


def test_submitting_an_application_naming_a_listed_party_is_refused_with_the_hit(
    workspace: Workspace, shared_data: Path
) -> None:
    store, engine = workspace.store, workspace.store.engine
    analyst = Actor("Andy Analyst", Role.ANALYST)
    store.import_path(shared_data / "ofac" / "sdn-2024-05-03.csv", date(2024, 5, 3), today=TODAY)
    parties = [(PARTY, "RU")]
    what, basis = "application 1 cannot be submitted", workspace.list_basis(TODAY)
    with pytest.raises(RecordError) as refused:
        require_decided(engine, workspace.screener, analyst, parties, TODAY, what, basis)
    assert any(PARTY.upper() in e.message.upper() for e in refused.value.errors)
    assert any(r.party_name == PARTY for r in waiting(engine))
    with engine.connect() as connection:
        runs = connection.execute(sa.text("SELECT count(*) FROM audit_log WHERE action = 'screening.run'")).scalar()
    assert runs == 1
    (run,) = audit.entries(engine, action="screening.run").items
    assert run.data["algorithm"] == "name-v4"  # the default released algorithm (name-v4 since issue 11)
    assert run.data["snapshots"][0]["file_name"] == "sdn-2024-05-03.csv"
