"""Where each line of a bill of materials sits, for the whole tree at once (column-wise, numpy).

``Placements.of(bom)`` gives every placement of ``Bom.placements()`` -- in the same depth-first order, with
the same quantities and values per exported item, computed with the same ``Decimal`` operations in the same
order, so the sums are the same to the last digit -- as columns instead of a million Python objects. It
also reads, per placement, which de minimis tree rule places it (``Place``) and which part above it decides
that: the rules of ``earcheck.supplychain.rollup`` applied by propagating two ancestor columns one tree level
at a time, so a BOM of any size costs a few numpy passes per level, not a Python loop per line.

A part used under two parents has two rows; the lines under it are then placed under each of them (the tree
is the BOM's graph unfolded), as ``Bom.placements()`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from itertools import repeat
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from earcheck.errors import InputError
from earcheck.supplychain.bom import Bom, BomLine

__all__ = ["Place", "Placements"]

Ints = npt.NDArray[np.int64]
Objects = npt.NDArray[np.object_]


class Place(IntEnum):
    """Where a placement stands before any destination is looked at (the first tree rule that decides)."""

    CONTENT = 0  # US-origin, not inside another counted part: the engine decides if it is controlled
    ORIGIN_OPEN = 1  # may be content: its own origin is not given
    PARENT_ORIGIN_OPEN = 2  # may be content: a part above it, whose origin is not given, decides
    DISCRETE_OPEN = 3  # may be content: whether a foreign-made part above it is a discrete product is open
    INSIDE_US = 4  # inside a US-origin part, which is counted as received
    SECOND_INCORPORATION = 5  # inside a foreign-made discrete product incorporated into the item
    FOREIGN = 6  # foreign-made: not US-origin content

    @property
    def maybe(self) -> bool:
        return self in (Place.ORIGIN_OPEN, Place.PARENT_ORIGIN_OPEN, Place.DISCRETE_OPEN)


_US, _NO_ORIGIN, _FOREIGN = 0, 1, 2
_NOT_DISCRETE, _DISCRETE, _DISCRETE_OPEN = 0, 1, 2


def _column(lines: Sequence[BomLine], name: str, codes: Mapping[Any, int], other: int, dtype: type) -> Ints:
    """``codes[line.<name>]`` (``other`` when not in ``codes``) for every line, without a Python-level loop."""
    return np.fromiter(map(codes.get, map(attrgetter(name), lines), repeat(other)), dtype, len(lines))


def _objects(values: Iterable[object], size: int) -> Objects:
    return np.fromiter(values, object, size)


@dataclass(frozen=True, slots=True, eq=False)
class Placements:
    """Column ``i`` of every array describes the ``i``-th placement of ``Bom.placements()``."""

    bom: Bom
    line: Ints  # index into ``bom.lines``
    parent: Ints  # index of the placement it is incorporated into; -1 directly under the top item
    place: npt.NDArray[np.int8]  # ``Place``
    by: Ints  # the placement above that decides ``place`` (INSIDE_US, *_OPEN of a parent, SECOND_...); else -1
    # Decimal units in one exported item, for the placements that hold parts; None for the others, whose
    # quantities are multiplied out only when asked (``per_top``, ``values``): most lines are never summed.
    holding: Objects

    def __len__(self) -> int:
        return len(self.line)

    def path(self, index: int) -> tuple[str, ...]:
        lines = self.bom.lines
        parts: list[str] = []
        while index >= 0:
            parts.append(lines[int(self.line[index])].part)
            index = int(self.parent[index])
        return tuple(reversed(parts))

    def per_top(self, index: int) -> Decimal:
        """Units of placement ``index`` in one exported item (as ``Placement.per_top``)."""
        known: Decimal | None = self.holding[index]
        if known is not None:
            return known
        quantity = self.bom.lines[int(self.line[index])].quantity
        up = int(self.parent[index])
        return quantity if up < 0 else self.holding[up] * quantity

    def value(self, index: int) -> Decimal:
        """Value of placement ``index`` per exported item, US dollars (as ``Placement.value``)."""
        line = self.bom.lines[int(self.line[index])]
        return self.per_top(index) * line.unit_value * self.bom.rate(line.currency)

    def values(self, at: Ints) -> Objects:
        """``value`` of each placement in ``at``, column-wise: the same Decimal products, in the same order."""
        lines = self.bom.lines
        chosen = [lines[i] for i in self.line[at].tolist()]
        quantity = _objects(map(attrgetter("quantity"), chosen), len(at))
        per_top = self.holding[at]
        up = self.parent[at]
        leaf = np.array([x is None for x in per_top.tolist()], bool)
        inner = leaf & (up >= 0)
        per_top[inner] = self.holding[up[inner]] * quantity[inner]
        per_top[leaf & (up < 0)] = quantity[leaf & (up < 0)]
        value: Objects = per_top * _objects(map(attrgetter("unit_value"), chosen), len(at))
        currencies = [x.currency for x in chosen]
        if any(c != "USD" for c in set(currencies)):
            # Times the rate, as ``Bom.placements`` does (it multiplies US dollars by 1, which changes no Decimal).
            foreign = np.fromiter([c != "USD" for c in currencies], bool, len(at))
            rates = _objects(
                (self.bom.rate(c) for c, f in zip(currencies, foreign, strict=True) if f), int(foreign.sum())
            )
            value[foreign] = value[foreign] * rates
        return value

    @classmethod
    def _empty(cls, bom: Bom) -> Placements:
        none = np.empty(0, np.int64)
        return cls(bom, none, none, np.empty(0, np.int8), none, np.empty(0, object))

    @classmethod
    def of(cls, bom: Bom) -> Placements:
        lines = bom.lines
        count = len(lines)
        # Only the parts that have parts under them need a code: few, even in a million-line BOM.
        parents = [x.parent for x in lines]
        named = dict.fromkeys(parents)
        named.pop(None, None)
        assemblies = {name: code for code, name in enumerate(named)}
        part_code = _column(lines, "part", assemblies, -1, np.int64)
        parent_code = np.fromiter(map(assemblies.get, parents, repeat(-1)), np.int64, count)
        top = assemblies.get(bom.top.part, -1)
        if top < 0:
            return cls._empty(bom)
        # Children of each assembly, in line order (the order ``Bom.children`` keeps): a CSR index. The count
        # after the last code is 0, for the parts that hold nothing (code -1).
        below = np.flatnonzero(parent_code >= 0)
        by_parent = below[np.argsort(parent_code[below], kind="stable")]
        counts = np.append(np.bincount(parent_code[below], minlength=len(assemblies))[: len(assemblies)], 0)
        starts = np.concatenate(([0], np.cumsum(counts)))

        # Unfold level by level: each level's placements, with the (global, level-order) index of their parent.
        level_lines = [by_parent[starts[top] : starts[top + 1]]]
        level_parents = [np.full(len(level_lines[0]), -1, np.int64)]
        offset = 0
        while True:
            here = level_lines[-1]
            n = counts[part_code[here]]
            total = int(n.sum())
            if total == 0:
                break
            if len(level_lines) > count:
                raise InputError(f"bill of materials {bom.name or bom.id}: a part is inside itself (cycle)")
            first = np.repeat(starts[part_code[here]], n)
            within = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
            level_lines.append(by_parent[first + within])
            level_parents.append(np.repeat(np.arange(len(here), dtype=np.int64) + offset, n))
            offset += len(here)
        line = np.concatenate(level_lines)
        parent = np.concatenate(level_parents)
        size = len(line)

        origin = _column(lines, "origin", {"US": _US, None: _NO_ORIGIN}, _FOREIGN, np.int8)
        # Only parts that hold parts are ever "a part above": their discrete-product facts and quantities.
        holders = np.flatnonzero(part_code >= 0)
        held = [lines[i] for i in holders.tolist()]
        discrete = np.full(count, _NOT_DISCRETE, np.int8)
        discrete[holders] = _column(
            held, "discrete_product", {True: _DISCRETE, None: _DISCRETE_OPEN}, _NOT_DISCRETE, np.int8
        )
        quantity = np.full(count, None, object)
        quantity[holders] = _objects(map(attrgetter("quantity"), held), len(held))
        # A part above decides for the US-origin (or unknown-origin) lines below it unless it is a foreign-made
        # part known not to be a discrete product (the producer's own sub-assembly): that one is looked through.
        deciding = (origin != _FOREIGN) | (discrete != _NOT_DISCRETE)

        holding = np.full(size, None, object)
        us_above = np.full(size, -1, np.int64)  # outermost US-origin part above
        decider = np.full(size, -1, np.int64)  # outermost deciding part above
        start = 0
        for here, up in zip(level_lines, level_parents, strict=True):
            stop = start + len(here)
            inner = np.flatnonzero(part_code[here] >= 0)
            if start == 0:
                holding[start + inner] = quantity[here[inner]]
            else:
                holding[start + inner] = holding[up[inner]] * quantity[here[inner]]
                up_line = line[up]
                us_above[start:stop] = np.where(
                    us_above[up] >= 0, us_above[up], np.where(origin[up_line] == _US, up, -1)
                )
                decider[start:stop] = np.where(decider[up] >= 0, decider[up], np.where(deciding[up_line], up, -1))
            start = stop

        own = origin[line]
        above_origin = origin[line[decider]]
        above_discrete = discrete[line[decider]]
        place = np.select(
            [
                (own == _FOREIGN) & (us_above >= 0),
                own == _FOREIGN,
                (decider < 0) & (own == _US),
                decider < 0,
                above_origin == _US,
                above_origin == _NO_ORIGIN,
                above_discrete == _DISCRETE,
            ],
            [
                Place.INSIDE_US,
                Place.FOREIGN,
                Place.CONTENT,
                Place.ORIGIN_OPEN,
                Place.INSIDE_US,
                Place.PARENT_ORIGIN_OPEN,
                Place.SECOND_INCORPORATION,
            ],
            Place.DISCRETE_OPEN,
        ).astype(np.int8)
        by = np.where(own == _FOREIGN, us_above, decider)

        # Depth-first order: a placement comes right after its parent and after the subtrees of the siblings
        # before it. Subtree sizes bottom up, then positions top down.
        subtree = np.ones(size, np.int64)
        bounds = np.cumsum([0, *(len(x) for x in level_lines)])
        for level in range(len(level_lines) - 1, 0, -1):
            lo, hi = bounds[level], bounds[level + 1]
            subtree += np.bincount(parent[lo:hi], weights=subtree[lo:hi], minlength=size).astype(np.int64)
        position = np.empty(size, np.int64)
        for level in range(len(level_lines)):
            lo, hi = bounds[level], bounds[level + 1]
            sizes = subtree[lo:hi]
            before = np.cumsum(sizes) - sizes  # subtrees of the earlier placements of this level
            up = parent[lo:hi]
            if level == 0:
                position[lo:hi] = before
                continue
            # Siblings are contiguous here: subtract what the earlier parents' children took.
            group_first = np.flatnonzero(np.concatenate(([True], up[1:] != up[:-1])))
            group_of = np.repeat(group_first, np.diff(np.concatenate((group_first, [hi - lo]))))
            position[lo:hi] = position[up] + 1 + before - before[group_of]
        order = np.empty(size, np.int64)
        order[position] = np.arange(size)
        return cls(
            bom=bom,
            line=line[order],
            parent=np.where(parent[order] >= 0, position[np.maximum(parent[order], 0)], -1),
            place=place[order],
            by=np.where(by[order] >= 0, position[np.maximum(by[order], 0)], -1),
            holding=holding[order],
        )
