"""Signing in to the web UI, and the CSRF token every form carries.

Signing in exchanges an API key for a session: a random token in an HttpOnly, SameSite=Strict
cookie (Secure over HTTPS), stored hashed (``earcheck.records.keys``). Every form carries the
session's CSRF token in a hidden field and every POST is refused unless it matches; the sign-in form,
which has no session yet, uses a short-lived token kept in its own cookie (double submit).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import Response

from earcheck.api.auth import engine_of
from earcheck.errors import Forbidden, Unauthorized
from earcheck.records.keys import SESSION_LIFETIME, Session, resume_session

__all__ = [
    "LOGIN_COOKIE",
    "SESSION_COOKIE",
    "SignInRequired",
    "check_csrf",
    "check_login_csrf",
    "clear_session_cookie",
    "new_login_token",
    "set_login_cookie",
    "set_session_cookie",
    "signed_in",
]

SESSION_COOKIE = "earcheck_session"
LOGIN_COOKIE = "earcheck_signin"


class SignInRequired(Exception):
    """Raised by a page that needs a session; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def signed_in(request: Request) -> Session:
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        return resume_session(engine_of(request), token)
    except Unauthorized:
        raise SignInRequired(request.url.path) from None


def set_session_cookie(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def set_login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def check_login_csrf(request: Request, form: FormData) -> None:
    sent = form.get("csrf")
    if not isinstance(sent, str) or not _same(sent, request.cookies.get(LOGIN_COOKIE, "")):
        raise Forbidden("the sign-in form has expired; reload the page and sign in again")


def check_csrf(session: Session, form: FormData) -> None:
    sent = form.get("csrf")
    if not isinstance(sent, str) or not _same(sent, session.csrf_token):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")
