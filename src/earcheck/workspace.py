"""The application's one entry point for the faces: open the state under ``$EARCHECK_HOME`` (or the
shared database) once, then screen names, decide cases and draw timelines against it.

The CLI, the REST API, the web UI and batch jobs all go through a ``Workspace``; none of them opens the
store or builds an engine context on its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from earcheck.engine import Context, determine
from earcheck.engine.timeline import Timeline, timeline
from earcheck.errors import NoData
from earcheck.lists import Hit, PartyScreener
from earcheck.model import Case, Determination
from earcheck.parties import ExactScreener
from earcheck.records.keys import Actor
from earcheck.records.review_queue import RescreenReport, rescreen
from earcheck.records.screening import DecidingScreener
from earcheck.screening.screener import ScreeningConfig
from earcheck.screening.snapshots import StoreScreener
from earcheck.settings import Settings
from earcheck.store import ImportReport, ListBasis, Store
from earcheck.supplychain.bom_store import BomStore
from earcheck.supplychain.rollup import rollup, with_boms

__all__ = ["Workspace"]


class Workspace:
    def __init__(self, store: Store, screener: PartyScreener | None = None, boms: BomStore | None = None) -> None:
        self.store = store
        self.boms = boms
        self.screener = screener or ExactScreener(store)
        self._contexts: dict[date, Context] = {}
        self._context_by_day: dict[date, Context] = {}

    @classmethod
    def open(cls, settings: Settings, config: ScreeningConfig | None = None) -> Workspace:
        """The workspace of ``settings``: its store, and the fuzzy screener (thresholds in ``config``)
        over the lists that govern each date, applying the decisions people recorded."""
        store = Store.open(settings)
        screener = StoreScreener(store, settings.ensure_home(), config)
        return cls(store, DecidingScreener(screener, store.engine), BomStore(settings.ensure_home() / "boms"))

    def lists_version(self) -> str:
        """The list snapshots loaded, for a determination's provenance."""
        lists = [info for info in self.store.snapshots() if info.kind.is_list]
        return "; ".join(f"{info.file_name}@{info.as_of.isoformat()}#{info.id[:8]}" for info in lists) or "none"

    def context(self, as_of: date) -> Context:
        """The engine context for the EAR tables edition that governs ``as_of``."""
        found = self._context_by_day.get(as_of)
        if found is not None:
            return found
        tables = self.store.ear_tables(as_of)
        found = self._contexts.get(tables.edition)
        if found is None:
            found = self._contexts[tables.edition] = Context(tables, self.screener, self.lists_version())
        if len(self._context_by_day) > 100_000:
            self._context_by_day.clear()
        self._context_by_day[as_of] = found
        return found

    def refresh_decisions(self) -> None:
        """Apply screening decisions recorded a moment ago at once (they are re-read within a second)."""
        refresh = getattr(self.screener, "refresh", None)
        if callable(refresh):
            refresh()

    def forget_screenings(self) -> None:
        """Drop every remembered screening result (benchmarks measure with and without them)."""
        for context in self._contexts.values():
            context.forget_screenings()
        forget = getattr(self.screener, "forget", None)
        if callable(forget):
            forget()

    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> Sequence[Hit]:
        return self.screener.screen(name, country, as_of or date.today())

    def list_basis(self, as_of: date | None = None) -> ListBasis:
        """The list snapshots that govern ``as_of`` (default today), and whether they are stale then."""
        return self.store.list_basis(as_of or date.today())

    def bom_store(self) -> BomStore:
        if self.boms is None:
            raise NoData("this workspace keeps no bills of materials")
        return self.boms

    def determine(self, case: Case, today: date | None = None) -> Determination:
        """Decide ``case``; the answer names the list snapshots it rests on and warns when they are stale.
        Items given as bills of materials (``bom: ID``) are decided on their BOM's content, and the answer
        shows each BOM's de minimis rollup."""
        today = today or date.today()
        context = self.context(case.as_of or today)
        loaded = {item.bom: self.bom_store().load(item.bom) for item in case.items if item.bom is not None}
        boms = {i: loaded[item.bom] for i, item in enumerate(case.items) if item.bom is not None}
        if boms:
            case = with_boms(case, loaded.__getitem__)
        answer = determine(case, context, today)
        if boms:
            rollups = tuple(rollup(case, i, bom, context, today) for i, bom in boms.items())
            asked = tuple(q for r in rollups for q in r.questions if q not in answer.missing_facts)
            answer = dataclasses.replace(answer, rollups=rollups, missing_facts=(*answer.missing_facts, *asked))
        basis = self.list_basis(answer.as_of)
        return dataclasses.replace(
            answer,
            warnings=(*basis.warnings, *answer.warnings),
            provenance=dataclasses.replace(answer.provenance, lists=basis.version, list_snapshots=basis.snapshots),
        )

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Timeline:
        end = end or date.today()
        return timeline(case, self.context, start, end)

    def rescreen_after(self, report: ImportReport, actor: Actor, today: date | None = None) -> RescreenReport | None:
        """After an import that stored a new list snapshot, screen every stored party again against the
        lists that now govern ``today`` and queue what changed (``earcheck.records.review_queue``)."""
        if not any(f.imported and f.kind.is_list for f in report.files):
            return None
        today = today or date.today()
        self.forget_screenings()  # results remembered under the old lists must not be reused
        self.refresh_decisions()
        return rescreen(self.store.engine, self.screener, actor, today, self.list_basis(today))
