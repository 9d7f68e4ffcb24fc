"""The API over the real snapshot data with the real engine and screener (the default workspace)."""

from __future__ import annotations

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

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "smic-huawei.yaml"


def test_lists_screening_and_the_flagship_case(settings: Settings, shared_data: Path) -> None:
    # Before any import, the engine's routes say what to do instead of failing.
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _, secret = create_key(migrate(settings), Actor("cli:test", Role.ADMIN), Role.ANALYST, "a")
        header = {"Authorization": f"Bearer {secret}"}
        empty = client.post("/api/screenings", json={"name": "Huawei"}, headers=header)
        assert empty.status_code == 503
        assert "earcheck data import" in empty.json()["error"]["message"]

    assert CliRunner().invoke(app, ["data", "import", str(shared_data)]).exit_code == 0
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        lists = {x["code"]: x for x in client.get("/api/lists", headers=header).json()}
        assert lists["EL"]["entries"] == 3420
        assert lists["EL"]["snapshot_date"] == "2026-07-31"
        first = client.get("/api/lists/EL/entries", params={"limit": 2}, headers=header).json()
        second = client.get(
            "/api/lists/EL/entries", params={"limit": 2, "cursor": first["next_cursor"]}, headers=header
        ).json()
        assert len({e["list_id"] for e in first["items"] + second["items"]}) == 4
        entry = first["items"][0]
        assert client.get(f"/api/entries/{entry['list_id']}", headers=header).json() == entry

        def huawei_on(day: str) -> list[dict[str, object]]:
            body = {"name": "Huawei Technologies Co., Ltd.", "country": "CN", "as_of": day}
            hits = client.post("/api/screenings", json=body, headers=header).json()["hits"]
            return [h for h in hits if h["list_code"] == "EL"]

        assert {h["in_force"] for h in huawei_on("2019-05-15")} == {False}
        assert True in {h["in_force"] for h in huawei_on("2019-05-16")}
        assert any(1 in h["footnotes"] for h in huawei_on("2020-09-20"))

        case = yaml.safe_load(EXAMPLE.read_text())
        case["as_of"] = case["as_of"].isoformat()
        for item in case["items"]:
            item["production"]["production_started"] = item["production"]["production_started"].isoformat()
        made = client.post("/api/determinations", json=case, headers=header)
        assert made.status_code == 201, made.text
        result = made.json()["determination"]
        assert result["license_required"] is True
        assert result["review_policy"] == "Presumption of denial"
        assert "15 CFR 736.2(b)(3)(vi)" in {f["citation"] for f in result["findings"] if f["outcome"] == "applies"}
        timeline = client.post("/api/timelines", json=case, headers=header).json()
        answers = [(i["start"], i["license_required"]) for i in timeline["intervals"]]
        assert ("2020-09-15", True) in answers
