"""Delta screening: what a list update changed, and which screened names it can have changed.

Between the lists that governed an earlier date (``--since``) and those of the job's date, an entry is
*added*, *removed* or *changed*: the same entry (by its list and its number in that list, else its
identifier) with other names, addresses, programmes, dates or terms. A name can gain, change or lose
a hit through the update only if it is near one of those entries, old or new version: the delta job
screens every name against a small index of those entries alone, with a lowered review threshold
(``margin``), and screens the names found there against both the old and the new lists in full. The
hits that differ are reported: ``new`` (not there before), ``changed`` (another score, band, status or
entry text) and ``cleared`` (gone).

A name near no changed entry is not screened again. Its hits could still differ by a little after the
update, because a word's weight depends on how many listed names use it; the benchmark measures how
often that moves a hit across a threshold (``benchmarks/bench_batch.py``), and a full re-screen now
and then catches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from earcheck.lists import Hit, ListEntry

__all__ = ["DEFAULT_MARGIN", "EntryChange", "HitChange", "ListChange", "hit_changes", "identity", "list_change"]

DEFAULT_MARGIN = 0.15
"""How far below the review threshold a name may score against the changed entries and still be
screened again. The small index weighs words by the changed entries alone, so its scores are not
those of the full lists; 0.15 found every changed hit on the two real SDN snapshots (the benchmark
and the tests check it)."""


class EntryChange(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


Identity = tuple[str, str]


def identity(entry: ListEntry) -> Identity:
    """The same entry across snapshots: its list and its number there (OFAC's ``ent_num``), else its
    identifier (the CSL's ``_id`` is a hash of the entry's names, so a renamed CSL entry without a
    number is one entry removed and one added)."""
    return entry.list_code.value, entry.entity_number or entry.list_id


def _content(entry: ListEntry) -> tuple[object, ...]:
    return (
        entry.name, entry.aliases, entry.entity_type, entry.programs, entry.addresses, entry.countries,
        entry.federal_register, entry.start_date, entry.end_date, entry.license_requirement,
        entry.license_policy, entry.remarks, entry.source,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ListChange:
    """What changed between two sets of entries, each entry by its ``identity``."""

    added: tuple[ListEntry, ...]
    removed: tuple[ListEntry, ...]
    changed: tuple[tuple[ListEntry, ListEntry], ...]  # (old, new) of the same identity
    kinds: Mapping[Identity, EntryChange] = field(default_factory=dict, compare=False)

    def entries(self) -> list[ListEntry]:
        """Every version touched: removed and old, new and added."""
        return [*self.removed, *(old for old, _ in self.changed), *(new for _, new in self.changed), *self.added]

    def kind(self, key: Identity) -> EntryChange:
        return self.kinds.get(key, EntryChange.UNCHANGED)


def list_change(old: Iterable[ListEntry], new: Iterable[ListEntry]) -> ListChange:
    """The entries added, removed and changed from ``old`` to ``new``. Entries sharing an identity
    within one set (rare) are compared as a group: changed unless the group reads the same."""
    before: dict[Identity, list[ListEntry]] = {}
    after: dict[Identity, list[ListEntry]] = {}
    for entry in old:
        before.setdefault(identity(entry), []).append(entry)
    for entry in new:
        after.setdefault(identity(entry), []).append(entry)
    added = [e for key, group in after.items() if key not in before for e in group]
    removed = [e for key, group in before.items() if key not in after for e in group]
    changed: list[tuple[ListEntry, ListEntry]] = []
    for key in before.keys() & after.keys():
        olds, news = before[key], after[key]
        if sorted(map(_content, olds), key=repr) != sorted(map(_content, news), key=repr):
            changed.extend(zip(olds, news, strict=False))
            # Group sizes may differ: the extra versions count as removed or added.
            removed.extend(olds[len(news) :])
            added.extend(news[len(olds) :])
    kinds = {identity(e): EntryChange.ADDED for e in added}
    kinds |= {identity(e): EntryChange.REMOVED for e in removed}
    kinds |= {identity(new): EntryChange.CHANGED for _, new in changed}
    return ListChange(
        added=tuple(sorted(added, key=_order)),
        removed=tuple(sorted(removed, key=_order)),
        changed=tuple(sorted(changed, key=lambda pair: _order(pair[1]))),
        kinds=kinds,
    )


def _order(entry: ListEntry) -> tuple[str, int, str]:
    return entry.snapshot, entry.line, entry.list_id


@dataclass(frozen=True, slots=True)
class HitChange:
    """One hit the list update made new, changed or cleared for a screened name."""

    change: str  # "new", "changed" or "cleared"
    entry: EntryChange
    old: Hit | None
    new: Hit | None

    @property
    def hit(self) -> Hit:
        found = self.new or self.old
        assert found is not None, "a change has a hit before or after"
        return found


def _by_identity(hits: Sequence[Hit]) -> dict[Identity, Hit]:
    found: dict[Identity, Hit] = {}
    for hit in hits:  # best first: an identity's best hit is the one kept
        found.setdefault(identity(hit.entry), hit)
    return found


def _reads(hit: Hit) -> tuple[object, ...]:
    return hit.score, hit.band, hit.status.in_force, hit.matched_name, _content(hit.entry)


def hit_changes(old: Sequence[Hit], new: Sequence[Hit], change: ListChange) -> list[HitChange]:
    """The hits that differ between a name's screening before and after the update, best first."""
    before, after = _by_identity(old), _by_identity(new)
    out = []
    for key, hit in after.items():
        previous = before.get(key)
        if previous is None:
            out.append(HitChange("new", change.kind(key), None, hit))
        elif _reads(previous) != _reads(hit):
            out.append(HitChange("changed", change.kind(key), previous, hit))
    out.extend(HitChange("cleared", change.kind(key), hit, None) for key, hit in before.items() if key not in after)
    return out
