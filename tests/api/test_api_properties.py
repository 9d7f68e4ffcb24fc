"""Property-based tests of the whole API against its own OpenAPI document (schemathesis): whatever a
client sends, valid or not, no route answers 5xx. And every route refuses a missing key, and a key
whose role is too low."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from earcheck.api import create_app
from earcheck.db import migrate
from earcheck.records.applications import ApplicationDraft, create_application, submit
from earcheck.records.keys import Actor, Role, create_key
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.settings import Settings
from tests.api.conftest import Keys
from tests.doubles import FakeWorkspace
from tests.servers import serving

ADMIN = Actor("cli:test", Role.ADMIN)


def _openapi_document() -> dict[str, Any]:
    # The document does not depend on the data: read it from an app over a throwaway in-memory
    # database, at import, so that schemathesis can parametrize the test by operation.
    with tempfile.TemporaryDirectory() as home:
        app = create_app(Settings(home=Path(home), database_url="sqlite://"), workspace=FakeWorkspace())
        document: dict[str, Any] = app.openapi()
    return document


schema = schemathesis.openapi.from_dict(_openapi_document())


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real server over one database for the whole module, holding a draft and a submitted
    application (so that some generated ids exist); its URL and an admin key."""
    settings = Settings.from_env({"EARCHECK_HOME": str(tmp_path_factory.mktemp("property-home"))})
    app = create_app(settings, workspace=FakeWorkspace())
    engine = migrate(settings)
    _, secret = create_key(engine, ADMIN, Role.ADMIN, "property tests")
    create_application(engine, ADMIN, ApplicationDraft())
    complete = ApplicationDraft(
        parties=(
            PartyRecord(PartyRole.APPLICANT, "Acme Inc.", "US"),
            PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Beta GmbH", "DE"),
        ),
        items=(ItemLine("EAR99", "valves", Decimal(1), "pieces", Decimal(1)),),
        end_use="plumbing",
    )
    submit(engine, ADMIN, create_application(engine, ADMIN, complete).id)
    with serving(app) as url:
        yield url, secret


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_makes_the_api_fail(case: Any, api: tuple[str, str]) -> None:
    url, secret = api
    response = case.call(base_url=url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])


# Schemathesis's default checks but two, with zero failures: positive_data_acceptance (ST202) and
# negative_data_rejection (ST201) fail by design today, as the OpenAPI document does not yet carry every
# rule the API checks (ISO country codes, ECCN shapes, storable text, date ranges are validated
# beyond the schema, so a schema-valid request can be a 422), and case booleans are read leniently.
EXCLUDED_CHECKS = ("positive_data_acceptance", "negative_data_rejection")


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_responses_conform_to_the_openapi_document(case: Any, api: tuple[str, str]) -> None:
    url, secret = api
    excluded = [getattr(openapi_checks, name) for name in EXCLUDED_CHECKS]
    case.call_and_validate(base_url=url, headers={"Authorization": f"Bearer {secret}"}, excluded_checks=excluded)


# Every route and the least role it needs; a new route must be added here (the test below fails).
ROLES = {
    ("GET", "/api/health"): None,
    ("POST", "/api/screenings"): Role.ANALYST,
    ("POST", "/api/screening-decisions"): Role.ANALYST,
    ("POST", "/api/screening-decisions/{decision_id}/confirm"): Role.APPROVER,
    ("GET", "/api/screening-decisions"): Role.VIEWER,
    ("GET", "/api/screenings/{seq}/certificate.{fmt}"): Role.VIEWER,
    ("GET", "/api/parties"): Role.VIEWER,
    ("POST", "/api/parties"): Role.ANALYST,
    ("GET", "/api/parties/export"): Role.VIEWER,
    ("GET", "/api/screening-reviews"): Role.VIEWER,
    ("POST", "/api/screening-reviews/{review_id}/decision"): Role.ANALYST,
    ("POST", "/api/screening-reviews/{review_id}/acknowledge"): Role.ANALYST,
    ("GET", "/api/lists"): Role.VIEWER,
    ("GET", "/api/lists/{code}/entries"): Role.VIEWER,
    ("GET", "/api/entries/{list_id}"): Role.VIEWER,
    ("POST", "/api/determinations"): Role.ANALYST,
    ("GET", "/api/determinations"): Role.VIEWER,
    ("GET", "/api/determinations/export"): Role.VIEWER,
    ("GET", "/api/determinations/{determination_id}"): Role.VIEWER,
    ("POST", "/api/timelines"): Role.ANALYST,
    ("GET", "/api/applications"): Role.VIEWER,
    ("POST", "/api/applications"): Role.ANALYST,
    ("GET", "/api/applications/{application_id}"): Role.VIEWER,
    ("PUT", "/api/applications/{application_id}"): Role.ANALYST,
    ("POST", "/api/applications/{application_id}/submit"): Role.ANALYST,
    ("POST", "/api/applications/{application_id}/approve"): Role.APPROVER,
    ("POST", "/api/applications/{application_id}/return"): Role.APPROVER,
    ("POST", "/api/applications/{application_id}/deny"): Role.APPROVER,
    ("GET", "/api/licences"): Role.VIEWER,
    ("POST", "/api/licences"): Role.APPROVER,
    ("GET", "/api/licences/{licence_id}"): Role.VIEWER,
    ("POST", "/api/licences/{licence_id}/shipments"): Role.ANALYST,
    ("POST", "/api/shipments"): Role.ANALYST,
    ("GET", "/api/shipments"): Role.VIEWER,
    ("GET", "/api/shipments/{shipment_id}"): Role.VIEWER,
    ("GET", "/api/keys"): Role.ADMIN,
    ("POST", "/api/keys"): Role.ADMIN,
    ("DELETE", "/api/keys/{key_id}"): Role.ADMIN,
    ("GET", "/api/audit"): Role.VIEWER,
    ("GET", "/api/audit/export"): Role.VIEWER,
    ("GET", "/api/audit/verify"): Role.VIEWER,
    ("POST", "/api/boms"): Role.ANALYST,
    ("GET", "/api/boms/{bom_id}/rollup"): Role.VIEWER,
    ("POST", "/api/impact/jobs"): Role.ANALYST,
    ("GET", "/api/impact/jobs/{job_id}"): Role.VIEWER,
}
BELOW = {Role.ANALYST: "viewer", Role.APPROVER: "analyst", Role.ADMIN: "approver"}


def _routes(client: TestClient) -> set[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_every_route_refuses_a_missing_key_and_a_role_too_low(client: TestClient, keys: Keys) -> None:
    assert _routes(client) == set(ROLES)
    for (method, path), role in sorted(ROLES.items()):
        url = re.sub(r"\{[^}]+\}", "1", path)
        anonymous = client.request(method, url, json={})
        if role is None:
            assert anonymous.status_code == 200, url
            continue
        assert anonymous.status_code == 401, (method, url)
        if role in BELOW:
            lower = client.request(method, url, json={}, headers=keys.header(BELOW[role]))
            assert lower.status_code == 403, (method, url, lower.text)
