"""Applications, the licence register and shipments (under a licence or a licence exception), in the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from earcheck.api.auth import engine_of, one_person_of
from earcheck.api.models import MAX_ID
from earcheck.api.workspace import workspace_of
from earcheck.days import parse_iso_date
from earcheck.errors import EarcheckError, FieldError, IdempotencyKeyReused, RecordError
from earcheck.records import applications as workflow
from earcheck.records.applications import Application, ApplicationDraft, Status
from earcheck.records.determinations import get_determination
from earcheck.records.duties import application_preparers
from earcheck.records.idempotency import once
from earcheck.records.keys import Role, Session, require
from earcheck.records.licences import LicenceTerms, get_licence, list_licences, record_licence
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.review_queue import screen_application, screen_licence
from earcheck.records.shipments import (
    Drawdown,
    check_shipment,
    list_shipments,
    record_exception_shipment,
    record_shipment,
)
from earcheck.regulations.exceptions import exception_data
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
EXCEPTION_ITEM_ROWS = 5  # blank item rows the exception-shipment form offers
EXCEPTION_SHIPMENT_FIELDS = ("licence_exception", "shipped_on", "destination", "determination_id", "reference")


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


def _rows_from_form(
    form: FormData, problems: list[FieldError]
) -> tuple[list[PartyRecord], list[ItemLine], list[dict[str, str]], list[dict[str, str]]]:
    """The tables of parties and items a form holds (blank rows ignored), and the same rows as text to
    show them again; what cannot be read is added to ``problems``."""
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
    return (
        parties,
        items,
        [dict(zip(PARTY_COLUMNS, r, strict=True)) for r in party_rows],
        [dict(zip(ITEM_COLUMNS, r, strict=True)) for r in item_rows],
    )


def _draft_from_form(form: FormData) -> tuple[ApplicationDraft | None, dict[str, Any], RecordError | None]:
    """The draft a form describes (blank rows ignored), the form's values to show it again, and what is
    wrong with it. The values come back even when the draft cannot be read, so nothing typed is lost."""
    problems: list[FieldError] = []
    parties, items, party_rows, item_rows = _rows_from_form(form, problems)
    determination = text(form, "determination_id")
    determination_id = None
    if determination:
        determination_id = whole_number(determination, MAX_ID)
        if determination_id is None:
            problems.append(FieldError("determination_id", "must be the number of a stored determination"))
    values = _values(
        party_rows,
        item_rows,
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
    require(session.actor, Role.ANALYST, "drafting an application")  # a viewer gets no form it cannot send
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
    prepared = session.actor.label in application_preparers(engine_of(request), application_id)
    return page(
        request,
        "application.html",
        session,
        application=application,
        # Segregation of duties: who prepared it sees no decision forms, unless the one-person setting is on.
        may_decide=not prepared or one_person_of(request),
        waiving=prepared and one_person_of(request),
        **_refusal(refused),
        default_from=today,
        default_until=today.replace(year=today.year + 4) - timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else date(today.year + 4, 2, 28),
    )


@router.get("/applications/{application_id}/edit")
def edit_application(request: Request, session: Signed, application_id: Id) -> Response:
    require(session.actor, Role.ANALYST, "editing an application")
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
    one_person = one_person_of(request)
    try:
        if action == "submit":
            workspace = workspace_of(request)
            screen_application(engine, workspace, session.actor, application_id, workspace.list_basis())
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
                one_person=one_person,
            )
            return RedirectResponse(f"/licences/{licence.id}", status_code=303)
        elif action == "return":
            workflow.return_without_action(engine, session.actor, application_id, note, one_person)
        else:
            workflow.deny(engine, session.actor, application_id, note, one_person)
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


def _licence_form(
    request: Request, session: Session, values: dict[str, Any], refused: EarcheckError | None = None
) -> Response:
    """The form that records a licence BIS issued outside earcheck's applications (approvers only)."""
    return page(
        request,
        "licence_form.html",
        session,
        status_code=refused.status if refused is not None else 200,
        values=values,
        problems=refused.errors if isinstance(refused, RecordError) else (),
        error=str(refused) if refused is not None and not isinstance(refused, RecordError) else None,
        roles=list(PartyRole),
    )


@router.get("/licences/new")
def new_licence(request: Request, session: Signed) -> Response:
    require(session.actor, Role.APPROVER, "recording a licence")
    today = date.today()
    values = {"number": "", "valid_from": today.isoformat(), "valid_until": "", "conditions": ""}
    return _licence_form(request, session, {**values, "parties": [], "items": []})


