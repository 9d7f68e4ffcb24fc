"""Licence applications and their workflow: draft, submit, approve, return, deny."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from earcheck.api.auth import engine_of, needs, one_person_of
from earcheck.api.idempotency import IdempotencyHeader, key_of, mark_replayed, resource_id
from earcheck.api.models import MAX_ID, ApplicationIn, ApplicationOut, ApproveIn, LicenceOut, NoteIn
from earcheck.api.paging import Cursor, Limit, Listing, decode_cursor, listing
from earcheck.api.workspace import WorkspacePort, workspace_of
from earcheck.records import applications as workflow
from earcheck.records.applications import Status
from earcheck.records.idempotency import once
from earcheck.records.keys import Actor, Role
from earcheck.records.review_queue import screen_application

router = APIRouter(prefix="/applications", tags=["applications"])

Engine = Annotated[sa.Engine, Depends(engine_of)]
OnePerson = Annotated[bool, Depends(one_person_of)]
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID)]
Analyst = Annotated[Actor, Depends(needs(Role.ANALYST))]
Screener = Annotated[WorkspacePort, Depends(workspace_of)]
Approver = Annotated[Actor, Depends(needs(Role.APPROVER))]


@router.get("", response_model=Listing[ApplicationOut])
def get_applications(
    engine: Engine,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
    status_: Annotated[Status | None, Query(alias="status")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[ApplicationOut]:
    """Applications, newest first, optionally with one status."""
    page = workflow.list_applications(engine, decode_cursor(cursor), limit, status_)
    return listing(page, ApplicationOut.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApplicationOut)
def post_application(
    body: ApplicationIn,
    engine: Engine,
    actor: Analyst,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyHeader = None,
) -> ApplicationOut:
    """Draft an application. A draft may be incomplete; submitting checks that it is not. With an
    ``Idempotency-Key``, a retry drafts nothing more and answers with the application the first made,
    as it is now (header ``Idempotent-Replayed: true``)."""
    key = key_of(request, actor, idempotency_key, body)
    application, replayed = once(
        engine,
        key,
        lambda: workflow.create_application(engine, actor, body.draft(), key),
        lambda resource: workflow.get_application(engine, resource_id(resource, "application")),
    )
    mark_replayed(response, replayed)
    return ApplicationOut.model_validate(application)


@router.get("/{application_id}", response_model=ApplicationOut)
def get_application(
    application_id: ApplicationId, engine: Engine, _: Annotated[Actor, Depends(needs(Role.VIEWER))]
) -> ApplicationOut:
    return ApplicationOut.model_validate(workflow.get_application(engine, application_id))


@router.put("/{application_id}", response_model=ApplicationOut)
def put_application(
    application_id: ApplicationId, body: ApplicationIn, engine: Engine, actor: Analyst
) -> ApplicationOut:
    """Replace a draft's contents (409 once it is submitted)."""
    return ApplicationOut.model_validate(workflow.update_application(engine, actor, application_id, body.draft()))


@router.post("/{application_id}/submit", response_model=ApplicationOut)
def post_submit(
    application_id: ApplicationId, body: NoteIn, engine: Engine, actor: Analyst, workspace: Screener
) -> ApplicationOut:
    """Submit a complete draft (422 listing what is missing, or naming each screening hit of its
    parties that nobody has decided: those wait in the review queue; 409 if it is not a draft)."""
    screen_application(engine, workspace, actor, application_id, workspace.list_basis())
    return ApplicationOut.model_validate(workflow.submit(engine, actor, application_id, body.note))


@router.post("/{application_id}/approve", response_model=LicenceOut)
def post_approve(
    application_id: ApplicationId, body: ApproveIn, engine: Engine, actor: Approver, one_person: OnePerson
) -> LicenceOut:
    """Record BIS's approval of a submitted application: the licence BIS issued, with the number BIS gave
    and its conditions (approvers only; 403 for the key that drafted, edited or submitted it, unless
    the server runs with EARCHECK_ONE_PERSON_DECISIONS=1)."""
    _, licence = workflow.approve(
        engine,
        actor,
        application_id,
        number=body.licence_number,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        conditions=tuple(body.conditions),
        note=body.note,
        one_person=one_person,
    )
    return LicenceOut.of(licence, date.today())


@router.post("/{application_id}/return", response_model=ApplicationOut)
def post_return(
    application_id: ApplicationId, body: NoteIn, engine: Engine, actor: Approver, one_person: OnePerson
) -> ApplicationOut:
    """Record that BIS returned a submitted application without action, with the reason (approvers
    only; not the key that prepared it, as for approval)."""
    decided = workflow.return_without_action(engine, actor, application_id, body.note, one_person)
    return ApplicationOut.model_validate(decided)


@router.post("/{application_id}/deny", response_model=ApplicationOut)
def post_deny(
    application_id: ApplicationId, body: NoteIn, engine: Engine, actor: Approver, one_person: OnePerson
) -> ApplicationOut:
    """Record that BIS denied a submitted application, with the reason (approvers only; not the key
    that prepared it, as for approval)."""
    return ApplicationOut.model_validate(workflow.deny(engine, actor, application_id, body.note, one_person))
