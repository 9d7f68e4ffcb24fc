"""Shipments under a licence screen the licence's parties first (issue 16 item 2): an undecided hit
refuses the shipment with the hit named, nothing is drawn down, and the hit waits in the queue. The
fake Entity List names Huawei Technologies Co., Ltd. (tests/doubles.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient

from earcheck.db import migrate
from earcheck.records.keys import Actor, Role
from earcheck.records.licences import LicenceTerms, record_licence
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.settings import Settings
from tests.api.conftest import Keys
from tests.doubles import decide_every_queued_hit


def test_a_shipment_to_a_listed_party_waits_for_the_hit_to_be_decided(
    client: TestClient, keys: Keys, settings: Settings
) -> None:
    terms = LicenceTerms(
        number="D4242",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 12, 31),
        parties=(PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Huawei Technologies Co., Ltd.", "CN"),),
        lines=(ItemLine("EAR99", "wafers", Decimal(100), "wafers", Decimal(10_000)),),
    )
    licence = record_licence(migrate(settings), Actor("Paula Approver", Role.APPROVER), terms)
    analyst, viewer = keys.header("analyst"), keys.header("viewer")
    body = {"shipped_on": "2026-08-15", "lines": [{"line": 1, "quantity": 10, "value": 1000}], "reference": "INV-1"}
    refused = client.post(f"/api/licences/{licence.id}/shipments", json=body, headers=analyst)
    assert refused.status_code == 422
    assert "Huawei Technologies Co., Ltd." in refused.json()["error"]["fields"][0]["message"]
    assert client.get("/api/shipments", params={"licence_id": licence.id}, headers=viewer).json()["items"] == []
    nav = client.get("/api/screening-reviews", headers=viewer).json()
    assert [q["party_name"] for q in nav] == ["Huawei Technologies Co., Ltd."]
    assert decide_every_queued_hit(client, analyst) == 1
    shipped = client.post(f"/api/licences/{licence.id}/shipments", json=body, headers=analyst)
    assert shipped.status_code == 201, shipped.text
    parties = client.get("/api/parties", headers=viewer).json()
    assert [p["named_in"] for p in parties] == [["licence 1 (ultimate consignee)"]]
