"""Issue 14 item 5 in the UI: the ship and new-application forms carry a hidden key, so sending one
twice (a double click, a reload after a lost response) records it once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient

from earcheck.db import migrate
from earcheck.records.keys import Actor, Role
from earcheck.records.licences import LicenceTerms, get_licence, list_licences, record_licence
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.shipments import list_shipments
from earcheck.settings import Settings
from tests.web.conftest import sign_in

KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


def test_a_ship_form_sent_twice_ships_once(web: TestClient, app_keys: dict[Role, str], settings: Settings) -> None:
    engine = migrate(settings)
    terms = LicenceTerms(
        number="D88",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 12, 31),
        # A party on no list: shipping under a licence first screens its parties (review_queue), and this
        # test is about the form sent twice, not about a hit.
        parties=(PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Acme Trading GmbH", "DE"),),
        lines=(ItemLine("EAR99", "wafers", Decimal(100), "wafers", Decimal(10_000)),),
    )
    licence = record_licence(engine, Actor("Paula Approver", Role.APPROVER), terms)
    csrf = sign_in(web, app_keys[Role.ANALYST])
    shown = web.get(f"/licences/{licence.id}")
    found = KEY.search(shown.text)
    assert found is not None
    form = {
        "csrf": csrf,
        "idempotency_key": found.group(1),
        "shipped_on": "2025-06-01",
        "line": "1",
        "quantity": "40",
        "value": "4000",
    }
    first = web.post(f"/licences/{licence.id}/ship", data=form, follow_redirects=False)
    again = web.post(f"/licences/{licence.id}/ship", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert len(list_shipments(engine, None, 10, licence.id).items) == 1
    assert get_licence(engine, licence.id).lines[0].remaining_quantity == Decimal(60)
    edited = web.post(f"/licences/{licence.id}/ship", data=form | {"quantity": "41"})
    assert edited.status_code == 422
    assert "<code>idempotency_key</code>" in edited.text
    assert KEY.search(edited.text).group(1) != found.group(1)  # type: ignore[union-attr]
    assert len(list_shipments(engine, None, 10, licence.id).items) == 1
    assert list_licences(engine).items


def test_a_new_application_sent_twice_is_drafted_once(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    found = KEY.search(web.get("/applications/new").text)
    assert found is not None
    form = {"csrf": csrf, "idempotency_key": found.group(1), "end_use": "Processors for the ultimate consignee."}
    first = web.post("/applications/new", data=form, follow_redirects=False)
    again = web.post("/applications/new", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert "idempotency_key" not in web.get(first.headers["location"] + "/edit").text
