"""The response models read the records' attributes, including those the API names otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from earcheck.api.models import (
    ApplicationOut,
    AuditEntryOut,
    AuditReportOut,
    DeterminationOut,
    LicenceOut,
    ShipmentOut,
)
from earcheck.records.applications import Application, ApplicationItem, Status, StatusChange
from earcheck.records.audit import AuditEntry, AuditProblem, AuditReport
from earcheck.records.determinations import StoredDetermination
from earcheck.records.licences import Licence, LicenceLine
from earcheck.records.parties import PartyRecord, PartyRole
from earcheck.records.shipments import Shipment, ShipmentLine

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
PARTIES = (PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Huawei Technologies Co., Ltd.", "CN", None),)


def test_an_application_numbers_its_items_and_totals_them() -> None:
    application = Application(
        id=7,
        status=Status.DRAFT,
        end_use="phones",
        additional_information="",
        determination_id=None,
        parties=PARTIES,
        items=(
            ApplicationItem(1, "EAR99", "wafers", Decimal("12.5"), "wafers", Decimal("100.00")),
            ApplicationItem(2, "3A001.b", "chips", Decimal(3), "pieces", Decimal("0.50")),
        ),
        history=(StatusChange(NOW, "analyst", None, Status.DRAFT, "drafted"),),
        created_at=NOW,
        created_by="analyst",
        updated_at=NOW,
    )
    out = ApplicationOut.model_validate(application).model_dump(mode="json")
    assert [(i["line"], i["quantity"], i["value"]) for i in out["items"]] == [(1, "12.5", "100.00"), (2, "3", "0.50")]
    assert out["total_value"] == "100.50"
    assert out["parties"] == [
        {"role": "ultimate_consignee", "name": "Huawei Technologies Co., Ltd.", "country": "CN", "address": None}
    ]
    assert (out["history"][0]["from_status"], out["history"][0]["to_status"]) == (None, "draft")


def test_a_licence_says_what_is_left_and_whether_it_is_valid_on_the_day() -> None:
    line = LicenceLine(9, 1, "EAR99", "wafers", "wafers", Decimal(100), Decimal("10000.00"), Decimal(40), Decimal(4000))
    licence = Licence(
        4, "D1", date(2025, 1, 1), date(2028, 12, 31), ("no re-export",), NOW, "approver", 7, PARTIES, (line,)
    )
    out = LicenceOut.of(licence, date(2026, 6, 1)).model_dump(mode="json")
    first = out["lines"][0]
    assert (first["line"], first["remaining_quantity"], first["remaining_value"]) == (1, "60", "6000.00")
    assert out["validity_today"] == "valid"
    assert (out["conditions"], out["application_id"]) == (["no re-export"], 7)
    assert LicenceOut.of(licence, date(2024, 12, 31)).validity_today == "not yet valid"
    assert LicenceOut.of(licence, date(2029, 1, 1)).validity_today == "expired"


def test_a_shipment_names_its_licence_lines() -> None:
    shipment = Shipment(
        2,
        4,
        "D1",
        date(2026, 3, 3),
        "INV-1",
        (ShipmentLine(3, "EAR99", "wafers", Decimal(2), Decimal("1.50")),),
        NOW,
        "me",
    )
    out = ShipmentOut.model_validate(shipment).model_dump(mode="json")
    assert out["lines"] == [
        {"line": 3, "eccn": "EAR99", "description": "", "unit": "wafers", "quantity": "2", "value": "1.50"}
    ]
    assert (out["licence_number"], out["licence_exception"]) == ("D1", None)


def test_a_shipment_under_an_exception_names_its_symbol_and_no_licence() -> None:
    line = ShipmentLine(None, "3C005", "each", Decimal(10), Decimal("1000.00"), "SiC wafers")
    shipment = Shipment(7, None, None, date(2026, 8, 15), "", (line,), NOW, "me", "LVS", "15 CFR 740.3", "TH", 9)
    out = ShipmentOut.model_validate(shipment).model_dump(mode="json")
    assert (out["licence_id"], out["licence_exception"], out["exception_citation"]) == (None, "LVS", "15 CFR 740.3")
    assert (out["destination"], out["determination_id"], out["lines"][0]["line"]) == ("TH", 9, None)


def test_a_stored_determination_gives_its_result_as_the_determination() -> None:
    stored = StoredDetermination(
        5, NOW, "analyst", "smic", date(2020, 9, 20), True, {"id": "smic"}, {"license_required": True}, {}, "a", "b"
    )
    out = DeterminationOut.model_validate(stored)
    assert out.determination == {"license_required": True}
    assert out.case == {"id": "smic"}


def test_audit_rows_give_their_payload_parsed_and_reports_whether_they_are_ok() -> None:
    entry = AuditEntry(3, NOW.isoformat(), "me", "licence.record", "licence:4", '{"lines":[1,"2"]}', "0" * 64, "1" * 64)
    assert AuditEntryOut.model_validate(entry).payload == {"lines": [1, "2"]}
    report = AuditReportOut.model_validate(AuditReport(10, 10, "f" * 64, (AuditProblem(2, "altered"),), 1))
    assert (report.ok, report.problem_count, report.problems[0].message) == (False, 1, "altered")
