"""Screeners over the lists loaded in the store, one per set of governing snapshots.

The lists that govern a date (``Store.governing_list_snapshots``) decide which entries are screened:
for a date in 2021 the SDN entries come from the 2021 SDN.CSV and the other lists from the CSL. The
index of those entries is cached under ``$EARCHECK_HOME/screening/`` keyed by that set (list code and
snapshot id for each list), so a date that shares the set shares the index. ``earcheck data import``
builds today's index right away; another set is built the first time it is screened.

Each hit's status comes from ``earcheck.regulations.entity_list.entry_status`` with the snapshot that
governs the entry's list: the dated Entity List facts where earcheck has them, else the snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from earcheck.lists import EntryStatus, Hit, ListCode, ListEntry
from earcheck.regulations.entity_list import entry_status
from earcheck.screening.index import index_path, load_or_build
from earcheck.screening.screener import Screener, ScreeningConfig
from earcheck.store import SnapshotInfo, Store

__all__ = ["StoreScreener", "governing_key", "prepare", "screener_for"]


def governing_key(governing: Mapping[ListCode, SnapshotInfo]) -> tuple[str, ...]:
    """The identity of a set of governing snapshots: ``("DPL=<id>", "EL=<id>", ...)``."""
    return tuple(sorted(f"{code.value}={info.id}" for code, info in governing.items()))


def screener_for(store: Store, home: Path, as_of: date, config: ScreeningConfig | None = None) -> Screener:
    """A screener over the entries that govern ``as_of``, its index loaded from (or built into)
    the cache under ``home``. Raises ``NoData`` when no list is loaded."""
    governing = store.governing_list_snapshots(as_of)
    entries = store.list_entries(as_of)

    def status(entry: ListEntry, day: date) -> EntryStatus:
        return entry_status(entry, day, governing.get(entry.list_code))

    return Screener.load(home, entries, governing_key(governing), config=config, entry_status=status)


def prepare(store: Store, home: Path, as_of: date, algorithm: str | None = None) -> Path:
    """Build (if not cached yet) the index of the lists that govern ``as_of``; its path."""
    config = ScreeningConfig() if algorithm is None else ScreeningConfig(algorithm=algorithm)
    governing = store.governing_list_snapshots(as_of)
    key = governing_key(governing)
    load_or_build(home, store.list_entries(as_of), config.algorithm, key)
    return index_path(home, key, config.algorithm)


class StoreScreener:
    """A ``PartyScreener`` for any date: it screens against the lists that govern the date asked
    about, keeping one loaded screener per set of governing snapshots."""

    def __init__(self, store: Store, home: Path, config: ScreeningConfig | None = None) -> None:
        self._store = store
        self._home = home
        self._config = config
        self._screeners: dict[tuple[str, ...], Screener] = {}
        self._keys: dict[date, tuple[str, ...]] = {}
        self._keys_read = 0.0

    KEYS_SECONDS = 5.0

    def screener(self, as_of: date) -> Screener:
        # Which snapshots govern a date changes only when lists are imported: remember it a few
        # seconds (another process may import meanwhile).
        now = time.monotonic()
        if now - self._keys_read > self.KEYS_SECONDS:
            self._keys.clear()
            self._keys_read = now
        key = self._keys.get(as_of)
        if key is None:
            key = self._keys[as_of] = governing_key(self._store.governing_list_snapshots(as_of))
        found = self._screeners.get(key)
        if found is None:
            found = self._screeners[key] = screener_for(self._store, self._home, as_of, self._config)
        return found

    def screen(self, name: str, country: str | None, as_of: date) -> list[Hit]:
        return list(self.screener(as_of).screen(name, country, as_of))

    @property
    def algorithm(self) -> str:
        """The released matching algorithm this screener scores with."""
        return (self._config or ScreeningConfig()).algorithm

    def forget(self) -> None:
        """Drop remembered name matches (benchmarks measure screening without them), and which
        snapshots govern each date: after an import in this process, the next screening must use the
        new lists at once, not up to ``KEYS_SECONDS`` later."""
        self._keys.clear()
        for screener in self._screeners.values():
            screener.forget()
