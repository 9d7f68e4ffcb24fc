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

Clearing a hit is a maker-checker act when the hit is strong. A false-positive decision about a hit in
the review band applies at once; about a hit at or above the match threshold it applies only once a
second person -- another key, of role approver or above -- has confirmed it. This is checked when the
decision is *applied*, not only when it is recorded: a decision made while a hit scored in the review
band does not silently clear the same entry when it later scores as a match (another country given,
say). Every clearing decision needs a reason of at least ``MIN_REASON`` characters.
"""

from __future__ import annotations

import dataclasses
import functools
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

from earcheck import group_commit
from earcheck.basis import ListBasis
from earcheck.db import write_transaction
from earcheck.errors import Conflict, FieldError, Forbidden, NotFound, RecordError
from earcheck.lists import Band, Hit, HitDecision, ListEntry, PartyScreener
from earcheck.records import audit
from earcheck.records.audit import canonical_json
from earcheck.records.keys import Actor, Role, require
from earcheck.records.pages import Page
from earcheck.records.parties import text_problem
from earcheck.records.rows import insert_row, read_page
from earcheck.records.schema import screening_decisions

__all__ = [
    "MIN_REASON",
    "Decision",
    "Review",
    "Verdict",
    "confirm_decision",
    "entry_fingerprint",
    "list_decisions",
    "party_key",
    "record_decision",
    "record_screening",
    "review",
    "screen_all",
    "screening_algorithm",
]

MAX_REASON = 10_000
MIN_REASON = 20  # a clearance must say why, in more than a word ("x" is no reason)


class Verdict(StrEnum):
    FALSE_POSITIVE = "false_positive"  # the party is not the listed entry
    TRUE_MATCH = "true_match"  # the party is the listed entry


_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def party_key(name: str) -> str:
    """The stored key of a party name: NFKC, case-folded, punctuation and spaces collapsed."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _PUNCTUATION.sub(" ", text).strip()


# Each screening fingerprints every hit (47 for a common name), and the same entries come back request
# after request. A ListEntry is frozen and compares by every field the fingerprint reads (and by where
# it was read, which only makes the key finer), so a value cached under the entry itself cannot go
# stale: an entry changed by a new import is a different key. Bounded so that entries of replaced
# snapshots age out.
def entry_fingerprint(entry: ListEntry) -> str:
    """SHA-256 of what an entry says (not where or when it was read)."""
    try:
        return _cached_fingerprint(entry)
    except TypeError:  # an entry built with a list where a tuple belongs cannot be a key: compute it
        return _fingerprint(entry)


@functools.lru_cache(maxsize=16_384)
def _cached_fingerprint(entry: ListEntry) -> str:
    return _fingerprint(entry)


def _fingerprint(entry: ListEntry) -> str:
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
    actor_key: int | None = None
    score: float | None = None  # the hit's score when the decision was made
    band: str | None = None  # the hit's band then (match or review)
    confirmed_by: str | None = None
    confirmed_key: int | None = None
    confirmed_at: datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None

    def applies_to(self, band: Band) -> bool:
        """Whether this decision governs a hit the screener placed in ``band``: a match is cleared only
        with a second person's confirmation."""
        if self.verdict is Verdict.TRUE_MATCH:
            return True
        return self.confirmed or band is not Band.MATCH

    def as_hit_decision(self, band: Band) -> HitDecision:
        return HitDecision(
            screened_band=band,
            id=self.id,
            verdict=self.verdict.value,
            decided_by=self.actor,
            decided_at=self.decided_at,
            reason=self.reason,
            confirmed_by=self.confirmed_by,
            confirmed_at=self.confirmed_at,
            effective=self.applies_to(band),
        )


@dataclass(frozen=True, slots=True)
class Review:
    """What has been decided about one hit."""

    current: Decision | None  # the latest decision about the entry as it is now
    outdated: Decision | None  # the latest decision about an earlier version of the entry
    history: tuple[Decision, ...] = ()  # every decision about the entry as it is now, newest first

    def by_id(self, decision_id: int) -> Decision | None:
        return next((d for d in self.history if d.id == decision_id), None)

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
        actor_key=row.actor_key,
        score=row.score,
        band=row.band,
        confirmed_by=row.confirmed_by,
        confirmed_key=row.confirmed_key,
        confirmed_at=row.confirmed_at,
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
    found: Hit | None = None,
) -> Decision:
    """Remember a reviewer's decision about one hit (the entry as identified by its fingerprint).

    ``found`` is the hit as the screener finds it now (its score and band are kept with the decision:
    a false positive on a hit at the match level waits for ``confirm_decision``)."""
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
    elif verdict is Verdict.FALSE_POSITIVE and len(reason.strip()) < MIN_REASON:
        problems.append(
            FieldError("reason", f"say why the party is not this entry, in at least {MIN_REASON} characters")
        )
    if found is not None and (found.entry.list_id != list_id or entry_fingerprint(found.entry) != entry_sha256):
        problems.append(FieldError("entry_sha256", "does not match the entry the name matches now: screen again"))
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
            actor_key=actor.key_id,
            score=None if found is None else round(found.score, 4),
            band=None if found is None else _screened_band(found).value,
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
                "score": None if found is None else round(found.score, 4),
                "band": None if found is None else _screened_band(found).value,
            },
        )
        row = connection.execute(sa.select(screening_decisions).where(screening_decisions.c.id == decision_id)).one()
    return _decision(row)


