"""Writes applied at most once: a client's ``Idempotency-Key`` stored with the record it made.

A client whose response was lost (a timeout, a dropped connection, a server killed after its commit)
cannot know whether its shipment was recorded; retrying without a key would draw the licence down
twice. With a key, the first request writes the record *and* the key in one transaction; a retry
with the same key and the same request finds the key and gets the record it made, with nothing
written again; the same key with a different request is refused (``IdempotencyKeyReused``, 422),
as it is most likely a client reusing keys by mistake.

The key is claimed first in the write's transaction, before any balance is touched, so that two
copies of one request racing each other queue on the key (its primary key): the second fails on
the insert, its transaction rolls back whole, and it answers with the first's record. A request
that fails (a 409, a 422) stores nothing, so a corrected retry may use the same key.

Keys are scoped to the actor (its audit label, which names the API key), never shared between
users, and are kept: they are a few dozen bytes beside a record that is kept anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from earcheck.errors import FieldError, IdempotencyKeyReused, RecordError
from earcheck.records.audit import canonical_json
from earcheck.records.keys import Actor
from earcheck.records.schema import idempotency_keys

__all__ = ["MAX_KEY", "IdempotencyKey", "claim_key", "once", "settle_key"]

MAX_KEY = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    scope: str
    key: str
    request_sha256: str

    @classmethod
    def of(cls, actor: Actor, key: str, operation: str, request: Any) -> IdempotencyKey:
        """The key ``key`` sent by ``actor`` for ``operation`` (e.g. ``"POST /licences/3/shipments"``)
        with ``request`` (its JSON-able body): printable ASCII, 1 to ``MAX_KEY`` characters."""
        if not (1 <= len(key) <= MAX_KEY and key.isascii() and key.isprintable()):
            raise RecordError(
                "invalid Idempotency-Key",
                [FieldError("Idempotency-Key", f"1 to {MAX_KEY} printable ASCII characters (a UUID will do)")],
            )
        digest = hashlib.sha256(canonical_json({"operation": operation, "request": request}).encode()).hexdigest()
        return cls(actor.label[:200], key, digest)


def _prior(connection: sa.Connection, key: IdempotencyKey) -> str | None:
    """The resource a stored key made (``"shipment:17"``), or ``None``; refuses a different request."""
    row = connection.execute(
        sa.select(idempotency_keys.c.request_sha256, idempotency_keys.c.resource).where(
            idempotency_keys.c.scope == key.scope, idempotency_keys.c.key == key.key
        )
    ).one_or_none()
    if row is None:
        return None
    if row.request_sha256 != key.request_sha256:
        raise IdempotencyKeyReused(
            f"the Idempotency-Key {key.key!r} was used before with a different request; use a new key for a new request"
        )
    return str(row.resource)


def claim_key(connection: sa.Connection, key: IdempotencyKey | None) -> None:
    """Claim ``key`` first thing in the write's transaction (a no-op without one)."""
    if key is None:
        return
    connection.execute(
        sa.insert(idempotency_keys).values(
            scope=key.scope, key=key.key, request_sha256=key.request_sha256, resource="", created_at=datetime.now(UTC)
        )
    )


def settle_key(connection: sa.Connection, key: IdempotencyKey | None, resource: str) -> None:
    """Name the record the claimed ``key`` made, in the same transaction."""
    if key is None:
        return
    connection.execute(
        sa.update(idempotency_keys)
        .where(idempotency_keys.c.scope == key.scope, idempotency_keys.c.key == key.key)
        .values(resource=resource)
    )


def once(
    engine: sa.Engine, key: IdempotencyKey | None, write: Callable[[], T], replay: Callable[[str], T]
) -> tuple[T, bool]:
    """``(write(), False)`` the first time, ``(replay(resource), True)`` for a key already used with
    the same request; ``write`` must call ``claim_key`` and ``settle_key`` with ``key`` in its transaction."""
    if key is None:
        return write(), False
    with engine.connect() as connection:
        resource = _prior(connection, key)
    if resource:
        return replay(resource), True
    try:
        return write(), False
    except sa.exc.IntegrityError:
        # The same key committed by a request racing this one: this one rolled back whole.
        with engine.connect() as connection:
            resource = _prior(connection, key)
        if not resource:
            raise
        return replay(resource), True
