"""Screeners over the lists loaded in the store, one per set of governing snapshots.

The lists that govern a date (``Store.governing_list_snapshots``) decide which entries are screened:
for a date in 2021 the SDN entries come from the 2021 SDN.CSV and the other lists from the CSL. The
index of those entries is cached under ``$EARCHECK_HOME/screening/`` keyed by that set (list code and
snapshot id for each list), so a date that shares the set shares the index. ``earcheck data import``
builds today's index right away; another set is built the first time it is screened.

Each hit's status comes from ``earcheck.regulations.entity_list.entry_status`` with the snapshot that
governs the entry's list: the dated Entity List facts where earcheck has them, else the snapshot.

``prepare_periods`` (run by every ``earcheck data`` command that imports) builds the prebuilt index
(a pack that holds its entries, see ``earcheck.screening.index``) of every list period and writes a
catalogue of the periods beside them: which packs govern which dates, and which list files they
hold, for which database and which imported snapshots. With it, ``cached_screener`` screens one name
without opening the store: the catalogue says which pack governs the date, the pack is memory-mapped,
and one read-only query of the SQLite file (standard library) checks that no snapshot was imported
or retired since the catalogue was written. A catalogue of another database or of other snapshots, a
missing pack, a database other than a SQLite file, or no catalogue at all, and the caller falls back
to the store (``screener_for``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from earcheck.basis import ListBasis, ListSnapshot, basis_of, list_basis
from earcheck.lists import EntryStatus, Hit, ListCode, ListEntry
from earcheck.regulations.entity_list import entry_status
from earcheck.screening.index import index_path, load_or_build, open_pack
from earcheck.screening.screener import Screener, ScreeningConfig

if TYPE_CHECKING:  # the store (and SQLAlchemy) is not imported to screen from a prebuilt index
    from earcheck.store import SnapshotInfo, Store

__all__ = [
    "StoreScreener",
    "cached_screener",
    "catalogue_path",
    "governing_key",
    "prepare",
    "prepare_periods",
    "screener_for",
    "snapshot_state",
]


def governing_key(governing: Mapping[ListCode, SnapshotInfo]) -> tuple[str, ...]:
    """The identity of a set of governing snapshots: ``("DPL=<id>", "EL=<id>", ...)``."""
    return tuple(sorted(f"{code.value}={info.id}" for code, info in governing.items()))


def screener_for(store: Store, home: Path, as_of: date, config: ScreeningConfig | None = None) -> Screener:
    """A screener over the entries that govern ``as_of``, its index mapped from the pack under
    ``home`` (built there first if missing). Raises ``NoData`` when no list is loaded."""
    config = config or ScreeningConfig()
    governing = store.governing_list_snapshots(as_of)
    key = governing_key(governing)

    def status(entry: ListEntry, day: date) -> EntryStatus:
        return entry_status(entry, day, governing.get(entry.list_code))

    opened = open_pack(home, key, config.algorithm) if governing else None
    if opened is None:
        return Screener.load(home, store.list_entries(as_of), key, config=config, entry_status=status)
    index, entries = opened
    return Screener(index, entries, config=config, entry_status=status)


def prepare(store: Store, home: Path, as_of: date, algorithm: str | None = None) -> Path:
    """Build (if not cached yet) the index of the lists that govern ``as_of``; its path."""
    config = ScreeningConfig() if algorithm is None else ScreeningConfig(algorithm=algorithm)
    governing = store.governing_list_snapshots(as_of)
    key = governing_key(governing)
    if open_pack(home, key, config.algorithm) is None:
        load_or_build(home, store.list_entries(as_of), config.algorithm, key)
    return index_path(home, key, config.algorithm)


# --- the catalogue of list periods: screening one name without the store --------------------------

CATALOGUE_FORMAT = 2


def catalogue_path(home: Path, algorithm: str) -> Path:
    return home / "screening" / f"periods-{algorithm}.json"


def _database_id(database_url: str) -> str:
    return hashlib.sha256(database_url.encode()).hexdigest()[:16]


def snapshot_state(infos: Iterable[SnapshotInfo]) -> list[str]:
    """What the catalogue must agree with: every imported snapshot's id, and whether it is retired."""
    return sorted(info.id + ("/retired" if info.retired else "") for info in infos)


