"""The licence register, the shipments drawn down against it, and shipments under licence exceptions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from earcheck.api.auth import engine_of, needs
from earcheck.api.idempotency import IdempotencyHeader, key_of, mark_replayed, resource_id
from earcheck.api.models import MAX_ID, ExceptionShipmentIn, LicenceIn, LicenceOut, ShipmentIn, ShipmentOut
from earcheck.api.paging import Cursor, Limit, Listing, decode_cursor, listing
from earcheck.api.workspace import workspace_of
from earcheck.records.idempotency import once
from earcheck.records.keys import Actor, Role
from earcheck.records.licences import get_licence, list_licences, record_licence
from earcheck.records.review_queue import screen_licence
from earcheck.records.shipments import (
    Drawdown,
    check_shipment,
    get_shipment,
    list_shipments,
    record_exception_shipment,
    record_shipment,
)

router = APIRouter(tags=["licences"])

Engine = Annotated[sa.Engine, Depends(engine_of)]
Viewer = Annotated[Actor, Depends(needs(Role.VIEWER))]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/licences", response_model=Listing[LicenceOut])
def get_licences(engine: Engine, _: Viewer, limit: Limit = 50, cursor: Cursor = None) -> Listing[LicenceOut]:
    """The licence register, newest first, with what is left on each line."""
    page = list_licences(engine, decode_cursor(cursor), limit)
    today = date.today()
    return listing(page, lambda x: LicenceOut.of(x, today))


@router.post("/licences", status_code=status.HTTP_201_CREATED, response_model=LicenceOut)
def post_licence(body: LicenceIn, engine: Engine, actor: Annotated[Actor, Depends(needs(Role.APPROVER))]) -> LicenceOut:
    """Record a licence issued outside earcheck (approvers only)."""
    return LicenceOut.of(record_licence(engine, actor, body.terms()), date.today())


@router.get("/licences/{licence_id}", response_model=LicenceOut)
def get_one_licence(licence_id: Id, engine: Engine, _: Viewer) -> LicenceOut:
    return LicenceOut.of(get_licence(engine, licence_id), date.today())


@router.post(
    "/licences/{licence_id}/shipments",
    status_code=status.HTTP_201_CREATED,
    response_model=ShipmentOut,
    tags=["shipments"],
)
def post_shipment(
    licence_id: Id,
    body: ShipmentIn,
    engine: Engine,
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],
    request: Request,
    response: Response,
    idempotency_key: IdempotencyHeader = None,
) -> ShipmentOut:
    """Record a shipment against the licence's lines. Refused whole (409, with the reason) when the
    licence is not valid on the date or a line has less left than the shipment takes. With an
    ``Idempotency-Key``, a retry is applied once and answers with the first shipment (header
    ``Idempotent-Replayed: true``)."""
    key = key_of(request, actor, idempotency_key, body)
    shipped_on = body.shipped_on or date.today()
    drawdowns = [Drawdown(x.line, x.quantity, x.value) for x in body.lines]
    check_shipment(shipped_on, drawdowns, body.reference)
    workspace = workspace_of(request)
    screen_licence(engine, workspace, actor, licence_id, shipped_on, workspace.list_basis(shipped_on))
    shipment, replayed = once(
        engine,
        key,
        lambda: record_shipment(
            engine,
            actor,
            licence_id,
            shipped_on,
            drawdowns,
            body.reference,
            idempotency_key=key,
        ),
        lambda resource: get_shipment(engine, resource_id(resource, "shipment")),
    )
    mark_replayed(response, replayed)
    return ShipmentOut.model_validate(shipment)


@router.post("/shipments", status_code=status.HTTP_201_CREATED, response_model=ShipmentOut, tags=["shipments"])
def post_exception_shipment(
    body: ExceptionShipmentIn, engine: Engine, actor: Annotated[Actor, Depends(needs(Role.ANALYST))]
) -> ShipmentOut:
    """Record a shipment made under a licence exception. Refused (409, with the reason) when the exception
    was not in force on the date, or the determination named does not show it available for the
    destination; an unknown symbol is a 422."""
    shipment = record_exception_shipment(
        engine,
        actor,
        body.licence_exception,
        body.shipped_on or date.today(),
        body.destination,
        [i.line() for i in body.items],
        body.reference,
        body.determination_id,
    )
    return ShipmentOut.model_validate(shipment)


@router.get("/shipments", response_model=Listing[ShipmentOut], tags=["shipments"])
def get_shipments(
    engine: Engine,
    _: Viewer,
    licence_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    under_exception: Annotated[
        bool | None, Query(description="true: only shipments under a licence exception; false: only under a licence")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[ShipmentOut]:
    """Shipments, newest first, optionally against one licence, or of one kind."""
    page = list_shipments(engine, decode_cursor(cursor), limit, licence_id, under_exception)
    return listing(page, ShipmentOut.model_validate)


@router.get("/shipments/{shipment_id}", response_model=ShipmentOut, tags=["shipments"])
def get_one_shipment(shipment_id: Id, engine: Engine, _: Viewer) -> ShipmentOut:
    return ShipmentOut.model_validate(get_shipment(engine, shipment_id))
