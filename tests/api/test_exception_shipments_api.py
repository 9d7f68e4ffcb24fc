"""Shipments under a licence exception through the API (issue 17, item 4), on the real data and engine:
a stored determination that shows LVS available for 3C005 to Thailand carries a shipment under LVS;
one that shows it unavailable does not; the register lists the shipment with its symbol.

The LVS answers come from the case table's reading (tests/engine/cases/exceptions.yaml): 3C005 "LVS:
$3,000", Thailand in Country Group B, 740.3's net-value limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from earcheck.api import create_app
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def _case(value: int) -> dict[str, Any]:
    return {
        "as_of": "2026-08-15",
        "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
        "parties": [{"name": "Kestrel Fieldworks Ltd.", "role": "ultimate_consignee"}],
        "destination": "TH",
        "items": [{"id": "wafers", "eccn": "3C005", "origin": "US", "value": value}],
    }


def _shipment(determination: int | None, symbol: str = "LVS", destination: str = "TH") -> dict[str, Any]:
    return {
        "licence_exception": symbol,
        "shipped_on": "2026-08-15",
        "destination": destination,
        "determination_id": determination,
        "reference": "AES X20260815000001",
        "items": [{"eccn": "3C005", "description": "SiC wafers", "quantity": "10", "unit": "each", "value": "1000"}],
    }


def test_a_shipment_under_an_exception_rests_on_a_determination_showing_it(
    settings: Settings, shared_data: Path
) -> None:
    assert CliRunner().invoke(app, ["data", "import", str(shared_data)]).exit_code == 0
    engine = migrate(settings)
    cli = Actor("cli:test", Role.ADMIN)
    analyst = {"Authorization": f"Bearer {create_key(engine, cli, Role.ANALYST, 'a')[1]}"}
    viewer = {"Authorization": f"Bearer {create_key(engine, cli, Role.VIEWER, 'v')[1]}"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        within = client.post("/api/determinations", json=_case(1000), headers=analyst)
        above = client.post("/api/determinations", json=_case(5000), headers=analyst)
        assert within.status_code == above.status_code == 201, within.text
        lvs = {e["symbol"]: e["available"] for e in within.json()["determination"]["license_exceptions"]}
        assert lvs["LVS"] is True

        made = client.post("/api/shipments", json=_shipment(within.json()["id"]), headers=analyst)
        assert made.status_code == 201, made.text
        shipment = made.json()
        assert shipment["licence_exception"] == "LVS"
        assert shipment["exception_citation"] == "15 CFR 740.3"
        assert shipment["licence_id"] is None
        assert shipment["lines"][0]["line"] is None
        assert shipment["lines"][0]["eccn"] == "3C005"

        refused = client.post("/api/shipments", json=_shipment(above.json()["id"]), headers=analyst)
        assert refused.status_code == 409
        assert "shows LVS not available" in refused.json()["error"]["message"]
        to_malaysia = _shipment(within.json()["id"], destination="MY")
        elsewhere = client.post("/api/shipments", json=to_malaysia, headers=analyst)
        assert elsewhere.status_code == 409
        unknown = client.post("/api/shipments", json=_shipment(None, symbol="XYZ"), headers=analyst)
        assert unknown.status_code == 422
        assert client.post("/api/shipments", json=_shipment(None), headers=viewer).status_code == 403

        register = client.get("/api/shipments", params={"under_exception": True}, headers=viewer).json()
        assert [s["id"] for s in register["items"]] == [shipment["id"]]
        assert client.get(f"/api/shipments/{shipment['id']}", headers=viewer).json() == shipment
        by_licence = client.get("/api/shipments", params={"under_exception": False}, headers=viewer).json()
        assert by_licence["items"] == []
