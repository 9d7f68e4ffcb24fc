"""Determinations (stored with their case, result and provenance) and timelines."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.encoders import jsonable_encoder
from starlette.responses import Response

from earcheck.api.auth import engine_of, needs
from earcheck.api.bodies import CASE_BODY, case_body
from earcheck.api.models import MAX_ID, DeterminationOut, DeterminationSummary, json_response
from earcheck.api.paging import Cursor, Limit, Listing, decode_cursor, listing
from earcheck.api.registers import determination_filter, determinations_export
from earcheck.api.routes.screening import Workspace
from earcheck.days import CaseDate
from earcheck.exports import Format
from earcheck.model import Case
from earcheck.records.determination_search import DeterminationFilter, search_determinations
from earcheck.records.determinations import get_determination, record_determination
from earcheck.records.keys import Actor, Role

router = APIRouter(tags=["determinations"])

Engine = Annotated[sa.Engine, Depends(engine_of)]
CaseBody = Annotated[Case, Depends(case_body)]
Search = Annotated[DeterminationFilter, Depends(determination_filter)]


@router.post(
    "/determinations",
    status_code=status.HTTP_201_CREATED,
    response_model=DeterminationOut,
    openapi_extra=CASE_BODY,
)
def post_determination(
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],  # first: a request without a key gets 401
    case: CaseBody,
    engine: Engine,
    workspace: Workspace,
) -> Response:
    """Determine whether the case needs a licence (15 CFR part 732), as of its ``as_of`` date, and store
    the answer with its case and provenance. The body is a case as in ``earcheck schema case``."""
    determination = workspace.determine(case)
    stored = DeterminationOut.model_validate(record_determination(engine, actor, case, determination))
    return json_response(stored, status.HTTP_201_CREATED)


@router.get("/determinations", response_model=Listing[DeterminationSummary])
def get_determinations(
    engine: Engine,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
    wanted: Search,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[DeterminationSummary]:
    """Stored determinations, newest first; the parameters narrow the list (all of them must match)."""
    page = search_determinations(engine, wanted, decode_cursor(cursor), limit)
    return listing(page, DeterminationSummary.model_validate)


@router.get(
    "/determinations/export",
    response_class=Response,
    responses={200: {"content": {Format.CSV.media_type: {}, Format.XLSX.media_type: {}}}},
)
def export_determinations(
    engine: Engine, _: Annotated[Actor, Depends(needs(Role.VIEWER))], wanted: Search, format: Format = Format.CSV
) -> Response:
    """The register as CSV or XLSX: every determination the parameters find, newest first, with its
    parties, ECCNs, answer and hashes. CSV cells that a spreadsheet would run as formulas start with ``'``."""
    return determinations_export(engine, wanted, format)


@router.get("/determinations/{determination_id}", response_model=DeterminationOut)
def get_one_determination(
    determination_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    engine: Engine,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
) -> DeterminationOut:
    return DeterminationOut.model_validate(get_determination(engine, determination_id))


@router.post("/timelines", openapi_extra=CASE_BODY)
def post_timeline(
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],  # first: a request without a key gets 401
    case: CaseBody,
    workspace: Workspace,
    start: Annotated[CaseDate | None, Query(description="first day (default: the rules' earliest)")] = None,
    end: Annotated[CaseDate | None, Query(description="last day (default: today)")] = None,
) -> Any:
    """The case's answer over time: one interval per stretch of days with the same outcome, review
    policy and governing citation, split where a rule or a list entry changed."""
    # Not audited: a timeline records nothing and decides nothing; the determinations it shows do.
    return jsonable_encoder(workspace.timeline(case, start, end))
