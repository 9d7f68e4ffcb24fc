from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck.errors import Conflict, DrawdownRefused, Forbidden, NotFound, RecordError
from earcheck.records import audit
from earcheck.records.keys import Actor
from earcheck.records.licences import (
    LicenceTerms,
    get_licence,
    get_licence_by_number,
    list_licences,
    record_licence,
)
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.schema import licence_lines
from earcheck.records.shipments import Drawdown, get_shipment, list_shipments, record_shipment

Terms = Callable[..., LicenceTerms]
DAY = date(2025, 6, 1)


def test_a_licence_recorded_directly(engine: sa.Engine, approver: Actor, make_terms: Terms) -> None:
    licence = record_licence(engine, approver, make_terms())
    assert licence.number == "D123456"
    assert licence.application_id is None
    assert [p.name for p in licence.parties][1] == "Huawei Technologies Co., Ltd."
    (line,) = licence.lines
    assert (line.quantity_limit, line.value_limit, line.remaining_quantity, line.remaining_value) == (
        Decimal(100),
        Decimal("10000.00"),
        Decimal(100),
        Decimal("10000.00"),
    )
    assert licence.conditions == ("No reexport without prior BIS authorisation.",)
    assert get_licence_by_number(engine, "D123456") == licence == get_licence(engine, licence.id)
    assert audit.entries(engine).items[0].action == "licence.record"


def test_recording_a_licence_needs_an_approver(engine: sa.Engine, analyst: Actor, make_terms: Terms) -> None:
    with pytest.raises(Forbidden):
        record_licence(engine, analyst, make_terms())


def test_a_licence_number_is_recorded_once(engine: sa.Engine, approver: Actor, make_terms: Terms) -> None:
    record_licence(engine, approver, make_terms())
    with pytest.raises(Conflict, match="already recorded"):
        record_licence(engine, approver, make_terms())


def test_bad_licence_terms_list_every_problem(engine: sa.Engine, approver: Actor) -> None:
    terms = LicenceTerms(
        number="",
        valid_from=date(2025, 1, 2),
        valid_until=date(2025, 1, 1),
        parties=(),
        lines=(ItemLine("3B01", "", Decimal("-1"), "", Decimal("0.001")),),
        conditions=("",),
    )
    with pytest.raises(RecordError) as caught:
        record_licence(engine, approver, terms)
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "number",
        "valid_until",
        "parties",
        "lines[0].eccn",
        "lines[0].description",
        "lines[0].unit",
        "lines[0].quantity",
        "lines[0].value",
        "conditions[0]",
    }
    assert audit.verify(engine).rows == 0


def test_shipments_draw_down_the_line(engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms) -> None:
    licence = record_licence(engine, approver, make_terms())
    shipment = record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal(30), Decimal("3000"))], "INV-1")
    assert shipment.licence_number == "D123456"
    assert shipment.reference == "INV-1"
    assert [(x.line_no, x.quantity, x.value) for x in shipment.lines] == [(1, Decimal(30), Decimal("3000.00"))]
    record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal("12.5"), Decimal("1250.25"))])
    (line,) = get_licence(engine, licence.id).lines
    assert (line.remaining_quantity, line.remaining_value) == (Decimal("57.5"), Decimal("5749.75"))
    assert get_shipment(engine, shipment.id) == shipment
    assert [s.id for s in list_shipments(engine, licence_id=licence.id).items] == [
        shipment.id + 1,
        shipment.id,
    ]
    assert audit.verify(engine).ok


def test_a_shipment_beyond_what_is_left_is_refused_with_the_reason(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms())
    record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal(95), Decimal("500"))])
    with pytest.raises(DrawdownRefused) as caught:
        record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal(6), Decimal("10"))])
    assert str(caught.value) == (
        "licence D123456 line 1 (EAR99, 14 nm application processor wafers) cannot cover this shipment: "
        "6 wafers asked, 5 wafers left (limits 100 wafers and $10,000.00)"
    )
    with pytest.raises(DrawdownRefused, match=r"\$9,600.00 asked, \$9,500.00 left"):
        record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal(1), Decimal("9600"))])
    # What is exactly left can still be shipped.
    record_shipment(engine, analyst, licence.id, DAY, [Drawdown(1, Decimal(5), Decimal("9500"))])
    (line,) = get_licence(engine, licence.id).lines
    assert (line.remaining_quantity, line.remaining_value) == (0, 0)


