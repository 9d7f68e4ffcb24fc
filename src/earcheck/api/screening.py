"""The screening routes' request and response bodies: a name to screen, the hits found (with the
list entry, why it matched, what it means on the date and what reviewers decided), and a reviewer's
decision about a hit. ``earcheck.api.routes.screening`` serves them."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from earcheck.api.models import Line, Name, RequestBody, ResponseBody, Storable
from earcheck.days import CaseDate
from earcheck.lists import Hit, ListEntry
from earcheck.model import CountryCode
from earcheck.records.screening import Review, Verdict
from earcheck.screening.screener import ALL_HITS

__all__ = [
    "DecisionIn",
    "DecisionOut",
    "EntryOut",
    "HitOut",
    "ListSnapshotOut",
    "ReviewOut",
    "ScreeningIn",
    "ScreeningOut",
]


class ScreeningIn(RequestBody):
    name: Annotated[Storable, Field(min_length=1, max_length=1000)]
    country: CountryCode | None = None
    as_of: CaseDate | None = Field(default=None, description="lists as in force on this date; default today")
    limit: int = Field(
        default=10, ge=1, le=ALL_HITS, description=f"how many hits to answer with, best first (at most {ALL_HITS:,})"
    )
    offset: int = Field(default=0, ge=0, le=ALL_HITS, description="how many of the best hits to skip (paging)")


class DecisionOut(ResponseBody):
    id: int
    party_name: str
    list_id: str
    entry_sha256: str
    entry_name: str
    verdict: Verdict
    reason: str
    actor: str
    decided_at: datetime
    score: float | None = Field(description="the hit's score when the decision was made")
    band: str | None = Field(description="the hit's band then: clearing a match needs a second person")
    confirmed_by: str | None = Field(description="who confirmed a false positive (another key, approver or above)")
    confirmed_at: datetime | None


State = Literal["unreviewed", "cleared", "confirmed", "pending", "reraised"]


class ReviewOut(ResponseBody):
    state: State = Field(
        description="cleared: reviewed as a false positive; confirmed: reviewed as the listed party; "
        "pending: cleared by one person, waiting for a second to confirm (the hit still counts); "
        "reraised: reviewed, but the list entry has changed since"
    )
    decision: DecisionOut | None
    outdated_decision: DecisionOut | None

    @classmethod
    def of(cls, review: Review | None, hit: Hit | None = None) -> ReviewOut:
        if review is None:
            return cls(state="unreviewed", decision=None, outdated_decision=None)
        state: State
        shown = review.current
        decided = hit.decision if hit is not None else None
        if decided is not None:
            shown = review.by_id(decided.id) or shown
            if not decided.effective:
                state = "pending"
            else:
                state = "cleared" if decided.verdict == Verdict.FALSE_POSITIVE.value else "confirmed"
        elif review.current is not None:
            state = "cleared" if review.current.verdict is Verdict.FALSE_POSITIVE else "confirmed"
        else:
            state = "reraised" if review.reraised else "unreviewed"
        return cls(
            state=state,
            decision=DecisionOut.model_validate(shown) if shown else None,
            outdated_decision=DecisionOut.model_validate(review.outdated) if review.outdated else None,
        )


class EntryOut(ResponseBody):
    """A list entry as its source file gives it."""

    # Frozen: one instance answers for its entry in every response that shows it (``entry_out``).
    model_config = ConfigDict(from_attributes=True, frozen=True)

    list_id: str
    list_code: str
    source: str
    name: str
    aliases: list[str]
    entity_type: str | None
    entity_number: str | None
    programs: list[str]
    addresses: list[str]
    countries: list[str]
    federal_register: list[str]
    start_date: date | None
    end_date: date | None
    license_requirement: str | None
    license_policy: str | None
    remarks: str | None
    snapshot: str
    snapshot_date: date
    line: int


def entry_out(entry: ListEntry) -> EntryOut:
    """The entry's response body, built once per entry: a screening shows each hit's entry, and the
    same entries come back request after request. The key is the frozen entry itself, which compares
    by every field shown, so an entry changed by an import is a new key (never a stale body)."""
    try:
        return _entry_out(entry)
    except TypeError:  # an entry with a list where a tuple belongs is no key: build its body afresh
        return EntryOut.model_validate(entry)


@functools.lru_cache(maxsize=16_384)
def _entry_out(entry: ListEntry) -> EntryOut:
    return EntryOut.model_validate(entry)


class HitOut(ResponseBody):
    """One list entry a name matched, why, and what it means on the date."""

    list_id: str
    list_code: str
    source: str
    name: str = Field(description="the entry's primary name")
    matched_name: str = Field(description="the name or alias that matched")
    score: float = Field(ge=0, le=1)
    band: str = Field(description="match; review: a person must decide; cleared: a person decided it is not this entry")
    explanation: dict[str, float] = Field(description="the score of each matching feature")
    in_force: bool | None = Field(description="listed on as_of; null when the listing date is unknown")
    in_force_reason: str
    listed_from: date | None
    citation: str | None
    footnotes: list[int]
    license_requirement: str | None
    license_policy: str | None
    entry: EntryOut
    entry_sha256: str = Field(description="fingerprint of the entry's content; quote it in a decision")
    review: ReviewOut

    @classmethod
    def of(cls, hit: Hit, fingerprint: str, review: Review | None) -> HitOut:
        status = hit.status
        return cls(
            list_id=hit.entry.list_id,
            list_code=hit.entry.list_code.value,
            source=hit.entry.source,
            name=hit.entry.name,
            matched_name=hit.matched_name,
            score=min(max(hit.score, 0.0), 1.0),
            band=hit.band.value,
            explanation=dict(hit.explanation),
            in_force=status.in_force,
            in_force_reason=status.reason,
            listed_from=status.listed_from,
            citation=status.citation,
            footnotes=sorted(status.footnotes),
            license_requirement=status.license_requirement or hit.entry.license_requirement,
            license_policy=status.license_policy or hit.entry.license_policy,
            entry=entry_out(hit.entry),
            entry_sha256=fingerprint,
            review=ReviewOut.of(review, hit),
        )


class ListSnapshotOut(ResponseBody):
    list_code: str
    snapshot: str
    file_name: str
    as_of: date = Field(description="the date the list file speaks for")


class ScreeningOut(BaseModel):
    name: str
    country: str | None
    as_of: date
    hits: list[HitOut] = Field(description="the hits from offset, best first, at most limit of them")
    total: int = Field(description=f"how many hits the name has in all (every one is audited; at most {ALL_HITS:,})")
    offset: int = Field(description="how many of the best hits were skipped before hits")
    lists: list[ListSnapshotOut] = Field(description="the list snapshots screened against: those governing as_of")
    warnings: list[str] = Field(description="what limits the result, e.g. lists much older than as_of")
    audit_seq: int = Field(description="the audit log row that records this screening")


class DecisionIn(RequestBody):
    party_name: Name
    list_id: Annotated[Storable, Field(min_length=1, max_length=200)]
    entry_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    entry_name: Annotated[Storable, Field(max_length=500)] = ""
    verdict: Verdict
    reason: Line = Field(description="why; a false positive needs at least 20 characters")
    country: CountryCode | None = Field(default=None, description="the country the party was screened with")
    as_of: CaseDate | None = Field(default=None, description="the date it was screened for; default today")
