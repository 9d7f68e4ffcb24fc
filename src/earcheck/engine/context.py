"""What a determination is made against: the dated rules, the EAR tables, and the party lists.

``Context`` is built once per process (or per data version) and shared by every determination; its
caches hold lookups that many cases repeat -- a destination's chart row on a date, an ECCN's
controls, a party's screening -- so that a portfolio of cases runs at thousands per second.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Any, TypeVar

from earcheck.eccn import Eccn
from earcheck.engine.readings import listed_paragraphs
from earcheck.lists import Hit, ListCode, PartyScreener
from earcheck.regulations.ccl import EccnStatus, eccn_status
from earcheck.regulations.ccl_controls import ChartControl
from earcheck.regulations.ccl_grammar import read_row
from earcheck.regulations.country_chart import CountryStatus, country_status
from earcheck.regulations.de_minimis import DeMinimisData, de_minimis_data
from earcheck.regulations.editions import TableVersion
from earcheck.regulations.embargo import EmbargoData, embargo_data
from earcheck.regulations.exceptions import ExceptionData, exception_data
from earcheck.regulations.fdp import FdpRule, fdp_rules
from earcheck.regulations.list_effects import ListEffects, ListRule, list_effects
from earcheck.tables import CclControl, EarTables

__all__ = ["Context", "EccnView", "RuleBook", "note_tables", "rules_revision", "tables_noted", "tables_read"]

T = TypeVar("T")


@cache
def rules_revision() -> str:
    """A short hash of every packaged rule data file: the "rules" version in a determination's provenance."""
    digest = hashlib.sha256()
    folder = resources.files("earcheck.regulations") / "data"
    stack = [folder]
    files = []
    while stack:
        for entry in stack.pop().iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith(".yaml"):
                files.append(entry)
    for entry in sorted(files, key=lambda e: str(e)):
        digest.update(entry.name.encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RuleBook:
    """Earcheck's own dated rule data, loaded from the package."""

    fdp: tuple[FdpRule, ...]
    de_minimis: DeMinimisData
    lists: ListEffects
    embargoes: EmbargoData
    exceptions: ExceptionData
    revision: str
    list_rules: Mapping[ListCode, ListRule]

    @classmethod
    @cache
    def load(cls) -> RuleBook:
        return cls(
            fdp=fdp_rules(),
            de_minimis=de_minimis_data(),
            lists=list_effects(),
            embargoes=embargo_data(),
            exceptions=exception_data(),
            revision=rules_revision(),
            list_rules=list_effects().by_code(),
        )


@dataclass(frozen=True, slots=True)
class EccnView:
    """An ECCN on a date with its licence-requirement rows already read."""

    status: EccnStatus
    eccn: Eccn
    controls: tuple[ChartControl, ...]
    listed: frozenset[tuple[str, ...]] | None = None  # the entry's paragraphs, when the data lists them all


# The table texts read during one determination, wherever in the engine they were read (the chart, de
# minimis content, FDP inputs): ``determine`` opens a collection, every lookup adds to it. A context
# variable, so that determinations running at once in threads or tasks keep theirs apart.
_READ: ContextVar[dict[tuple[str, str], TableVersion] | None] = ContextVar("tables_read", default=None)


def _note(versions: Sequence[TableVersion]) -> None:
    read = _READ.get()
    if read is not None:
        for version in versions:
            read.setdefault((version.table.value, version.key), version)


@contextmanager
def tables_read() -> Iterator[dict[tuple[str, str], TableVersion]]:
    """Collect the table texts read until the block ends (by table and row, first reading kept)."""
    read: dict[tuple[str, str], TableVersion] = {}
    token = _READ.set(read)
    try:
        yield read
    finally:
        _READ.reset(token)


def note_tables(versions: Sequence[TableVersion]) -> None:
    """Add ``versions`` to the determination's table texts read (a memo replaying what it read)."""
    _note(versions)


@contextmanager
def tables_noted() -> Iterator[dict[tuple[str, str], TableVersion]]:
    """The table texts read in the block, which still count as read by the determination: a memo keeps
    them with its value and replays them (``note_tables``) when it is used instead of the reading."""
    outer = _READ.get()
    with tables_read() as inner:
        yield inner
    if outer is not None:
        for key, version in inner.items():
            outer.setdefault(key, version)


@lru_cache(maxsize=16384)
def _read_controls(entry: str, rows: tuple[CclControl, ...] | None) -> tuple[ChartControl, ...]:
    # The rows of an entry are the same on most dates: read them once.
    return tuple(control for row in rows or () for control in read_row(entry, row))


class Context:
    def __init__(
        self,
        tables: EarTables,
        screener: PartyScreener,
        lists_version: str,
        rules: RuleBook | None = None,
    ) -> None:
        self.tables = tables
        self.screener = screener
        self.lists_version = lists_version
        self.rules = rules or RuleBook.load()
        self._destinations: dict[tuple[str, date], CountryStatus] = {}
        self._eccns: dict[tuple[str, date], EccnView] = {}
        self._screenings: dict[tuple[str, str | None, date, int], Sequence[Hit]] = {}
        # Results of pure functions of cached values (keyed by those values' identity), e.g. a
        # classification read against a destination's chart row: many cases repeat them.
        self.memo: dict[tuple[object, ...], object] = {}
        # An item's licence exceptions by what they are worked out from (``engine.exceptions``): apart from
        # the memo, with a lower limit, for each entry holds some twenty results.
        self.exception_memo: dict[tuple[object, ...], object] = {}

    MEMO_LIMIT = 200_000
    EXCEPTION_MEMO_LIMIT = 5_000

    def keep_exceptions(self, key: tuple[object, ...], value: object) -> None:
        if len(self.exception_memo) >= self.EXCEPTION_MEMO_LIMIT:
            self.exception_memo.clear()
        self.exception_memo[key] = value

    def _bound(self, cache: dict[Any, Any]) -> None:
        # A server lives long and its callers choose names, ECCNs and dates: no cache may grow without end.
        if len(cache) >= self.MEMO_LIMIT:
            cache.clear()

    def remember(self, key: tuple[object, ...], value: T) -> T:
        """Keep ``value`` in the memo under ``key`` (the memo is emptied when it grows past its limit:
        its keys can carry the case's own item ids)."""
        if len(self.memo) >= self.MEMO_LIMIT:
            self.memo.clear()
        self.memo[key] = value
        return value

    @property
    def tables_version(self) -> str:
        return f"ear-tables {self.tables.edition.isoformat()}"

    def destination(self, code: str, as_of: date) -> CountryStatus:
        key = (code, as_of)
        found = self._destinations.get(key)
        if found is None:
            self._bound(self._destinations)
            found = self._destinations[key] = country_status(code, as_of, self.tables)
        _note(found.versions)
        return found

    def eccn(self, text: str, as_of: date) -> EccnView:
        key = (text, as_of)
        found = self._eccns.get(key)
        if found is None:
            status = eccn_status(text, as_of, self.tables)
            self._bound(self._eccns)
            found = self._eccns[key] = EccnView(
                status,
                Eccn.parse(text),
                _read_controls(status.entry, status.controls),
                self._listed(status.entry),
            )
        if found.status.version is not None:
            _note((found.status.version,))
        return found

    def _listed(self, entry: str) -> frozenset[tuple[str, ...]] | None:
        key = ("listed", entry)
        if key not in self.memo:
            self.remember(key, listed_paragraphs(self.tables.ccl.get(entry)))
        found = self.memo.get(key)
        return found if isinstance(found, frozenset) else None

    def screen(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
        # A screener that applies people's decisions says when they changed (its "generation"): a
        # cached result from before a decision must not outlive it.
        generation = getattr(self.screener, "generation", None)
        key = (name, country, as_of, generation() if callable(generation) else 0)
        found = self._screenings.get(key)
        if found is None:
            self._bound(self._screenings)
            found = self._screenings[key] = tuple(self.screener.screen(name, country, as_of))
        return found

    def forget_screenings(self) -> None:
        """Drop cached screening results (benchmarks measure with and without the cache)."""
        self._screenings.clear()
