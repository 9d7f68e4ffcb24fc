"""The audit log: append-only and hash-chained, so that a changed, deleted or reordered row shows.

Every determination, screening, decision and record change appends one row *in the same transaction*
as the change it describes: a change is never committed without its row, nor a row without its
change. Each row carries a consecutive sequence number, the time, the actor, the action, the subject
and a JSON payload, plus the hash of the row before it and its own hash::

    hash = sha256(canonical JSON of {seq, at, actor, action, subject, payload, prev_hash})

where canonical JSON has sorted keys, no insignificant whitespace and UTF-8 text, and ``payload`` is
the exact canonical text stored in the row. The first row's ``prev_hash`` is 64 zeros.

``verify`` re-derives every hash: an edited row no longer matches its hash; a deleted row leaves a
gap in the numbers and breaks the next row's link; rows moved to other numbers fail both; rows cut
from the end no longer reach the head (``audit_head``), which is updated with every append. What a
chain cannot prove by itself is that the whole log, head included, was not rewritten from some row
on: keep the head that ``earcheck audit head`` prints (``SEQ:HASH``) somewhere else (a ticket, an
e-mail) and pass it back to ``earcheck audit verify --expect SEQ:HASH``.

``verify`` also checks the record tables against the state the log re-derives
(``earcheck.records.reconcile``): a licence line's balance set by hand, a limit raised, a shipment
deleted or an application's status edited are each reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa

from earcheck.errors import DataError
from earcheck.records.pages import Page
from earcheck.records.reconcile import reconcile
from earcheck.records.rows import read_page
from earcheck.records.schema import audit_head, audit_log

__all__ = [
    "GENESIS",
    "AuditEntry",
    "AuditProblem",
    "AuditReport",
    "Payload",
    "append",
    "canonical_json",
    "entries",
    "head",
    "parse_anchor",
    "row_hash",
    "verify",
]

GENESIS = "0" * 64
MAX_PROBLEMS = 100  # verify stops listing after this many; the count stays right


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    raise TypeError(f"not JSON-serialisable in an audit payload: {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain)


def row_hash(seq: int, at: str, actor: str, action: str, subject: str, payload: str, prev_hash: str) -> str:
    document = canonical_json(
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str  # ISO 8601, UTC
    actor: str
    action: str  # e.g. "application.submit", "shipment.record", "screening.run"
    subject: str  # e.g. "application:12", "licence:D123456"
    payload: str  # canonical JSON text, exactly as hashed
    prev_hash: str
    hash: str

    @property
    def data(self) -> Any:
        return json.loads(self.payload)


# Built once: a statement made per call costs more in SQLAlchemy's construction and cache-key work
# than in the database, and every screening and determination appends.
_ADVANCE_HEAD = (
    sa.update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=audit_head.c.seq + 1)
    .returning(audit_head.c.seq, audit_head.c.hash)
)
_INSERT_ROW = sa.insert(audit_log)
_SET_HEAD_HASH = sa.update(audit_head).where(audit_head.c.id == 1).values(hash=sa.bindparam("head_hash"))


@dataclass(frozen=True, slots=True)
class Payload:
    """A payload already in its canonical JSON text: a caller that serialises it before handing its
    write to the group commit (``earcheck.group_commit``) keeps that work off the one writer thread."""

    text: str

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> Payload:
        return cls(canonical_json(dict(payload)))


def append(
    connection: sa.Connection, actor: str, action: str, subject: str, payload: Mapping[str, Any] | Payload
) -> AuditEntry:
    """Append one row inside the caller's transaction (call it last, after the change it records).

    Advancing ``audit_head`` first takes its lock, so concurrent appenders queue behind one another
    and each sees the hash its predecessor committed.
    """
    head = connection.execute(_ADVANCE_HEAD).one_or_none()
    if head is None:
        raise DataError("the audit log has no head row: the database was not migrated (earcheck.db.migrate)")
    seq, prev_hash = int(head.seq), str(head.hash)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = payload.text if isinstance(payload, Payload) else canonical_json(dict(payload))
    digest = row_hash(seq, at, actor, action, subject, text, prev_hash)
    connection.execute(
        _INSERT_ROW,
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": text,
            "prev_hash": prev_hash,
            "hash": digest,
        },
    )
    connection.execute(_SET_HEAD_HASH, {"head_hash": digest})
    return AuditEntry(seq, at, actor, action, subject, text, prev_hash, digest)


def _entry(row: sa.Row[Any]) -> AuditEntry:
    return AuditEntry(
        seq=int(row.seq),
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(
    engine: sa.Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    newest_first: bool = True,
    subject: str | None = None,
    action: str | None = None,
) -> Page[AuditEntry]:
    """One page of the log, filtered by exact subject or action; ``after`` is the last seq seen."""
    query = sa.select(audit_log)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    with engine.connect() as connection:
        return read_page(
            connection,
            query,
            audit_log.c.seq,
            after,
            limit,
            lambda rows: [_entry(r) for r in rows],
            newest_first=newest_first,
        )


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int  # the row concerned (for a gap: the first missing number)
    message: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.message}"


@dataclass(frozen=True, slots=True)
class AuditReport:
    rows: int
    head_seq: int
    head_hash: str
    problems: tuple[AuditProblem, ...]
    problem_count: int

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _rows(connection: sa.Connection, batch: int) -> Iterator[sa.Row[Any]]:
    # Keyset batches rather than one cursor: PostgreSQL and SQLite both stream this in bounded memory.
    last = None
    while True:
        query = sa.select(audit_log).order_by(audit_log.c.seq).limit(batch)
        if last is not None:
            query = query.where(audit_log.c.seq > last)
        rows = connection.execute(query).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as ``audit head`` prints it, or a ``ValueError`` saying what is wrong."""
    seq, _, digest = text.strip().partition(":")
    if not (seq.isascii() and seq.isdecimal() and len(seq) <= 18 and int(seq) >= 1):
        raise ValueError(f"{text[:80]!r} is not SEQ:HASH (SEQ a row number from 1)")
    if not (len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
        raise ValueError(f"{text[:80]!r} is not SEQ:HASH (HASH 64 lowercase hex digits)")
    return int(seq), digest


def head(engine: sa.Engine) -> tuple[int, str]:
    """The head of the log (its last sequence number and hash): the anchor to keep outside earcheck."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(audit_head.c.seq, audit_head.c.hash)).one_or_none()
    if row is None:
        raise DataError("the audit log has no head row: the database was not migrated (earcheck.db.migrate)")
    return int(row.seq), str(row.hash)


def verify(
    engine: sa.Engine, batch: int = 2000, *, expect: tuple[int, str] | None = None, records: bool = True
) -> AuditReport:
    """Re-derive the whole chain and name every row that breaks it; with ``records``, also check the
    record tables against the state the log re-derives (``earcheck.records.reconcile``); with
    ``expect`` (an anchor kept elsewhere: a head printed earlier), check that the row it names is
    still in the log with that hash, which a log cut back or rewritten and re-hashed cannot fake."""
    problems: list[AuditProblem] = []
    count = 0

    def problem(seq: int, message: str) -> None:
        nonlocal count
        count += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(AuditProblem(seq, message))

    rows = 0
    anchored = False
    expected_seq, expected_prev = 1, GENESIS
    # One read transaction: a consistent snapshot even while the server keeps appending.
    with engine.connect() as connection, connection.begin():
        head = connection.execute(sa.select(audit_head.c.seq, audit_head.c.hash)).one_or_none()
        for row in _rows(connection, batch):
            rows += 1
            seq = int(row.seq)
            if seq > expected_seq:
                missing = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}-{seq - 1}"
                problem(expected_seq, f"missing: row(s) {missing} deleted")
            if row.prev_hash != expected_prev:
                problem(
                    seq,
                    "does not link to the row before it (prev_hash differs): a row before it was "
                    "deleted, altered in its hash, or the rows were reordered",
                )
            recomputed = row_hash(seq, row.at, row.actor, row.action, row.subject, row.payload, row.prev_hash)
            if recomputed != row.hash:
                problem(seq, "altered: its content no longer matches its hash")
            if expect is not None and seq == expect[0]:
                anchored = True
                if row.hash != expect[1]:
                    problem(seq, f"differs from the anchor kept outside: expected hash {expect[1]}, found {row.hash}: "
                                 "the log was rewritten from this row or before it")  # fmt: skip
            expected_seq, expected_prev = seq + 1, row.hash
        if head is None:
            problem(0, "the audit head row is missing")
            head_seq, head_hash = 0, GENESIS
        else:
            head_seq, head_hash = int(head.seq), str(head.hash)
            last_seq = expected_seq - 1
            if head_seq > last_seq:
                problem(last_seq + 1, f"missing: row(s) {last_seq + 1}-{head_seq} cut from the end of the log")
            elif head_seq < last_seq:
                problem(head_seq + 1, f"rows after {head_seq} were added without advancing the head")
            elif head_hash != expected_prev:
                problem(last_seq, "the last row's hash differs from the head's: the last row was replaced")
        if expect is not None and not anchored:
            problem(expect[0], f"the anchored row {expect[0]} is not in the log (it ends at {expected_seq - 1}): "
                               "the log was cut back")  # fmt: skip
        if records:
            for found in reconcile(connection, batch):
                problem(found.seq, f"record state: {found.message}")
    return AuditReport(rows, head_seq, head_hash, tuple(problems), count)
