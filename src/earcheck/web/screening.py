"""Screening a name in the UI, and recording what a reviewer decides about a hit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from earcheck.api.auth import engine_of
from earcheck.api.routes.screening import find_hit, screen
from earcheck.api.screening import ScreeningIn
from earcheck.api.workspace import decisions_recorded, workspace_of
from earcheck.errors import EarcheckError
from earcheck.records.keys import Session
from earcheck.records.screening import Verdict, confirm_decision, record_decision
from earcheck.screening.screener import ALL_HITS
from earcheck.web.forms import text
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in
from earcheck.wording import plain_message

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]

FIRST_SHOWN = 10  # hits shown open on the screening page; the rest are one click away


def _screen_page(request: Request, session: Session, form: FormData | None, notice: str | None = None) -> Response:
    if form is None:
        return page(request, "screen.html", session, query=None, result=None, error=None, notice=None)
    query = {"name": text(form, "name"), "country": text(form, "country"), "as_of": text(form, "as_of")}
    try:
        body = ScreeningIn(
            name=query["name"],
            country=query["country"] or None,
            as_of=date.fromisoformat(query["as_of"]) if query["as_of"] else None,
            limit=ALL_HITS,  # every hit on the page: the best FIRST_SHOWN open, the others folded
        )
    except (ValidationError, ValueError) as error:
        message = (
            "; ".join(
                f"{'the ' + str(e['loc'][-1]) if e.get('loc') else 'it'} {plain_message(e)}" for e in error.errors()
            )
            if isinstance(error, ValidationError)
            else str(error)
        )
        return page(
            request,
            "screen.html",
            session,
            status_code=422,
            query=query,
            result=None,
            error=message,
            notice=None,
        )
    try:
        result = screen(engine_of(request), workspace_of(request), session.actor, body)
    except EarcheckError as error:
        return page(
            request,
            "screen.html",
            session,
            status_code=error.status,
            query=query,
            result=None,
            error=str(error),
            notice=None,
        )
    return page(
        request, "screen.html", session, query=query, result=result, error=None, notice=notice,
        all_hits=ALL_HITS, first_shown=FIRST_SHOWN,
    )  # fmt: skip


@router.get("/screen")
def screen_form(request: Request, session: Signed) -> Response:
    return _screen_page(request, session, None)


@router.post("/screen")
async def screen_name(request: Request, session: Signed) -> Response:
    form = await request.form()
    check_csrf(session, form)
    return _screen_page(request, session, form)


@router.post("/screen/decision")
async def decide(request: Request, session: Signed) -> Response:
    """Record a decision about one hit, then show the screening again with it applied."""
    form = await request.form()
    check_csrf(session, form)
    try:
        verdict = Verdict(text(form, "verdict"))
    except ValueError:
        return _screen_page(request, session, form, notice="Choose whether the hit is a false positive or a match.")
    try:
        as_of = date.fromisoformat(text(form, "as_of")) if text(form, "as_of") else None
    except ValueError:
        return _screen_page(request, session, form, notice="Not recorded: the screening date is not a date.")
    try:
        found = find_hit(
            workspace_of(request), text(form, "name"), text(form, "country") or None, as_of, text(form, "list_id")
        )
        decision = record_decision(
            engine_of(request),
            session.actor,
            party_name=text(form, "name"),
            list_id=text(form, "list_id"),
            entry_sha256=text(form, "entry_sha256"),
            entry_name=text(form, "entry_name"),
            verdict=verdict,
            reason=text(form, "reason"),
            found=found,
        )
    except EarcheckError as error:
        return _screen_page(request, session, form, notice=f"Not recorded: {error}")
    decisions_recorded(workspace_of(request))
    pending = decision.verdict is Verdict.FALSE_POSITIVE and decision.band == "match"
    notice = (
        f"Decision #{decision.id} recorded. It clears the hit only once an approver confirms it."
        if pending
        else f"Decision #{decision.id} recorded."
    )
    return _screen_page(request, session, form, notice=notice)


@router.post("/screen/confirm")
async def confirm(request: Request, session: Signed) -> Response:
    """Confirm another person's clearance of a hit (maker-checker), then show the screening again."""
    form = await request.form()
    check_csrf(session, form)
    try:
        decision_id = int(text(form, "decision_id"))
    except ValueError:
        return _screen_page(request, session, form, notice="Not confirmed: no such decision.")
    try:
        confirm_decision(engine_of(request), session.actor, decision_id)
    except EarcheckError as error:
        return _screen_page(request, session, form, notice=f"Not confirmed: {error}")
    decisions_recorded(workspace_of(request))
    return _screen_page(request, session, form, notice=f"Decision #{decision_id} confirmed: the hit is cleared.")