def _sqlite_path(database_url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL; None for any other database or URL form."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or "?" in database_url:
        return None
    path = database_url[len(prefix) :]
    return Path(path) if path and path != ":memory:" else None


def _stored_state(database_url: str) -> list[str] | None:
    """``snapshot_state`` read straight from a SQLite store with the standard library (no SQLAlchemy,
    no migrations: read only); None for another database or when it cannot be read. It reads the
    store's ``snapshots`` table (``earcheck.store.tables``); a test keeps the two in step."""
    path = _sqlite_path(database_url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT id, retired_at IS NOT NULL FROM snapshots").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return sorted(str(id_) + ("/retired" if retired else "") for id_, retired in rows)


def prepare_periods(store: Store, home: Path, database_url: str, algorithm: str | None = None) -> Path:
    """Build the index of every list period (the same lists govern every day from one snapshot date to
    the next, and every day before the first) and write the catalogue of them; its path."""
    config = ScreeningConfig() if algorithm is None else ScreeningConfig(algorithm=algorithm)
    infos = store.snapshots()
    days = sorted({info.as_of for info in infos if info.kind.is_list and not info.retired})
    periods: list[dict[str, Any]] = []
    for start, day in ((None, days[0] - timedelta(days=1)), *((d, d) for d in days)) if days else ():
        governing = store.governing_list_snapshots(day)
        prepare(store, home, day, config.algorithm)
        periods.append(
            {
                "from": start.isoformat() if start else None,
                "key": list(governing_key(governing)),
                "lists": [
                    [s.list_code, s.snapshot, s.file_name, s.as_of.isoformat()]
                    for s in list_basis(governing, day).snapshots
                ],
            }
        )
    path = catalogue_path(home, config.algorithm)
    document = {
        "format": CATALOGUE_FORMAT,
        "algorithm": config.algorithm,
        "database": _database_id(database_url),
        "snapshots": snapshot_state(infos),
        "periods": periods,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=1)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


@dataclass(frozen=True, slots=True)
class _Governing:
    """The date of the snapshot that governs a list (all ``entry_status`` reads of it)."""

    as_of: date


def cached_screener(
    home: Path, database_url: str, as_of: date, config: ScreeningConfig | None = None
) -> tuple[Screener, ListBasis] | None:
    """A screener for ``as_of`` and the lists it screens against, from the catalogue and the packs
    alone; None when they cannot be trusted to answer: no catalogue, one written for another database
    or for other snapshots than the store now holds (an import or a retirement since), a pack missing,
    or a database this cannot read without the store (anything but a SQLite file)."""
    config = config or ScreeningConfig()
    try:
        document = json.loads(catalogue_path(home, config.algorithm).read_text(encoding="utf-8"))
        if (
            document.get("format") != CATALOGUE_FORMAT
            or document.get("algorithm") != config.algorithm
            or document.get("database") != _database_id(database_url)
            or not document.get("periods")
        ):
            return None
        period = document["periods"][0]
        for candidate in document["periods"][1:]:
            if date.fromisoformat(candidate["from"]) <= as_of:
                period = candidate
        used = tuple(
            ListSnapshot(str(code), str(snapshot), str(file_name), date.fromisoformat(day))
            for code, snapshot, file_name, day in period["lists"]
        )
        key = tuple(str(k) for k in period["key"])
        state = document["snapshots"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if _stored_state(database_url) != state:
        return None
    opened = open_pack(home, key, config.algorithm)
    if opened is None:
        return None
    governing = {ListCode(s.list_code): _Governing(s.as_of) for s in used}

    def status(entry: ListEntry, day: date) -> EntryStatus:
        return entry_status(entry, day, governing.get(entry.list_code))

    index, entries = opened
    return Screener(index, entries, config=config, entry_status=status), basis_of(used, as_of)


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
