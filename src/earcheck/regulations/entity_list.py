"""The Entity List over time: when each entry was listed, and the terms it carried on a date.

The lists earcheck imports are snapshots of today's text. For the entries the dated rules need (Huawei
and its affiliates, SMIC and its affiliates) ``data/entity_list.yaml`` records, from the Federal
Register, the batch each entry was added in and the licence requirement, footnotes and review policy in
force in each period. ``entry_status`` answers "was this entry in force on that date, and with which
terms?": from those dated facts when they name the entry, else from the snapshot with the three-valued
rules of DESIGN.md (an entry whose listing date is unknown is *possibly* listed before its snapshot,
never assumed absent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

from earcheck.errors import SourceFormatError
from earcheck.lists import EntryStatus, ListCode, ListEntry
from earcheck.regulations.dated import DatedFact, check_versions, in_force, load_packaged, parse_file, strict
from earcheck.tri import Tri

__all__ = [
    "Batch",
    "EntityListData",
    "EntryFact",
    "Family",
    "LicensePolicy",
    "ListingWindow",
    "PolicyCondition",
    "PolicyRule",
    "Snapshot",
    "Terms",
    "TermsTrack",
    "dated_entry",
    "entity_list_data",
    "entry_status",
    "load_entity_list",
    "parse_footnotes",
    "terms_in_force",
]

DATA_FILE = "entity_list.yaml"
ENTITY_LIST = "15 CFR part 744, Supplement No. 4"

# Where each BIS list lives in the EAR; the others are not EAR lists and get no citation here.
LIST_CITATIONS: Mapping[ListCode, str] = {
    ListCode.EL: ENTITY_LIST,
    ListCode.UVL: "15 CFR part 744, Supplement No. 6",
    ListCode.MEU: "15 CFR part 744, Supplement No. 7",
}


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFact:
    """A fact about the item that a review policy turns on; the engine asks it of the case."""

    name: str
    meaning: str


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyCondition:
    item_fact: str
    equals: bool


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyRule:
    """One branch of a review policy. ``policy`` is ``None`` when the column only points elsewhere
    ("See §§ 744.11 and 744.23(d)"): the policy is then not stated here, and not known."""

    policy: str | None
    when: PolicyCondition | None = None


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class LicensePolicy:
    text: str  # the review policy as written (or as assembled from quotes: see the version's verified_how)
    rules: tuple[PolicyRule, ...]


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class Terms(DatedFact):
    """An entry's licence requirement, footnotes and review policy over one period."""

    license_requirement: str
    footnotes: tuple[int, ...]
    license_policy: LicensePolicy
    note: str | None = None


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class TermsTrack:
    """The terms of a group of entries that were always worded alike, version by version."""

    track: str
    versions: tuple[Terms, ...]


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class Batch(DatedFact):
    """One Federal Register rule that added entries; ``effective`` is the day they were listed."""

    id: str
    description: str


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class ListingWindow:
    """Listed on some day from ``earliest`` to ``latest`` (inclusive): the batch is not established."""

    earliest: date
    latest: date


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class EntryFact:
    id: str  # the CSL ``_id`` of the row this fact overrides
    name: str  # as in that row, for people reading the file
    batch: str | None = None
    listed_between: ListingWindow | None = None
    terms: str | None = None  # terms track; default: the family's first
    keep_snapshot_terms: bool = False  # the row's own terms are kept (see note)
    note: str | None = None


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    id: str
    name: str
    first_listed: date  # no entry of the family was listed before this day
    first_listed_basis: str
    batches: tuple[Batch, ...]
    terms: tuple[TermsTrack, ...]
    entries: tuple[EntryFact, ...]


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class EntityListData:
    item_facts: tuple[ItemFact, ...]
    families: tuple[Family, ...]


def load_entity_list(path: Path, text: str | None = None) -> EntityListData:
    """Parse and check ``entity_list.yaml``; every problem raises ``SourceFormatError`` naming the file."""
    data = parse_file(path, EntityListData, text)
    _check(data, path)
    return data


