"""Screening runs and the decisions people make about their hits.

Every screening is written to the audit log with what was asked and what was found. When a person
reviews a hit and decides it is a false positive (or a true match), the decision is remembered with
who, when and why, keyed by

- the party's name, normalised (``party_key``: Unicode NFKC, case-folded, punctuation and runs of
  spaces collapsed to one space), so "ACME Co., Ltd." and "acme co ltd" share decisions;
- the list entry's identifier in its source file (``list_id``);
- a SHA-256 of the entry's content (``entry_fingerprint``): names, aliases, addresses, programmes,
  dates, licence requirement and policy.

A decision applies only to the entry as it was reviewed. When the list publishes a changed entry
(a new alias, a new address, a footnote added to its licence requirement), the fingerprint differs,
the old decision no longer applies, and the hit is raised again, with the old decision shown for
context. The normalisation here is deliberately simple and fixed, independent of the screener's
versioned matching: it keys stored records and must not move when the matcher improves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.db import write_transaction
from earcheck.errors import FieldError, RecordError
from earcheck.lists import Band, Hit, ListEntry, PartyScreener
from earcheck.records import audit
from earcheck.records.audit import canonical_json
from earcheck.records.keys import Actor, Role, require
from earcheck.records.pages import Page
from earcheck.records.parties import text_problem
from earcheck.records.rows import insert_row, read_page
from earcheck.records.schema import screening_decisions
from earcheck.store.basis import ListBasis

__all__ = [
    "Decision",
    "Review",
    "Verdict",
    "entry_fingerprint",
    "list_decisions",
    "party_key",
    "record_decision",
    "record_screening",
    "review",
]

MAX_REASON = 10_000


class Verdict(StrEnum):
    FALSE_POSITIVE = "false_positive"  # the party is not the listed entry
    TRUE_MATCH = "true_match"  # the party is the listed entry


_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def party_key(name: str) -> str:
    """The stored key of a party name: NFKC, case-folded, punctuation and spaces collapsed."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _PUNCTUATION.sub(" ", text).strip()


