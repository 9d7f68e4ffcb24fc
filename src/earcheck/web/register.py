"""Applications, the licence register and shipments, in the UI."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from earcheck.api.models import MAX_ID
from earcheck.errors import EarcheckError, FieldError, RecordError
from earcheck.records import applications as workflow
from earcheck.records.applications import ApplicationDraft, Status
from earcheck.records.determinations import get_determination
from earcheck.records.keys import Session
from earcheck.records.licences import get_licence, list_licences
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.shipments import Drawdown, list_shipments, record_shipment
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

# Case roles that have a block on form BIS-748P.
CASE_ROLES = {
    "purchaser": PartyRole.PURCHASER,
    "intermediate_consignee": PartyRole.INTERMEDIATE_CONSIGNEE,
    "ultimate_consignee": PartyRole.ULTIMATE_CONSIGNEE,
    "end_user": PartyRole.END_USER,
}


def _engine(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.engine
    return engine


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _column(form: FormData, name: str) -> list[str]:
    return [v.strip() if isinstance(v, str) else "" for v in form.getlist(name)]


def _decimal(text: str, field: str, problems: list[FieldError]) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("$", ""))
        if not value.is_finite():
            raise InvalidOperation(text)
        return value
    except (InvalidOperation, ValueError):
        problems.append(FieldError(field, f"{text!r} is not a number" if text else "is required"))
        return Decimal(0)


def _draft_from_form(form: FormData) -> tuple[ApplicationDraft, dict[str, Any]]:
    """The draft a form describes (blank rows ignored), and the form's values to show it again."""
    problems: list[FieldError] = []
    parties = []
    rows = zip(*(_column(form, f"party_{k}") for k in ("role", "name", "country", "address")), strict=False)
    party_rows = [r for r in rows if r[1] or r[2] or r[3]]
    for index, (role, name, country, address) in enumerate(party_rows):
        try:
            parties.append(PartyRecord(PartyRole(role), name, country.upper() or None, address or None))
        except ValueError:
            problems.append(FieldError(f"parties[{index}].role", f"unknown role {role!r}"))
    items = []
    rows = zip(
        *(_column(form, f"item_{k}") for k in ("eccn", "description", "quantity", "unit", "value")),
        strict=False,
    )
    item_rows = [r for r in rows if any(r)]
    for index, (eccn, description, quantity, unit, value) in enumerate(item_rows):
        items.append(
            ItemLine(
                eccn,
                description,
                _decimal(quantity, f"items[{index}].quantity", problems),
                unit,
                _decimal(value, f"items[{index}].value", problems),
            )
        )
    determination = _text(form, "determination_id")
    determination_id = None
    if determination:
        if determination.isdigit() and 1 <= int(determination) <= MAX_ID:
            determination_id = int(determination)
        else:
            problems.append(FieldError("determination_id", "must be the number of a stored determination"))
    values: dict[str, Any] = {
        "parties": [dict(zip(("role", "name", "country", "address"), r, strict=True)) for r in party_rows],
        "items": [dict(zip(("eccn", "description", "quantity", "unit", "value"), r, strict=True)) for r in item_rows],
        "end_use": _text(form, "end_use"),
        "additional_information": _text(form, "additional_information"),
        "determination_id": determination,
    }
    if problems:
        raise RecordError("invalid application", problems)
    draft = ApplicationDraft(
        parties=tuple(parties),
        items=tuple(items),
        end_use=values["end_use"],
        additional_information=values["additional_information"],
        determination_id=determination_id,
    )
    return draft, values


