"""The supply-chain routes: BOM upload (errors by row and column), rollup, impact jobs with progress."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from earcheck.api import create_app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings
from earcheck.workspace import Workspace
from tests.supplychain.test_rollup import HEADER, PHONE

pytestmark = pytest.mark.shared_data
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def api(settings: Settings, supply_workspace: Workspace) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(create_app(settings, workspace=supply_workspace), raise_server_exceptions=False)
    engine = migrate(settings)
    key = create_key(engine, Actor("cli:test", Role.ADMIN), Role.ANALYST, "analyst")[1]
    return client, {"Authorization": f"Bearer {key}"}


def test_bom_upload_and_rollup(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    bad = client.post("/api/boms", content="\n".join([HEADER, *PHONE, "x,nowhere,1,1,USD,CN,,,"]), headers=auth)
    assert bad.status_code == 422
    assert "row 13, column parent: orphan" in bad.text
    made = client.post("/api/boms", content="\n".join([HEADER, *PHONE]), headers=auth)
    assert made.status_code == 201, made.text
    bom_id = made.json()["id"]
    rolled = client.get(f"/api/boms/{bom_id}/rollup", params={"destination": "CN", "as_of": "2026-08-01"}, headers=auth)
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["share_percent"] == pytest.approx(22.5)
    assert client.get(f"/api/boms/{bom_id}/rollup", params={"destination": "CN"}).status_code == 401


def test_impact_job(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    import json

    portfolio = [json.loads(line) for line in (EXAMPLES / "portfolio-2020-12.jsonl").read_text().splitlines()]
    scenario = json.loads(json.dumps(yaml.safe_load((EXAMPLES / "impact-smic-listing.yaml").read_text()), default=str))
    started = client.post("/api/impact/jobs", json={"scenario": scenario, "portfolio": portfolio}, headers=auth)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["total"] == 5
    for _ in range(300):
        job = client.get(f"/api/impact/jobs/{job['id']}", headers=auth).json()
        if job["state"] != "running":
            break
        time.sleep(0.1)
    assert job["state"] == "finished", job
    assert job["summary"]["reevaluated"] == 3
    assert job["summary"]["skipped"] == 2
    assert [r["case_id"] for r in job["rows"]] == ["po-1001", "po-1002"]
    bad = client.post("/api/impact/jobs", json={"scenario": scenario, "portfolio": [{"items": []}]}, headers=auth)
    assert bad.status_code == 422
