"""Destination-aware de minimis rollup of a bill of materials (15 CFR 734.4, Supplement No. 2 to part 734).

The rollup never decides de minimis itself. It turns the tree into the item's US-origin content -- one
entry per US-origin part as received, at its fair market value per exported item -- and the engine's own
rules decide: which content is controlled to the destination (``engine.de_minimis.content_controlled``:
Country Chart and Part 746, not Part 744, not NLR or GBS content), the level on the date (10% or 25%,
``de_minimis_level``), the 734.4(a) cases with no level, and the answer (``engine.de_minimis``). What the
rollup adds is the tree: which lines are content at all, per-line reasons, and the margin to the level.

Which lines are content (the tree walk, top down; the first rule that decides wins):

- a part inside a US-origin part is not content of its own: the US-origin part is counted "in the form in
  which you received" it (Supp. No. 2, (a)(1));
- a part inside a foreign-made *discrete product* (one bought at arm's length or sold on its own) is not
  counted once that product is incorporated into another foreign-made item: BIS's "second incorporation"
  principle (advisory opinion of 2009-09-14, published 2010-01-06; VX, quoted by Pillsbury and Arent Fox).
  Whether a foreign-made sub-assembly is a discrete product is a fact: not given, it is asked;
- a foreign-made part is not US-origin content; the US-origin parts listed under it are examined;
- a part whose origin is not given may be US-origin content: it is asked, never assumed foreign.

The walk is column-wise (``earcheck.supplychain.placement``): the rules above are read for every line of the
tree in a few numpy passes per tree level, the engine is asked once per *kind* of content line (ECCN and
facts, for the item's destination and date), and the per-line answer -- counts or not, why, citation -- is
kept as columns and written out as ``RollupLine``s only when a line is read (``RollupLines``). A
million-line BOM is then a few arrays, not a million objects.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Decimal, localcontext
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

from earcheck.engine.context import Context
from earcheck.engine.de_minimis import content_controlled, de_minimis, de_minimis_level
from earcheck.engine.determine import item_facts
from earcheck.engine.item import Ledger
from earcheck.engine.logic import Fact
from earcheck.errors import CaseError, FieldError
from earcheck.model import Case, Content, Item, MissingFact, Outcome, Rollup, RollupLine, Tri
from earcheck.supplychain.bom import Bom, BomLine
from earcheck.supplychain.placement import Place, Placements

__all__ = ["SUPPLEMENT", "RollupLines", "bom_contents", "rollup", "with_boms"]

SUPPLEMENT = "15 CFR part 734, Supplement No. 2, (a)(1)"
VALUE = "15 CFR part 734, Supplement No. 2, (a)(2)"
SECOND_INCORPORATION = "BIS advisory opinion of 2009-09-14 (second incorporation); 15 CFR part 734, Supplement No. 2"

ContentKey = tuple[str | None, bool | None, bool | None]  # ECCN, integrated circuit, surely US-origin content

# ``counts`` as a column: True, False, None.
_FALSE, _TRUE, _OPEN = 0, 1, 2
_TRI: tuple[Tri, ...] = (False, True, None)
_PLACES = tuple(Place)


def _supplier(line_supplier: str | None) -> str:
    return f" (ask {line_supplier})" if line_supplier else ""


def _placed_because(place: Place, line: BomLine, above: BomLine | None) -> tuple[str, str]:
    """Why the tree rule that places a line decided as it did, and its citation (before any destination)."""
    if place is Place.CONTENT:
        return "US-origin", SUPPLEMENT
    if place is Place.ORIGIN_OPEN:
        return "origin not given", SUPPLEMENT
    if place is Place.FOREIGN:
        return f"foreign-made ({line.origin}): not US-origin content", SUPPLEMENT
    assert above is not None  # every other place is decided by a part above
    where = f"{above.part!r} (row {above.row})"
    if place is Place.INSIDE_US:
        return f"inside US-origin part {where}, which is counted as received", SUPPLEMENT
    if place is Place.PARENT_ORIGIN_OPEN:
        return f"inside part {where}, whose origin is not given", SUPPLEMENT
    if place is Place.SECOND_INCORPORATION:
        because = (
            f"inside foreign-made discrete product {where}, itself incorporated into the item: not counted "
            "(second incorporation)"
        )
        return because, SECOND_INCORPORATION
    return (
        f"inside foreign-made part {where}; whether it is a discrete product (second incorporation) is not given",
        SECOND_INCORPORATION,
    )


def _place_question(place: Place, line: BomLine, above: BomLine | None, field: str) -> MissingFact:
    """The fact that would settle a line that may be content (``Place.maybe``)."""
    if place is Place.ORIGIN_OPEN:
        return MissingFact(
            f"{field}.row[{line.row}].origin",
            f"Where was part {line.part!r} (BOM row {line.row}) made?{_supplier(line.supplier)}",
        )
    assert above is not None
    if place is Place.PARENT_ORIGIN_OPEN:
        return MissingFact(
            f"{field}.row[{above.row}].origin",
            f"Where was part {above.part!r} (BOM row {above.row}) made?{_supplier(above.supplier)} "
            "If in the US, it is counted as received; otherwise the US-origin parts in it are.",
        )
    return MissingFact(
        f"{field}.row[{above.row}].discrete_product",
        f"Is part {above.part!r} (BOM row {above.row}) a discrete product -- bought at arm's length "
        "or regularly sold on its own? If so the US-origin parts inside it are not counted (second "
        "incorporation); if it is your own sub-assembly they are.",
    )


def _eccn_question(line: BomLine, field: str) -> MissingFact:
    return MissingFact(
        f"{field}.row[{line.row}].eccn",
        f"What is the ECCN (or EAR99) of US-origin part {line.part!r} (BOM row {line.row})?{_supplier(line.supplier)}",
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Kinds:
    """Lines that are (or may be) US-origin content, by kind: lines with the same ECCN and facts are one class
    to every de minimis rule (control, the 734.4(a) cases), so their values are summed and each rule is read
    once per kind, not once per line of a million-line BOM."""

    of: npt.NDArray[np.int64]  # per placement: its kind, -1 for lines that are not content
    contents: tuple[Content, ...]  # one per kind, in the order the kinds are first met
    values: tuple[Decimal, ...]  # per kind: the sum of its lines' values (exact: ``_exact_sum``)
    surely: npt.NDArray[np.bool_]  # per kind: surely US-origin content (else it may be)
    no_eccn: npt.NDArray[np.bool_]  # per kind: its ECCN is not given
    content: npt.NDArray[np.int64]  # the content placements, in order
    content_values: npt.NDArray[np.object_]  # their values (Decimal, US dollars)


# Sums of Decimal values with room for every digit, so that they are exact whatever the order of the terms
# (a sum line by line in the default 28 digits is the same whenever it did not round).
def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    with localcontext(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN):
        return sum(values, Decimal(0))


def _kinds(placed: Placements) -> _Kinds:
    lines = placed.bom.lines
    content = np.flatnonzero(placed.place <= Place.DISCRETE_OPEN)
    chosen = [lines[i] for i in placed.line[content].tolist()]
    given = [x.eccn for x in chosen]
    eccns = {eccn: code for code, eccn in enumerate(dict.fromkeys(given))}  # a few dozen ECCNs, not a million
    eccn = np.fromiter(map(eccns.__getitem__, given), np.int64, len(chosen))
    chip = np.fromiter(
        map({False: 0, True: 1, None: 2}.__getitem__, (x.integrated_circuit for x in chosen)), np.int64, len(chosen)
    )
    code = (eccn * 3 + chip) * 2 + (placed.place[content] == Place.CONTENT)
    unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    met = np.argsort(first, kind="stable")  # kinds in the order their first lines are met
    rank = np.empty(len(unique), np.int64)
    rank[met] = np.arange(len(unique))
    kind = rank[inverse.reshape(-1)]
    of = np.full(len(placed), -1, np.int64)
    of[content] = kind
    values = placed.values(content)
    by_kind = np.argsort(kind, kind="stable")  # per kind, its content lines in order
    ends = np.cumsum(np.bincount(kind, minlength=len(unique)))
    named = list(eccns)
    contents: list[Content] = []
    sums: list[Decimal] = []
    for index, codes in enumerate(unique[met].tolist()):
        members = by_kind[(ends[index - 1] if index else 0) : ends[index]]
        shown = [f"{x.part} (row {x.row})" for x in (chosen[i] for i in members[:4].tolist())]
        if len(members) > 4:
            shown.append("...")
        surely = bool(codes % 2)
        described = "US-origin" if surely else "possibly US-origin (origin or second incorporation open)"
        total = _exact_sum(values[members].tolist())
        sums.append(total)
        contents.append(
            Content(
                description=f"BOM lines, {described}: " + ", ".join(shown),
                eccn=named[codes // 6],
                value=float(total),
                integrated_circuit=(False, True, None)[(codes // 2) % 3],
                # Lines that may not be US-origin content at all count only as possibly controlled content.
                us_origin=True if surely else None,
            )
        )
    kinds = unique[met]
    return _Kinds(
        of,
        tuple(contents),
        tuple(sums),
        kinds % 2 == 1,
        np.array([named[c // 6] is None for c in kinds.tolist()], bool),
        content,
        values,
    )


_LAST: list[tuple[Placements, _Kinds]] = []  # the last BOM walked: a case's content and its rollup share it


def _walk(bom: Bom) -> tuple[Placements, _Kinds]:
    for known in _LAST:
        if known[0].bom is bom:
            return known
    placed = Placements.of(bom)
    walked = (placed, _kinds(placed))
    _LAST[:] = [walked]
    return walked


def bom_contents(bom: Bom) -> tuple[Content, ...]:
    """The item's US-origin content as the case states it: the US-origin parts as received (and the parts
    that may be), at their fair market value per exported item, summed by kind (``_kinds``)."""
    return _walk(bom)[1].contents


class RollupLines(Sequence[RollupLine]):
    """A rollup's lines, kept as columns; each ``RollupLine`` (with its reason) is written when it is read."""

    __slots__ = ("_counts", "_destination", "_placed")

    def __init__(self, placed: Placements, counts: npt.NDArray[np.int8], destination: str) -> None:
        self._placed = placed
        self._counts = counts
        self._destination = destination

    def __len__(self) -> int:
        return len(self._placed)

    @overload
    def __getitem__(self, index: int) -> RollupLine: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[RollupLine, ...]: ...
    def __getitem__(self, index: int | slice) -> RollupLine | tuple[RollupLine, ...]:
        if isinstance(index, slice):
            return tuple(self._line(i) for i in range(*index.indices(len(self))))
        size = len(self)
        if not -size <= index < size:
            raise IndexError(index)
        return self._line(index % size)

    def __iter__(self) -> Iterator[RollupLine]:
        return (self._line(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RollupLines | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RollupLines({len(self)} lines)"

    def _line(self, index: int) -> RollupLine:
        placed = self._placed
        lines = placed.bom.lines
        line = lines[int(placed.line[index])]
        above_at = int(placed.by[index])
        above = lines[int(placed.line[above_at])] if above_at >= 0 else None
        place = _PLACES[int(placed.place[index])]
        counts = int(self._counts[index])
        because, citation = _placed_because(place, line, above)
        destination = self._destination
        if place.maybe and counts == _FALSE:
            because += f"; but {line.eccn} needs no licence to {destination} (NLR or GBS) whatever it is"
        elif place.maybe:
            because += ": counts only if it is US-origin content that needs a licence to the destination"
        elif place is Place.CONTENT and line.eccn is None:
            because = "US-origin, classification not given"
        elif place is Place.CONTENT and counts == _TRUE:
            because = (
                f"US-origin {line.eccn} would need a licence to {destination} in the form received "
                "(Country Chart or Part 746): controlled content, at fair market value"
            )
            citation = f"{SUPPLEMENT}; {VALUE}"
        elif place is Place.CONTENT and counts == _FALSE:
            because = (
                f"US-origin {line.eccn} could go to {destination} without a licence (NLR) or under GBS: not counted"
            )
        elif place is Place.CONTENT:
            because = f"US-origin {line.eccn}: whether it needs a licence to {destination} is not known"
        return RollupLine(
            part=line.part,
            row=line.row,
            path=placed.path(index),
            per_item=float(placed.per_top(index)),
            value=float(placed.value(index)),
            counts=_TRI[counts],
            because=because,
            citation=citation,
            origin=line.origin,
            eccn=line.eccn,
            supplier=line.supplier,
        )


def with_boms(case: Case, load: Callable[[str], Bom]) -> Case:
    """``case`` with each item's ``bom`` read into its ``us_content`` (and its value, origin and ECCN from the
    BOM's top row where the case leaves them out). ``load`` reads a BOM by ID."""
    items: list[Item] = []
    problems: list[FieldError] = []
    for index, item in enumerate(case.items):
        if item.bom is None:
            items.append(item)
            continue
        field = f"items[{index}]"
        if item.us_content is not None:
            problems.append(FieldError(f"{field}.bom", "give bom or us_content, not both"))
            continue
        bom = load(item.bom)
        top = bom.top
        value = float(bom.value)
        if item.value is not None and abs(item.value - value) > 0.005:
            problems.append(
                FieldError(f"{field}.value", f"{item.value} differs from the BOM's top item value {value} (USD)")
            )
            continue
        for name, given, from_bom in (("origin", item.origin, top.origin), ("eccn", item.eccn, top.eccn)):
            if given is not None and from_bom is not None and given != from_bom:
                problems.append(FieldError(f"{field}.{name}", f"{given} differs from the BOM's top row ({from_bom})"))
        items.append(
            dataclasses.replace(
                item,
                us_content=bom_contents(bom),
                value=value,
                origin=item.origin or top.origin,
                eccn=item.eccn or top.eccn,
                description=item.description or top.description,
            )
        )
    if problems:
        raise CaseError(problems, case.id)
    return dataclasses.replace(case, items=tuple(items))


def import_paths(case: Case, base: Path, save: Callable[[Path], str]) -> Case:
    """``case`` with every ``bom: PATH`` (relative to ``base``, the case file's folder) imported by ``save``
    and replaced by the ID it returns, so that the case names exactly the parts it was decided on."""
    from earcheck.supplychain.bom_store import BomStore

    items = []
    for item in case.items:
        if item.bom is not None and not BomStore.is_id(item.bom):
            item = dataclasses.replace(item, bom=save(base / item.bom))
        items.append(item)
    return dataclasses.replace(case, items=tuple(items))


def _percent(value: Decimal, total: Decimal) -> float:
    return float(value / total * 100) if total > 0 else 0.0


def _counts(kinds: _Kinds, controls: Sequence[Fact]) -> npt.NDArray[np.int8]:
    """Per kind: do its lines count (True, False, None)? Every line of a kind answers alike: lines that may not
    be content count only if their kind needs a licence (and then are open); content without an ECCN is open."""
    control = np.array([_OPEN if f.value is None else int(f.value) for f in controls], np.int8)
    return np.select(
        [~kinds.surely & (control == _FALSE), ~kinds.surely, kinds.no_eccn], [_FALSE, _OPEN, _OPEN], control
    ).astype(np.int8)


def _questions(
    placed: Placements, kinds: _Kinds, counts: npt.NDArray[np.int8], controls: Sequence[Fact], field: str
) -> tuple[MissingFact, ...]:
    """The questions of the open lines, in the order the lines are met, each once. A question is written once
    per thing it asks about (a line, the part above, a kind of content), not once per line."""
    lines = placed.bom.lines
    at = kinds.content[counts[kinds.of[kinds.content]] == _OPEN]  # the open lines, in order
    kind = kinds.of[at]
    place = placed.place[at].astype(np.int64)
    # What each asks about: for a line that may be content, the fact its place leaves open (about itself or the
    # part above); for content, its ECCN when not given, else its kind's control questions.
    asks = np.where(place != Place.CONTENT, place, np.where(kinds.no_eccn[kind], 4, 5))
    about = np.select(
        [asks == Place.ORIGIN_OPEN, asks == 4, asks == 5],
        [placed.line[at], placed.line[at], kind],
        placed.line[np.maximum(placed.by[at], 0)],
    )
    _, first = np.unique(asks * (len(lines) + len(kinds.contents) + 1) + about, return_index=True)
    questions: list[MissingFact] = []
    for index in np.sort(first).tolist():
        line = lines[int(placed.line[at[index]])]
        if asks[index] == 5:
            questions.extend(controls[int(kind[index])].questions)
        elif asks[index] == 4:
            questions.append(_eccn_question(line, field))
        else:
            above_at = int(placed.by[at[index]])
            above = lines[int(placed.line[above_at])] if above_at >= 0 else None
            questions.append(_place_question(_PLACES[int(place[index])], line, above, field))
    return tuple(dict.fromkeys(questions))


def rollup(case: Case, index: int, bom: Bom, context: Context, today: date) -> Rollup:
    """The rollup of item ``index`` of ``case`` (its ``us_content`` already read from ``bom`` by
    ``with_boms``), line by line, with the engine's de minimis answer."""
    item = case.items[index]
    field = f"items[{index}].bom"
    facts = item_facts(case, index, context, today)
    placed, kinds = _walk(bom)
    _LAST.clear()  # a server must not keep the last million-line walk alive after it is used
    contents = item.us_content or ()
    controls = [content_controlled(facts, contents[kind], kind) for kind in range(len(kinds.contents))]
    counts = _counts(kinds, controls)
    total = bom.value
    controlled = _exact_sum(v for v, c in zip(kinds.values, counts.tolist(), strict=True) if c == _TRUE)
    open_ = _exact_sum(v for v, c in zip(kinds.values, counts.tolist(), strict=True) if c == _OPEN)
    ledger = Ledger()
    answer = de_minimis(facts, ledger)
    decided = [f for f in ledger.findings if f.outcome is not Outcome.DOES_NOT_APPLY] or ledger.findings[-1:]
    because = "; ".join(f"{f.because} ({f.citation})" for f in decided)
    level = de_minimis_level(facts)
    share = _percent(controlled, total)
    what_if: list[str] = []
    if level is not None:
        percent = level[0]
        counted = np.flatnonzero(counts[kinds.of[kinds.content]] == _TRUE)  # among the content lines
        values = kinds.content_values
        # The same five as sorting by value, largest first, ties in BOM order (heapq.nlargest is stable so).
        for at in heapq.nlargest(5, counted.tolist(), key=values.__getitem__):
            line = bom.lines[int(placed.line[kinds.content[at]])]
            after = _percent(controlled - values[at], total)
            side = "within" if after <= percent else "above"
            what_if.append(f"removing part {line.part} (row {line.row}) puts it at {after:.2f}% ({side} {percent}%)")
        if open_ > 0:
            at_most = _percent(controlled + open_, total)
            what_if.append(f"if every open line counts: {at_most:.2f}% of {percent}%")
    per_line = np.full(len(placed), _FALSE, np.int8)
    per_line[kinds.content] = counts[kinds.of[kinds.content]]
    return Rollup(
        item=facts.id,
        bom=item.bom or bom.id,
        destination=case.destination,
        item_value=float(total),
        controlled_value=float(controlled),
        open_value=float(open_),
        subject=answer.value,
        because=because,
        level_percent=level[0] if level else None,
        level_citation=level[1] if level else None,
        share_percent=share,
        margin_percent=(level[0] - share) if level else None,
        what_if=tuple(what_if),
        lines=RollupLines(placed, per_line, case.destination),
        questions=_questions(placed, kinds, counts, controls, field),
    )