@router.post("/licences/new")
async def create_licence(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    require(session.actor, Role.APPROVER, "recording a licence")
    problems: list[FieldError] = []
    parties, lines, party_rows, item_rows = _rows_from_form(form, problems)
    dates = {}
    for name in ("valid_from", "valid_until"):
        try:
            dates[name] = date.fromisoformat(text(form, name))
        except ValueError:
            problems.append(FieldError(name, "give the date on the licence (YYYY-MM-DD)"))
    conditions = tuple(line.strip() for line in text(form, "conditions").splitlines() if line.strip())
    values: dict[str, Any] = {
        "number": text(form, "number"),
        "valid_from": text(form, "valid_from"),
        "valid_until": text(form, "valid_until"),
        "conditions": text(form, "conditions"),
        "parties": party_rows,
        "items": item_rows,
    }
    try:
        if problems:
            raise RecordError("invalid licence", problems)
        terms = LicenceTerms(
            number=values["number"],
            valid_from=dates["valid_from"],
            valid_until=dates["valid_until"],
            parties=tuple(parties),
            lines=tuple(lines),
            conditions=conditions,
        )
        licence = record_licence(engine_of(request), session.actor, terms)
    except EarcheckError as error:
        if error.status in (403, 404):
            raise
        return _licence_form(request, session, values, error)
    return RedirectResponse(f"/licences/{licence.id}", status_code=303)


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
        check_shipment(shipped_on, drawdowns, text(form, "reference"))
        workspace = workspace_of(request)
        screen_licence(engine, workspace, session.actor, licence_id, shipped_on, workspace.list_basis(shipped_on))
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


@dataclass(frozen=True, slots=True)
class _InForce:
    symbol: str
    title: str
    citation: str


def _exception_shipments(
    request: Request,
    session: Session,
    values: dict[str, Any] | None = None,
    refused: EarcheckError | None = None,
    after: int | None = None,
) -> Response:
    """The register of shipments under licence exceptions, with the form to record one."""
    today = date.today()
    in_force = [
        _InForce(rule.symbol, rule.title, version.citation)
        for rule in exception_data().exceptions
        if (version := rule.version_on(today)) is not None
    ]
    shown = values or {
        "licence_exception": "",
        "shipped_on": "",
        "destination": "",
        "determination_id": "",
        "reference": "",
    }
    rows = list(shown.get("items") or [])
    rows += [dict.fromkeys(ITEM_COLUMNS, "") for _ in range(max(EXCEPTION_ITEM_ROWS - len(rows), 1))]
    listing = list_shipments(engine_of(request), after, 50, under_exception=True)
    return page(
        request,
        "exception_shipments.html",
        session,
        listing=listing,
        in_force=in_force,
        values={**shown, "items": rows},
        **_refusal(refused),
    )


@router.get("/shipments/exceptions")
def exception_shipments_page(
    request: Request,
    session: Signed,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    determination: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    exception: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """The register and its form; from a determination's page, the form is filled in from its case."""
    values = None
    if determination is not None:
        case = get_determination(engine_of(request), determination).case
        values = {
            **dict.fromkeys(EXCEPTION_SHIPMENT_FIELDS, ""),
            "licence_exception": exception or "",
            "destination": case.get("destination") or "",
            "determination_id": str(determination),
            "items": [
                {
                    "eccn": item.get("eccn") or "",
                    "description": item.get("description") or "",
                    "quantity": "",
                    "unit": "",
                    "value": str(item["value"]) if item.get("value") is not None else "",
                }
                for item in case.get("items") or []
            ],
        }
    return _exception_shipments(request, session, values, after=after)


@router.post("/shipments/exceptions")
async def ship_under_exception(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    problems: list[FieldError] = []
    rows = zip(*(column(form, f"item_{k}") for k in ITEM_COLUMNS), strict=False)
    item_rows = [r for r in rows if any(r)]
    items = [
        ItemLine(
            eccn,
            description,
            number(quantity, f"items[{index}].quantity", problems),
            unit,
            number(value, f"items[{index}].value", problems),
        )
        for index, (eccn, description, quantity, unit, value) in enumerate(item_rows)
    ]
    values: dict[str, Any] = {k: text(form, k) for k in EXCEPTION_SHIPMENT_FIELDS}
    values["items"] = [dict(zip(ITEM_COLUMNS, r, strict=True)) for r in item_rows]
    try:
        shipped_on = date.fromisoformat(values["shipped_on"]) if values["shipped_on"] else date.today()
    except ValueError:
        problems.append(FieldError("shipped_on", "not a date (YYYY-MM-DD)"))
        shipped_on = date.today()
    determination = values["determination_id"]
    determination_id = None
    if determination:
        if determination.isdigit() and 1 <= int(determination) <= MAX_ID:
            determination_id = int(determination)
        else:
            problems.append(FieldError("determination_id", "must be the number of a stored determination"))
    try:
        if problems:
            raise RecordError("invalid shipment", problems)
        record_exception_shipment(
            engine_of(request),
            session.actor,
            values["licence_exception"],
            shipped_on,
            values["destination"],
            items,
            values["reference"],
            determination_id,
        )
    except EarcheckError as error:
        if error.status == 404:
            refused: EarcheckError = RecordError("invalid shipment", [FieldError("determination_id", str(error))])
        else:
            refused = error
        return _exception_shipments(request, session, values, refused)
    return RedirectResponse("/shipments/exceptions?shipped=1", status_code=303)
