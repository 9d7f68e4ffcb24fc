"""Shipments under a licence exception (issue 17, item 4): recorded like one under a licence, with the
symbol, its citation on the shipment date, the destination and, when given, the determination it rests
on -- which must show the exception available. Nothing is drawn down from any licence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck.casefile import case_sha256, parse_cases
from earcheck.errors import Forbidden, NotFound, RecordError, ShipmentRefused
from earcheck.model import Determination, LicenseExceptionResult, Provenance
from earcheck.records import audit
from earcheck.records.determinations import record_determination
from earcheck.records.keys import Actor
from earcheck.records.licences import LicenceTerms, record_licence
from earcheck.records.parties import ItemLine
from earcheck.records.shipments import Drawdown, list_shipments, record_exception_shipment, record_shipment

Terms = Callable[..., LicenceTerms]
DAY = date(2026, 8, 15)
ITEM = ItemLine("3C005", "silicon carbide wafers", Decimal(10), "each", Decimal("1000"))
CASE = {
    "id": "wafers-to-thailand",
    "as_of": "2026-08-15",
    "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
    "parties": [{"name": "Kestrel Fieldworks Ltd.", "role": "ultimate_consignee"}],
    "destination": "TH",
    "items": [{"id": "wafers", "eccn": "3C005", "value": 1000}],
}


def _stored(engine: sa.Engine, analyst: Actor, lvs: bool | None) -> int:
    """A stored determination whose answer for LVS is ``lvs`` (written here, not computed)."""
    (case,) = parse_cases(CASE)
    answer = Determination(
        as_of=DAY,
        license_required=True,
        subject_to_ear=True,
        case_id=case.id,
        license_exceptions=(LicenseExceptionResult("LVS", "15 CFR 740.3", lvs, "test answer", "wafers"),),
        provenance=Provenance("0.1.0", "rules-test", "lists-test", case_sha256(case)),
    )
    return record_determination(engine, analyst, case, answer).id


def test_a_shipment_under_an_exception_is_recorded_with_its_citation(engine: sa.Engine, analyst: Actor) -> None:
    shipment = record_exception_shipment(engine, analyst, "lvs", DAY, "th", [ITEM], "INV-7")
    assert shipment.licence_id is None
    assert shipment.licence_number is None
    assert (shipment.exception_symbol, shipment.exception_citation, shipment.destination) == (
        "LVS",
        "15 CFR 740.3",
        "TH",
    )
    assert [(x.line_no, x.eccn, x.unit, x.quantity, x.value) for x in shipment.lines] == [
        (None, "3C005", "each", Decimal(10), Decimal("1000.00"))
    ]
    assert shipment.authority == "licence exception LVS (15 CFR 740.3)"
    entry = audit.entries(engine).items[-1]
    assert entry.action == "shipment.record"
    assert entry.subject == "exception:LVS"
    assert entry.data["citation"] == "15 CFR 740.3"
    assert audit.verify(engine).ok


def test_the_register_lists_both_kinds_and_filters_them(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms())
    by_licence = record_shipment(engine, analyst, licence.id, date(2024, 6, 1), [Drawdown(1, Decimal(1), Decimal(1))])
    by_exception = record_exception_shipment(engine, analyst, "GBS", DAY, "TH", [ITEM])
    assert [s.id for s in list_shipments(engine).items] == [by_exception.id, by_licence.id]
    assert [s.id for s in list_shipments(engine, under_exception=True).items] == [by_exception.id]
    assert [s.id for s in list_shipments(engine, under_exception=False).items] == [by_licence.id]
    assert [s.id for s in list_shipments(engine, licence_id=licence.id).items] == [by_licence.id]
    assert list_shipments(engine).items[1].lines[0].line_no == 1


def test_an_exception_not_in_force_on_the_date_is_refused(engine: sa.Engine, analyst: Actor) -> None:
    # CIV (740.5) was removed with effect from 2020-06-29 (85 FR 23459); HBM began on 2024-12-02 (89 FR 96790).
    with pytest.raises(ShipmentRefused, match=r"CIV .* not in force on 2021-01-04"):
        record_exception_shipment(engine, analyst, "CIV", date(2021, 1, 4), "CN", [ITEM])
    with pytest.raises(ShipmentRefused, match=r"HBM .* not in force on 2024-06-01"):
        record_exception_shipment(engine, analyst, "HBM", date(2024, 6, 1), "CN", [ITEM])
    assert list_shipments(engine).items == ()


def test_bad_input_lists_every_problem(engine: sa.Engine, analyst: Actor) -> None:
    bad = ItemLine("3C0", "", Decimal(0), "each", Decimal("-1"))
    with pytest.raises(RecordError) as raised:
        record_exception_shipment(engine, analyst, "XYZ", DAY, "ZZ", [bad])
    fields = {e.field for e in raised.value.errors}
    assert {"licence_exception", "destination", "items[0].eccn", "items[0].description"} <= fields
    assert {"items[0].quantity", "items[0].value"} <= fields


def test_a_viewer_cannot_record_a_shipment(engine: sa.Engine, viewer: Actor) -> None:
    with pytest.raises(Forbidden):
        record_exception_shipment(engine, viewer, "LVS", DAY, "TH", [ITEM])


def test_the_determination_must_show_the_exception_available(engine: sa.Engine, analyst: Actor) -> None:
    available = _stored(engine, analyst, True)
    shipment = record_exception_shipment(engine, analyst, "LVS", DAY, "TH", [ITEM], determination_id=available)
    assert shipment.determination_id == available
    for answer, word in ((False, "not available"), (None, "unknown")):
        stored = _stored(engine, analyst, answer)
        with pytest.raises(ShipmentRefused, match=f"shows LVS {word}"):
            record_exception_shipment(engine, analyst, "LVS", DAY, "TH", [ITEM], determination_id=stored)
    with pytest.raises(ShipmentRefused, match="does not consider GBS"):
        record_exception_shipment(engine, analyst, "GBS", DAY, "TH", [ITEM], determination_id=available)
    with pytest.raises(ShipmentRefused, match="for destination TH, not MY"):
        record_exception_shipment(engine, analyst, "LVS", DAY, "MY", [ITEM], determination_id=available)
    with pytest.raises(NotFound):
        record_exception_shipment(engine, analyst, "LVS", DAY, "TH", [ITEM], determination_id=999)
    assert len(list_shipments(engine).items) == 1


def test_the_database_refuses_a_shipment_under_neither_or_both(engine: sa.Engine, approver: Actor) -> None:
    # The CHECK constraints hold whatever path writes: a licence and an exception at once, or neither.
    from earcheck.records.schema import shipments

    row = {"shipped_on": DAY, "reference": "", "created_at": sa.func.now(), "created_by": "x"}
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.insert(shipments).values(**row))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.insert(shipments).values(**row, exception_symbol="LVS"))  # no destination, citation


def test_audit_verify_names_a_shipment_under_an_exception_changed_in_the_tables(
    engine: sa.Engine, analyst: Actor
) -> None:
    """The tables are re-derived from the audit log for shipments under an exception too: a destination
    or a quantity changed by hand, or an item deleted, is reported against the shipment.record row."""
    from earcheck.records.schema import shipment_lines, shipments

    shipment = record_exception_shipment(engine, analyst, "LVS", DAY, "TH", [ITEM], "INV-9")
    assert audit.verify(engine).ok
    with engine.begin() as connection:
        connection.execute(sa.update(shipments).where(shipments.c.id == shipment.id).values(destination="CN"))
        connection.execute(
            sa.update(shipment_lines).where(shipment_lines.c.shipment_id == shipment.id).values(quantity_milli=1)
        )
    messages = " | ".join(p.message for p in audit.verify(engine).problems)
    assert f"shipment {shipment.id}: destination is CN in the table, TH in the audit log" in messages
    assert (
        f"shipment {shipment.id}: its items are 3C005: 0.001 for $1000.00 in the table, "
        "3C005: 10 for $1000.00 in the audit log"
    ) in messages
