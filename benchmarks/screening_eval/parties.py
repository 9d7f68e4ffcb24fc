"""The list entries this evaluation is built from, grouped into parties, and the dev/test split.

One party is often listed more than once (Hikvision on the Entity List and on the CMIC list, an SDN
entry and its Entity List twin). Entries are joined into one party when they share a name or alias
(folded, legal form set aside, at least two words and eight letters, so that "Mohammad Ali" does not
join strangers). A hit on any entry of the party is the right answer, and the split is drawn per party,
so that no party has variants on both sides of it. A hit on an entry of another party that is listed
under the very name queried, or the name the variant was made from (``listed_as``), is right too: the
name alone cannot tell the two apart ("JOINT STOCK COMPANY STAR" is two entries the joining rule keeps
apart, its one word being too short to join on).

The split: a party goes to ``dev`` or ``test`` by the SHA-256 of ``SPLIT_SALT`` and the smallest CSL
``_id`` among its entries. It depends on nothing else, so a new variant rule or seed never moves a party.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from benchmarks.screening_eval.fold import core_tokens, fold, key
from earcheck.lists import ListEntry
from earcheck.sources import csl

SPLIT_SALT = "earcheck-screening-eval/split-v1:"
SPLITS = ("dev", "test")
SHARED = Path(os.environ.get("EARCHECK_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


def shared_data() -> Path:
    """``../shared/data`` beside the checkout, or ``$EARCHECK_SHARED_DATA`` (as the tests find it)."""
    return SHARED


def snapshot_date(data: Path, relative: str) -> date:
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    return date.fromisoformat(manifest["files"][relative]["as_of"])


def load_csl(data: Path | None = None) -> list[ListEntry]:
    """The CSL entries, read by earcheck's own adapter with the snapshot's as-of date."""
    folder = data or shared_data()
    relative = "csl/consolidated.csv"
    return list(csl.parse(folder / relative, as_of=snapshot_date(folder, relative)))


def split_of(identity: str) -> str:
    digest = hashlib.sha256((SPLIT_SALT + identity).encode("utf-8")).digest()
    return SPLITS[digest[0] % 2]


def _joining_keys(entry: ListEntry) -> set[str]:
    found = set()
    for name in entry.names:
        words = core_tokens(name)
        if len(words) >= 2 and sum(map(len, words)) >= 8:
            found.add(key(name))
    return found


@dataclass(frozen=True)
class Parties:
    """Entries grouped into parties: ``party_of[list_id]`` is the party's id (its smallest ``_id``)."""

    entries: Sequence[ListEntry]
    party_of: Mapping[str, str]

    @classmethod
    def of(cls, entries: Iterable[ListEntry]) -> Parties:
        listed = list(entries)
        parent = {entry.list_id: entry.list_id for entry in listed}

        def root(item: str) -> str:
            while parent[item] != item:
                parent[item] = parent[parent[item]]
                item = parent[item]
            return item

        first_with: dict[str, str] = {}
        for entry in listed:
            for name_key in _joining_keys(entry):
                other = first_with.setdefault(name_key, entry.list_id)
                a, b = root(other), root(entry.list_id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        members: dict[str, list[str]] = {}
        for entry in listed:
            members.setdefault(root(entry.list_id), []).append(entry.list_id)
        party_of = {member: min(group) for group in members.values() for member in group}
        return cls(listed, party_of)

    @cached_property
    def members(self) -> dict[str, frozenset[str]]:
        grouped: dict[str, set[str]] = {}
        for list_id, party in self.party_of.items():
            grouped.setdefault(party, set()).add(list_id)
        return {party: frozenset(ids) for party, ids in grouped.items()}

    @cached_property
    def by_id(self) -> dict[str, ListEntry]:
        return {entry.list_id: entry for entry in self.entries}

    @cached_property
    def _by_folded_name(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for entry in self.entries:
            for name in entry.names:
                found.setdefault(fold(name), set()).add(entry.list_id)
        return {name: frozenset(ids) for name, ids in found.items()}

    def same_party(self, list_id: str) -> frozenset[str]:
        return self.members[self.party_of[list_id]]

    def listed_as(self, *names: str) -> frozenset[str]:
        """The entries with one of ``names`` as a name or alias (case, accents and punctuation aside)."""
        return frozenset().union(*(self._by_folded_name.get(fold(name), frozenset()) for name in names))

    def split(self, list_id: str) -> str:
        return split_of(self.party_of[list_id])
