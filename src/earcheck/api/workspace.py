"""What the API and the web UI need from the engine and the screener, and how they get it.

``earcheck.workspace.Workspace`` (the facade over the engine, the screener and the imported data)
is the real implementation and the default; tests pass a double to ``create_app(settings,
workspace=...)``. ``WorkspacePort`` is the part of it the faces call. Browsing the lists
(``EntryCatalogue``) is optional: a workspace without it makes those routes answer 503 with a
clear message.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast, runtime_checkable

from earcheck.errors import NoData
from earcheck.lists import Hit, ListCode, ListEntry
from earcheck.model import Case, Determination
from earcheck.settings import Settings

__all__ = ["EntryCatalogue", "ListSummary", "WorkspacePort", "catalogue", "open_default"]


class WorkspacePort(Protocol):
    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> list[Hit]: ...

    def determine(self, case: Case) -> Determination: ...

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Any: ...


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


def catalogue(workspace: WorkspacePort) -> EntryCatalogue:
    if isinstance(workspace, EntryCatalogue):
        return workspace
    raise NoData("this workspace cannot browse the lists; screen a name instead")


class _Deferred:
    """Opens the real workspace on first use, so that the server starts (and the records work)
    before any data is imported; until then, screening and determinations answer 503."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._opened: WorkspacePort | None = None
        self._lock = threading.Lock()

    def _get(self) -> WorkspacePort:
        with self._lock:
            if self._opened is None:
                try:
                    module = importlib.import_module("earcheck.workspace")
                except ModuleNotFoundError:
                    raise NoData(
                        "this build of earcheck has no engine (earcheck.workspace is missing): "
                        "screening and determinations are unavailable"
                    ) from None
                self._opened = cast(WorkspacePort, module.Workspace.open(self._settings))
            return self._opened

    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> list[Hit]:
        return self._get().screen(name, country, as_of)

    def determine(self, case: Case) -> Determination:
        return self._get().determine(case)

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Any:
        return self._get().timeline(case, start, end)

    def list_summaries(self) -> Sequence[ListSummary]:
        return catalogue(self._get()).list_summaries()

    def list_entries(self, code: ListCode, offset: int, limit: int) -> Sequence[ListEntry]:
        return catalogue(self._get()).list_entries(code, offset, limit)

    def get_entry(self, list_id: str) -> ListEntry | None:
        return catalogue(self._get()).get_entry(list_id)


def open_default(settings: Settings) -> WorkspacePort:
    return _Deferred(settings)
