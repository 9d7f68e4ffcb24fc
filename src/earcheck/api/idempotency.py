"""The ``Idempotency-Key`` request header of the writes a client may need to retry (shipments,
applications); what it guarantees is in ``earcheck.records.idempotency``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel

from earcheck.records.idempotency import MAX_KEY, IdempotencyKey
from earcheck.records.keys import Actor

__all__ = ["REPLAYED", "IdempotencyHeader", "key_of", "mark_replayed", "resource_id"]

REPLAYED = "Idempotent-Replayed"

IdempotencyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY,
        description="any unique text (a UUID): a retry with the same key and body is applied once and gets "
        "the first answer; the same key with another body is a 422",
    ),
]


def key_of(request: Request, actor: Actor, header: str | None, body: BaseModel) -> IdempotencyKey | None:
    if header is None:
        return None
    operation = f"{request.method} {request.url.path}"
    return IdempotencyKey.of(actor, header, operation, body.model_dump(mode="json"))


def resource_id(resource: str, kind: str) -> int:
    """The id in ``"shipment:17"``, which ``earcheck.records`` wrote for a ``kind`` record."""
    found, _, number = resource.partition(":")
    assert found == kind, f"an idempotency key of a {kind} names {resource!r}"
    return int(number)


def mark_replayed(response: Response, replayed: bool) -> None:
    if replayed:
        response.headers[REPLAYED] = "true"