def _screened_band(hit: Hit) -> Band:
    """The band the screener gave the hit, before any decision was applied to it."""
    return hit.decision.screened_band if hit.decision is not None else hit.band


def confirm_decision(engine: sa.Engine, actor: Actor, decision_id: int) -> Decision:
    """A second person confirms a false-positive decision: another key, of role approver or above."""
    require(actor, Role.APPROVER, "confirming that a screening hit is a false positive")
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        row = connection.execute(sa.select(screening_decisions).where(screening_decisions.c.id == decision_id)).first()
        if row is None:
            raise NotFound(f"no screening decision #{decision_id}")
        decision = _decision(row)
        if decision.verdict is not Verdict.FALSE_POSITIVE:
            raise Conflict(f"decision #{decision_id} is a true match: there is no clearance to confirm")
        if decision.confirmed:
            raise Conflict(f"decision #{decision_id} was already confirmed by {decision.confirmed_by}")
        same_key = decision.actor_key is not None and decision.actor_key == actor.key_id
        if same_key or decision.actor == actor.label:
            raise Forbidden(
                f"decision #{decision_id} was made by {decision.actor}: another person must confirm it (maker-checker)"
            )
        connection.execute(
            sa.update(screening_decisions)
            .where(screening_decisions.c.id == decision_id, screening_decisions.c.confirmed_by.is_(None))
            .values(confirmed_by=actor.label, confirmed_key=actor.key_id, confirmed_at=now)
        )
        audit.append(
            connection,
            actor.label,
            "screening.decision.confirm",
            f"party:{decision.party_key}"[:200],
            {"id": decision_id, "list_id": decision.list_id, "entry_sha256": decision.entry_sha256},
        )
        row = connection.execute(sa.select(screening_decisions).where(screening_decisions.c.id == decision_id)).one()
    return _decision(row)


# Built once: every screening with hits asks it.
# Every decision about one party, newest first. Filtered to the hits' entries in Python rather than
# with ``list_id IN (...)``: a screening has up to thousands of hits, and an expanding IN is compiled
# again for each request (a cached statement here), while a party has few decisions.
_DECISIONS_ABOUT = (
    sa.select(screening_decisions)
    .where(screening_decisions.c.party_key == sa.bindparam("key"))
    .order_by(screening_decisions.c.id.desc())
)


def review(engine: sa.Engine, party_name: str, hits: Iterable[tuple[str, str]]) -> dict[str, Review]:
    """For each ``(list_id, entry_sha256)`` found for ``party_name``, what has been decided."""
    wanted = dict(hits)
    if not wanted:
        return {}
    key = party_key(party_name)
    by_entry: dict[str, list[Decision]] = {}
    with engine.connect() as connection:
        for row in connection.execute(_DECISIONS_ABOUT, {"key": key}):
            if row.list_id in wanted:
                by_entry.setdefault(row.list_id, []).append(_decision(row))
    result = {}
    for list_id, fingerprint in wanted.items():
        mine = by_entry.get(list_id, [])
        history = tuple(d for d in mine if d.entry_sha256 == fingerprint)
        current = next(iter(history), None)
        outdated = next((d for d in mine if d.entry_sha256 != fingerprint), None)
        # An older-version decision matters only if nobody has looked at the current version since.
        if current is not None and outdated is not None and outdated.id < current.id:
            outdated = None
        result[list_id] = Review(current, outdated, history)
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
    algorithm: str | None = None,
    fingerprints: Sequence[str] | None = None,
) -> audit.AuditEntry:
    """Write one screening, what it found, the list snapshots it used (each with the date it speaks
    for) and the matching algorithm's version to the audit log: a screening certificate is read back
    from this row alone. ``fingerprints`` are the hits' ``entry_fingerprint``, when the caller has
    them already."""
    require(actor, Role.ANALYST, "screening a party")
    if problem := text_problem(name, "name", 10_000, required=False):
        raise RecordError("cannot record the screening", [problem])
    subject = f"party:{party_key(name)}"[:200]
    if fingerprints is None or len(fingerprints) != len(hits):
        fingerprints = [entry_fingerprint(h.entry) for h in hits]
    payload = {
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
                "entry_sha256": fingerprint,
            }
            for h, fingerprint in zip(hits, fingerprints, strict=True)
        ],
        "lists": None if basis is None else basis.version,
        "snapshots": None
        if basis is None
        else [
            {"list": u.list_code, "snapshot": u.snapshot, "file_name": u.file_name, "as_of": u.as_of}
            for u in basis.snapshots
        ],
        "warnings": None if basis is None else list(basis.warnings),
        "algorithm": algorithm,
    }
    # Serialised here, on the request's thread; written through the group commit, where concurrent
    # screenings share one transaction (earcheck.group_commit).
    text = audit.Payload.of(payload)
    return group_commit.submit(engine, lambda c: audit.append(c, actor.label, "screening.run", subject, text))


