"""Screening, determinations and the licence workflow through the API, with the workspace double."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.doubles import FakeWorkspace, decide_every_queued_hit

CASE: dict[str, Any] = {
    "id": "smic-huawei-2020-09-20",
    "as_of": "2020-09-20",
    "exporter": {"name": "Semiconductor Manufacturing International Corporation", "country": "CN"},
    "parties": [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"id": "wafers", "eccn": "EAR99", "origin": "CN", "value": 1000000}],
}

APPLICATION: dict[str, Any] = {
    "parties": [
        {
            "role": "applicant",
            "name": "Semiconductor Manufacturing International Corporation",
            "country": "CN",
        },
        {"role": "ultimate_consignee", "name": "Huawei Technologies Co., Ltd.", "country": "CN"},
    ],
    "items": [
        {
            "eccn": "EAR99",
            "description": "14 nm application processor wafers",
            "quantity": 100,
            "unit": "wafers",
            "value": "10000.00",
        }
    ],
    "end_use": "Kirin application processors",
}


def test_screening_explains_hits_and_remembers_decisions(
    client: TestClient, keys: Keys, workspace: FakeWorkspace
) -> None:
    body = {"name": "Huawei Technologies Co Ltd", "country": "CN", "as_of": "2020-09-20"}
    result = client.post("/api/screenings", json=body, headers=keys.header("analyst")).json()
    (hit,) = result["hits"]
    assert hit["list_id"] == "el-huawei"
    assert hit["in_force"] is True
    assert hit["footnotes"] == [1]
    assert hit["band"] == "match"
    assert set(hit["explanation"]) == {"name", "country"}
    assert hit["entry"]["addresses"] == ["Bantian, Longgang District, Shenzhen, 518129, CN"]
    assert hit["review"]["state"] == "unreviewed"
    assert workspace.screened[-1][2].isoformat() == "2020-09-20"

    decision = client.post(
        "/api/screening-decisions",
        json={
            "party_name": body["name"],
            "list_id": hit["list_id"],
            "entry_sha256": hit["entry_sha256"],
            "entry_name": hit["name"],
            "verdict": "true_match",
            "reason": "Same entity: same Shenzhen address.",
        },
        headers=keys.header("analyst"),
    )
    assert decision.status_code == 201
    again = client.post("/api/screenings", json=body, headers=keys.header("analyst")).json()
    assert again["hits"][0]["review"]["state"] == "confirmed"
    assert again["hits"][0]["review"]["decision"]["reason"] == "Same entity: same Shenzhen address."

    # A list entry that changes is raised again.
    workspace.entries[0] = dataclasses.replace(workspace.entries[0], aliases=("Huawei", "HW"))
    changed = client.post("/api/screenings", json=body, headers=keys.header("analyst")).json()
    assert changed["hits"][0]["review"]["state"] == "reraised"

    audit = client.get("/api/audit", params={"action": "screening.run"}, headers=keys.header("viewer")).json()
    assert len(audit["items"]) == 3
    assert audit["items"][0]["seq"] == changed["audit_seq"]
    decisions = client.get(
        "/api/screening-decisions",
        params={"party_name": "huawei technologies co. ltd."},
        headers=keys.header("viewer"),
    ).json()
    assert len(decisions["items"]) == 1


def test_determinations_are_stored_and_listed(client: TestClient, keys: Keys) -> None:
    made = client.post("/api/determinations", json=CASE, headers=keys.header("analyst"))
    assert made.status_code == 201, made.text
    stored = made.json()
    assert stored["license_required"] is True
    assert stored["determination"]["findings"][0]["citation"] == "15 CFR 736.2(b)(3)(vi)"
    assert stored["case"]["id"] == "smic-huawei-2020-09-20"
    one = client.get(f"/api/determinations/{stored['id']}", headers=keys.header("viewer")).json()
    assert one == stored
    listed = client.get("/api/determinations", headers=keys.header("viewer")).json()
    assert [d["id"] for d in listed["items"]] == [stored["id"]]


def test_an_invalid_case_lists_its_fields(client: TestClient, keys: Keys) -> None:
    bad = {**CASE, "destination": "XX", "items": [{"eccn": "3B01"}], "colour": "red"}
    response = client.post("/api/determinations", json=bad, headers=keys.header("analyst"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "CaseError"
    assert {f["field"] for f in error["fields"]} >= {"destination", "items[0].eccn", "colour"}
    many = client.post("/api/determinations", json=[CASE], headers=keys.header("analyst"))
    assert many.status_code == 422


def test_a_timeline(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/timelines", json=CASE, params={"start": "2019-01-01"}, headers=keys.header("analyst"))
    assert response.status_code == 200
    intervals = response.json()["intervals"]
    assert [i["start"] for i in intervals] == ["2019-05-16", "2020-08-17"]


def test_the_licence_workflow(client: TestClient, keys: Keys) -> None:
    analyst, approver, viewer = keys.header("analyst"), keys.header("approver"), keys.header("viewer")
    determination = client.post("/api/determinations", json=CASE, headers=analyst).json()
    draft = client.post(
        "/api/applications", json={**APPLICATION, "determination_id": determination["id"]}, headers=analyst
    )
    assert draft.status_code == 201
    application = draft.json()
    assert application["status"] == "draft"
    assert application["items"][0]["value"] == "10000.00"
    assert application["total_value"] == "10000.00"

    early = client.post(
        f"/api/applications/{application['id']}/approve",
        json={"licence_number": "D1", "valid_from": "2025-01-01", "valid_until": "2028-12-31"},
        headers=approver,
    )
    assert early.status_code == 409
    assert early.json()["error"]["type"] == "IllegalTransition"

    # The fake list names Huawei, the ultimate consignee: submission is refused with the hit named, and
    # the hit waits in the review queue until a person decides it.
    blocked = client.post(f"/api/applications/{application['id']}/submit", json={}, headers=analyst)
    assert blocked.status_code == 422
    assert "Huawei" in " ".join(f["message"] for f in blocked.json()["error"]["fields"])
    queue = client.get("/api/screening-reviews", headers=viewer).json()
    assert any("Huawei" in q["party_name"] for q in queue)
    queued = queue  # the applicant, SMIC, is on the fake Entity List too
    for hit in queued:
        body = {"verdict": "true_match", "reason": "the Entity List entry of the ultimate consignee"}
        decided = client.post(f"/api/screening-reviews/{hit['id']}/decision", json=body, headers=analyst)
        assert decided.status_code == 201
    assert not [
        q for q in client.get("/api/screening-reviews", headers=viewer).json() if q["id"] in {h["id"] for h in queued}
    ]
    parties = client.get("/api/parties", params={"search": "huawei"}, headers=viewer).json()
    assert parties
    assert parties[0]["hits"]
    exported = client.get("/api/parties/export", params={"format": "csv"}, headers=viewer)
    assert exported.status_code == 200
    assert "Huawei" in exported.text

    submitted = client.post(f"/api/applications/{application['id']}/submit", json={}, headers=analyst).json()
    assert submitted["status"] == "submitted"
    assert client.put(f"/api/applications/{application['id']}", json=APPLICATION, headers=analyst).status_code == 409

    licence = client.post(
        f"/api/applications/{application['id']}/approve",
        json={
            "licence_number": "D1",
            "valid_from": "2025-01-01",
            "valid_until": "2028-12-31",
            "conditions": ["No reexport to Iran."],
        },
        headers=approver,
    ).json()
    assert licence["number"] == "D1"
    assert licence["conditions"] == ["No reexport to Iran."]
    assert licence["lines"][0]["remaining_quantity"] == "100"

    shipped = client.post(
        f"/api/licences/{licence['id']}/shipments",
        json={
            "shipped_on": "2025-06-01",
            "reference": "INV-7",
            "lines": [{"line": 1, "quantity": 40, "value": "4000.00"}],
        },
        headers=analyst,
    )
    assert shipped.status_code == 201
    over = client.post(
        f"/api/licences/{licence['id']}/shipments",
        json={"shipped_on": "2025-06-02", "lines": [{"line": 1, "quantity": 61, "value": 1}]},
        headers=analyst,
    )
    assert over.status_code == 409
    assert over.json()["error"] == {
        "type": "DrawdownRefused",
        "message": "licence D1 line 1 (EAR99, 14 nm application processor wafers) cannot cover this "
        "shipment: 61 wafers asked, 60 wafers left (limits 100 wafers and $10,000.00)",
    }
    expired = client.post(
        f"/api/licences/{licence['id']}/shipments",
        json={"shipped_on": "2029-01-01", "lines": [{"line": 1, "quantity": 1, "value": 1}]},
        headers=analyst,
    )
    assert expired.status_code == 409
    register = client.get("/api/licences", headers=viewer).json()["items"]
    assert register[0]["lines"][0]["remaining_quantity"] == "60"
    assert register[0]["lines"][0]["remaining_value"] == "6000.00"
    shipments = client.get("/api/shipments", params={"licence_id": licence["id"]}, headers=viewer).json()
    assert [s["reference"] for s in shipments["items"]] == ["INV-7"]
    trail = client.get("/api/audit", params={"order": "oldest"}, headers=viewer).json()["items"]
    actions = [e["action"] for e in trail]
    assert actions.index("screening.run") < actions.index("application.submitted")
    assert "screening.decision" in actions
    assert [a for a in actions if a != "key.create" and not a.startswith("screening.")] == [
        "determination.record",
        "application.create",
        "application.submitted",
        "application.approved",
        "licence.record",
        "shipment.record",
    ]
    assert client.get("/api/audit/verify", headers=viewer).json()["ok"] is True


def test_incomplete_applications_and_reasons(client: TestClient, keys: Keys) -> None:
    analyst, approver = keys.header("analyst"), keys.header("approver")
    empty = client.post("/api/applications", json={}, headers=analyst).json()
    refused = client.post(f"/api/applications/{empty['id']}/submit", json={}, headers=analyst)
    assert refused.status_code == 422
    assert [f["field"] for f in refused.json()["error"]["fields"]] == [
        "parties",
        "parties",
        "items",
        "end_use",
    ]
    full = client.post("/api/applications", json=APPLICATION, headers=analyst).json()
    assert client.post(f"/api/applications/{full['id']}/submit", json={}, headers=analyst).status_code == 422
    assert decide_every_queued_hit(client, analyst) >= 1
    assert client.post(f"/api/applications/{full['id']}/submit", json={}, headers=analyst).status_code == 200
    no_reason = client.post(f"/api/applications/{full['id']}/deny", json={}, headers=approver)
    assert no_reason.status_code == 422
    denied = client.post(
        f"/api/applications/{full['id']}/deny", json={"note": "Presumption of denial."}, headers=approver
    )
    assert denied.json()["status"] == "denied"
    listed = client.get("/api/applications", params={"status": "denied"}, headers=keys.header("viewer")).json()
    assert [a["id"] for a in listed["items"]] == [full["id"]]


def test_pages_walk_the_whole_list(client: TestClient, keys: Keys) -> None:
    ids = [client.post("/api/applications", json={}, headers=keys.header("analyst")).json()["id"] for _ in range(5)]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/applications", params=params, headers=keys.header("viewer")).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)


def test_lists_and_entries(client: TestClient, keys: Keys) -> None:
    viewer = keys.header("viewer")
    (summary,) = client.get("/api/lists", headers=viewer).json()
    assert summary["code"] == "EL"
    first = client.get("/api/lists/EL/entries", params={"limit": 1}, headers=viewer).json()
    second = client.get(
        "/api/lists/EL/entries", params={"limit": 1, "cursor": first["next_cursor"]}, headers=viewer
    ).json()
    assert [e["list_id"] for e in first["items"] + second["items"]] == ["el-huawei", "el-smic"]
    assert second["next_cursor"] is None
    assert client.get("/api/entries/el-smic", headers=viewer).json()["name"].startswith("Semiconductor")
    assert client.get("/api/entries/nope", headers=viewer).status_code == 404
    assert client.get("/api/lists/XX/entries", headers=viewer).status_code == 422
