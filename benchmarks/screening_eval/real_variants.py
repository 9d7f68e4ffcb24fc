"""Real variants: names written by the list owners, held out of the index and screened.

- Leave-one-alias-out over the CSL: each sampled entry loses one of its aliases (drawn by hash), all
  entries are indexed together the way ``earcheck data import`` indexes a snapshot (``Screener.build``
  over the adapter's entries, the held-out alias removed from ``ListEntry.aliases``), and the alias is
  screened. The same over the 2024-05-03 SDN.CSV ("a.k.a." remarks), indexed with the lists that govern
  that date (that SDN.CSV for the SDN, the CSL for the others, as ``Store.list_entries`` chooses).
- Renamed SDN entries: the entity numbers whose name differs between the 2021-08-18 and 2024-05-03
  SDN.CSV files; the 2021 name is screened against the 2024 index, with the 2021 name taken out of the
  entry's aliases if OFAC kept it as an a.k.a. (how often is reported).

Each held-out name is classified by ``aliases.classify`` (a written rule) against the names its entry
keeps. When the held-out name is still the name of an entry linked to it (``Parties.right_answers``),
or of another party, the query is reported apart (``twin``/``shared``): finding it says nothing about
variants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from benchmarks.screening_eval.aliases import AliasClass, classify
from benchmarks.screening_eval.fold import fold
from benchmarks.screening_eval.parties import Parties, snapshot_date
from benchmarks.screening_eval.variants import is_organisation, is_party, is_person
from earcheck.lists import ListCode, ListEntry
from earcheck.sources import ofac_sdn

SALT = "earcheck-screening-eval/holdout-v1:"


@dataclass(frozen=True, slots=True)
class HeldOut:
    qid: str
    origin: str  # "csl", "sdn-2024" or "sdn-rename"
    name: str
    country: str
    kind: str  # the alias class label, e.g. "variant: acronym"
    expected: str  # space-separated list ids of the right party
    note: str  # "", "twin" (another entry of the party still has it) or "shared" (another party has it)
    against: str  # the entry name the class was decided against
    entry_type: str  # "person", "organisation" or "unknown"

    @property
    def expected_ids(self) -> frozenset[str]:
        return frozenset(self.expected.split())


def _hash(text: str) -> str:
    return hashlib.sha256((SALT + text).encode("utf-8")).hexdigest()


def _type(entry: ListEntry) -> str:
    if is_person(entry):
        return "person"
    return "organisation" if is_organisation(entry) else "unknown"


def hold_out(
    entries: Sequence[ListEntry],
    origin: str,
    limit: int | None,
    eligible: Callable[[ListEntry], bool] = is_party,
) -> tuple[list[ListEntry], list[HeldOut]]:
    """The entries with one alias each held out (for ``limit`` eligible entries, drawn by hash), and
    the queries."""
    parties = Parties.of(entries)
    names_by_fold: dict[str, set[str]] = {}
    for entry in entries:
        for name in entry.names:
            names_by_fold.setdefault(fold(name), set()).add(entry.list_id)
    candidates = sorted(
        (e for e in entries if eligible(e) and any(fold(a) != fold(e.name) for a in e.aliases)),
        key=lambda e: _hash(f"{origin}:{e.list_id}"),
    )
    chosen = candidates if limit is None else candidates[:limit]
    held: dict[str, str] = {}
    queries = []
    for entry in chosen:
        options = sorted((a for a in entry.aliases if fold(a) != fold(entry.name)), key=lambda a: _hash(a))
        alias = options[0]
        held[entry.list_id] = alias
        kept = [n for n in entry.names if n != alias]
        queries.append(_query(origin, entry, alias, kept, parties, names_by_fold))
    reduced = [
        replace(e, aliases=tuple(a for a in e.aliases if a != held[e.list_id])) if e.list_id in held else e
        for e in entries
    ]
    return reduced, queries


def _query(
    origin: str,
    entry: ListEntry,
    name: str,
    kept: Sequence[str],
    parties: Parties,
    names_by_fold: dict[str, set[str]],
) -> HeldOut:
    label: AliasClass = classify(name, kept, person=is_person(entry))
    party = parties.right_answers(entry.list_id)
    holders = names_by_fold.get(fold(name), set()) - {entry.list_id}
    note = "twin" if holders & party else ("shared" if holders else "")
    country = entry.countries[0] if len(set(entry.countries)) == 1 else ""
    qid = "r-" + _hash(f"{origin}:{entry.list_id}:{name}")[:12]
    return HeldOut(qid, origin, name, country, label.label, " ".join(sorted(party)), note, label.against, _type(entry))


def sdn_entries(data: Path, relative: str) -> list[ListEntry]:
    return list(ofac_sdn.parse(data / relative, as_of=snapshot_date(data, relative)))


def governing_2024(csl_entries: Sequence[ListEntry], sdn_2024: Sequence[ListEntry]) -> list[ListEntry]:
    """The entries that govern 2024-05-03: the SDN from that SDN.CSV, every other list from the CSL."""
    return [*sdn_2024, *(e for e in csl_entries if e.list_code is not ListCode.SDN)]


def renames(
    sdn_2021: Sequence[ListEntry], index_entries: Sequence[ListEntry]
) -> tuple[list[ListEntry], list[HeldOut], int]:
    """Entries renamed between the snapshots: the old names as queries against the new entries (old
    name removed from the aliases), and how many old names OFAC had kept as an alias."""
    old = {e.list_id: e for e in sdn_2021}
    parties = Parties.of(index_entries)
    names_by_fold: dict[str, set[str]] = {}
    for entry in index_entries:
        for name in entry.names:
            names_by_fold.setdefault(fold(name), set()).add(entry.list_id)
    queries = []
    kept_as_alias = 0
    changed: dict[str, ListEntry] = {}
    for entry in index_entries:
        if entry.list_code is not ListCode.SDN or entry.list_id not in old or old[entry.list_id].name == entry.name:
            continue
        previous = old[entry.list_id].name
        if any(fold(a) == fold(previous) for a in entry.aliases):
            kept_as_alias += 1
        changed[entry.list_id] = replace(entry, aliases=tuple(a for a in entry.aliases if fold(a) != fold(previous)))
        own_fold = fold(previous)
        names_by_fold[own_fold] = names_by_fold.get(own_fold, set()) - {entry.list_id}
        query = _query(
            "sdn-rename", changed[entry.list_id], previous, changed[entry.list_id].names, parties, names_by_fold
        )
        queries.append(query)
    reduced = [changed.get(e.list_id, e) if e.list_code is ListCode.SDN else e for e in index_entries]
    return reduced, queries, kept_as_alias


@dataclass(frozen=True, slots=True)
class SdnQueries:
    """The SDN side of the real variants: the 2024 index with the held-out a.k.a.s removed, the held-out
    a.k.a.s, the renamed entries' 2021 names, and how many of those OFAC kept as an a.k.a."""

    index: list[ListEntry]
    held_out: list[HeldOut]
    renamed: list[HeldOut]
    kept_as_alias: int


def sdn_queries(data: Path, csl_entries: Sequence[ListEntry], count: int) -> SdnQueries:
    """Hold ``count`` SDN a.k.a.s out of the lists that govern 2024-05-03, leaving alone the entries whose
    name changed since 2021-08-18 (their old names are queries of their own)."""
    sdn_2021 = sdn_entries(data, "ofac/sdn-2021-08-18.csv")
    sdn_2024 = sdn_entries(data, "ofac/sdn-2024-05-03.csv")
    index_2024, renamed, kept = renames(sdn_2021, governing_2024(csl_entries, sdn_2024))
    renamed_ids = {q.expected for q in renamed}
    reduced, held = hold_out(
        index_2024,
        "sdn-2024",
        count,
        lambda e: e.list_code is ListCode.SDN and not any(e.list_id in ids.split() for ids in renamed_ids),
    )
    return SdnQueries(reduced, held, renamed, kept)


def as_of(data: Path) -> tuple[date, date]:
    return snapshot_date(data, "csl/consolidated.csv"), snapshot_date(data, "ofac/sdn-2024-05-03.csv")
