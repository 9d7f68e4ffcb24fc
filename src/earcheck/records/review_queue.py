"""Ongoing screening: stored parties re-screened when the lists change, and the hits a person must review.

When a list snapshot is imported, every stored counterparty (``earcheck.records.counterparties``) is
screened again against the lists that now govern, and each screening is written to the audit log. A
hit waits in the review queue when nobody has decided it (as the entry now reads), marked

- ``new``: the party's previous screening did not find this entry;
- ``changed``: it found the entry, but the entry has changed since (its fingerprint differs);
- ``undecided``: found before, unchanged, still never decided;
- ``cleared``: a hit of the previous screening is gone (the entry was removed, or no longer matches);
  a person acknowledges it, because a party leaving a list is news as much as one joining it.

Review-band hits wait like match-level ones. A hit's row stops waiting once a recorded decision about
that entry, as it now reads, governs the band it was found in (``Decision.applies_to``): a clearance of
a match-level hit only once a second person has confirmed it, exactly as the screener applies it.

Submitting an application and recording a shipment under a licence first screen the record's parties
(``require_decided``): an undecided hit refuses the action with the hit named, and is queued.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.basis import ListBasis
from earcheck.db import write_transaction
from earcheck.errors import Conflict, FieldError, NotFound, RecordError
from earcheck.lists import Band, Hit, PartyScreener
from earcheck.records import audit
from earcheck.records.applications import get_application
from earcheck.records.counterparties import LatestScreening, stored_parties
from earcheck.records.keys import Actor, Role, require
from earcheck.records.licences import get_licence
from earcheck.records.parties import MAX_TEXT, text_problem
from earcheck.records.rows import insert_row
from earcheck.records.schema import screening_decisions, screening_reviews
from earcheck.records.screening import (
    Decision,
    Review,
    Verdict,
    _decision,
    entry_fingerprint,
    party_key,
    record_decision,
    record_screening,
    review,
    screening_algorithm,
)

__all__ = [
    "Change",
    "QueuedHit",
    "RescreenReport",
    "acknowledge",
    "count_waiting",
    "decide",
    "get_queued",
    "require_decided",
    "rescreen",
    "screen_application",
    "screen_licence",
    "undecided",
    "waiting",
]


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNDECIDED = "undecided"
    CLEARED = "cleared"


@dataclass(frozen=True, slots=True)
class QueuedHit:
    id: int
    party_name: str
    party_key: str
    country: str | None
    list_id: str
    entry_sha256: str
    entry_name: str
    list_code: str
    score: float | None
    band: str
    change: Change
    lists: str
    raised_at: datetime
    raised_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None
    closing_note: str | None = None


@dataclass(frozen=True, slots=True)
class RescreenReport:
    parties: int  # stored counterparties screened
    raised: tuple[QueuedHit, ...]  # rows added to the queue by this re-screening


def _algorithm(screener: PartyScreener) -> str | None:
    # The faces pass their workspace, whose screener says which algorithm it runs.
    return screening_algorithm(getattr(screener, "screener", screener))


def undecided(hit: Hit) -> bool:
    """Whether a hit needs a person: in force, in the match or review band, no decision governing it."""
    if hit.band is Band.CLEARED or hit.status.in_force is False:
        return False
    return hit.decision is None or not hit.decision.effective


def _queued(row: Any) -> QueuedHit:
    return QueuedHit(
        id=int(row.id),
        party_name=row.party_name,
        party_key=row.party_key,
        country=row.country,
        list_id=row.list_id,
        entry_sha256=row.entry_sha256,
        entry_name=row.entry_name,
        list_code=row.list_code,
        score=row.score,
        band=row.band,
        change=Change(row.change),
        lists=row.lists,
        raised_at=row.raised_at,
        raised_by=row.raised_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        closing_note=row.closing_note,
    )


def _raise(
    connection: sa.Connection,
    actor: Actor,
    name: str,
    country: str | None,
    hit: Hit,
    change: Change,
    lists: str,
    now: datetime,
) -> QueuedHit | None:
    """Queue one undecided hit, unless the same hit (party, entry as it reads) already waits."""
    key = party_key(name)
    fingerprint = entry_fingerprint(hit.entry)
    open_rows = connection.execute(
        sa.select(screening_reviews).where(
            screening_reviews.c.party_key == key,
            screening_reviews.c.list_id == hit.entry.list_id,
            screening_reviews.c.closed_at.is_(None),
        )
    ).all()
    if any(r.entry_sha256 == fingerprint and r.change != Change.CLEARED for r in open_rows):
        return None
    values = {
        "party_key": key,
        "party_name": name.strip()[:500],
        "country": country,
        "list_id": hit.entry.list_id,
        "entry_sha256": fingerprint,
        "entry_name": hit.entry.name[:500],
        "list_code": str(hit.entry.list_code),
        "score": round(hit.score, 4),
        "band": (hit.decision.screened_band if hit.decision is not None else hit.band).value,
        "change": change.value,
        "lists": lists,
        "raised_at": now,
        "raised_by": actor.label,
    }
    new_id = insert_row(connection, screening_reviews, **values)
    _close_others(connection, key, hit.entry.list_id, new_id, now, actor, f"superseded by review {new_id}")
    audit.append(connection, actor.label, "screening.review.raise", f"party:{key}"[:200], {"id": new_id, **values})
    return _queued(connection.execute(sa.select(screening_reviews).where(screening_reviews.c.id == new_id)).one())


def _close_others(
    connection: sa.Connection, key: str, list_id: str, keep: int, now: datetime, actor: Actor, note: str
) -> None:
    """Close the older open rows about the same party and entry: the newest says what is true now."""
    connection.execute(
        sa.update(screening_reviews)
        .where(
            screening_reviews.c.party_key == key,
            screening_reviews.c.list_id == list_id,
            screening_reviews.c.closed_at.is_(None),
            screening_reviews.c.id != keep,
        )
        .values(closed_at=now, closed_by=actor.label, closing_note=note)
    )


def _previous(latest: LatestScreening | None) -> dict[str, dict[str, Any]]:
    """The hits of a party's previous screening that needed or had a person's look, by list id."""
    if latest is None:
        return {}
    return {
        str(h["list_id"]): h
        for h in latest.hits
        if h.get("band") in (Band.MATCH.value, Band.REVIEW.value) and h.get("in_force") is not False
    }


def _changes(hits: Sequence[Hit], previous: dict[str, dict[str, Any]]) -> list[tuple[Hit, Change]]:
    changes = []
    for hit in hits:
        if not undecided(hit):
            continue
        before = previous.get(hit.entry.list_id)
        if before is None:
            changes.append((hit, Change.NEW))
        elif before.get("entry_sha256") != entry_fingerprint(hit.entry):
            changes.append((hit, Change.CHANGED))
        else:
            changes.append((hit, Change.UNDECIDED))
    return changes


def _raise_cleared(
    connection: sa.Connection,
    actor: Actor,
    name: str,
    country: str | None,
    before: dict[str, Any],
    lists: str,
    now: datetime,
) -> QueuedHit:
    key = party_key(name)
    list_id = str(before["list_id"])
    values = {
        "party_key": key,
        "party_name": name.strip()[:500],
        "country": country,
        "list_id": list_id,
        "entry_sha256": str(before.get("entry_sha256") or ""),
        "entry_name": str(before.get("name") or "")[:500],
        "list_code": str(before.get("list") or ""),
        "score": before.get("score"),
        "band": str(before.get("band")),
        "change": Change.CLEARED.value,
        "lists": lists,
        "raised_at": now,
        "raised_by": actor.label,
    }
    new_id = insert_row(connection, screening_reviews, **values)
    _close_others(connection, key, list_id, new_id, now, actor, f"the hit is gone: see review {new_id}")
    audit.append(connection, actor.label, "screening.review.raise", f"party:{key}"[:200], {"id": new_id, **values})
    return _queued(connection.execute(sa.select(screening_reviews).where(screening_reviews.c.id == new_id)).one())


def rescreen(
    engine: sa.Engine, screener: PartyScreener, actor: Actor, as_of: date, basis: ListBasis | None = None
) -> RescreenReport:
    """Screen every stored counterparty again (after a list import) and queue what changed."""
    require(actor, Role.ANALYST, "re-screening the stored parties")
    lists = "none" if basis is None else basis.version
    raised: list[QueuedHit] = []
    parties = stored_parties(engine)
    for party in parties:
        hits = screener.screen(party.name, party.country, as_of)
        previous = _previous(party.latest)
        now = datetime.now(UTC)
        record_screening(engine, actor, party.name, party.country, as_of, hits, basis, _algorithm(screener))
        found = {h.entry.list_id for h in hits}
        with write_transaction(engine) as connection:
            for hit, change in _changes(hits, previous):
                if (row := _raise(connection, actor, party.name, party.country, hit, change, lists, now)) is not None:
                    raised.append(row)
            for list_id, before in previous.items():
                if list_id not in found:
                    raised.append(_raise_cleared(connection, actor, party.name, party.country, before, lists, now))
    return RescreenReport(len(parties), tuple(raised))


def _governed(row: QueuedHit, decisions: Iterable[Decision]) -> bool:
    """Whether a recorded decision about the entry as it read when queued settles the row."""
    band = Band(row.band)
    return any(
        d.party_key == row.party_key
        and d.list_id == row.list_id
        and d.entry_sha256 == row.entry_sha256
        and d.applies_to(band)
        for d in decisions
    )


def waiting(engine: sa.Engine, limit: int | None = None) -> list[QueuedHit]:
    """The rows that wait for a person, oldest first."""
    with engine.connect() as connection:
        rows = [
            _queued(r)
            for r in connection.execute(
                sa.select(screening_reviews)
                .where(screening_reviews.c.closed_at.is_(None))
                .order_by(screening_reviews.c.id)
            )
        ]
        keys = list({r.party_key for r in rows})
        decisions = (
            [
                _decision(d)
                for d in connection.execute(
                    sa.select(screening_decisions).where(screening_decisions.c.party_key.in_(keys))
                )
            ]
            if keys
            else []
        )
    found = [r for r in rows if r.change is Change.CLEARED or not _governed(r, decisions)]
    return found if limit is None else found[:limit]


def count_waiting(engine: sa.Engine) -> int:
    return len(waiting(engine))


def get_queued(engine: sa.Engine, review_id: int) -> QueuedHit:
    with engine.connect() as connection:
        row = connection.execute(sa.select(screening_reviews).where(screening_reviews.c.id == review_id)).first()
    if row is None:
        raise NotFound(f"no queued screening hit #{review_id}")
    return _queued(row)


def decide(engine: sa.Engine, actor: Actor, review_id: int, verdict: Verdict, reason: str) -> Decision:
    """Decide a queued hit through the maker-checker screening decisions: a false positive on a
    match-level hit still waits for a second person's confirmation."""
    row = get_queued(engine, review_id)
    if row.closed_at is not None:
        raise Conflict(f"queued hit #{review_id} was closed: {row.closing_note or 'by ' + str(row.closed_by)}")
    if row.change is Change.CLEARED:
        raise Conflict(f"queued hit #{review_id} is a hit that is gone: acknowledge it instead")
    return record_decision(
        engine,
        actor,
        party_name=row.party_name,
        list_id=row.list_id,
        entry_sha256=row.entry_sha256,
        entry_name=row.entry_name,
        verdict=verdict,
        reason=reason,
    )


