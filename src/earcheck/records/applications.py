"""Licence applications and their workflow.

An application is drafted and edited freely, then submitted; an approver then decides it::

    draft ──submit──▶ submitted ──approve──▶ approved      (a licence is issued, with its conditions)
                                 ├─return──▶ returned_without_action
                                 └─deny────▶ denied

The decision is BIS's: approving records the licence BIS issued, with the number BIS gave. It is
recorded by someone other than the person who prepared the application (``earcheck.records.duties``).

Any other change is refused (``IllegalTransition``, HTTP 409), and an application can be edited only
while it is a draft. Every change of status is kept with who made it, when, and their note, and is
written to the audit log in the same transaction. The change itself is a conditional UPDATE
(``WHERE status = 'submitted'``), so two approvers racing on one application cannot both decide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

import sqlalchemy as sa

from earcheck.db import write_transaction
from earcheck.eccn import normalise_eccn
from earcheck.errors import FieldError, IllegalTransition, NotFound, RecordError
from earcheck.records import audit
from earcheck.records.amounts import from_cents, from_milli, to_cents, to_milli
from earcheck.records.duties import check_decider
from earcheck.records.idempotency import IdempotencyKey, claim_key, settle_key
from earcheck.records.keys import Actor, Role, require
from earcheck.records.licences import Licence, LicenceTerms, insert_licence, load_licence
from earcheck.records.pages import Page
from earcheck.records.parties import (
    MAX_TEXT,
    ItemLine,
    PartyRecord,
    PartyRole,
    check_items,
    check_parties,
    insert_parties,
    read_parties,
    text_problem,
)
from earcheck.records.rows import children, insert_row, read_page
from earcheck.records.schema import (
    application_events,
    application_items,
    application_parties,
    applications,
    determinations,
    licences,
)

__all__ = [
    "Application",
    "ApplicationDraft",
    "ApplicationItem",
    "Status",
    "StatusChange",
    "approve",
    "create_application",
    "deny",
    "get_application",
    "list_applications",
    "return_without_action",
    "submit",
    "update_application",
]


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned_without_action"
    DENIED = "denied"


NEXT: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.RETURNED, Status.DENIED}),
    Status.APPROVED: frozenset(),
    Status.RETURNED: frozenset(),
    Status.DENIED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class ApplicationDraft:
    """What the applicant fills in."""

    parties: tuple[PartyRecord, ...] = ()
    items: tuple[ItemLine, ...] = ()
    end_use: str = ""  # block 21: the specific end use, in the applicant's words
    additional_information: str = ""  # block 24
    determination_id: int | None = None  # the stored determination that supports it


@dataclass(frozen=True, slots=True)
class ApplicationItem:
    line_no: int
    eccn: str
    description: str
    quantity: Decimal
    unit: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class StatusChange:
    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    note: str


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    status: Status
    end_use: str
    additional_information: str
    determination_id: int | None
    parties: tuple[PartyRecord, ...]
    items: tuple[ApplicationItem, ...]
    history: tuple[StatusChange, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    licence_id: int | None = None

    @property
    def applicant(self) -> str | None:
        return next((p.name for p in self.parties if p.role is PartyRole.APPLICANT), None)

    @property
    def ultimate_consignee(self) -> PartyRecord | None:
        return next((p for p in self.parties if p.role is PartyRole.ULTIMATE_CONSIGNEE), None)

    @property
    def total_value(self) -> Decimal:
        return sum((i.value for i in self.items), Decimal(0))


def _check_draft(connection: sa.Connection, draft: ApplicationDraft) -> None:
    problems = check_parties(draft.parties) + check_items(draft.items)
    for name, text in (("end_use", draft.end_use), ("additional_information", draft.additional_information)):
        if problem := text_problem(text, name, MAX_TEXT, required=False):
            problems.append(problem)
    if draft.determination_id is not None:
        found = connection.execute(
            sa.select(determinations.c.id).where(determinations.c.id == draft.determination_id)
        ).first()
        if found is None:
            problems.append(FieldError("determination_id", f"no stored determination {draft.determination_id}"))
    if problems:
        raise RecordError("invalid application", problems)


def _complete(application: Application) -> list[FieldError]:
    """What a submitted application must have, beyond what a draft may lack."""
    problems = []
    roles = [p.role for p in application.parties]
    if roles.count(PartyRole.APPLICANT) != 1:
        problems.append(FieldError("parties", "name exactly one applicant"))
    if roles.count(PartyRole.ULTIMATE_CONSIGNEE) != 1:
        problems.append(FieldError("parties", "name exactly one ultimate consignee"))
    if roles.count(PartyRole.END_USER) > 1:
        problems.append(FieldError("parties", "name at most one end user"))
    for index, party in enumerate(application.parties):
        if party.role is not PartyRole.APPLICANT and party.country is None:
            problems.append(FieldError(f"parties[{index}].country", "is required on a submitted application"))
    if not application.items:
        problems.append(FieldError("items", "list at least one item"))
    if not application.end_use.strip():
        problems.append(FieldError("end_use", "describe the specific end use"))
    return problems


def _write_lines(connection: sa.Connection, application_id: int, draft: ApplicationDraft) -> None:
    connection.execute(sa.delete(application_parties).where(application_parties.c.application_id == application_id))
    connection.execute(sa.delete(application_items).where(application_items.c.application_id == application_id))
    insert_parties(connection, application_parties.c.application_id, application_id, draft.parties)
    if draft.items:
        connection.execute(
            sa.insert(application_items),
            [
                {
                    "application_id": application_id,
                    "line_no": line_no,
                    "eccn": normalise_eccn(item.eccn),
                    "description": item.description.strip(),
                    "quantity_milli": to_milli(item.quantity),
                    "unit": item.unit.strip(),
                    "value_cents": to_cents(item.value),
                }
                for line_no, item in enumerate(draft.items, start=1)
            ],
        )


def _summary(draft: ApplicationDraft) -> dict[str, Any]:
    return {
        "parties": [[p.role, p.name, p.country] for p in draft.parties],
        "items": [
            {"eccn": i.eccn, "quantity": str(i.quantity), "unit": i.unit, "value": str(i.value)} for i in draft.items
        ],
        "end_use": draft.end_use,
        "determination_id": draft.determination_id,
    }


def create_application(
    engine: sa.Engine, actor: Actor, draft: ApplicationDraft, idempotency_key: IdempotencyKey | None = None
) -> Application:
    """Draft an application; with ``idempotency_key``, the key is stored with it
    (``earcheck.records.idempotency``)."""
    require(actor, Role.ANALYST, "drafting an application")
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        claim_key(connection, idempotency_key)
        _check_draft(connection, draft)
        application_id = insert_row(
            connection,
            applications,
            status=Status.DRAFT.value,
            end_use=draft.end_use,
            additional_information=draft.additional_information,
            determination_id=draft.determination_id,
            created_at=now,
            created_by=actor.label,
            updated_at=now,
        )
        _write_lines(connection, application_id, draft)
        connection.execute(
            sa.insert(application_events).values(
                application_id=application_id,
                at=now,
                actor=actor.label,
                from_status=None,
                to_status=Status.DRAFT.value,
                note="drafted",
            )
        )
        settle_key(connection, idempotency_key, f"application:{application_id}")
        audit.append(connection, actor.label, "application.create", f"application:{application_id}", _summary(draft))
        return _load_application(connection, application_id)


def update_application(engine: sa.Engine, actor: Actor, application_id: int, draft: ApplicationDraft) -> Application:
    """Replace a draft's contents. Only a draft can be edited."""
    require(actor, Role.ANALYST, "editing an application")
    with write_transaction(engine) as connection:
        _check_draft(connection, draft)
        changed = connection.execute(
            sa.update(applications)
            .where(applications.c.id == application_id, applications.c.status == Status.DRAFT.value)
            .values(
                end_use=draft.end_use,
                additional_information=draft.additional_information,
                determination_id=draft.determination_id,
                updated_at=datetime.now(UTC),
            )
        ).rowcount
        if changed != 1:
            status = _status(connection, application_id)
            raise IllegalTransition(f"application {application_id} is {status}: only a draft can be edited")
        _write_lines(connection, application_id, draft)
        audit.append(connection, actor.label, "application.update", f"application:{application_id}", _summary(draft))
        return _load_application(connection, application_id)


