"""Applications, the licence register and shipments, in the UI."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from earcheck.api.auth import engine_of
from earcheck.api.models import MAX_ID
from earcheck.days import parse_iso_date
from earcheck.errors import EarcheckError, FieldError, IdempotencyKeyReused, RecordError
from earcheck.records import applications as workflow
from earcheck.records.applications import Application, ApplicationDraft, Status
from earcheck.records.determinations import get_determination
from earcheck.records.idempotency import once
from earcheck.records.keys import Session
from earcheck.records.licences import get_licence, list_licences
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.shipments import Drawdown, list_shipments, record_shipment
from earcheck.web.forms import IDEMPOTENCY_FIELD, column, form_key, new_form_key, number, text, whole_number
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

# The application form's tables: one row per party and per item, one form field per column.
PARTY_COLUMNS = ("role", "name", "country", "address")
ITEM_COLUMNS = ("eccn", "description", "quantity", "unit", "value")


def _values(
    parties: list[dict[str, str]] | None = None,
    items: list[dict[str, str]] | None = None,
    end_use: str = "",
    additional_information: str = "",
    determination_id: str = "",
) -> dict[str, Any]:
    """What the application form shows, all as text: its rows of parties and items, and its fields."""
    return {
        "parties": parties or [],
        "items": items or [],
        "end_use": end_use,
        "additional_information": additional_information,
        "determination_id": determination_id,
    }


def _form_page(
    request: Request,
    session: Session,
    values: dict[str, Any],
    application: Application | None = None,
    refused: RecordError | None = None,
) -> Response:
    """The application form: a new draft (``application=None``) or a draft to edit; ``refused``
    lists what kept it from being saved."""
    return page(
        request,
        "application_form.html",
        session,
        status_code=422 if refused is not None else 200,
        values=values,
        idempotency_key=new_form_key() if application is None else None,
        problems=refused.errors if refused is not None else (),
        application=application,
        roles=list(PartyRole),
    )


def _refusal(error: EarcheckError | None) -> dict[str, Any]:
    """How a page shows an action it refused: the fields at fault (422), or why not (409)."""
    if isinstance(error, RecordError):
        return {"status_code": 422 if error.errors else 200, "error": None, "problems": error.errors}
    message = str(error) if error is not None else None
    return {"status_code": 409 if message else 200, "error": message, "problems": ()}


def _draft_from_form(form: FormData) -> tuple[ApplicationDraft | None, dict[str, Any], RecordError | None]:
    """The draft a form describes (blank rows ignored), the form's values to show it again, and what is
    wrong with it. The values come back even when the draft cannot be read, so nothing typed is lost."""
    problems: list[FieldError] = []
    parties = []
    rows = zip(*(column(form, f"party_{k}") for k in PARTY_COLUMNS), strict=False)
    party_rows = [r for r in rows if r[1] or r[2] or r[3]]
    for index, (role, name, country, address) in enumerate(party_rows):
        try:
            parties.append(PartyRecord(PartyRole(role), name, country.upper() or None, address or None))
        except ValueError:
            problems.append(FieldError(f"parties[{index}].role", f"unknown role {role!r}"))
    items = []
    rows = zip(*(column(form, f"item_{k}") for k in ITEM_COLUMNS), strict=False)
    item_rows = [r for r in rows if any(r)]
    for index, (eccn, description, quantity, unit, value) in enumerate(item_rows):
        items.append(
            ItemLine(
                eccn,
                description,
                number(quantity, f"items[{index}].quantity", problems),
                unit,
                number(value, f"items[{index}].value", problems),
            )
        )
    determination = text(form, "determination_id")
    determination_id = None
    if determination:
        determination_id = whole_number(determination, MAX_ID)
        if determination_id is None:
            problems.append(FieldError("determination_id", "must be the number of a stored determination"))
    values = _values(
        [dict(zip(PARTY_COLUMNS, r, strict=True)) for r in party_rows],
        [dict(zip(ITEM_COLUMNS, r, strict=True)) for r in item_rows],
        text(form, "end_use"),
        text(form, "additional_information"),
        determination,
    )
    if problems:
        return None, values, RecordError("invalid application", problems)
    draft = ApplicationDraft(
        parties=tuple(parties),
        items=tuple(items),
        end_use=values["end_use"],
        additional_information=values["additional_information"],
        determination_id=determination_id,
    )
    return draft, values, None


def _values_from_case(request: Request, determination_id: int) -> dict[str, Any]:
    stored = get_determination(engine_of(request), determination_id)
    case = stored.case
    parties = []
    exporter = case.get("exporter") or {}
    if exporter.get("name"):
        parties.append(
            {"role": "applicant", "name": exporter["name"], "country": exporter.get("country") or "", "address": ""}
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
    return _values(parties, items, determination_id=str(determination_id))


@router.get("/applications")
def applications_page(
    request: Request,
    session: Signed,
    status: Annotated[Status | None, Query()] = None,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    listing = workflow.list_applications(engine_of(request), after, 50, status)
    return page(request, "applications.html", session, listing=listing, status=status, statuses=list(Status))


@router.get("/applications/new")
def new_application(
    request: Request, session: Signed, determination: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    return _form_page(request, session, _values_from_case(request, determination) if determination else _values())


@router.post("/applications/new")
async def create_application(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    draft, values, refused = _draft_from_form(form)
    if draft is not None:
        engine = engine_of(request)
        try:
            key = form_key(form, session.actor, "WEB POST /applications/new")
            application, _ = once(
                engine,
                key,
                lambda: workflow.create_application(engine, session.actor, draft, key),
                lambda resource: workflow.get_application(engine, int(resource.split(":")[1])),
            )
            return RedirectResponse(f"/applications/{application.id}", status_code=303)
        except RecordError as error:
            refused = error
        except IdempotencyKeyReused:
            refused = _sent_before()
    return _form_page(request, session, values, refused=refused)


def _sent_before() -> RecordError:
    """A form page sent again with other values (back, edit, send): the page comes back with a fresh
    key, so that a second record is a deliberate second send."""
    return RecordError(
        "form sent before",
        [FieldError(IDEMPOTENCY_FIELD, "this form was already sent with other values; check what it recorded, "
                    "then send this one again if it is a new record")],
    )  # fmt: skip


@router.get("/applications/{application_id}")
def application_page(request: Request, session: Signed, application_id: Id) -> Response:
    return _application(request, session, application_id)


def _application(
    request: Request, session: Session, application_id: int, refused: EarcheckError | None = None
) -> Response:
    application = workflow.get_application(engine_of(request), application_id)
    today = date.today()
    return page(
        request,
        "application.html",
        session,
        application=application,
        **_refusal(refused),
        default_from=today,
        default_until=today.replace(year=today.year + 4) - timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else date(today.year + 4, 2, 28),
    )


@router.get("/applications/{application_id}/edit")
def edit_application(request: Request, session: Signed, application_id: Id) -> Response:
    application = workflow.get_application(engine_of(request), application_id)
    values = _values(
        [
            {"role": p.role.value, "name": p.name, "country": p.country or "", "address": p.address or ""}
            for p in application.parties
        ],
        [
            {
                "eccn": i.eccn,
                "description": i.description,
                "quantity": str(i.quantity),
                "unit": i.unit,
                "value": str(i.value),
            }
            for i in application.items
        ],
        application.end_use,
        application.additional_information,
        str(application.determination_id or ""),
    )
    return _form_page(request, session, values, application)


@router.post("/applications/{application_id}/edit")
async def save_application(request: Request, session: Signed, application_id: Id) -> Response:
    form = await request.form()
    check_csrf(session, form)
    draft, values, refused = _draft_from_form(form)
    if draft is not None:
        try:
            workflow.update_application(engine_of(request), session.actor, application_id, draft)
            return RedirectResponse(f"/applications/{application_id}", status_code=303)
        except RecordError as error:
            refused = error
    application = workflow.get_application(engine_of(request), application_id)
    return _form_page(request, session, values, application, refused)


@router.post("/applications/{application_id}/{action}")
async def decide_application(
    request: Request,
    session: Signed,
    application_id: Id,
    action: Annotated[str, Path(pattern="^(submit|approve|return|deny)$")],
) -> Response:
    form = await request.form()
    check_csrf(session, form)
    engine = engine_of(request)
    note = text(form, "note")
    try:
        if action == "submit":
            workflow.submit(engine, session.actor, application_id, note)
        elif action == "approve":
            try:
                valid_from = date.fromisoformat(text(form, "valid_from"))
                valid_until = date.fromisoformat(text(form, "valid_until"))
            except ValueError:
                raise RecordError("cannot approve", [FieldError("valid_from", "give both validity dates")]) from None
            conditions = tuple(line.strip() for line in text(form, "conditions").splitlines() if line.strip())
            _, licence = workflow.approve(
                engine,
                session.actor,
                application_id,
                number=text(form, "licence_number"),
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
    except EarcheckError as error:
        if error.status == 404:
            raise
        return _application(request, session, application_id, error)
    return RedirectResponse(f"/applications/{application_id}", status_code=303)


@router.get("/licences")
def licences_page(
    request: Request, session: Signed, after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    return page(request, "licences.html", session, listing=list_licences(engine_of(request), after, 50))


def _licence(request: Request, session: Session, licence_id: int, refused: EarcheckError | None = None) -> Response:
    engine = engine_of(request)
    licence = get_licence(engine, licence_id)
    shipments = list_shipments(engine, None, 100, licence_id).items
    return page(
        request,
        "licence.html",
        session,
        licence=licence,
        shipments=shipments,
        idempotency_key=new_form_key(),
        **_refusal(refused),
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
    lines = zip(column(form, "line"), column(form, "quantity"), column(form, "value"), strict=False)
    for index, (line, quantity, value) in enumerate(lines):
        if not quantity and not value:
            continue
        line_no = whole_number(line, 100_000)
        if line_no is None:
            problems.append(FieldError(f"lines[{index}].line", "unknown line"))
            continue
        drawdowns.append(
            Drawdown(
                line_no,
                number(quantity, f"lines[{index}].quantity", problems),
                number(value, f"lines[{index}].value", problems),
            )
        )
    try:
        shipped_on = parse_iso_date(text(form, "shipped_on")) if text(form, "shipped_on") else date.today()
    except ValueError:
        problems.append(FieldError("shipped_on", "not a date (YYYY-MM-DD)"))
        shipped_on = date.today()
    engine = engine_of(request)
    try:
        if problems:
            raise RecordError("invalid shipment", problems)
        key = form_key(form, session.actor, f"WEB POST /licences/{licence_id}/ship")
        once(
            engine,
            key,
            lambda: record_shipment(
                engine, session.actor, licence_id, shipped_on, drawdowns, text(form, "reference"), idempotency_key=key
            ),
            lambda resource: resource,
        )
    except IdempotencyKeyReused:
        return _licence(request, session, licence_id, _sent_before())
    except EarcheckError as error:
        if error.status == 404:
            raise
        return _licence(request, session, licence_id, error)
    return RedirectResponse(f"/licences/{licence_id}?shipped=1", status_code=303)
