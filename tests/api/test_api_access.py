"""Keys, roles and the shape of every error."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/licences"),
        ("GET", "/api/audit"),
        ("POST", "/api/screenings"),
        ("GET", "/api/keys"),
        ("POST", "/api/applications/1/approve"),
    ],
)
def test_requests_without_a_key_are_refused(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["type"] == "Unauthorized"


def test_unknown_keys_are_refused_alike_in_both_headers(client: TestClient, keys: Keys) -> None:
    forged = "ek_" + "A" * 43
    assert client.get("/api/licences", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert client.get("/api/licences", headers={"X-API-Key": forged}).status_code == 401
    assert client.get("/api/licences", headers={"X-API-Key": keys.viewer}).status_code == 200


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("viewer", "POST", "/api/screenings", {"name": "Huawei"}),
        ("viewer", "POST", "/api/applications", {}),
        (
            "analyst",
            "POST",
            "/api/applications/1/approve",
            {"licence_number": "D1", "valid_from": "2025-01-01", "valid_until": "2026-01-01"},
        ),
        ("analyst", "POST", "/api/applications/1/deny", {"note": "no"}),
        ("analyst", "POST", "/api/licences", {}),
        ("approver", "POST", "/api/keys", {"role": "admin", "name": "me"}),
        ("approver", "GET", "/api/keys", None),
        ("approver", "DELETE", "/api/keys/1", None),
    ],
)
def test_a_role_too_low_is_refused(
    client: TestClient, keys: Keys, role: str, method: str, path: str, body: object
) -> None:
    response = client.request(method, path, json=body, headers=keys.header(role))
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["type"] == "Forbidden"
    assert f"has {role}" in error["message"]


def test_an_admin_creates_lists_and_revokes_keys(client: TestClient, keys: Keys) -> None:
    made = client.post("/api/keys", json={"role": "analyst", "name": "Ann"}, headers=keys.header("admin"))
    assert made.status_code == 201
    secret, key_id = made.json()["secret"], made.json()["key"]["id"]
    assert client.get("/api/licences", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = client.get("/api/keys", params={"limit": 2}, headers=keys.header("admin")).json()
    assert [k["name"] for k in listed["items"]] == ["Ann", "admin key"]
    assert listed["next_cursor"] is not None
    assert all("secret" not in k for k in listed["items"])
    revoked = client.delete(f"/api/keys/{key_id}", headers=keys.header("admin"))
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/api/licences", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_validation_errors_name_their_fields(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/applications",
        json={"parties": [{"role": "buyer", "name": ""}], "items": [{"eccn": "3B01", "quantity": -1}]},
        headers=keys.header("analyst"),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "ValidationError"
    fields = {f["field"] for f in error["fields"]}
    assert {
        "parties[0].role",
        "parties[0].name",
        "items[0].eccn",
        "items[0].quantity",
        "items[0].unit",
    } <= fields


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/licences/0", {}, 422),
        ("/api/licences/99999999999999999999", {}, 422),
        ("/api/licences/12", {}, 404),
        ("/api/licences", {"limit": 501}, 422),
        ("/api/licences", {"cursor": "not-a-cursor"}, 422),
        ("/api/no-such-route", {}, 404),
    ],
)
def test_bad_addresses_get_4xx_json(
    client: TestClient, keys: Keys, path: str, params: dict[str, object], status: int
) -> None:
    response = client.get(path, params=params, headers=keys.header("viewer"))
    assert response.status_code == status
    assert set(response.json()["error"]) >= {"type", "message"}


def test_malformed_and_oversized_bodies(client: TestClient, keys: Keys) -> None:
    header = keys.header("analyst") | {"Content-Type": "application/json"}
    response = client.post("/api/applications", content=b"{not json", headers=header)
    assert response.status_code == 422
    response = client.post("/api/determinations", content=b"[1, 2", headers=header)
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "CaseError"
    huge = b'{"end_use": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    response = client.post("/api/applications", content=huge, headers=header)
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "PayloadTooLarge"


def test_text_no_database_can_store_is_refused(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/applications", json={"end_use": "chips\u0000"}, headers=keys.header("analyst"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0] == {
        "field": "end_use",
        "message": "contains a NUL character",
    }
    response = client.post(
        "/api/applications",
        content=b'{"end_use": "\\ud800"}',
        headers=keys.header("analyst") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_a_body_streamed_past_the_limit_is_cut_off(client: TestClient, keys: Keys) -> None:
    def chunks():  # no Content-Length: the body arrives in chunks
        for _ in range(7):
            yield b" " * (1024 * 1024)

    response = client.post(
        "/api/determinations",
        content=chunks(),
        headers=keys.header("analyst") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "PayloadTooLarge"
