"""What the API and the web UI need from the engine and the screener, and how they get it.

``earcheck.workspace.Workspace`` (the facade over the engine, the screener and the imported data)
is the real implementation and the default; tests pass a double to ``create_app(settings,
workspace=...)``. ``WorkspacePort`` is the part of it the faces call. Browsing the lists
(``EntryCatalogue``) is read from the workspace's store (``StoreCatalogue``); a workspace without
it makes those routes answer 503 with a clear message.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

from fastapi import Request

from earcheck.errors import NoData
from earcheck.lists import Hit, ListCode, ListEntry
from earcheck.model import Case, Determination
from earcheck.settings import Settings
from earcheck.store import ListBasis, SnapshotInfo, Store
from earcheck.tables import EarTables
from earcheck.workspace import Workspace

__all__ = [
    "CclCatalogue",
    "EntryCatalogue",
    "ListSummary",
    "StoreCatalogue",
    "TableSource",
    "WorkspacePort",
    "catalogue",
    "open_default",
    "workspace_of",
]


class WorkspacePort(Protocol):
    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> Sequence[Hit]: ...

    def determine(self, case: Case) -> Determination: ...

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Any: ...

    def list_basis(self, as_of: date | None = None) -> ListBasis: ...


@dataclass(frozen=True, slots=True)
class ListSummary:
    code: ListCode
    source: str
    entries: int
    snapshot: str
    snapshot_date: date


@runtime_checkable
class EntryCatalogue(Protocol):
    """Browsing the imported lists: one page of entries at a time."""

    def list_summaries(self) -> Sequence[ListSummary]: ...

    def list_entries(self, code: ListCode, offset: int, limit: int) -> Sequence[ListEntry]: ...

    def get_entry(self, list_id: str) -> ListEntry | None: ...


@runtime_checkable
class CclCatalogue(Protocol):
    """The Commerce Control List as in force on a date, for finding an ECCN by its number or heading."""

    def eccn_headings(self, as_of: date) -> Mapping[str, str]: ...


@runtime_checkable
class TableSource(Protocol):
    """The imported EAR tables governing a date (``earcheck.store.Store.ear_tables``), for the lookups."""

    def ear_tables(self, as_of: date) -> EarTables: ...


def workspace_of(request: Request) -> WorkspacePort:
    """The workspace ``create_app`` opened, for a request."""
    workspace: WorkspacePort = request.app.state.workspace
    return workspace


def decisions_recorded(workspace: WorkspacePort) -> None:
    """Tell the workspace that a screening decision was just recorded, so the next answers apply it."""
    refresh = getattr(workspace, "refresh_decisions", None)
    if callable(refresh):
        refresh()


def catalogue(workspace: WorkspacePort) -> EntryCatalogue:
    if isinstance(workspace, EntryCatalogue):
        return workspace
    raise NoData("this workspace cannot browse the lists; screen a name instead")


class StoreCatalogue:
    """Browsing the lists of a ``earcheck.store.Store``: the snapshots that govern today."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _governing(self) -> dict[ListCode, SnapshotInfo]:
        governing = self.store.governing_list_snapshots(date.today())
        if not governing:
            raise NoData("no restricted-party lists are loaded: run `earcheck data import PATH` first")
        return governing

    def _entries(self, code: ListCode, info: SnapshotInfo) -> list[ListEntry]:
        return [e for e in self.store.snapshot_entries(info.id) if e.list_code is code]

    def list_summaries(self) -> Sequence[ListSummary]:
        summaries = []
        for code, info in sorted(self._governing().items()):
            entries = self._entries(code, info)
            source = entries[0].source if entries else code.value
            summaries.append(ListSummary(code, source, len(entries), info.file_name, info.as_of))
        return summaries

    def list_entries(self, code: ListCode, offset: int, limit: int) -> Sequence[ListEntry]:
        info = self._governing().get(code)
        return [] if info is None else self._entries(code, info)[offset : offset + limit]

    def get_entry(self, list_id: str) -> ListEntry | None:
        for code, info in self._governing().items():
            for entry in self._entries(code, info):
                if entry.list_id == list_id:
                    return entry
        return None


class _Deferred:
    """Opens the real workspace on first use, so that the server starts (and the records work)
    before any data is imported; until then, screening and determinations answer 503."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._opened: Workspace | None = None
        self._lock = threading.Lock()

    def _get(self) -> Workspace:
        with self._lock:
            if self._opened is None:
                self._opened = Workspace.open(self._settings)
            return self._opened

    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> Sequence[Hit]:
        return self._get().screen(name, country, as_of)

    def screen_all(self, name: str, country: str | None = None, as_of: date | None = None) -> Sequence[Hit]:
        return self._get().screen_all(name, country, as_of)

    def refresh_decisions(self) -> None:
        if self._opened is not None:
            self._opened.refresh_decisions()

    def determine(self, case: Case) -> Determination:
        return self._get().determine(case)

    def list_basis(self, as_of: date | None = None) -> ListBasis:
        return self._get().list_basis(as_of)

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Any:
        return self._get().timeline(case, start, end)

    def list_summaries(self) -> Sequence[ListSummary]:
        return StoreCatalogue(self._get().store).list_summaries()

    def eccn_headings(self, as_of: date) -> Mapping[str, str]:
        return {code: entry.heading for code, entry in self.ear_tables(as_of).ccl.items()}

    def ear_tables(self, as_of: date) -> EarTables:
        return self._get().store.ear_tables(as_of)

    def list_entries(self, code: ListCode, offset: int, limit: int) -> Sequence[ListEntry]:
        return StoreCatalogue(self._get().store).list_entries(code, offset, limit)

    def get_entry(self, list_id: str) -> ListEntry | None:
        return StoreCatalogue(self._get().store).get_entry(list_id)


def open_default(settings: Settings) -> WorkspacePort:
    """The real workspace (``earcheck.workspace.Workspace``) with list browsing over its store."""
    return _Deferred(settings)
