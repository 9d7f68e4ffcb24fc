"""Restricted-party lists: the entries read from official files, and a hit when a name matches one.

``ListEntry`` is one row of an official list as read (trade.gov CSL, OFAC SDN.CSV), with the raw
record kept for traceability. Its legal effect is not here: that is regulation, kept as dated data in
``earcheck.regulations`` (which list imposes what, and each entry's own dated history where we wrote
one).

Whether an entry was in force on a date is three-valued (``EntryStatus.in_force``): the lists are
snapshots, and an entry whose listing date is unknown was *possibly* listed before its snapshot, never
assumed absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from earcheck.tri import Tri

__all__ = ["Band", "EntryStatus", "Hit", "HitDecision", "ListCode", "ListEntry", "PartyScreener"]


class ListCode(StrEnum):
    """The lists earcheck reads, by the short codes the Consolidated Screening List uses."""

    EL = "EL"  # Entity List (BIS), 15 CFR part 744 Supp. 4
    DPL = "DPL"  # Denied Persons List (BIS)
    UVL = "UVL"  # Unverified List (BIS), 15 CFR part 744 Supp. 6
    MEU = "MEU"  # Military End-User List (BIS), 15 CFR part 744 Supp. 7
    SDN = "SDN"  # Specially Designated Nationals (OFAC)
    SSI = "SSI"  # Sectoral Sanctions Identifications (OFAC)
    CMIC = "CMIC"  # Non-SDN Chinese Military-Industrial Complex Companies (OFAC)
    NS_MBS = "NS-MBS"  # Non-SDN Menu-Based Sanctions (OFAC)
    CAP = "CAP"  # Correspondent Account or Payable-Through Account Sanctions (OFAC)
    PLC = "PLC"  # Palestinian Legislative Council (OFAC)
    DTC = "DTC"  # ITAR Debarred (State)
    ISN = "ISN"  # Nonproliferation Sanctions (State)


@dataclass(frozen=True, slots=True)
class ListEntry:
    list_id: str  # identifier in its source file: the CSL ``_id``; the SDN.CSV ``ent_num``
    list_code: ListCode
    source: str  # the source's own name, e.g. "Entity List (EL) - Bureau of Industry and Security"
    name: str
    snapshot: str  # identifier of the imported file this entry was read from
    snapshot_date: date  # that file's as-of date
    line: int  # 1-based line of the record in that file
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None  # Entity, Individual, Vessel, Aircraft
    entity_number: str | None = None
    programs: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO codes found in the addresses, nationalities, citizenships
    federal_register: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    remarks: str | None = None
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class EntryStatus:
    """An entry as of a date: whether it was in force, why we think so, and its dated terms.

    ``footnotes``, ``license_requirement`` and ``license_policy`` are those in force on the date: from
    earcheck's dated facts when it has them for this entry, else the snapshot's text (today's wording).
    """

    entry: ListEntry
    as_of: date
    in_force: Tri
    reason: str
    footnotes: frozenset[int] = frozenset()
    license_requirement: str | None = None
    license_policy: str | None = None
    listed_from: date | None = None  # effective date of the listing, when known
    dated_fact: str | None = None  # id of the dated fact that decided, if one did
    citation: str | None = None  # where the entry is, as cited on the date


class Band(StrEnum):
    MATCH = "match"  # the score is at or above the match threshold (or a person confirmed the match)
    REVIEW = "review"  # between the review and match thresholds: a person must decide
    CLEARED = "cleared"  # a person decided the party is not this entry (as the entry now reads)


@dataclass(frozen=True, slots=True)
class HitDecision:
    """What a reviewer decided about a hit, as it bears on the hit: who, when, why, and whether a second
    person confirmed it. ``effective`` is False for a clearance still waiting for its confirmation."""

    id: int
    verdict: str  # "false_positive" or "true_match"
    decided_by: str
    decided_at: datetime
    reason: str
    confirmed_by: str | None
    confirmed_at: datetime | None
    effective: bool
    screened_band: Band  # the band the screener gave the hit before the decision

    def describe(self, hit: Hit) -> str:
        entry = hit.entry
        what = "cleared" if self.verdict == "false_positive" else "confirmed as a true match"
        confirmed = f", confirmed by {self.confirmed_by}" if self.confirmed_by else ""
        text = (
            f"{entry.list_code.value} hit on {entry.name!r} ({entry.list_id}) {what} by decision #{self.id}, "
            f"by {self.decided_by}{confirmed}, on {self.decided_at.date().isoformat()}: {self.reason}"
        )
        if not self.effective:
            text += " -- NOT applied: clearing a hit at the match level needs a second person's confirmation"
        return text


@dataclass(frozen=True, slots=True)
class Hit:
    status: EntryStatus
    matched_name: str  # the name or alias that matched
    score: float  # in [0, 1]
    band: Band
    explanation: Mapping[str, float] = field(default_factory=dict)  # per-feature scores
    variants: tuple[str, ...] = ()  # which romanisation tables paired words ("paotou ~ baotou: ...")
    decision: HitDecision | None = None  # a reviewer's decision about this hit, if any (applied or pending)

    @property
    def entry(self) -> ListEntry:
        return self.status.entry


class PartyScreener(Protocol):
    """Anything that finds the list entries a party may be: exact lookup now, fuzzy screening later."""

    def screen(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]: ...
