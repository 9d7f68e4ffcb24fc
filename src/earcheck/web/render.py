"""Rendering pages: the Jinja2 templates, their filters, and the headers every page carries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, Response

import earcheck
from earcheck.errors import FieldError
from earcheck.records.keys import Role, Session

__all__ = ["SECURITY_HEADERS", "page", "render_error", "templates"]

HERE = Path(__file__).parent

# No inline script or style anywhere in the UI, so the policy can forbid both.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

templates = Jinja2Templates(directory=str(HERE / "templates"))


def _money(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return f"${Decimal(str(value)):,.2f}"


def _quantity(value: Any) -> str:
    if value is None:
        return "—"
    number = Decimal(str(value))
    return f"{number:,f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:,}"


def _answer(value: Any) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not determinable")


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and "T" in value:
        return value[:16].replace("T", " ") + " UTC"
    return str(value) if value is not None else "—"


def _label(value: Any) -> str:
    return str(value).replace("_", " ")


_TITLES = {"NotFound": "Not found", "Forbidden": "Not allowed", "Unauthorized": "Sign-in needed"}


def _words(kind: Any) -> str:
    """An error kind as a page title: "NotFound" -> "Not found", "ValidationError" -> "Validation error"."""
    text = str(kind)
    if text in _TITLES:
        return _TITLES[text]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("_", " ")
    return spaced[:1].upper() + spaced[1:].lower()


templates.env.filters.update(money=_money, quantity=_quantity, answer=_answer, when=_when, label=_label, words=_words)
templates.env.globals.update(version=earcheck.__version__)


def _waiting(request: Request) -> int:
    """How many screening hits wait in the review queue, for the navigation."""
    from earcheck.records.review_queue import count_waiting  # the records load only for signed-in pages

    engine = getattr(request.app.state, "engine", None)
    return 0 if engine is None else count_waiting(engine)


def page(request: Request, name: str, session: Session | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page for a signed-in user (or the sign-in page, with ``session=None``)."""

    def can(role: str) -> bool:
        return session is not None and session.actor.role.includes(Role(role))

    context.update(
        session=session,
        csrf=session.csrf_token if session else None,
        actor=session.actor if session else None,
        can=can,
        path=request.url.path,
        today=date.today(),
        waiting_reviews=_waiting(request) if session is not None else 0,
    )
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def render_error(request: Request, status: int, kind: str, message: str, fields: Sequence[FieldError] = ()) -> Response:
    """An error as a page, for requests to the UI (the API answers JSON)."""
    return page(request, "error.html", None, status_code=status, kind=kind, message=message, fields=fields)
