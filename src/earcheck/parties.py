"""Exact and alias lookup of a party on the restricted-party lists, as of a date.

This is the small, certain half of screening: a name matches an entry when, once normalised, it equals
the entry's name or one of its aliases. Normalising folds case, Unicode compatibility forms,
punctuation and whitespace ("Co., Ltd." = "CO LTD"), and treats a trailing parenthesised short name as
optional ("Huawei Technologies Co., Ltd. (Huawei)" also answers to "Huawei Technologies Co., Ltd." and
to "Huawei"). A CSL row named "Parent (P). Affiliated Entity: Child" is the child's entry, so it answers
to the child's name only. Fuzzy matching (typos, transliteration, reordered tokens) is the screening
package's job; this class implements the same ``PartyScreener`` protocol.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from earcheck.lists import Band, Hit, ListCode, ListEntry
from earcheck.regulations.entity_list import Snapshot, entry_status

__all__ = ["ExactScreener", "ListSource", "name_keys", "normalise_name"]

_AFFILIATE = re.compile(r"\baffiliated entity:\s*", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"^(?P<main>.+?)\s*\((?P<short>[^()]{1,40})\)\s*[.,;]*\s*$")
_NOT_WORD = re.compile(r"[^\w]+")
_ORDER = {True: 0, None: 1, False: 2}


def normalise_name(name: str) -> str:
    """Case-, width- and punctuation-folded form of a name: ``"Co., Ltd."`` -> ``"co ltd"``."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def name_keys(name: str) -> dict[str, str]:
    """The normalised keys a name answers to, each mapped to the form of the name that gives it."""
    match = _AFFILIATE.search(name)
    if match is not None:
        name = name[match.end() :]
    name = name.strip()
    keys: dict[str, str] = {}
    for form in _forms(name):
        key = normalise_name(form)
        if key:
            keys.setdefault(key, form)
    return keys


def _forms(name: str) -> list[str]:
    forms = [name]
    paren = _TRAILING_PAREN.match(name)
    if paren is not None:
        forms += [paren["main"].strip(), paren["short"].strip()]
    return forms


class ListSource(Protocol):
    """Where the entries come from: the store (``earcheck.store.Store``) satisfies this."""

    def list_entries(self, as_of: date) -> Sequence[ListEntry]: ...

    def governing_list_snapshots(self, as_of: date) -> Mapping[ListCode, Snapshot]: ...


@dataclass(frozen=True, slots=True)
class _Index:
    entries: Mapping[str, tuple[tuple[ListEntry, str], ...]]  # key -> (entry, matched name form)


class ExactScreener:
    """``PartyScreener`` by normalised exact match over names and aliases of the governing snapshots.

    Every hit scores 1.0 in band ``MATCH`` and carries the entry's status on the date (in force, why,
    footnotes, terms). ``country`` is accepted for the protocol but does not filter: an exact name match
    is reported wherever the entry is.
    """

    def __init__(self, source: ListSource) -> None:
        self._source = source
        self._indexes: dict[tuple[tuple[str, str], ...], _Index] = {}

    def screen(self, name: str, country: str | None, as_of: date) -> list[Hit]:
        governing = self._source.governing_list_snapshots(as_of)
        index = self._index(as_of, governing)
        seen: set[tuple[str, str]] = set()
        hits: list[Hit] = []
        for key in name_keys(name):
            for entry, form in index.entries.get(key, ()):
                if (entry.snapshot, entry.list_id) in seen:
                    continue
                seen.add((entry.snapshot, entry.list_id))
                status = entry_status(entry, as_of, governing.get(entry.list_code))
                hits.append(Hit(status, form, 1.0, Band.MATCH, {"exact": 1.0}))
        hits.sort(key=lambda h: (_ORDER[h.status.in_force], h.entry.list_code, h.entry.name, h.entry.list_id))
        return hits

    def _index(self, as_of: date, governing: Mapping[ListCode, Snapshot]) -> _Index:
        signature = tuple(sorted((code.value, _snapshot_key(s)) for code, s in governing.items()))
        index = self._indexes.get(signature)
        if index is None:
            table: dict[str, list[tuple[ListEntry, str]]] = {}
            for entry in self._source.list_entries(as_of):
                keys: dict[str, str] = {}
                for name in entry.names:
                    for key, form in name_keys(name).items():
                        keys.setdefault(key, form)
                for key, form in keys.items():
                    table.setdefault(key, []).append((entry, form))
            index = _Index({key: tuple(found) for key, found in table.items()})
            self._indexes[signature] = index
        return index


def _snapshot_key(snapshot: Snapshot) -> str:
    # The store's SnapshotInfo has an id; any other Snapshot is told apart by its date.
    return str(getattr(snapshot, "id", "")) + "@" + snapshot.as_of.isoformat()
