"""API keys, the roles they carry, and the web sessions opened with them.

A key is 32 random bytes (``ek_`` + URL-safe base64), shown once when it is created. Only its SHA-256
is stored: with that much entropy a plain hash cannot be reversed, and looking a key up by its hash
needs no per-key salt. Roles are ordered, each including the ones below it:

=========  ====================================================================================
viewer     read everything: records, determinations, the audit log
analyst    screen parties, run determinations, record screening decisions, draft and submit
           applications, record shipments
approver   decide applications (approve, return without action, deny) and record licences
admin      create and revoke keys
=========  ====================================================================================

A web session is a second random token, kept in an HttpOnly cookie and stored hashed like a key,
with its own CSRF token. Revoking a key ends its sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.db import write_transaction
from earcheck.errors import Forbidden, NotFound, RecordError, Unauthorized
from earcheck.records import audit
from earcheck.records.pages import Page
from earcheck.records.parties import text_problem
from earcheck.records.rows import insert_row, read_page
from earcheck.records.schema import api_keys, web_sessions

__all__ = [
    "SESSION_LIFETIME",
    "Actor",
    "ApiKey",
    "Role",
    "Session",
    "authenticate",
    "close_session",
    "create_key",
    "list_keys",
    "open_session",
    "require",
    "resume_session",
    "revoke_key",
]

SESSION_LIFETIME = timedelta(hours=8)
_KEY_PREFIX = "ek_"


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def includes(self, other: Role) -> bool:
        """Whether this role may do what ``other`` may."""
        return self.rank >= other.rank


_RANKS = {Role.VIEWER: 0, Role.ANALYST: 1, Role.APPROVER: 2, Role.ADMIN: 3}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: the audit log records ``label``."""

    name: str
    role: Role
    key_id: int | None = None  # None for the local command line

    @property
    def label(self) -> str:
        return f"{self.name} (key {self.key_id})" if self.key_id is not None else self.name


def require(actor: Actor, role: Role, doing: str) -> None:
    """Refuse unless ``actor``'s role includes ``role``."""
    if not actor.role.includes(role):
        raise Forbidden(f"{doing} needs the {role} role; {actor.label} has {actor.role}")


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    role: Role
    prefix: str  # the first characters of the key, to recognise it; never enough to use it
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(row: sa.Row[Any]) -> ApiKey:
    return ApiKey(
        id=int(row.id),
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
    )


def create_key(engine: sa.Engine, actor: Actor, role: Role, name: str) -> tuple[ApiKey, str]:
    """Create a key; returns it and its secret, which is never shown again."""
    require(actor, Role.ADMIN, "creating an API key")
    if problem := text_problem(name, "name", 500, required=True):
        raise RecordError("cannot create the key", [problem])
    name = name.strip()
    secret = _KEY_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        key_id = insert_row(
            connection,
            api_keys,
            name=name,
            role=role.value,
            key_sha256=_sha256(secret),
            prefix=secret[:10],
            created_at=now,
            created_by=actor.label,
        )
        audit.append(
            connection,
            actor.label,
            "key.create",
            f"key:{key_id}",
            {"id": key_id, "name": name, "role": role, "prefix": secret[:10]},
        )
    return ApiKey(key_id, name, role, secret[:10], now, actor.label), secret


# Built once (every request authenticates): the key is read afresh each time, so a revoked key is
# refused at once, by every server on the database.
_KEY_BY_HASH = sa.select(api_keys.c.id, api_keys.c.name, api_keys.c.role, api_keys.c.revoked_at).where(
    api_keys.c.key_sha256 == sa.bindparam("key_sha256")
)


def authenticate(engine: sa.Engine, secret: str) -> Actor:
    """The actor a key stands for. Unknown and revoked keys are refused alike."""
    if not secret.startswith(_KEY_PREFIX) or len(secret) > 200:
        raise Unauthorized("not an earcheck API key")
    with engine.connect() as connection:
        row = connection.execute(_KEY_BY_HASH, {"key_sha256": _sha256(secret)}).one_or_none()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("unknown or revoked API key")
    return Actor(row.name, Role(row.role), int(row.id))


def list_keys(engine: sa.Engine, actor: Actor, after: int | None = None, limit: int = 50) -> Page[ApiKey]:
    require(actor, Role.ADMIN, "listing API keys")
    with engine.connect() as connection:
        return read_page(
            connection, sa.select(api_keys), api_keys.c.id, after, limit, lambda rows: [_key(r) for r in rows]
        )


def revoke_key(engine: sa.Engine, actor: Actor, key_id: int) -> ApiKey:
    require(actor, Role.ADMIN, "revoking an API key")
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        row = connection.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).one_or_none()
        if row is None:
            raise NotFound(f"no API key {key_id}")
        if row.revoked_at is None:
            connection.execute(sa.update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=now))
            connection.execute(sa.delete(web_sessions).where(web_sessions.c.key_id == key_id))
            audit.append(connection, actor.label, "key.revoke", f"key:{key_id}", {"id": key_id})
        row = connection.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).one()
    return _key(row)


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # the cookie's value; only its hash is stored
    csrf_token: str
    actor: Actor
    expires_at: datetime


def open_session(engine: sa.Engine, secret: str, lifetime: timedelta = SESSION_LIFETIME) -> Session:
    """Sign in to the web UI with an API key."""
    actor = authenticate(engine, secret)
    assert actor.key_id is not None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        # Sessions that ran out are swept here rather than by a background job.
        connection.execute(sa.delete(web_sessions).where(web_sessions.c.expires_at < now))
        connection.execute(
            sa.insert(web_sessions).values(
                token_sha256=_sha256(token),
                key_id=actor.key_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        audit.append(connection, actor.label, "session.open", f"key:{actor.key_id}", {"role": actor.role})
    return Session(token, csrf, actor, now + lifetime)


def resume_session(engine: sa.Engine, token: str) -> Session:
    """The session a cookie names, if it is still open and its key not revoked."""
    if not token or len(token) > 200:
        raise Unauthorized("no session")
    query = (
        sa.select(web_sessions, api_keys.c.name, api_keys.c.role, api_keys.c.revoked_at)
        .join(api_keys, api_keys.c.id == web_sessions.c.key_id)
        .where(web_sessions.c.token_sha256 == _sha256(token))
    )
    with engine.connect() as connection:
        row = connection.execute(query).one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= datetime.now(UTC):
        raise Unauthorized("the session has ended; sign in again")
    return Session(token, row.csrf_token, Actor(row.name, Role(row.role), int(row.key_id)), row.expires_at)


def close_session(engine: sa.Engine, token: str) -> None:
    with write_transaction(engine) as connection:
        connection.execute(sa.delete(web_sessions).where(web_sessions.c.token_sha256 == _sha256(token)))
