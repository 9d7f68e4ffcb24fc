"""Segregation of duties (issue 16 item 3): the key that drafted, edited or submitted an application
cannot record BIS's decision on it; the one-person setting allows it and the audit log says so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck.errors import Forbidden, IllegalTransition
from earcheck.records import audit
from earcheck.records.applications import (
    ApplicationDraft,
    Status,
    approve,
    create_application,
    deny,
    get_application,
    return_without_action,
    submit,
    update_application,
)
from earcheck.records.keys import Actor, Role
from earcheck.records.parties import ItemLine, PartyRecord

WAFERS = ItemLine("EAR99", "wafers", Decimal(100), "wafers", Decimal(1000))
OFFICER = Actor("Olga Officer", Role.APPROVER, key_id=7)  # an approver can draft too
SECOND = Actor("Sam Second", Role.APPROVER, key_id=8)
SAME_NAME_OTHER_KEY = Actor("Olga Officer", Role.APPROVER, key_id=9)


def _submitted(engine: sa.Engine, parties: tuple[PartyRecord, ...], drafter: Actor, submitter: Actor) -> int:
    draft = ApplicationDraft(parties=parties, items=(WAFERS,), end_use="wafers for phones")
    application = create_application(engine, drafter, draft)
    submit(engine, submitter, application.id)
    return application.id


def _grant(engine: sa.Engine, actor: Actor, application_id: int, one_person: bool = False) -> None:
    """Record BIS's approval, with a licence number of its own for each application."""
    approve(
        engine,
        actor,
        application_id,
        number=f"D9{application_id:05d}",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 12, 31),
        one_person=one_person,
    )


def test_who_drafted_or_submitted_cannot_record_the_decision(
    engine: sa.Engine, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    drafted = _submitted(engine, smic_huawei, OFFICER, SECOND)
    with pytest.raises(Forbidden, match="segregation of duties"):
        _grant(engine, OFFICER, drafted)
    with pytest.raises(Forbidden):
        deny(engine, OFFICER, drafted, "not ours")
    with pytest.raises(Forbidden):
        return_without_action(engine, SECOND, drafted, "it submitted it")  # the submitter neither
    assert get_application(engine, drafted).status is Status.SUBMITTED  # nothing changed
    # The same name on another key is another person's key: the rule is about keys.
    _grant(engine, SAME_NAME_OTHER_KEY, drafted)
    assert get_application(engine, drafted).status is Status.APPROVED


def test_an_editor_is_a_preparer_too(engine: sa.Engine, smic_huawei: tuple[PartyRecord, ...]) -> None:
    draft = ApplicationDraft(parties=smic_huawei, items=(WAFERS,), end_use="wafers")
    application = create_application(engine, OFFICER, draft)
    update_application(engine, SECOND, application.id, draft)
    submit(engine, OFFICER, application.id)
    with pytest.raises(Forbidden):
        deny(engine, SECOND, application.id, "edited it")


def test_the_one_person_setting_lets_it_through_and_is_audited(
    engine: sa.Engine, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    alone = _submitted(engine, smic_huawei, OFFICER, OFFICER)
    _grant(engine, OFFICER, alone, one_person=True)
    (row,) = audit.entries(engine, subject=f"application:{alone}", action="application.approved").items
    assert row.data["segregation_of_duties"] == "waived: one-person setting"
    assert row.data["prepared_by"] == ["Olga Officer (key 7)"]
    # A decision by another person under the same setting waives nothing, and says nothing.
    other = _submitted(engine, smic_huawei, OFFICER, OFFICER)
    _grant(engine, SECOND, other, one_person=True)
    (row,) = audit.entries(engine, subject=f"application:{other}", action="application.approved").items
    assert "segregation_of_duties" not in row.data


def test_a_decision_on_a_draft_is_still_a_409_not_a_403(
    engine: sa.Engine, smic_huawei: tuple[PartyRecord, ...]
) -> None:
    application = create_application(engine, OFFICER, ApplicationDraft(parties=smic_huawei))
    with pytest.raises(IllegalTransition):
        deny(engine, OFFICER, application.id, "too early")