def _status(connection: sa.Connection, application_id: int) -> Status:
    row = connection.execute(sa.select(applications.c.status).where(applications.c.id == application_id)).one_or_none()
    if row is None:
        raise NotFound(f"no application with id {application_id}")
    return Status(row.status)


def _move(
    connection: sa.Connection,
    actor: Actor,
    application_id: int,
    to: Status,
    note: str,
    extra: dict[str, Any] | None = None,
    one_person: bool = False,
) -> None:
    """Change the status if the workflow allows it from the current one; record and audit it. A
    decision (any move from submitted) is refused to whoever prepared the application, unless
    ``one_person`` allows it."""
    sources = [s.value for s, targets in NEXT.items() if to in targets]
    now = datetime.now(UTC)
    # The status read and the change are one statement, so a concurrent decision cannot slip between.
    row = connection.execute(
        sa.update(applications)
        .where(applications.c.id == application_id, applications.c.status.in_(sources))
        .values(status=to.value, updated_at=now)
        .returning(applications.c.id)
    ).first()
    if row is None:
        current = _status(connection, application_id)
        allowed = ", ".join(sorted(NEXT[current])) or "nothing: it is closed"
        raise IllegalTransition(
            f"application {application_id} is {current}; it cannot become {to} (from {current} it can become {allowed})"
        )
    if to is not Status.SUBMITTED:  # a refusal here rolls the change back with the transaction
        extra = {**(extra or {}), **check_decider(connection, actor, application_id, one_person)}
    previous = Status.DRAFT if to is Status.SUBMITTED else Status.SUBMITTED
    connection.execute(
        sa.insert(application_events).values(
            application_id=application_id,
            at=now,
            actor=actor.label,
            from_status=previous.value,
            to_status=to.value,
            note=note,
        )
    )
    audit.append(
        connection,
        actor.label,
        f"application.{to.value}",
        f"application:{application_id}",
        {"from": previous, "to": to, "note": note, **(extra or {})},
    )


