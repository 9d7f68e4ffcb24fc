"""Every error the API answers with, in one shape and one table.

    {"error": {"type": "DrawdownRefused", "message": "licence D123 line 1 ...", "fields": [...]}}

``type`` is the name of the ``earcheck.errors`` class (or ``ValidationError``, ``HTTPError``,
``DatabaseUnavailable``, ``InternalError``); ``fields`` lists ``{"field", "message"}`` for errors
about particular fields of the request. The status comes from the error class (``status``); a
request that fails validation is 422; an unexpected failure is a 500 that says nothing about the
inside (and is logged).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from earcheck.errors import CaseError, EarcheckError, FieldError, RecordError, Unauthorized

__all__ = ["HANDLERS", "error_body", "validation_fields"]

log = logging.getLogger("earcheck.api")


def error_body(kind: str, message: str, fields: Sequence[FieldError] = ()) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "message": message}
    if fields:
        error["fields"] = [{"field": f.field, "message": f.message} for f in fields]
    return {"error": error}


def _as_page(
    request: Request, status: int, kind: str, message: str, fields: Sequence[FieldError] = ()
) -> Response | None:
    """The same error as a web page, when the request was for the UI rather than the API."""
    render = getattr(request.app.state, "render_error", None)
    path = request.url.path
    if render is None or path.startswith(("/api/", "/static/")) or path == "/openapi.json":
        return None
    page: Response = render(request, status, kind, message, fields)
    return page


def _earcheck(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EarcheckError)
    fields: Sequence[FieldError] = ()
    message = str(exc)
    if isinstance(exc, CaseError | RecordError):
        fields = exc.errors
        message = message.split("\n", 1)[0].rstrip(":")
    if page := _as_page(request, exc.status, type(exc).__name__, message, fields):
        return page
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(error_body(type(exc).__name__, message, fields), status_code=exc.status, headers=headers)


def _where(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    where = loc[0] if loc else ""
    return out if where == "body" else (f"{where}: {out}" if out else str(where))


def validation_fields(errors: Sequence[Any]) -> list[FieldError]:
    return [FieldError(_where(e.get("loc", ())), str(e.get("msg", "invalid"))) for e in errors]


def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = validation_fields(exc.errors())
    if page := _as_page(request, 422, "ValidationError", "the request is invalid", fields):
        return page
    return JSONResponse(
        error_body("ValidationError", f"the request is invalid ({len(fields)} problem(s))", fields),
        status_code=422,
    )


_HTTP_TYPES = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge"}


def _allowed(request: Request) -> str | None:
    """Every method the API documents at this path. Starlette's 405 names only the methods of the one
    route it matched, and GET and POST on one path are two routes here. (Pages keep Starlette's
    answer: they are not in the OpenAPI document.)"""
    paths: dict[str, Any] = request.app.openapi().get("paths", {})
    methods = {
        method.upper()
        for template, operations in paths.items()
        if re.fullmatch("[^/]+".join(re.escape(part) for part in re.split(r"\{[^}/]+\}", template)), request.url.path)
        for method in operations
    }
    return ", ".join(sorted(methods)) or None


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405 and (allowed := _allowed(request)):
        exc.headers = {**(exc.headers or {}), "Allow": allowed}
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    kind = _HTTP_TYPES.get(exc.status_code, "HTTPError")
    if page := _as_page(request, exc.status_code, kind, message):
        page.headers.update(getattr(exc, "headers", None) or {})  # a 405 page says what is Allowed, too
        return page
    return JSONResponse(error_body(kind, message), status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _database(request: Request, exc: Exception) -> Response:
    # A locked SQLite file past its busy timeout, or a PostgreSQL server gone away: not the caller's
    # fault, and retrying later may work.
    log.warning("database unavailable: %s", exc)
    return JSONResponse(
        error_body("DatabaseUnavailable", "the database is busy or unreachable; try again shortly"),
        status_code=503,
        headers={"Retry-After": "5"},
    )


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body("InternalError", "earcheck failed unexpectedly; the error has been logged"),
        status_code=500,
    )


HANDLERS: dict[type[Exception], Callable[[Request, Exception], Response]] = {
    EarcheckError: _earcheck,
    RequestValidationError: _validation,
    HTTPException: _http,
    sa.exc.OperationalError: _database,
    Exception: _unexpected,
}
