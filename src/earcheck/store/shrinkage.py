"""A list that shrinks or disappears at import is refused: the guard against a truncated file.

A list snapshot governs every date from its own until the next one. A file cut short -- a download
that stopped at a row boundary, ``head -n 101`` of the real file -- parses cleanly, and without this
check it would become the governing Entity List and SDN, and every listed party would screen clean.

Each list in a new snapshot is compared with the snapshot that governed that list just before it
(the newest one dated on or before the new one, among those already stored and not retired, and the
earlier files of the same import). The import is refused when a list that had rows has none, or has
lost more than ``MAX_SHRINK`` of its rows (and at least ``MIN_LOST`` rows, so that a list of a few dozen
entries may lose a handful). Real lists do shrink, but rarely by much at once: the largest removals known to
us (OFAC's delisting on the JCPOA Implementation Day, January 2016) took out well under a tenth of the
SDN list. An operator who knows the shrink is real passes ``accept_shrink`` with a reason, which is
stored with the snapshot and written to the audit log.

Only the predecessor in date is compared: lists grow over the years, so an older file imported after
a newer one (a backfill) is smaller than its successor by nature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from earcheck.lists import ListCode

__all__ = ["MAX_SHRINK", "MIN_LOST", "ListCounts", "Shrinkage", "shrinkages"]

MAX_SHRINK = 0.10
MIN_LOST = 10


@dataclass(frozen=True, slots=True)
class ListCounts:
    """One list snapshot as the check sees it: its name, date, and rows per list it speaks for."""

    file_name: str
    as_of: date
    lists: Mapping[ListCode, int]


@dataclass(frozen=True, slots=True)
class Shrinkage:
    list_code: ListCode
    new: ListCounts
    before: ListCounts

    @property
    def rows(self) -> int:
        return self.new.lists.get(self.list_code, 0)

    @property
    def rows_before(self) -> int:
        return self.before.lists.get(self.list_code, 0)

    @property
    def disappeared(self) -> bool:
        return self.rows == 0

    def describe(self) -> str:
        code = self.list_code.value
        before = f"{self.rows_before:,} in {self.before.file_name} of {self.before.as_of}"
        if self.disappeared:
            return f"{code}: no rows in {self.new.file_name} of {self.new.as_of}, against {before}"
        lost = 1 - self.rows / self.rows_before
        return f"{code}: {self.rows:,} rows in {self.new.file_name} of {self.new.as_of}, {lost:.0%} fewer than {before}"


def _shrank(rows: int, before: int) -> bool:
    if before == 0:
        return False
    if rows == 0:
        return True
    return before - rows >= MIN_LOST and rows < before * (1 - MAX_SHRINK)


def shrinkages(new: Sequence[ListCounts], stored: Iterable[ListCounts]) -> list[Shrinkage]:
    """Every list of ``new`` (in date order, each file also the predecessor of later ones) that
    disappeared or shrank against its predecessor among ``stored`` and the earlier files of ``new``."""
    known = list(stored)
    found: list[Shrinkage] = []
    for counts in sorted(new, key=lambda c: c.as_of):
        for code, rows in counts.lists.items():
            candidates = [k for k in known if code in k.lists and k.as_of <= counts.as_of]
            if not candidates:
                continue
            # Among snapshots of one date the later import governs; ``known`` is in import order.
            before = max(enumerate(candidates), key=lambda pair: (pair[1].as_of, pair[0]))[1]
            if _shrank(rows, before.lists.get(code, 0)):
                found.append(Shrinkage(code, counts, before))
        known.append(counts)
    return found
