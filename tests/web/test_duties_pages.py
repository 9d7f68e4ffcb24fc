"""Segregation of duties in the UI and the API: who prepared an application sees no decision form and
is refused; with the one-person setting the form is there, with a notice, and the decision goes."""

from __future__ import annotations

import dataclasses
import re

from fastapi.testclient import TestClient

from earcheck.api import create_app
from earcheck.records.keys import Role
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace
from tests.web.conftest import sign_in

APPLICATION = {
    "parties": [
        {"role": "applicant", "name": "Blue Heron Instruments Inc.", "country": "US"},
        {"role": "ultimate_consignee", "name": "Acme Trading GmbH", "country": "DE"},
    ],
    "items": [{"eccn": "EAR99", "description": "sensors", "quantity": "10", "unit": "pieces", "value": "500"}],
    "end_use": "quality control of bottling lines",
}
DECISION = {"licence_number": "D777001", "valid_from": "2026-01-01", "valid_until": "2029-12-31"}


def _submitted(client: TestClient, key: str) -> int:
    header = {"Authorization": f"Bearer {key}"}
    made = client.post("/api/applications", json=APPLICATION, headers=header)
    assert made.status_code == 201, made.text
    number = int(made.json()["id"])
    assert client.post(f"/api/applications/{number}/submit", json={}, headers=header).status_code == 200
    return number


def test_the_preparer_sees_no_decision_form_and_is_refused(web: TestClient, app_keys: dict[Role, str]) -> None:
    number = _submitted(web, app_keys[Role.APPROVER])
    csrf = sign_in(web, app_keys[Role.APPROVER])
    shown = web.get(f"/applications/{number}")
    assert 'id="segregation"' in shown.text
    assert 'id="approve"' not in shown.text
    refused = web.post(f"/applications/{number}/approve", data={"csrf": csrf, **DECISION})
    assert refused.status_code == 409
    assert "another person must record BIS" in refused.text
    api = web.post(
        f"/api/applications/{number}/approve",
        json={**DECISION, "conditions": []},
        headers={"Authorization": f"Bearer {app_keys[Role.APPROVER]}"},
    )
    assert api.status_code == 403
    assert "segregation of duties" in api.text

    # Another approver records BIS's decision.
    web.cookies.clear()
    csrf = sign_in(web, app_keys[Role.ADMIN])
    form = web.get(f"/applications/{number}")
    assert "Record BIS&#39;s decision" in form.text or "Record BIS's decision" in form.text
    assert "Licence number BIS gave" in form.text
    done = web.post(f"/applications/{number}/approve", data={"csrf": csrf, **DECISION}, follow_redirects=True)
    assert "Licence D777001" in done.text


def test_the_one_person_setting_shows_the_form_with_a_notice(settings: Settings, app_keys: dict[Role, str]) -> None:
    alone = dataclasses.replace(settings, one_person_decisions=True)
    with TestClient(create_app(alone, workspace=FakeWorkspace()), raise_server_exceptions=False) as client:
        number = _submitted(client, app_keys[Role.APPROVER])
        csrf = sign_in(client, app_keys[Role.APPROVER])
        shown = client.get(f"/applications/{number}")
        assert "The one-person setting lets you record the decision too" in shown.text
        done = client.post(f"/applications/{number}/approve", data={"csrf": csrf, **DECISION}, follow_redirects=True)
        assert "Licence D777001" in done.text
        log = client.get("/audit", params={"subject": f"application:{number}"}).text
        assert re.search(r"segregation_of_duties.{0,20}waived: one-person setting", log)


def test_the_setting_is_read_from_the_environment() -> None:
    assert Settings.from_env({"EARCHECK_HOME": "/tmp/x"}).one_person_decisions is False
    assert Settings.from_env({"EARCHECK_HOME": "/tmp/x", "EARCHECK_ONE_PERSON_DECISIONS": "1"}).one_person_decisions


LICENCE = {
    "number": "D555001",
    "valid_from": "2026-01-01",
    "valid_until": "2029-12-31",
    "party_role": ["applicant", "ultimate_consignee"],
    "party_name": ["Blue Heron Instruments Inc.", "Acme Trading GmbH"],
    "party_country": ["US", "DE"],
    "party_address": ["", ""],
    "item_eccn": ["3A090.a"],
    "item_description": ["accelerator boards"],
    "item_quantity": ["20"],
    "item_unit": ["pieces"],
    "item_value": ["200,000"],
    "conditions": "No reexport.\nReport each shipment.",
}


def test_a_licence_is_recorded_directly(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.ANALYST])
    assert 'href="/licences/new"' not in web.get("/licences").text  # no form they cannot use
    assert web.get("/licences/new").status_code == 403
    web.cookies.clear()
    csrf = sign_in(web, app_keys[Role.APPROVER])
    assert 'href="/licences/new"' in web.get("/licences").text
    form = web.get("/licences/new")
    assert form.status_code == 200
    assert "<title>Record a licence · earcheck</title>" in form.text

    missing = web.post(
        "/licences/new", data={**LICENCE, "csrf": csrf, "valid_until": "", "party_role": ["applicant", "purchaser"]}
    )
    assert missing.status_code == 422
    assert "give the date on the licence" in missing.text
    assert 'value="accelerator boards"' in missing.text  # nothing typed is lost

    made = web.post("/licences/new", data={**LICENCE, "csrf": csrf}, follow_redirects=True)
    assert made.status_code == 200
    assert "Licence D555001" in made.text
    assert "<strong>20</strong> of 20 pieces left" in made.text
    again = web.post("/licences/new", data={**LICENCE, "csrf": csrf})
    assert again.status_code == 409
    assert "already recorded" in again.text