def acknowledge(engine: sa.Engine, actor: Actor, review_id: int, note: str) -> QueuedHit:
    """A person has seen that a hit is gone (the entry was removed or no longer matches)."""
    require(actor, Role.ANALYST, "acknowledging a cleared hit")
    if problem := text_problem(note, "note", MAX_TEXT, required=True):
        raise RecordError("cannot acknowledge", [problem])
    row = get_queued(engine, review_id)
    if row.change is not Change.CLEARED:
        raise Conflict(f"queued hit #{review_id} is a hit to decide, not one to acknowledge")
    if row.closed_at is not None:
        raise Conflict(f"queued hit #{review_id} was already closed")
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:
        connection.execute(
            sa.update(screening_reviews)
            .where(screening_reviews.c.id == review_id, screening_reviews.c.closed_at.is_(None))
            .values(closed_at=now, closed_by=actor.label, closing_note=note.strip())
        )
        audit.append(
            connection,
            actor.label,
            "screening.review.acknowledge",
            f"party:{row.party_key}"[:200],
            {"id": review_id, "note": note.strip()},
        )
    return get_queued(engine, review_id)


def _settled(hit: Hit, found: Review | None) -> bool:
    band = hit.decision.screened_band if hit.decision is not None else hit.band
    return found is not None and any(d.applies_to(band) for d in found.history)