def entry_fingerprint(entry: ListEntry) -> str:
    """SHA-256 of what an entry says (not where or when it was read)."""
    content = {
        "list_id": entry.list_id,
        "list_code": entry.list_code,
        "name": entry.name,
        "aliases": sorted(entry.aliases),
        "entity_type": entry.entity_type,
        "entity_number": entry.entity_number,
        "programs": sorted(entry.programs),
        "addresses": sorted(entry.addresses),
        "countries": sorted(entry.countries),
        "federal_register": sorted(entry.federal_register),
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "license_requirement": entry.license_requirement,
        "license_policy": entry.license_policy,
        "remarks": entry.remarks,
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    party_name: str
    party_key: str
    list_id: str
    entry_sha256: str
    entry_name: str
    verdict: Verdict
    reason: str
    actor: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class Review:
    """What has been decided about one hit."""

    current: Decision | None  # the latest decision about the entry as it is now
    outdated: Decision | None  # the latest decision about an earlier version of the entry

    @property
    def reraised(self) -> bool:
        """The entry changed since it was last reviewed: a person must look again."""
        return self.current is None and self.outdated is not None


def _decision(row: Any) -> Decision:
    return Decision(
        id=int(row.id),
        party_name=row.party_name,
        party_key=row.party_key,
        list_id=row.list_id,
        entry_sha256=row.entry_sha256,
        entry_name=row.entry_name,
        verdict=Verdict(row.verdict),
        reason=row.reason,
        actor=row.actor,
        decided_at=row.decided_at,
    )


def record_decision(
    engine: sa.Engine,
    actor: Actor,
    *,
    party_name: str,
    list_id: str,
    entry_sha256: str,
    entry_name: str,
    verdict: Verdict,
    reason: str,
) -> Decision:
    """Remember a reviewer's decision about one hit (the entry as identified by its fingerprint)."""
    require(actor, Role.ANALYST, "recording a screening decision")
    problems: list[FieldError] = []
    key = ""
    if problem := text_problem(party_name, "party_name", 500, required=True):
        problems.append(problem)
    elif not (key := party_key(party_name)):
        problems.append(FieldError("party_name", "has no letters or digits"))
    if problem := text_problem(list_id, "list_id", 200, required=True):
        problems.append(problem)
    if not isinstance(entry_sha256, str) or not re.fullmatch(r"[0-9a-f]{64}", entry_sha256):
        problems.append(FieldError("entry_sha256", "must be the 64 hex digits given with the hit"))
    if problem := text_problem(entry_name, "entry_name", 500, required=False):
        problems.append(problem)
    if isinstance(reason, str) and not reason.strip():
        problems.append(FieldError("reason", "say why: the record must explain the decision"))
    elif problem := text_problem(reason, "reason", MAX_REASON, required=True):
        problems.append(problem)
    if problems:
        raise RecordError("invalid screening decision", problems)
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        decision_id = insert_row(
            connection,
            screening_decisions,
            party_key=key,
            party_name=party_name.strip(),
            list_id=list_id,
            entry_sha256=entry_sha256,
            entry_name=entry_name,
            verdict=verdict.value,
            reason=reason.strip(),
            actor=actor.label,
            decided_at=now,
        )
        audit.append(
            connection,
            actor.label,
            "screening.decision",
            f"party:{key}",
            {
                "id": decision_id,
                "party_name": party_name.strip(),
                "list_id": list_id,
                "entry_sha256": entry_sha256,
                "entry_name": entry_name,
                "verdict": verdict,
                "reason": reason.strip(),
            },
        )
        row = connection.execute(sa.select(screening_decisions).where(screening_decisions.c.id == decision_id)).one()
    return _decision(row)


def review(engine: sa.Engine, party_name: str, hits: Iterable[tuple[str, str]]) -> dict[str, Review]:
    """For each ``(list_id, entry_sha256)`` found for ``party_name``, what has been decided."""
    wanted = dict(hits)
    if not wanted:
        return {}
    key = party_key(party_name)
    query = (
        sa.select(screening_decisions)
        .where(screening_decisions.c.party_key == key, screening_decisions.c.list_id.in_(list(wanted)))
        .order_by(screening_decisions.c.id.desc())
    )
    with engine.connect() as connection:
        rows = [_decision(r) for r in connection.execute(query)]
    result = {}
    for list_id, fingerprint in wanted.items():
        mine = [d for d in rows if d.list_id == list_id]
        current = next((d for d in mine if d.entry_sha256 == fingerprint), None)
        outdated = next((d for d in mine if d.entry_sha256 != fingerprint), None)
        # An older-version decision matters only if nobody has looked at the current version since.
        if current is not None and outdated is not None and outdated.id < current.id:
            outdated = None
        result[list_id] = Review(current, outdated)
    return result


def list_decisions(
    engine: sa.Engine, after: int | None = None, limit: int = 50, party_name: str | None = None
) -> Page[Decision]:
    """Decisions, newest first, optionally those about one party name (normalised)."""
    query = sa.select(screening_decisions)
    if party_name is not None:
        query = query.where(screening_decisions.c.party_key == party_key(party_name))
    with engine.connect() as connection:
        return read_page(
            connection, query, screening_decisions.c.id, after, limit, lambda rows: [_decision(r) for r in rows]
        )


def record_screening(
    engine: sa.Engine,
    actor: Actor,
    name: str,
    country: str | None,
    as_of: date,
    hits: Sequence[Hit],
    basis: ListBasis | None = None,
) -> audit.AuditEntry:
    """Write one screening, what it found and the list snapshots it used to the audit log."""
    require(actor, Role.ANALYST, "screening a party")
    if problem := text_problem(name, "name", 10_000, required=False):
        raise RecordError("cannot record the screening", [problem])
    with write_transaction(engine) as connection:
        return audit.append(
            connection,
            actor.label,
            "screening.run",
            f"party:{party_key(name)}"[:200],
            {
                "name": name,
                "country": country,
                "as_of": as_of,
                "hits": [
                    {
                        "list_id": h.entry.list_id,
                        "list": h.entry.list_code,
                        "name": h.entry.name,
                        "matched_name": h.matched_name,
                        "score": round(h.score, 4),
                        "band": h.band,
                        "in_force": h.status.in_force,
                        "entry_sha256": entry_fingerprint(h.entry),
                    }
                    for h in hits
                ],
                "lists": None if basis is None else basis.version,
            },
        )


class DecidingScreener:
    """A ``PartyScreener`` that applies the decisions people recorded about earlier hits.

    A hit a person cleared as a false positive comes back in band ``CLEARED`` (the engine reads it as
    "not this entry"); a confirmed match comes back in band ``MATCH`` whatever its score. A decision
    about an earlier version of the entry does not apply: the hit is raised again as the screener
    found it.

    The decisions are read into memory and re-read when another process may have added some: at most
    ``REFRESH_SECONDS`` after (at once after ``refresh()``). ``generation`` changes whenever they do,
    so callers that cache screening results can key their caches by it.
    """

    REFRESH_SECONDS = 1.0

    def __init__(self, screener: PartyScreener, engine: sa.Engine) -> None:
        self._screener = screener
        self._engine = engine
        self._checked = -1e9
        self._latest = -1
        self._by_party: dict[tuple[str, str], list[Decision]] = {}

    def refresh(self) -> None:
        self._checked = -1e9

    def forget(self) -> None:
        forget = getattr(self._screener, "forget", None)
        if callable(forget):
            forget()

    def generation(self) -> int:
        """The newest decision's id (re-read when stale): changes whenever decisions change."""
        now = time.monotonic()
        if now - self._checked >= self.REFRESH_SECONDS:
            self._checked = now
            with self._engine.connect() as connection:
                latest = connection.execute(sa.select(sa.func.max(screening_decisions.c.id))).scalar()
            latest = int(latest or 0)
            if latest != self._latest:
                with self._engine.connect() as connection:
                    rows = [
                        _decision(r)
                        for r in connection.execute(
                            sa.select(screening_decisions).order_by(screening_decisions.c.id.desc())
                        )
                    ]
                by_party: dict[tuple[str, str], list[Decision]] = {}
                for decision in rows:
                    by_party.setdefault((decision.party_key, decision.list_id), []).append(decision)
                self._by_party, self._latest = by_party, latest
        return self._latest

    def screen(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
        self.generation()
        hits = self._screener.screen(name, country, as_of)
        if not hits or not self._by_party:
            return hits
        key = party_key(name)
        decided = []
        for hit in hits:
            mine = self._by_party.get((key, hit.entry.list_id), [])
            fingerprint = entry_fingerprint(hit.entry) if mine else ""
            current = next((d for d in mine if d.entry_sha256 == fingerprint), None)
            if current is None:
                decided.append(hit)
                continue
            band = Band.CLEARED if current.verdict is Verdict.FALSE_POSITIVE else Band.MATCH
            explanation = {**hit.explanation, f"decision {current.id}": 1.0}
            decided.append(dataclasses.replace(hit, band=band, explanation=explanation))
        return decided