def screen_all(screener: PartyScreener, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
    """Every hit of ``name`` from ``screener``: its ``screen_all`` when it has one (the fuzzy screener
    stops at the best ten otherwise), else its ``screen`` (an exact or test screener reports them all)."""
    every = getattr(screener, "screen_all", None)
    if callable(every):
        found: Sequence[Hit] = every(name, country, as_of)
        return found
    return screener.screen(name, country, as_of)


def screening_algorithm(screener: object) -> str | None:
    """The released matching algorithm a screener scores with (``name-v1``...), or ``None`` when it
    does not say (the exact-name screener, a test double)."""
    found = getattr(screener, "algorithm", None)
    return found if isinstance(found, str) else None


class DecidingScreener:
    """A ``PartyScreener`` that applies the decisions people recorded about earlier hits.

    A hit a person cleared as a false positive comes back in band ``CLEARED`` (the engine reads it as
    "not this entry", and says whose decision that rests on); a confirmed match comes back in band
    ``MATCH`` whatever its score. A clearance of a hit the screener places at the match level applies
    only once confirmed by a second person; until then the hit stays a match, with the pending decision
    attached. A decision about an earlier version of the entry does not apply: the hit is raised again
    as the screener found it.

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

    @property
    def algorithm(self) -> str | None:
        """The version of the matching algorithm underneath, when the screener says."""
        return screening_algorithm(self._screener)

    def forget(self) -> None:
        forget = getattr(self._screener, "forget", None)
        if callable(forget):
            forget()

    def generation(self) -> int:
        """A number that changes whenever decisions change (re-read when stale): a new decision raises
        the newest id, a confirmation the count of confirmed ones."""
        now = time.monotonic()
        if now - self._checked >= self.REFRESH_SECONDS:
            self._checked = now
            with self._engine.connect() as connection:
                newest, confirmed = connection.execute(
                    sa.select(sa.func.max(screening_decisions.c.id), sa.func.count(screening_decisions.c.confirmed_by))
                ).one()
            # Decisions are never deleted and a confirmation never undone, so the pair only grows.
            latest = int(newest or 0) * (1 << 32) + int(confirmed or 0)
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
        return self._decided(name, self._screener.screen(name, country, as_of))

    def screen_all(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
        """Every hit, not only the best ten, when the screener underneath can say (``screen_all``)."""
        self.generation()
        return self._decided(name, screen_all(self._screener, name, country, as_of))

    def _decided(self, name: str, hits: Sequence[Hit]) -> Sequence[Hit]:
        if not hits or not self._by_party:
            return hits
        key = party_key(name)
        return [self._apply(hit, self._by_party.get((key, hit.entry.list_id), [])) for hit in hits]

    @staticmethod
    def _apply(hit: Hit, mine: Sequence[Decision]) -> Hit:
        """The hit with the latest decision about its entry (as it now reads) that governs it, if any;
        else with the latest one that waits for confirmation, reported but not applied."""
        if not mine:
            return hit
        fingerprint = entry_fingerprint(hit.entry)
        current = [d for d in mine if d.entry_sha256 == fingerprint]  # newest first
        governing = next((d for d in current if d.applies_to(hit.band)), None)
        if governing is None:
            pending = next(iter(current), None)
            return hit if pending is None else dataclasses.replace(hit, decision=pending.as_hit_decision(hit.band))
        band = Band.CLEARED if governing.verdict is Verdict.FALSE_POSITIVE else Band.MATCH
        explanation = {**hit.explanation, f"decision {governing.id}": 1.0}
        return dataclasses.replace(
            hit, band=band, explanation=explanation, decision=governing.as_hit_decision(hit.band)
        )