def require_decided(
    engine: sa.Engine,
    screener: PartyScreener,
    actor: Actor,
    parties: Iterable[tuple[str, str | None]],
    as_of: date,
    what: str,
    basis: ListBasis | None = None,
) -> None:
    """Screen ``parties`` (name, country) before ``what``; queue each undecided hit and refuse with
    every one named. The screenings are recorded whether or not the action may go ahead."""
    blocking: list[str] = []
    lists = "none" if basis is None else basis.version
    for name, country in parties:
        hits = screener.screen(name, country, as_of)
        record_screening(
            engine,
            actor,
            name,
            country,
            as_of,
            hits,
            basis,
            _algorithm(screener),
        )
        # Decisions are read here, not only through the screener: one recorded a moment ago counts.
        reviews = review(engine, name, [(h.entry.list_id, entry_fingerprint(h.entry)) for h in hits])
        now = datetime.now(UTC)
        with write_transaction(engine) as connection:
            for hit in hits:
                if not undecided(hit) or _settled(hit, reviews.get(hit.entry.list_id)):
                    continue
                _raise(connection, actor, name, country, hit, Change.NEW, lists, now)
                band = "may be" if hit.band is Band.REVIEW else "matches"
                blocking.append(
                    f"{name!r} {band} {hit.entry.name!r} ({hit.entry.list_code}, list id {hit.entry.list_id}, "
                    f"score {hit.score:.2f}): nobody has decided this hit; decide it in the review queue"
                )
    if blocking:
        raise RecordError(
            f"{what}: screening found hits nobody has decided; decide them in the review queue first",
            [FieldError("parties", b) for b in blocking],
        )


def screen_application(
    engine: sa.Engine, screener: PartyScreener, actor: Actor, application_id: int, basis: ListBasis | None = None
) -> None:
    """Before an application is submitted: its parties screened against today's lists, every
    undecided hit refusing the submission (and queued)."""
    application = get_application(engine, application_id)
    parties = [(p.name, p.country) for p in application.parties]
    require_decided(
        engine, screener, actor, parties, date.today(), f"application {application_id} cannot be submitted", basis
    )


def screen_licence(
    engine: sa.Engine,
    screener: PartyScreener,
    actor: Actor,
    licence_id: int,
    shipped_on: date,
    basis: ListBasis | None = None,
) -> None:
    """Before a shipment is recorded under a licence: the licence's parties screened as of the
    shipment date, every undecided hit refusing the shipment (and queued)."""
    licence = get_licence(engine, licence_id)
    parties = [(p.name, p.country) for p in licence.parties]
    what = f"no shipment can be recorded under licence {licence.number}"
    require_decided(engine, screener, actor, parties, shipped_on, what, basis)
