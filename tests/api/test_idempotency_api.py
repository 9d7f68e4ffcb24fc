"""Issue 14 item 5 over HTTP: the ``Idempotency-Key`` header on shipment and application POSTs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Keys

LICENCE = {
    "number": "D501",
    "valid_from": "2025-01-01",
    "valid_until": "2028-12-31",
    # A party on no list: a shipment screens the licence's parties first, and this test is about retries.
    "parties": [{"role": "ultimate_consignee", "name": "Acme Trading GmbH", "country": "DE"}],
    "lines": [{"eccn": "EAR99", "description": "wafers", "quantity": 100, "unit": "wafers", "value": 10000}],
}
SHIPMENT = {"shipped_on": "2025-06-01", "lines": [{"line": 1, "quantity": 40, "value": "4000.00"}]}


def test_a_retried_shipment_is_drawn_once(client: TestClient, keys: Keys) -> None:
    licence = client.post("/api/licences", json=LICENCE, headers=keys.header("approver")).json()
    path = f"/api/licences/{licence['id']}/shipments"
    headers = keys.header("analyst") | {"Idempotency-Key": "3f0c9a52-retry"}
    first = client.post(path, json=SHIPMENT, headers=headers)
    again = client.post(path, json=SHIPMENT, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    line = client.get(f"/api/licences/{licence['id']}", headers=keys.header("viewer")).json()["lines"][0]
    assert line["remaining_quantity"] == "60"
    other = client.post(path, json={**SHIPMENT, "reference": "INV-2"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["type"] == "IdempotencyKeyReused"
    bad = client.post(path, json=SHIPMENT, headers=keys.header("analyst") | {"Idempotency-Key": "x" * 201})
    assert bad.status_code == 422
    assert client.post(path, json=SHIPMENT, headers=keys.header("analyst")).status_code == 201  # no key: applied


def test_a_retried_application_is_drafted_once(client: TestClient, keys: Keys) -> None:
    headers = keys.header("analyst") | {"Idempotency-Key": "draft-7"}
    body = {"end_use": "Incorporation into application processors by the ultimate consignee."}
    first = client.post("/api/applications", json=body, headers=headers)
    again = client.post("/api/applications", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    listed = client.get("/api/applications", headers=keys.header("viewer")).json()["items"]
    assert len(listed) == 1
