"""API keys on requests: ``Authorization: Bearer ek_...`` (or ``X-API-Key: ek_...``), and the role
each route needs. A request without a valid key gets 401; a key whose role is too low, 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from earcheck.errors import Unauthorized
from earcheck.records.keys import Actor, Role, authenticate, require

__all__ = ["engine_of", "needs", "one_person_of"]

_bearer = HTTPBearer(auto_error=False, description="an earcheck API key: `earcheck keys create --role ...`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the same key, for clients without Bearer")


def engine_of(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.engine
    return engine


def one_person_of(request: Request) -> bool:
    """Whether the one-person setting lets a key decide an application it prepared (records.duties)."""
    return bool(request.app.state.settings.one_person_decisions)


def needs(role: Role) -> Callable[..., Actor]:
    """A dependency that authenticates the request's key and requires ``role``."""

    def actor(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> Actor:
        secret = bearer.credentials if bearer is not None else header
        if not secret:
            raise Unauthorized("this request needs an API key: Authorization: Bearer <key>")
        found = authenticate(engine_of(request), secret)
        require(found, role, f"{request.method} {request.url.path}")
        return found

    return actor
