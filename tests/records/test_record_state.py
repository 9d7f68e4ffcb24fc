"""Issue 14 items 3 and 4: ``audit verify`` checks the record tables against the state the log
re-derives, and an anchor kept outside catches a log cut back or rewritten and re-hashed.

Each case tampers with the database directly, as someone with the database file would, and expects
verify to name the record. The expected state is what the test itself recorded: one licence of 100
wafers / $10,000, one shipment of 40 wafers / $4,000 on it, one submitted application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.db import migrate, write_transaction
from earcheck.records import audit
from earcheck.records.applications import ApplicationDraft, create_application, submit
from earcheck.records.keys import Actor
from earcheck.records.licences import LicenceTerms, record_licence
from earcheck.records.parties import ItemLine
from earcheck.records.schema import (
    application_items,
    applications,
    audit_head,
    audit_log,
    licence_lines,
    licences,
    shipment_lines,
    shipments,
)
from earcheck.records.shipments import Drawdown, record_shipment
from earcheck.settings import Settings
from tests.records.conftest import SMIC_HUAWEI

Terms = Callable[..., LicenceTerms]


def _records(engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms) -> tuple[int, int, int]:
    licence = record_licence(engine, approver, make_terms())
    shipment = record_shipment(engine, analyst, licence.id, date(2025, 6, 1), [Drawdown(1, Decimal(40), Decimal(4000))])
    draft = ApplicationDraft(
        parties=SMIC_HUAWEI,
        items=(ItemLine("EAR99", "wafers", Decimal(100), "wafers", Decimal(10_000)),),
        end_use="Incorporation into application processors by the ultimate consignee.",
    )
    application = create_application(engine, analyst, draft)
    submit(engine, analyst, application.id)
    return licence.id, shipment.id, application.id


def _tamper(engine: sa.Engine, statement: sa.Executable) -> None:
    with engine.begin() as connection:
        connection.execute(statement)


def test_untouched_records_reconcile(engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms) -> None:
    _records(engine, approver, analyst, make_terms)
    report = audit.verify(engine, batch=2)
    assert report.ok, report.problems


TAMPERING: dict[str, tuple[Callable[[int, int, int], sa.Executable], str]] = {
    "shipped quantity set to 0": (
        lambda lic, _s, _a: (
            sa.update(licence_lines).where(licence_lines.c.licence_id == lic).values(shipped_quantity_milli=0)
        ),
        "line 1: shipped quantity is 0 in the table, 40 by the audit log",
    ),
    "shipped value set to 0": (
        lambda lic, _s, _a: (
            sa.update(licence_lines).where(licence_lines.c.licence_id == lic).values(shipped_value_cents=0)
        ),
        "line 1: shipped value is 0.00 in the table, 4000.00 by the audit log",
    ),
    "quantity limit raised": (
        lambda lic, _s, _a: (
            sa.update(licence_lines).where(licence_lines.c.licence_id == lic).values(quantity_limit_milli=1_000_000)
        ),
        "line 1: quantity limit is 1000 in the table, 100 by the audit log",
    ),
    "value limit raised": (
        lambda lic, _s, _a: (
            sa.update(licence_lines).where(licence_lines.c.licence_id == lic).values(value_limit_cents=10**9)
        ),
        "line 1: value limit is 10000000.00 in the table, 10000.00 by the audit log",
    ),
    "validity extended": (
        lambda lic, _s, _a: sa.update(licences).where(licences.c.id == lic).values(valid_until=date(2035, 1, 1)),
        "valid_until is 2035-01-01 in the table, 2027-12-31 in the audit log",
    ),
    "shipment dated otherwise": (
        lambda _l, s, _a: sa.update(shipments).where(shipments.c.id == s).values(shipped_on=date(2025, 7, 1)),
        "shipped_on is 2025-07-01 in the table, 2025-06-01 in the audit log",
    ),
    "shipment line shrunk": (
        lambda _l, s, _a: sa.update(shipment_lines).where(shipment_lines.c.shipment_id == s).values(quantity_milli=1),
        "its lines are line 1: 0.001 for $4000.00 in the table, line 1: 40 for $4000.00 in the audit log",
    ),
    "application status edited": (
        lambda _l, _s, a: sa.update(applications).where(applications.c.id == a).values(status="approved"),
        "status is approved in the table, submitted by the audit log",
    ),
    "application item raised": (
        lambda _l, _s, a: (
            sa.update(application_items).where(application_items.c.application_id == a).values(quantity_milli=10**9)
        ),
        "its items differ from its last application.create/update row",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_each_tampering_is_named(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms, case: str
) -> None:
    ids = _records(engine, approver, analyst, make_terms)
    statement, expected = TAMPERING[case]
    _tamper(engine, statement(*ids))
    report = audit.verify(engine)
    assert not report.ok
    messages = [p.message for p in report.problems]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("record state: ") for m in messages)


def test_a_deleted_shipment_is_named_with_its_balance(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence_id, shipment_id, _ = _records(engine, approver, analyst, make_terms)
    # The thorough tamperer deletes the shipment and puts the balance back, consistently.
    _tamper(engine, sa.delete(shipment_lines).where(shipment_lines.c.shipment_id == shipment_id))
    _tamper(engine, sa.delete(shipments).where(shipments.c.id == shipment_id))
    _tamper(engine, sa.update(licence_lines).values(shipped_quantity_milli=0, shipped_value_cents=0))
    messages = [p.message for p in audit.verify(engine).problems]
    assert any(f"shipment {shipment_id} on licence {licence_id} was recorded but is no longer" in m for m in messages)
    assert any("shipped quantity is 0 in the table, 40 by the audit log" in m for m in messages)


def test_rows_written_around_earcheck_are_named(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    licence_id, _, _ = _records(engine, approver, analyst, make_terms)
    _tamper(
        engine,
        sa.insert(shipments).values(
            id=99,
            licence_id=licence_id,
            shipped_on=date(2025, 6, 2),
            reference="",
            created_at=sa.func.now(),
            created_by="x",
        ),
    )
    messages = [p.message for p in audit.verify(engine).problems]
    assert "record state: shipment 99 is in the table but no shipment.record row recorded it" in messages


def test_the_anchor_catches_a_log_cut_back_and_rehashed(
    engine: sa.Engine, approver: Actor, analyst: Actor, make_terms: Terms
) -> None:
    _records(engine, approver, analyst, make_terms)
    anchor = audit.head(engine)
    assert audit.verify(engine, expect=anchor).ok
    # Cut the last row and move the head back: the chain alone is intact again.
    with write_transaction(engine) as connection:
        connection.execute(sa.delete(audit_log).where(audit_log.c.seq == anchor[0]))
        previous = connection.execute(sa.select(audit_log.c.hash).where(audit_log.c.seq == anchor[0] - 1)).scalar_one()
        connection.execute(sa.update(audit_head).values(seq=anchor[0] - 1, hash=previous))
    chain_only = audit.verify(engine, records=False)
    assert chain_only.ok
    cut = audit.verify(engine, expect=anchor, records=False)
    assert [p.message for p in cut.problems] == [
        f"the anchored row {anchor[0]} is not in the log (it ends at {anchor[0] - 1}): the log was cut back"
    ]


def test_the_anchor_catches_a_log_rewritten_entirely(engine: sa.Engine) -> None:
    with write_transaction(engine) as connection:
        for n in range(3):
            audit.append(connection, "a", "test.write", f"thing:{n}", {"n": n})
    anchor = audit.head(engine)
    # Rewrite every row (a different payload) and re-hash the whole chain consistently.
    with write_transaction(engine) as connection:
        connection.execute(sa.delete(audit_log))
        connection.execute(sa.update(audit_head).values(seq=0, hash=audit.GENESIS))
        for n in range(3):
            audit.append(connection, "a", "test.write", f"thing:{n}", {"n": n + 10})
    assert audit.verify(engine).ok
    rewritten = audit.verify(engine, expect=anchor)
    assert [p.seq for p in rewritten.problems] == [3]
    assert "differs from the anchor kept outside" in rewritten.problems[0].message


def test_audit_head_and_verify_expect_on_the_command_line(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARCHECK_HOME", str(settings.home))
    engine = migrate(settings)
    with write_transaction(engine) as connection:
        audit.append(connection, "a", "test.write", "thing:1", {"n": 1})
    runner = CliRunner()
    head = runner.invoke(app, ["audit", "head"])
    assert head.exit_code == 0
    anchor = head.output.strip()
    assert anchor == "{}:{}".format(*audit.head(engine))
    assert runner.invoke(app, ["audit", "verify", "--expect", anchor]).exit_code == 0
    forged = anchor[:-1] + ("0" if anchor[-1] != "0" else "1")
    assert runner.invoke(app, ["audit", "verify", "--expect", forged]).exit_code == 1
    assert runner.invoke(app, ["audit", "verify", "--expect", "7:nothex"]).exit_code == 2
    assert runner.invoke(app, ["audit", "verify", "--expect", "9:" + "0" * 64]).exit_code == 1
