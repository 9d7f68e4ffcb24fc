from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck.errors import Forbidden, IllegalTransition, NotFound, RecordError
from earcheck.records import audit
from earcheck.records.applications import (
    ApplicationDraft,
    Status,
    approve,
    create_application,
    deny,
    get_application,
    list_applications,
    return_without_action,
    submit,
    update_application,
)
from earcheck.records.keys import Actor
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole

WAFERS = ItemLine("ear99", "14 nm application processor wafers", Decimal(5000), "wafers", Decimal("25000000"))


def draft(parties: tuple[PartyRecord, ...]) -> ApplicationDraft:
    return ApplicationDraft(
        parties=parties,
        items=(WAFERS,),
        end_use="Incorporation into Kirin application processors by the ultimate consignee.",
    )


def grant(number: str = "D900001") -> dict[str, object]:
    return {"number": number, "valid_from": date(2025, 1, 1), "valid_until": date(2028, 12, 31)}


def test_the_whole_workflow_keeps_who_and_when(
    engine: sa.Engine, analyst: Actor, approver: Actor, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    application = create_application(engine, analyst, draft(smic_huawei))
    assert application.status is Status.DRAFT
    assert application.items[0].eccn == "EAR99"  # stored in its canonical spelling
    assert application.applicant == "Semiconductor Manufacturing International Corporation"
    submitted = submit(engine, analyst, application.id, "ready")
    assert submitted.status is Status.SUBMITTED
    approved, licence = approve(
        engine, approver, application.id, **grant(), conditions=("Report each shipment within 30 days.",)
    )
    assert approved.status is Status.APPROVED
    assert approved.licence_id == licence.id
    assert [(c.from_status, c.to_status, c.actor) for c in approved.history] == [
        (None, Status.DRAFT, "Andy Analyst"),
        (Status.DRAFT, Status.SUBMITTED, "Andy Analyst"),
        (Status.SUBMITTED, Status.APPROVED, "Paula Approver"),
    ]
    assert all(c.at.tzinfo is not None for c in approved.history)
    assert licence.application_id == application.id
    assert licence.parties == smic_huawei
    assert [(x.eccn, x.quantity_limit, x.value_limit) for x in licence.lines] == [
        ("EAR99", Decimal(5000), Decimal("25000000.00"))
    ]
    assert licence.conditions == ("Report each shipment within 30 days.",)
    actions = [e.action for e in audit.entries(engine, newest_first=False).items]
    assert actions == [
        "application.create",
        "application.submitted",
        "application.approved",
        "licence.record",
    ]
    assert audit.verify(engine).ok


@pytest.mark.parametrize("decide", [return_without_action, deny])
def test_other_decisions_need_a_reason(
    engine: sa.Engine, analyst: Actor, approver: Actor, smic_huawei: tuple[PartyRecord, ...], decide: object
) -> None:
    application = create_application(engine, analyst, draft(smic_huawei))
    submit(engine, analyst, application.id)
    with pytest.raises(RecordError, match="give the reason"):
        decide(engine, approver, application.id, "  ")  # type: ignore[operator]
    decided = decide(engine, approver, application.id, "Presumption of denial applies.")  # type: ignore[operator]
    assert decided.status in {Status.RETURNED, Status.DENIED}
    assert decided.history[-1].note == "Presumption of denial applies."
    assert decided.licence_id is None


def test_illegal_transitions_are_refused(
    engine: sa.Engine, analyst: Actor, approver: Actor, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    application = create_application(engine, analyst, draft(smic_huawei))
    with pytest.raises(IllegalTransition, match="is draft; it cannot become approved"):
        approve(engine, approver, application.id, **grant())
    with pytest.raises(IllegalTransition):
        deny(engine, approver, application.id, "no")
    submit(engine, analyst, application.id)
    with pytest.raises(IllegalTransition, match="is submitted; it cannot become submitted"):
        submit(engine, analyst, application.id)
    with pytest.raises(IllegalTransition, match="only a draft can be edited"):
        update_application(engine, analyst, application.id, draft(smic_huawei))
    deny(engine, approver, application.id, "Presumption of denial.")
    with pytest.raises(IllegalTransition, match="nothing: it is closed"):
        approve(engine, approver, application.id, **grant())
    with pytest.raises(NotFound):
        submit(engine, analyst, 999)
    assert get_application(engine, application.id).status is Status.DENIED


def test_roles(engine: sa.Engine, analyst: Actor, viewer: Actor, smic_huawei: tuple[PartyRecord, ...]) -> None:
    with pytest.raises(Forbidden):
        create_application(engine, viewer, draft(smic_huawei))
    application = create_application(engine, analyst, draft(smic_huawei))
    submit(engine, analyst, application.id)
    with pytest.raises(Forbidden, match="approving an application needs the approver role"):
        approve(engine, analyst, application.id, **grant())
    with pytest.raises(Forbidden):
        deny(engine, analyst, application.id, "no")


def test_an_incomplete_application_cannot_be_submitted(engine: sa.Engine, analyst: Actor) -> None:
    application = create_application(engine, analyst, ApplicationDraft())
    with pytest.raises(RecordError) as caught:
        submit(engine, analyst, application.id)
    assert [str(e) for e in caught.value.errors] == [
        "parties: name exactly one applicant",
        "parties: name exactly one ultimate consignee",
        "items: list at least one item",
        "end_use: describe the specific end use",
    ]
    assert get_application(engine, application.id).status is Status.DRAFT


def test_a_draft_is_edited_and_checked(engine: sa.Engine, analyst: Actor, smic_huawei: tuple[PartyRecord, ...]) -> None:
    application = create_application(engine, analyst, ApplicationDraft())
    updated = update_application(engine, analyst, application.id, draft(smic_huawei))
    assert len(updated.parties) == 2
    assert updated.items[0].quantity == 5000
    bad = ApplicationDraft(
        parties=(PartyRecord(PartyRole.PURCHASER, "", "XX"),),
        items=(ItemLine("3B01", "x", Decimal(1), "pieces", Decimal(1)),),
        determination_id=42,
    )
    with pytest.raises(RecordError) as caught:
        update_application(engine, analyst, application.id, bad)
    assert [e.field for e in caught.value.errors] == [
        "parties[0].name",
        "parties[0].country",
        "items[0].eccn",
        "determination_id",
    ]
    assert get_application(engine, application.id) == updated


def test_two_approvers_racing_decide_once(
    engine: sa.Engine, analyst: Actor, approver: Actor, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    application = create_application(engine, analyst, draft(smic_huawei))
    submit(engine, analyst, application.id)
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def decide(n: int) -> None:
        barrier.wait()
        try:
            approve(engine, approver, application.id, **grant(f"D{n}"))
            outcomes.append("approved")
        except IllegalTransition:
            outcomes.append("refused")

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved"] + ["refused"] * 5
    final = get_application(engine, application.id)
    assert [c.to_status for c in final.history].count(Status.APPROVED) == 1
    assert audit.verify(engine).ok


def test_applications_page_and_filter(engine: sa.Engine, analyst: Actor, smic_huawei: tuple[PartyRecord, ...]) -> None:
    ids = [create_application(engine, analyst, draft(smic_huawei)).id for _ in range(3)]
    submit(engine, analyst, ids[0])
    first = list_applications(engine, limit=2)
    assert [a.id for a in first.items] == [ids[2], ids[1]]
    assert [a.id for a in list_applications(engine, after=first.next_after).items] == [ids[0]]
    assert [a.id for a in list_applications(engine, status=Status.SUBMITTED).items] == [ids[0]]
