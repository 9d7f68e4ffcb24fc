"""Delta screening: what a list update changed, and the hits it changed for each screened name.

Between the lists that governed an earlier date (``--since``) and those of the job's date, an entry is
*added*, *removed* or *changed*: the same entry (by its list and its number in that list, else its
identifier) with other names, addresses, programmes, dates or terms. For each screened name the hits
that differ between the two dates are reported: ``new`` (not there before), ``changed`` (another
score, band, status or entry text) and ``cleared`` (gone), each with the fate of its entry.

Which names can a list update change? Not only those near the entries it touched. The screener
weighs a word by how rare it is in the whole list (``1 + log((N + 1) / (df + 1))`` over its N
entries), so an update that adds or removes any entry moves the weight of every word, and with it the
score of every hit, touched entry or not: between the two real SDN snapshots, 143 of 891 changed hits
in a sample were on entries the update left alone, 8 of them across a band. No bound on that move is
cheaper to check than the screening itself (the move depends on the words of both names and of every
entry), so a delta job screens every name against both dates' lists: a name near no listed name
costs only the screener's first step on each side (the score bounds of ``NameIndex.candidates``). The
rule is exact and simple to test:

    a name has a new, changed or cleared hit  <=>  its two screenings differ (``hit_changes``)

``tests/batch/test_delta.py`` compares a delta job with both full screenings, row for row, on the two
real SDN snapshots and on names of the Consolidated Screening List.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from earcheck.lists import Hit, ListEntry

__all__ = ["EntryChange", "HitChange", "ListChange", "hit_changes", "identity", "list_change"]


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