def _check(data: EntityListData, path: Path) -> None:
    def fail(message: str, field: str) -> None:
        raise SourceFormatError(path, message, field=field)

    facts = {fact.name for fact in data.item_facts}
    seen: set[str] = set()
    for f, family in enumerate(data.families):
        where = f"families.{f}"
        batches = {batch.id: batch for batch in family.batches}
        tracks = {track.track: track for track in family.terms}
        if not tracks:
            fail("a family needs at least one terms track", f"{where}.terms")
        for b, batch in enumerate(family.batches):
            if batch.effective < family.first_listed:
                fail(f"batch {batch.id} is dated before first_listed", f"{where}.batches.{b}")
        for t, track in enumerate(family.terms):
            try:
                check_versions(track.versions, f"terms track {track.track}")
            except ValueError as error:
                fail(str(error), f"{where}.terms.{t}")
            for v, version in enumerate(track.versions):
                for r, rule in enumerate(version.license_policy.rules):
                    if rule.when is not None and rule.when.item_fact not in facts:
                        fail(
                            f"unknown item fact {rule.when.item_fact!r} (declare it under item_facts)",
                            f"{where}.terms.{t}.versions.{v}.license_policy.rules.{r}",
                        )
        for e, entry in enumerate(family.entries):
            field = f"{where}.entries.{e}"
            if entry.id in seen:
                fail(f"entry {entry.id} appears twice", field)
            seen.add(entry.id)
            if (entry.batch is None) == (entry.listed_between is None):
                fail("give exactly one of batch or listed_between", field)
            if entry.batch is not None and entry.batch not in batches:
                fail(f"unknown batch {entry.batch!r}", field)
            window = entry.listed_between
            if window is not None and not family.first_listed <= window.earliest <= window.latest:
                fail("listed_between must satisfy first_listed <= earliest <= latest", field)
            if entry.terms is not None and entry.terms not in tracks:
                fail(f"unknown terms track {entry.terms!r}", field)


@cache
def entity_list_data() -> EntityListData:
    """The packaged ``data/entity_list.yaml``, loaded and checked once per process (and kept compiled
    between processes when the face allows: screening one name needs no YAML parser or pydantic)."""
    return load_packaged(DATA_FILE, load_entity_list, keep=True)


@cache
def _dated_entries() -> dict[str, tuple[Family, EntryFact]]:
    data = entity_list_data()
    return {entry.id: (family, entry) for family in data.families for entry in family.entries}


def dated_entry(list_id: str) -> tuple[Family, EntryFact] | None:
    """The family and dated fact that override the Entity List row ``list_id``, if earcheck has one."""
    return _dated_entries().get(list_id)


def terms_in_force(list_id: str, as_of: date) -> Terms | None:
    """The dated terms (with the structured review policy) of Entity List row ``list_id`` on ``as_of``;
    ``None`` when earcheck has no dated terms for that row on that date."""
    found = dated_entry(list_id)
    if found is None:
        return None
    family, fact = found
    if fact.keep_snapshot_terms:
        return None
    track = next(t for t in family.terms if t.track == (fact.terms or family.terms[0].track))
    return in_force(track.versions, as_of)


# A footnote mark is a digit written right after a section reference's closing parenthesis or after
# "EAR" (the superscripts are flattened in the official files): "§§ 734.9(e)1 and 744.11 of the EAR2",
# "(See §734.9(e)1, and §744.11 of the EAR)2.", "(See §§ 734.9(g),3 746.8(a)(3)". Digits inside
# parentheses ("734.9(e)(1)") are paragraph numbers, never marks.
_FOOTNOTE = re.compile(r"(?:\)|\bEAR)[ ,]{0,2}([1-9])(?![0-9)]|\.[0-9])")


def parse_footnotes(text: str | None) -> frozenset[int]:
    """Entity List footnote numbers in a licence-requirement cell as the official files write it."""
    return frozenset(int(mark) for mark in _FOOTNOTE.findall(text or ""))


class Snapshot(Protocol):
    """What ``entry_status`` needs of the list snapshot that governs a date (the store's SnapshotInfo)."""

    @property
    def as_of(self) -> date: ...


def entry_status(entry: ListEntry, as_of: date, governing: Snapshot | None = None) -> EntryStatus:
    """Whether ``entry`` was in force on ``as_of``, why, and the terms it carried then.

    Our dated facts decide when they name the entry. Otherwise the snapshot decides: an entry in a
    snapshot dated on or before ``as_of`` is in force (unless its end date has passed); for an earlier
    date, a start date on or before ``as_of`` means "listed no later than" that date; else the entry is
    possibly listed (``None``), never assumed absent. ``governing`` is the snapshot that governs
    ``as_of`` for the entry's list; by default the one the entry was read from.
    """
    found = dated_entry(entry.list_id) if entry.list_code is ListCode.EL else None
    if found is not None:
        return _from_dated_facts(entry, as_of, *found)
    return _from_snapshot(entry, as_of, governing)


