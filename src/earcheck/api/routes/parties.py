"""The parties register and the screening review queue, in the API (the web pages do the same)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import Field
from starlette.responses import Response

from earcheck.api.auth import engine_of, needs
from earcheck.api.models import MAX_ID, RequestBody, ResponseBody
from earcheck.api.registers import parties_export
from earcheck.api.screening import DecisionOut
from earcheck.exports import Format
from earcheck.records.counterparties import Counterparty, add_counterparty, parties_register
from earcheck.records.keys import Actor, Role
from earcheck.records.review_queue import QueuedHit, acknowledge, decide, waiting
from earcheck.records.screening import Verdict

router = APIRouter(tags=["parties"])

Engine = Annotated[sa.Engine, Depends(engine_of)]
Viewer = Annotated[Actor, Depends(needs(Role.VIEWER))]
Analyst = Annotated[Actor, Depends(needs(Role.ANALYST))]
ReviewId = Annotated[int, Path(ge=1, le=MAX_ID)]
Search = Annotated[str | None, Query(max_length=200, description="part of a party's name, any case")]


class CounterpartyIn(RequestBody):
    name: str = Field(min_length=1, max_length=500)
    country: str | None = Field(default=None, max_length=2)
    address: str | None = Field(default=None, max_length=10_000)


class CounterpartyOut(ResponseBody):
    name: str
    country: str | None
    address: str | None
    named_in: list[str] = Field(description="where the party is named: counterparty, application, licence, ...")
    last_screened_at: str | None = Field(description="when it was last screened (from the audit log)")
    last_screening_seq: int | None = Field(description="the audit row of that screening")
    hits: list[dict[str, Any]] | None = Field(description="what that screening found; null: never screened")


class QueuedHitOut(ResponseBody):
    id: int
    party_name: str
    country: str | None
    list_id: str
    entry_sha256: str
    entry_name: str
    list_code: str
    score: float | None
    band: str
    change: str = Field(description="new, changed, undecided, or cleared (a hit that is gone: acknowledge it)")
    lists: str
    raised_at: datetime
    raised_by: str


class QueueDecisionIn(RequestBody):
    verdict: Verdict
    reason: str = Field(max_length=10_000)


class AcknowledgeIn(RequestBody):
    note: str = Field(min_length=1, max_length=10_000)


def _out(party: Counterparty) -> CounterpartyOut:
    latest = party.latest
    return CounterpartyOut(
        name=party.name,
        country=party.country,
        address=party.address,
        named_in=list(party.named_in),
        last_screened_at=None if latest is None else latest.at,
        last_screening_seq=None if latest is None else latest.seq,
        hits=None if latest is None else list(latest.hits),
    )


def _queued(row: QueuedHit) -> QueuedHitOut:
    return QueuedHitOut(
        id=row.id,
        party_name=row.party_name,
        country=row.country,
        list_id=row.list_id,
        entry_sha256=row.entry_sha256,
        entry_name=row.entry_name,
        list_code=row.list_code,
        score=row.score,
        band=row.band,
        change=row.change.value,
        lists=row.lists,
        raised_at=row.raised_at,
        raised_by=row.raised_by,
    )


@router.get("/parties", response_model=list[CounterpartyOut])
def get_parties(engine: Engine, _: Viewer, search: Search = None) -> list[CounterpartyOut]:
    """Every stored counterparty (of applications, licences, determinations, or entered directly),
    with its latest screening."""
    return [_out(p) for p in parties_register(engine, search)]


@router.get(
    "/parties/export",
    response_class=Response,
    responses={200: {"content": {Format.CSV.media_type: {}, Format.XLSX.media_type: {}}}},
)
def get_parties_export(engine: Engine, _: Viewer, search: Search = None, format: Format = Format.CSV) -> Response:
    """The parties register as a CSV or XLSX download (CSV cells a spreadsheet would run start with ``'``)."""
    return parties_export(engine, search, format)


@router.post("/parties", status_code=status.HTTP_201_CREATED, response_model=CounterpartyOut)
def post_party(body: CounterpartyIn, engine: Engine, actor: Analyst) -> CounterpartyOut:
    """Enter a counterparty directly; it is re-screened with every list import."""
    return _out(add_counterparty(engine, actor, body.name, body.country, body.address))


@router.get("/screening-reviews", response_model=list[QueuedHitOut])
def get_queue(engine: Engine, _: Viewer) -> list[QueuedHitOut]:
    """The hits waiting for a person, oldest first."""
    return [_queued(r) for r in waiting(engine)]


@router.post("/screening-reviews/{review_id}/decision", status_code=status.HTTP_201_CREATED, response_model=DecisionOut)
def post_queue_decision(review_id: ReviewId, body: QueueDecisionIn, engine: Engine, actor: Analyst) -> DecisionOut:
    """Decide a queued hit; a false positive on a match-level hit waits for a second person's
    confirmation (``POST /api/screening-decisions/{id}/confirm``)."""
    return DecisionOut.model_validate(decide(engine, actor, review_id, body.verdict, body.reason))


@router.post("/screening-reviews/{review_id}/acknowledge", response_model=QueuedHitOut)
def post_acknowledge(review_id: ReviewId, body: AcknowledgeIn, engine: Engine, actor: Analyst) -> QueuedHitOut:
    """Acknowledge a hit that is gone (its entry was removed or no longer matches)."""
    return _queued(acknowledge(engine, actor, review_id, body.note))
