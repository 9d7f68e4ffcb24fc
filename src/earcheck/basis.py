"""The lists an answer rests on: which snapshot governed each list on the date, and whether it was stale.

Every screening and determination says which list files it used and the date each speaks for, so a
reader can tell a "no match" on yesterday's lists from one on lists four months old. A list whose
governing snapshot is more than ``STALE_AFTER`` older than the date asked about may miss parties listed
since: the answer carries a warning saying so. (A snapshot *later* than the date is another matter,
handled entry by entry: an entry with no listing date is "possibly listed" before its snapshot.)

It lives outside ``earcheck.store`` and ``earcheck.model`` so that ``earcheck screen`` can state it from the
prebuilt screening index without opening the store (SQLAlchemy) or loading the case model (pydantic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from earcheck.lists import ListCode

if TYPE_CHECKING:
    from earcheck.store import SnapshotInfo

__all__ = ["STALE_AFTER", "ListBasis", "ListSnapshot", "basis_of", "list_basis"]

# BIS and OFAC change their lists several times a month; a month-old list is the most we use quietly.
STALE_AFTER = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """A list as an answer used it: the snapshot that governed the date, and the date that file speaks for.
    (Part of a determination's provenance: ``earcheck.model`` exports it.)"""

    list_code: str
    snapshot: str
    file_name: str
    as_of: date


@dataclass(frozen=True, slots=True)
class ListBasis:
    snapshots: tuple[ListSnapshot, ...]
    warnings: tuple[str, ...]

    @property
    def version(self) -> str:
        """One line for a determination's provenance: ``EL,DPL=consolidated.csv@2026-07-31#5b75f8cc; ...``."""
        grouped: dict[tuple[str, str, date], list[str]] = {}
        for used in self.snapshots:
            grouped.setdefault((used.snapshot, used.file_name, used.as_of), []).append(used.list_code)
        return (
            "; ".join(
                f"{','.join(codes)}={name}@{day.isoformat()}#{snapshot[:8]}"
                for (snapshot, name, day), codes in grouped.items()
            )
            or "none"
        )


def list_basis(governing: Mapping[ListCode, SnapshotInfo], as_of: date, max_age: timedelta = STALE_AFTER) -> ListBasis:
    """The snapshots of ``governing`` (list code -> the snapshot governing ``as_of``) and the warnings."""
    order = list(ListCode)
    snapshots = tuple(
        ListSnapshot(code.value, info.id, info.file_name, info.as_of)
        for code, info in sorted(governing.items(), key=lambda item: order.index(item[0]))
    )
    return basis_of(snapshots, as_of, max_age)


def basis_of(snapshots: tuple[ListSnapshot, ...], as_of: date, max_age: timedelta = STALE_AFTER) -> ListBasis:
    """The basis of an answer for ``as_of`` that used ``snapshots`` (in list order), with its warnings."""
    stale: dict[tuple[str, date], list[str]] = {}
    for used in snapshots:
        if as_of - used.as_of > max_age:
            stale.setdefault((used.file_name, used.as_of), []).append(used.list_code)
    warnings = tuple(
        f"{', '.join(codes)}: the list used for {as_of.isoformat()} is of {day.isoformat()} ({name}), "
        f"{(as_of - day).days} days older than that date (more than {max_age.days}): parties listed since "
        "may be missing; run `earcheck data update` or import a newer list"
        for (name, day), codes in stale.items()
    )
    if not snapshots:
        warnings = ("no restricted-party lists are loaded: no party was screened",)
    return ListBasis(snapshots, warnings)
