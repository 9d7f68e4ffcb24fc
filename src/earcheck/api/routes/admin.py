"""API keys (admins only) and the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, status
from starlette.responses import Response

from earcheck.api.auth import engine_of, needs
from earcheck.api.models import MAX_ID, AuditEntryOut, AuditReportOut, KeyIn, KeyOut, NewKeyOut, Storable
from earcheck.api.paging import Cursor, Limit, Listing, decode_cursor, listing
from earcheck.api.registers import audit_export
from earcheck.exports import Format
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, create_key, list_keys, revoke_key

router = APIRouter()

Engine = Annotated[sa.Engine, Depends(engine_of)]
Admin = Annotated[Actor, Depends(needs(Role.ADMIN))]
Viewer = Annotated[Actor, Depends(needs(Role.VIEWER))]


@router.get("/keys", response_model=Listing[KeyOut], tags=["keys"])
def get_keys(engine: Engine, actor: Admin, limit: Limit = 50, cursor: Cursor = None) -> Listing[KeyOut]:
    page = list_keys(engine, actor, decode_cursor(cursor), limit)
    return listing(page, KeyOut.model_validate)


@router.post("/keys", status_code=status.HTTP_201_CREATED, response_model=NewKeyOut, tags=["keys"])
def post_key(body: KeyIn, engine: Engine, actor: Admin) -> NewKeyOut:
    """Create a key. The response holds the key itself, once; only its hash is kept."""
    key, secret = create_key(engine, actor, body.role, body.name)
    return NewKeyOut(key=KeyOut.model_validate(key), secret=secret)


@router.delete("/keys/{key_id}", response_model=KeyOut, tags=["keys"])
def delete_key(key_id: Annotated[int, Path(ge=1, le=MAX_ID)], engine: Engine, actor: Admin) -> KeyOut:
    """Revoke a key, and end the web sessions opened with it."""
    return KeyOut.model_validate(revoke_key(engine, actor, key_id))


@router.get("/audit", response_model=Listing[AuditEntryOut], tags=["audit"])
def get_audit(
    engine: Engine,
    _: Viewer,
    subject: Annotated[Storable | None, Query(max_length=200, description="e.g. licence:3")] = None,
    action: Annotated[Storable | None, Query(max_length=64, description="e.g. shipment.record")] = None,
    order: Literal["newest", "oldest"] = "newest",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[AuditEntryOut]:
    """The audit log, a page at a time."""
    page = audit.entries(
        engine,
        after=decode_cursor(cursor),
        limit=limit,
        newest_first=order == "newest",
        subject=subject,
        action=action,
    )
    return listing(page, AuditEntryOut.model_validate)


@router.get(
    "/audit/export",
    response_class=Response,
    responses={200: {"content": {Format.CSV.media_type: {}, Format.XLSX.media_type: {}}}},
    tags=["audit"],
)
def export_audit(
    engine: Engine,
    _: Viewer,
    subject: Annotated[Storable | None, Query(max_length=200, description="e.g. licence:3")] = None,
    action: Annotated[Storable | None, Query(max_length=64, description="e.g. shipment.record")] = None,
    format: Format = Format.CSV,
) -> Response:
    """The audit log as CSV or XLSX, oldest first, every column as stored (payload as hashed), so that
    the chain can be re-derived from the file. CSV cells a spreadsheet would run as formulas start with ``'``."""
    return audit_export(engine, format, subject, action)


@router.get("/audit/verify", response_model=AuditReportOut, tags=["audit"])
def get_audit_verification(
    engine: Engine,
    _: Viewer,
    expect: Annotated[
        str | None,
        Query(
            pattern=r"^[1-9][0-9]{0,17}:[0-9a-f]{64}$",
            description="SEQ:HASH, a head kept elsewhere (`earcheck audit head`): fails if the log was cut back "
            "or rewritten since",
        ),
    ] = None,
) -> AuditReportOut:
    """Re-derive the hash chain and name every altered, deleted or reordered row, and check the record
    tables (licences, lines, shipments, applications) against the state the log re-derives."""
    anchor = audit.parse_anchor(expect) if expect is not None else None
    return AuditReportOut.model_validate(audit.verify(engine, expect=anchor))