def test_a_shipment_outside_the_validity_is_refused(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms(valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31)))
    one = [Drawdown(1, Decimal(1), Decimal(1))]
    with pytest.raises(DrawdownRefused, match="expired on 2024-12-31; the shipment is dated 2025-01-01"):
        record_shipment(engine, analyst, licence.id, date(2025, 1, 1), one)
    with pytest.raises(DrawdownRefused, match="not yet valid on 2023-12-31"):
        record_shipment(engine, analyst, licence.id, date(2023, 12, 31), one)
    record_shipment(engine, analyst, licence.id, date(2024, 12, 31), one)
    record_shipment(engine, analyst, licence.id, date(2024, 1, 1), one)


def test_a_multi_line_shipment_is_all_or_nothing(engine: sa.Engine, approver: Actor, analyst: Actor) -> None:
    terms = LicenceTerms(
        number="D7",
        valid_from=date(2024, 1, 1),
        valid_until=date(2027, 1, 1),
        parties=(PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Acme GmbH", "DE"),),
        lines=(
            ItemLine("3A001.b.2", "MMIC amplifiers", Decimal(10), "pieces", Decimal(1000)),
            ItemLine("3E001", "Development technology", Decimal(1), "lot", Decimal(50000)),
        ),
    )
    licence = record_licence(engine, approver, terms)
    with pytest.raises(DrawdownRefused, match="line 2"):
        record_shipment(
            engine,
            analyst,
            licence.id,
            DAY,
            [Drawdown(1, Decimal(5), Decimal(500)), Drawdown(2, Decimal(2), Decimal(1))],
        )
    assert [x.remaining_quantity for x in get_licence(engine, licence.id).lines] == [10, 1]
    assert list_shipments(engine).items == ()


def test_bad_shipments_list_their_problems(
    engine: sa.Engine, approver: Actor, analyst: Actor, viewer: Actor, make_terms: Terms
) -> None:
    licence = record_licence(engine, approver, make_terms())
    with pytest.raises(RecordError) as caught:
        record_shipment(
            engine,
            analyst,
            licence.id,
            DAY,
            [Drawdown(1, Decimal(0), Decimal(1)), Drawdown(1, Decimal(1), Decimal("0.001"))],
        )
    assert [e.field for e in caught.value.errors] == ["lines[0].quantity", "lines[1].line", "lines[1].value"]
    with pytest.raises(RecordError, match="has no line 9"):
        record_shipment(engine, analyst, licence.id, DAY, [Drawdown(9, Decimal(1), Decimal(1))])
    with pytest.raises(NotFound):
        record_shipment(engine, analyst, 999, DAY, [Drawdown(1, Decimal(1), Decimal(1))])
    with pytest.raises(Forbidden):
        record_shipment(engine, viewer, licence.id, DAY, [Drawdown(1, Decimal(1), Decimal(1))])


def test_the_database_itself_refuses_an_overdrawn_line(engine: sa.Engine, approver: Actor, make_terms: Terms) -> None:
    licence = record_licence(engine, approver, make_terms())
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            sa.update(licence_lines)
            .where(licence_lines.c.licence_id == licence.id)
            .values(shipped_quantity_milli=licence_lines.c.quantity_limit_milli + 1)
        )


def test_the_register_pages(engine: sa.Engine, approver: Actor, make_terms: Terms) -> None:
    for n in range(3):
        record_licence(engine, approver, make_terms(number=f"D{n}"))
    first = list_licences(engine, limit=2)
    assert [x.number for x in first.items] == ["D2", "D1"]
    rest = list_licences(engine, after=first.next_after, limit=2)
    assert [x.number for x in rest.items] == ["D0"]
    assert rest.next_after is None
