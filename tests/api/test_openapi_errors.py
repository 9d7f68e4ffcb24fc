"""Issue 14 item 11: the OpenAPI document lists each operation's error responses in the shape the API
answers with, and a 405 says in ``Allow`` every method the path serves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Keys

ALWAYS = {"400", "401", "403", "404", "422"}
WRITES = {"409", "413"}


def test_every_operation_lists_its_error_responses(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if path == "/api/health":
                continue
            expected = ALWAYS | (WRITES if method in ("post", "put", "delete") else set())
            assert expected <= statuses, (method, path, sorted(statuses))
            error = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_records_party_roles_are_not_the_cases(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "applicant" in schemas["PartyRole"]["enum"]  # records.parties: form BIS-748P's roles
    assert "exporter" in schemas["CasePartyRole"]["enum"]  # model.PartyRole: a case's parties


def test_a_405_allows_every_method_of_the_path(client: TestClient, keys: Keys) -> None:
    for path, allowed in (
        ("/api/determinations", "GET, POST"),
        ("/api/applications/1", "GET, PUT"),
        ("/api/keys/1", "DELETE"),
    ):
        response = client.patch(path, json={}, headers=keys.header("admin"))
        assert response.status_code == 405
        assert response.headers["Allow"] == allowed
        assert response.json()["error"]["type"] == "MethodNotAllowed"
