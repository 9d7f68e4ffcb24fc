"""The parties register and the screening review queue in the UI: search the counterparties and see
how each was last screened, export them, add one; decide the hits that ongoing screening queued."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from earcheck.api.auth import engine_of
from earcheck.api.models import MAX_ID
from earcheck.api.registers import parties_export
from earcheck.api.workspace import decisions_recorded, workspace_of
from earcheck.errors import EarcheckError
from earcheck.exports import Format
from earcheck.records.counterparties import add_counterparty, parties_register
from earcheck.records.keys import Session
from earcheck.records.review_queue import acknowledge, decide, waiting
from earcheck.records.screening import Verdict
from earcheck.web.forms import text
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _search(request: Request) -> str:
    return request.query_params.get("search", "").replace("\x00", "").strip()[:200]


def _register(request: Request, session: Session, notice: str | None = None, status_code: int = 200) -> Response:
    search = _search(request)
    parties = parties_register(engine_of(request), search or None)
    return page(
        request, "parties.html", session, status_code=status_code, parties=parties, search=search, notice=notice
    )


@router.get("/parties")
def parties_page(request: Request, session: Signed) -> Response:
    return _register(request, session)


@router.get("/parties/export.{fmt}")
def export_parties(request: Request, _: Signed, fmt: Format) -> Response:
    return parties_export(engine_of(request), _search(request) or None, fmt)


@router.post("/parties")
async def add_party(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    try:
        party = add_counterparty(
            engine_of(request),
            session.actor,
            text(form, "name"),
            text(form, "country") or None,
            text(form, "address") or None,
        )
    except EarcheckError as error:
        return _register(request, session, notice=f"Not added: {error}", status_code=error.status)
    return _register(request, session, notice=f"Added {party.name}: it is screened again with every list import.")


def _queue(request: Request, session: Session, notice: str | None = None, status_code: int = 200) -> Response:
    rows = waiting(engine_of(request))
    context: dict[str, Any] = {"rows": rows, "notice": notice, "verdicts": list(Verdict)}
    return page(request, "reviews.html", session, status_code=status_code, **context)


@router.get("/reviews")
def reviews_page(request: Request, session: Signed) -> Response:
    return _queue(request, session)


@router.post("/reviews/{review_id}/decide")
async def decide_review(request: Request, session: Signed, review_id: Id) -> Response:
    form = await request.form()
    check_csrf(session, form)
    try:
        verdict = Verdict(text(form, "verdict"))
        decision = decide(engine_of(request), session.actor, review_id, verdict, text(form, "reason"))
    except ValueError:
        return _queue(request, session, notice="Not recorded: choose false positive or true match.", status_code=422)
    except EarcheckError as error:
        return _queue(request, session, notice=f"Not recorded: {error}", status_code=error.status)
    decisions_recorded(workspace_of(request))
    if decision.verdict is Verdict.FALSE_POSITIVE:
        notice = f"Decision #{decision.id} recorded; a match-level hit stays queued until an approver confirms it."
    else:
        notice = f"Decision #{decision.id} recorded: {decision.party_name} is {decision.entry_name}."
    return _queue(request, session, notice=notice)


@router.post("/reviews/{review_id}/acknowledge")
async def acknowledge_review(request: Request, session: Signed, review_id: Id) -> Response:
    form = await request.form()
    check_csrf(session, form)
    try:
        acknowledge(engine_of(request), session.actor, review_id, text(form, "note"))
    except EarcheckError as error:
        return _queue(request, session, notice=f"Not acknowledged: {error}", status_code=error.status)
    return RedirectResponse("/reviews", status_code=303)