def _note(note: str, required: bool, what: str) -> str:
    if required and isinstance(note, str) and not note.strip():
        raise RecordError(what, [FieldError("note", "give the reason; the applicant will read it")])
    if problem := text_problem(note, "note", MAX_TEXT, required=False):
        raise RecordError(what, [problem])
    return note.strip()


def submit(engine: sa.Engine, actor: Actor, application_id: int, note: str = "") -> Application:
    require(actor, Role.ANALYST, "submitting an application")
    note = _note(note, False, "cannot submit")
    with write_transaction(engine) as connection:
        current = _load_application(connection, application_id)
        if current.status is Status.DRAFT and (problems := _complete(current)):
            raise RecordError(f"application {application_id} is not complete", problems)
        _move(connection, actor, application_id, Status.SUBMITTED, note)
        return _load_application(connection, application_id)


def approve(
    engine: sa.Engine,
    actor: Actor,
    application_id: int,
    *,
    number: str,
    valid_from: date,
    valid_until: date,
    conditions: tuple[str, ...] = (),
    note: str = "",
    one_person: bool = False,
) -> tuple[Application, Licence]:
    """Approve a submitted application and issue its licence, with conditions, in one transaction.

    The licence names the application's parties, and its lines are the application's items, with
    the quantities and values applied for as their limits.
    """
    require(actor, Role.APPROVER, "approving an application")
    note = _note(note, False, "cannot approve")
    with write_transaction(engine) as connection:
        current = _load_application(connection, application_id)
        # Decide first: an application that is not submitted gets a 409, not a licence error.
        _move(connection, actor, application_id, Status.APPROVED, note, {"licence": number}, one_person)
        terms = LicenceTerms(
            number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            parties=current.parties,
            lines=tuple(ItemLine(i.eccn, i.description, i.quantity, i.unit, i.value) for i in current.items),
            conditions=tuple(conditions),
        )
        licence_id = insert_licence(connection, actor, terms, application_id)
        return _load_application(connection, application_id), load_licence(connection, licence_id)