def _from_snapshot(entry: ListEntry, as_of: date, governing: Snapshot | None) -> EntryStatus:
    snapshot_date = governing.as_of if governing is not None else entry.snapshot_date
    in_force_: Tri
    if entry.end_date is not None and as_of >= entry.end_date:
        in_force_, reason = False, f"removed: the entry's end date is {entry.end_date.isoformat()}"
    elif snapshot_date <= as_of:
        in_force_, reason = True, f"on the list snapshot of {snapshot_date.isoformat()}"
    elif entry.start_date is not None and entry.start_date <= as_of:
        in_force_ = True
        reason = f"listed no later than {entry.start_date.isoformat()} (the list's start date)"
    elif entry.start_date is not None:
        in_force_ = None
        reason = (
            f"possibly listed: the list says listed no later than {entry.start_date.isoformat()}, "
            "the actual listing date is not known"
        )
    else:
        in_force_ = None
        reason = f"possibly listed: on the snapshot of {snapshot_date.isoformat()}, listing date not known"
    if entry.license_requirement or entry.license_policy:
        reason += f"; terms as worded on {entry.snapshot_date.isoformat()}"
    return EntryStatus(
        entry=entry,
        as_of=as_of,
        in_force=in_force_,
        reason=reason,
        footnotes=parse_footnotes(entry.license_requirement),
        license_requirement=entry.license_requirement,
        license_policy=entry.license_policy,
        listed_from=None,
        dated_fact=None,
        citation=LIST_CITATIONS.get(entry.list_code),
    )


def _from_dated_facts(entry: ListEntry, as_of: date, family: Family, fact: EntryFact) -> EntryStatus:
    fact_id = f"entity_list.{family.id}.{fact.id}"
    in_force_: Tri
    listed_from: date | None = None
    if fact.batch is not None:
        batch = next(b for b in family.batches if b.id == fact.batch)
        listed_from = batch.effective
        cites = ", ".join(source.cite for source in batch.sources)
        if as_of < batch.effective:
            in_force_ = False
            reason = f"not yet listed: added effective {batch.effective.isoformat()} ({cites})"
        else:
            in_force_ = True
            reason = f"listed effective {batch.effective.isoformat()} ({cites})"
    else:
        window = fact.listed_between
        assert window is not None  # the loader requires a batch or a window
        span = f"{window.earliest.isoformat()} to {window.latest.isoformat()}"
        if as_of < window.earliest:
            in_force_, reason = False, f"not yet listed: listed between {span}"
        elif as_of >= window.latest:
            in_force_, reason = True, f"listed between {span} (batch not established)"
            listed_from = None
        else:
            in_force_ = None
            reason = f"possibly listed: listed on some day from {span}; its batch is not established"
    if entry.end_date is not None and as_of >= entry.end_date:
        in_force_, reason = False, f"removed: the entry's end date is {entry.end_date.isoformat()}"

    license_requirement = entry.license_requirement
    license_policy = entry.license_policy
    footnotes = parse_footnotes(entry.license_requirement)
    citation = ENTITY_LIST
    if fact.keep_snapshot_terms:
        reason += f"; terms as worded on {entry.snapshot_date.isoformat()} (see the dated fact's note)"
    elif in_force_ is not False:
        terms = terms_in_force(fact.id, as_of)
        if terms is None:
            # Listed (or possibly listed) on a day no terms version covers: say so, keep nothing.
            license_requirement = license_policy = None
            footnotes = frozenset()
            reason += "; the terms in force on this date are not in earcheck's data"
        else:
            license_requirement = terms.license_requirement
            license_policy = terms.license_policy.text
            footnotes = frozenset(terms.footnotes)
            if terms.verification == "R":
                reason += "; terms wording unverified (R)"
    else:
        license_requirement = license_policy = None
        footnotes = frozenset()
    return EntryStatus(
        entry=entry,
        as_of=as_of,
        in_force=in_force_,
        reason=reason,
        footnotes=footnotes,
        license_requirement=license_requirement,
        license_policy=license_policy,
        listed_from=listed_from,
        dated_fact=fact_id,
        citation=citation,
    )
