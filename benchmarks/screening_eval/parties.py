"""The list entries this evaluation is built from, grouped into parties, and the dev/test split.

One party is often listed more than once (Hikvision on the Entity List and on the CMIC list, an SDN
entry and its Entity List twin). Two rules, one loose and one strict, both on names folded with the
legal form set aside and only where the name has two words and eight letters or more:

- *For the split*, entries are joined into one party when they share a name or alias, and so on
  transitively: the split is drawn per party, so that nothing one entry is known by has variants on
  both sides of it. Joining too much here costs nothing but balance.
- *For the right answer* to a query made from an entry, the entry itself and the entries the lists
  link to it directly (``right_answers``): one whose primary name is a name of the entry, or which
  has the entry's primary name among its names. Not transitive, so that two people who each carry the
  alias "Abu Muhammad" do not answer for each other. Also right: an entry of another party listed under
  the very name queried or varied (``listed_as``), since the name alone cannot tell the two apart
  ("JOINT STOCK COMPANY STAR" is two entries, its one word too short to join on).

The split: a party goes to ``dev`` or ``test`` by the SHA-256 of ``SPLIT_SALT`` and the smallest CSL
``_id`` among its entries. It depends on nothing else, so a new variant rule or seed never moves a party.
The right answers of a query always lie on its own side (they are linked, so joined).
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


def _joining_keys(entry: ListEntry, primary_only: bool = False) -> set[str]:
    found = set()
    for name in (entry.name,) if primary_only else entry.names:
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

    @cached_property
    def _holders(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Joining key -> entries with it as primary name; -> entries with it as any name."""
        primary: dict[str, set[str]] = {}
        anywhere: dict[str, set[str]] = {}
        for entry in self.entries:
            for name_key in _joining_keys(entry):
                anywhere.setdefault(name_key, set()).add(entry.list_id)
            for name_key in _joining_keys(entry, primary_only=True):
                primary.setdefault(name_key, set()).add(entry.list_id)
        return primary, anywhere

    def same_party(self, list_id: str) -> frozenset[str]:
        """Every entry joined with this one (the loose rule the split uses)."""
        return self.members[self.party_of[list_id]]

    def right_answers(self, list_id: str) -> frozenset[str]:
        """The entry and the entries the lists link to it directly (the strict rule, see above)."""
        primary, anywhere = self._holders
        entry = self.by_id[list_id]
        found = {list_id}
        for name_key in _joining_keys(entry):
            found |= primary.get(name_key, set())
        for name_key in _joining_keys(entry, primary_only=True):
            found |= anywhere.get(name_key, set())
        return frozenset(found)

    def listed_as(self, *names: str) -> frozenset[str]:
        """The entries with one of ``names`` as a name or alias (case, accents and punctuation aside)."""
        return frozenset().union(*(self._by_folded_name.get(fold(name), frozenset()) for name in names))

    def split(self, list_id: str) -> str:
        return split_of(self.party_of[list_id])
