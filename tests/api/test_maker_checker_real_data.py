"""Issue 14, item 1, end to end on the real lists: the API and the CLI over one database.

As an analyst, screen "Harbin Institute of Technology" (Entity List, score 1.00) and record a false
positive: with the reason "x" it is refused; with a real reason it is kept but changes nothing until an
approver with another key confirms it. Then the US-origin EAR99 export to it needs no licence -- and the
answer says it rests on that cleared hit, by whom, never that no party is listed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from earcheck.api import create_app
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

HIT = "Harbin Institute of Technology"
CASE = {
    "id": "hit-ear99",
    "as_of": "2026-08-15",
    "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
    "parties": [{"name": HIT, "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"id": "item", "eccn": "EAR99", "origin": "US", "value": 1000}],
    "knowledge": {"for_products_of": []},
}


def test_a_cleared_entity_list_hit_takes_two_people_and_is_never_hidden(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    assert CliRunner().invoke(app, ["data", "import", str(shared_data)]).exit_code == 0
    engine = migrate(settings)
    admin = Actor("cli:test", Role.ADMIN)
    keys = {
        name: {"Authorization": f"Bearer {create_key(engine, admin, role, name)[1]}"}
        for name, role in (("analyst", Role.ANALYST), ("approver", Role.APPROVER), ("other", Role.APPROVER))
    }
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        screened = client.post(
            "/api/screenings", json={"name": HIT, "country": "CN", "as_of": "2026-08-15"}, headers=keys["analyst"]
        ).json()
        hits = [h for h in screened["hits"] if h["list_code"] == "EL" and h["score"] >= 0.999]
        assert hits
        assert screened["lists"]

        def decide(reason: str) -> list[dict[str, object]]:
            answers = []
            for hit in hits:
                body = {
                    "party_name": HIT,
                    "list_id": hit["list_id"],
                    "entry_sha256": hit["entry_sha256"],
                    "entry_name": hit["name"],
                    "verdict": "false_positive",
                    "reason": reason,
                    "country": "CN",
                    "as_of": "2026-08-15",
                }
                answers.append(client.post("/api/screening-decisions", json=body, headers=keys["analyst"]))
            return [a.json() | {"status": a.status_code} for a in answers]

        refused = decide("x")
        assert {r["status"] for r in refused} == {422}
        assert "at least 20 characters" in json.dumps(refused)
        made = decide("another institute: different address and registration (test)")
        assert {r["status"] for r in made} == {201}
        assert {r["band"] for r in made} == {"match"}

        def check() -> dict[str, object]:
            response = client.post("/api/determinations", json=CASE, headers=keys["analyst"])
            assert response.status_code == 201, response.text
            result: dict[str, object] = response.json()["determination"]
            return result

        pending = check()
        assert pending["license_required"] is True
        again = client.post("/api/screenings", json={"name": HIT, "country": "CN"}, headers=keys["analyst"]).json()
        assert "pending" in {h["review"]["state"] for h in again["hits"] if h["list_code"] == "EL"}

        first = made[0]["id"]
        assert client.post(f"/api/screening-decisions/{first}/confirm", headers=keys["analyst"]).status_code == 403
        for decision in made:
            confirmed = client.post(f"/api/screening-decisions/{decision['id']}/confirm", headers=keys["approver"])
            assert confirmed.status_code == 200, confirmed.text
            assert confirmed.json()["confirmed_by"].startswith("approver")
        twice = client.post(f"/api/screening-decisions/{first}/confirm", headers=keys["other"])
        assert twice.status_code == 409

        cleared = check()
        assert cleared["license_required"] is False
        notes = [f["because"] for f in cleared["findings"] if f["rule"] == "screening.cleared"]  # type: ignore[index]
        assert len(notes) == len(hits)
        assert all("confirmed by approver" in n and "different address" in n for n in notes)
        for finding in cleared["findings"]:  # type: ignore[attr-defined]
            if finding["rule"] == "entity_list":
                assert "except hits that reviewers cleared" in finding["because"]

    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(CASE), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(case_file)])
    assert result.exit_code == 0, result.output
    assert "screening.cleared" in result.output
    assert "cleared by a reviewer" in result.output or "cleared by decision" in " ".join(result.output.split())