def return_without_action(
    engine: sa.Engine, actor: Actor, application_id: int, note: str, one_person: bool = False
) -> Application:
    require(actor, Role.APPROVER, "returning an application without action")
    note = _note(note, True, "cannot return the application")
    with write_transaction(engine) as connection:
        _move(connection, actor, application_id, Status.RETURNED, note, one_person=one_person)
        return _load_application(connection, application_id)


def deny(engine: sa.Engine, actor: Actor, application_id: int, note: str, one_person: bool = False) -> Application:
    require(actor, Role.APPROVER, "denying an application")
    note = _note(note, True, "cannot deny the application")
    with write_transaction(engine) as connection:
        _move(connection, actor, application_id, Status.DENIED, note, one_person=one_person)
        return _load_application(connection, application_id)


def _item(x: sa.Row[Any]) -> ApplicationItem:
    return ApplicationItem(
        int(x.line_no), x.eccn, x.description, from_milli(x.quantity_milli), x.unit, from_cents(x.value_cents)
    )


def _change(e: sa.Row[Any]) -> StatusChange:
    return StatusChange(e.at, e.actor, Status(e.from_status) if e.from_status else None, Status(e.to_status), e.note)


def _assemble(connection: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Application]:
    ids = [int(r.id) for r in rows]
    if not ids:
        return []
    parties = read_parties(connection, application_parties.c.application_id, ids)
    items = children(
        connection, sa.select(application_items), application_items.c.application_id, ids, application_items.c.line_no
    )
    history = children(
        connection, sa.select(application_events), application_events.c.application_id, ids, application_events.c.id
    )
    issued = {
        int(r.application_id): int(r.id)
        for r in connection.execute(
            sa.select(licences.c.id, licences.c.application_id).where(licences.c.application_id.in_(ids))
        )
    }
    return [
        Application(
            id=int(r.id),
            status=Status(r.status),
            end_use=r.end_use,
            additional_information=r.additional_information,
            determination_id=r.determination_id,
            parties=tuple(parties[int(r.id)]),
            items=tuple(_item(x) for x in items[int(r.id)]),
            history=tuple(_change(e) for e in history[int(r.id)]),
            created_at=r.created_at,
            created_by=r.created_by,
            updated_at=r.updated_at,
            licence_id=issued.get(int(r.id)),
        )
        for r in rows
    ]


def _load_application(connection: sa.Connection, application_id: int) -> Application:
    row = connection.execute(sa.select(applications).where(applications.c.id == application_id)).one_or_none()
    if row is None:
        raise NotFound(f"no application with id {application_id}")
    return _assemble(connection, [row])[0]


def get_application(engine: sa.Engine, application_id: int) -> Application:
    with engine.connect() as connection:
        return _load_application(connection, application_id)


def list_applications(
    engine: sa.Engine, after: int | None = None, limit: int = 50, status: Status | None = None
) -> Page[Application]:
    """Applications, newest first, optionally only those with one status."""
    query = sa.select(applications)
    if status is not None:
        query = query.where(applications.c.status == status.value)
    with engine.connect() as connection:
        return read_page(connection, query, applications.c.id, after, limit, partial(_assemble, connection))
