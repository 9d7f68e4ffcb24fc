"""Signing in and out, the dashboard, and the audit log page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from earcheck.api.auth import engine_of
from earcheck.errors import Unauthorized
from earcheck.records import audit
from earcheck.records.applications import Status, list_applications
from earcheck.records.keys import Session, close_session, open_session
from earcheck.records.licences import list_licences
from earcheck.web.render import page
from earcheck.web.session import (
    check_csrf,
    check_login_csrf,
    clear_session_cookie,
    new_login_token,
    set_login_cookie,
    set_session_cookie,
    signed_in,
)

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, target: str, error: str | None = None, status_code: int = 200) -> Response:
    token = new_login_token()
    response = page(request, "login.html", None, status_code=status_code, next=target, error=error, login_csrf=token)
    set_login_cookie(request, response, token)
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    check_login_csrf(request, form)
    key, wanted = form.get("key"), form.get("next")
    target = _safe_next(wanted if isinstance(wanted, str) else None)
    try:
        session = open_session(engine_of(request), key.strip() if isinstance(key, str) else "")
    except Unauthorized:
        return _login_page(request, target, "That key is unknown or has been revoked.", status_code=401)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session)
    return response


@router.post("/logout")
async def logout(request: Request, session: Signed) -> Response:
    check_csrf(session, await request.form())
    close_session(engine_of(request), session.token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/")
def dashboard(request: Request, session: Signed) -> Response:
    engine = engine_of(request)
    waiting = list_applications(engine, limit=10, status=Status.SUBMITTED).items
    drafts = list_applications(engine, limit=10, status=Status.DRAFT).items
    licences = list_licences(engine, limit=10).items
    recent = audit.entries(engine, limit=8).items
    return page(request, "dashboard.html", session, waiting=waiting, drafts=drafts, licences=licences, recent=recent)


@router.get("/audit")
def audit_log(
    request: Request,
    session: Signed,
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    verify: Annotated[bool, Query()] = False,
) -> Response:
    engine = engine_of(request)
    subject = subject.replace("\x00", "") or None if subject else None
    action = action.replace("\x00", "") or None if action else None
    entries = audit.entries(engine, after=after, limit=50, subject=subject, action=action)
    report = audit.verify(engine) if verify else None
    return page(request, "audit.html", session, entries=entries, subject=subject, action=action, report=report)