def _values_from_case(request: Request, determination_id: int) -> dict[str, Any]:
    stored = get_determination(_engine(request), determination_id)
    case = stored.case
    parties = []
    exporter = case.get("exporter") or {}
    if exporter.get("name"):
        parties.append(
            {
                "role": "applicant",
                "name": exporter["name"],
                "country": exporter.get("country") or "",
                "address": "",
            }
        )
    for party in case.get("parties") or []:
        if party.get("role") in CASE_ROLES:
            parties.append(
                {
                    "role": party["role"],
                    "name": party["name"],
                    "country": party.get("country") or "",
                    "address": party.get("address") or "",
                }
            )
    items = [
        {
            "eccn": item.get("eccn") or "",
            "description": item.get("description") or "",
            "quantity": "",
            "unit": "",
            "value": str(item["value"]) if item.get("value") is not None else "",
        }
        for item in case.get("items") or []
    ]
    return {
        "parties": parties,
        "items": items,
        "end_use": "",
        "additional_information": "",
        "determination_id": str(determination_id),
    }


def _blank() -> dict[str, Any]:
    return {"parties": [], "items": [], "end_use": "", "additional_information": "", "determination_id": ""}


@router.get("/applications")
def applications_page(
    request: Request,
    session: Signed,
    status: Annotated[Status | None, Query()] = None,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    listing = workflow.list_applications(_engine(request), after, 50, status)
    return page(request, "applications.html", session, listing=listing, status=status, statuses=list(Status))


@router.get("/applications/new")
def new_application(
    request: Request, session: Signed, determination: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    values = _values_from_case(request, determination) if determination else _blank()
    return page(
        request,
        "application_form.html",
        session,
        values=values,
        problems=(),
        application=None,
        roles=list(PartyRole),
    )


@router.post("/applications/new")
async def create_application(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    values = _blank()
    try:
        draft, values = _draft_from_form(form)
        application = workflow.create_application(_engine(request), session.actor, draft)
    except RecordError as error:
        return page(
            request, "application_form.html", session, status_code=422, values=values or _blank(),
            problems=error.errors, application=None, roles=list(PartyRole),
        )  # fmt: skip
    return RedirectResponse(f"/applications/{application.id}", status_code=303)


@router.get("/applications/{application_id}")
def application_page(request: Request, session: Signed, application_id: Id) -> Response:
    return _application(request, session, application_id)


def _application(
    request: Request,
    session: Signed,
    application_id: int,
    error: str | None = None,
    problems: tuple[FieldError, ...] = (),
) -> Response:
    application = workflow.get_application(_engine(request), application_id)
    today = date.today()
    return page(
        request,
        "application.html",
        session,
        status_code=409 if error else (422 if problems else 200),
        application=application,
        error=error,
        problems=problems,
        default_from=today,
        default_until=today.replace(year=today.year + 4) - timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else date(today.year + 4, 2, 28),
    )


@router.get("/applications/{application_id}/edit")
def edit_application(request: Request, session: Signed, application_id: Id) -> Response:
    application = workflow.get_application(_engine(request), application_id)
    values = {
        "parties": [
            {"role": p.role.value, "name": p.name, "country": p.country or "", "address": p.address or ""}
            for p in application.parties
        ],
        "items": [
            {
                "eccn": i.eccn,
                "description": i.description,
                "quantity": str(i.quantity),
                "unit": i.unit,
                "value": str(i.value),
            }
            for i in application.items
        ],
        "end_use": application.end_use,
        "additional_information": application.additional_information,
        "determination_id": str(application.determination_id or ""),
    }
    return page(
        request, "application_form.html", session, values=values, problems=(), application=application,
        roles=list(PartyRole),
    )  # fmt: skip


@router.post("/applications/{application_id}/edit")
async def save_application(request: Request, session: Signed, application_id: Id) -> Response:
    form = await request.form()
    check_csrf(session, form)
    values = _blank()
    try:
        draft, values = _draft_from_form(form)
        workflow.update_application(_engine(request), session.actor, application_id, draft)
    except RecordError as error:
        application = workflow.get_application(_engine(request), application_id)
        return page(
            request, "application_form.html", session, status_code=422, values=values, problems=error.errors,
            application=application, roles=list(PartyRole),
        )  # fmt: skip
    return RedirectResponse(f"/applications/{application_id}", status_code=303)


@router.post("/applications/{application_id}/{action}")
async def decide_application(
    request: Request,
    session: Signed,
    application_id: Id,
    action: Annotated[str, Path(pattern="^(submit|approve|return|deny)$")],
) -> Response:
    form = await request.form()
    check_csrf(session, form)
    engine = _engine(request)
    note = _text(form, "note")
    try:
        if action == "submit":
            workflow.submit(engine, session.actor, application_id, note)
        elif action == "approve":
            try:
                valid_from = date.fromisoformat(_text(form, "valid_from"))
                valid_until = date.fromisoformat(_text(form, "valid_until"))
            except ValueError:
                raise RecordError("cannot approve", [FieldError("valid_from", "give both validity dates")]) from None
            conditions = tuple(line.strip() for line in _text(form, "conditions").splitlines() if line.strip())
            _, licence = workflow.approve(
                engine,
                session.actor,
                application_id,
                number=_text(form, "licence_number"),
                valid_from=valid_from,
                valid_until=valid_until,
                conditions=conditions,
                note=note,
            )
            return RedirectResponse(f"/licences/{licence.id}", status_code=303)
        elif action == "return":
            workflow.return_without_action(engine, session.actor, application_id, note)
        else:
            workflow.deny(engine, session.actor, application_id, note)
    except RecordError as error:
        return _application(request, session, application_id, problems=error.errors)
    except EarcheckError as error:
        if error.status == 404:
            raise
        return _application(request, session, application_id, error=str(error))
    return RedirectResponse(f"/applications/{application_id}", status_code=303)


@router.get("/licences")
def licences_page(
    request: Request, session: Signed, after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    return page(request, "licences.html", session, listing=list_licences(_engine(request), after, 50))


def _licence(
    request: Request,
    session: Session,
    licence_id: int,
    error: str | None = None,
    problems: tuple[FieldError, ...] = (),
) -> Response:
    engine = _engine(request)
    licence = get_licence(engine, licence_id)
    shipments = list_shipments(engine, None, 100, licence_id).items
    return page(
        request,
        "licence.html",
        session,
        status_code=409 if error else (422 if problems else 200),
        licence=licence,
        shipments=shipments,
        error=error,
        problems=problems,
    )


@router.get("/licences/{licence_id}")
def licence_page(request: Request, session: Signed, licence_id: Id) -> Response:
    return _licence(request, session, licence_id)


@router.post("/licences/{licence_id}/ship")
async def ship(request: Request, session: Signed, licence_id: Id) -> Response:
    form = await request.form()
    check_csrf(session, form)
    problems: list[FieldError] = []
    drawdowns = []
    lines = zip(_column(form, "line"), _column(form, "quantity"), _column(form, "value"), strict=False)
    for index, (line, quantity, value) in enumerate(lines):
        if not quantity and not value:
            continue
        if not line.isdigit() or not 1 <= int(line) <= 100_000:
            problems.append(FieldError(f"lines[{index}].line", "unknown line"))
            continue
        drawdowns.append(
            Drawdown(
                int(line),
                _decimal(quantity, f"lines[{index}].quantity", problems),
                _decimal(value, f"lines[{index}].value", problems),
            )
        )
    try:
        shipped_on = date.fromisoformat(_text(form, "shipped_on")) if _text(form, "shipped_on") else date.today()
    except ValueError:
        problems.append(FieldError("shipped_on", "not a date (YYYY-MM-DD)"))
        shipped_on = date.today()
    try:
        if problems:
            raise RecordError("invalid shipment", problems)
        record_shipment(_engine(request), session.actor, licence_id, shipped_on, drawdowns, _text(form, "reference"))
    except RecordError as error:
        return _licence(request, session, licence_id, problems=error.errors)
    except EarcheckError as error:
        if error.status == 404:
            raise
        return _licence(request, session, licence_id, error=str(error))
    return RedirectResponse(f"/licences/{licence_id}?shipped=1", status_code=303)
