"""The de minimis rollup as it was before the column-wise walk (``supplychain/rollup.py`` on main at 0f9fd69):
one ``Placed`` per line from ``Bom.placements()``, the tree rules read line by line. Kept only as the
oracle the column-wise rollup is checked against (test_rollup_columns.py); it is not used by earcheck.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from earcheck.engine.context import Context
from earcheck.engine.de_minimis import content_controlled, de_minimis, de_minimis_level
from earcheck.engine.determine import item_facts
from earcheck.engine.item import Ledger
from earcheck.engine.logic import Fact
from earcheck.model import Case, Content, MissingFact, Outcome, Rollup, RollupLine
from earcheck.supplychain.bom import Bom, Placement

SUPPLEMENT = "15 CFR part 734, Supplement No. 2, (a)(1)"
VALUE = "15 CFR part 734, Supplement No. 2, (a)(2)"
SECOND_INCORPORATION = "BIS advisory opinion of 2009-09-14 (second incorporation); 15 CFR part 734, Supplement No. 2"


class Place(Enum):
    """Where a line stands before any destination is looked at."""

    CONTENT = "content"  # US-origin, not inside another counted part: the engine decides if controlled
    MAYBE = "maybe"  # might be content: its origin, or a discrete-product question above it, is open
    INSIDE_US = "inside_us"
    SECOND_INCORPORATION = "second_incorporation"
    FOREIGN = "foreign"


@dataclass(frozen=True, slots=True)
class Placed:
    placement: Placement
    place: Place
    because: str
    citation: str
    question: MissingFact | None = None


def _supplier(line_supplier: str | None) -> str:
    return f" (ask {line_supplier})" if line_supplier else ""


def _place(placement: Placement, field: str) -> Placed:
    line = placement.line
    for ancestor in placement.ancestors:
        if ancestor.origin == "US":
            return Placed(
                placement,
                Place.INSIDE_US,
                f"inside US-origin part {ancestor.part!r} (row {ancestor.row}), which is counted as received",
                SUPPLEMENT,
            )
        if line.origin not in (None, "US"):
            continue  # a foreign-made part is never content itself, whatever holds it
        if ancestor.origin is None:
            return Placed(
                placement,
                Place.MAYBE,
                f"inside part {ancestor.part!r} (row {ancestor.row}), whose origin is not given",
                SUPPLEMENT,
                MissingFact(
                    f"{field}.row[{ancestor.row}].origin",
                    f"Where was part {ancestor.part!r} (BOM row {ancestor.row}) made?{_supplier(ancestor.supplier)} "
                    "If in the US, it is counted as received; otherwise the US-origin parts in it are.",
                ),
            )
        if ancestor.discrete_product is True:
            return Placed(
                placement,
                Place.SECOND_INCORPORATION,
                f"inside foreign-made discrete product {ancestor.part!r} (row {ancestor.row}), itself incorporated "
                "into the item: not counted (second incorporation)",
                SECOND_INCORPORATION,
            )
        if ancestor.discrete_product is None:
            return Placed(
                placement,
                Place.MAYBE,
                f"inside foreign-made part {ancestor.part!r} (row {ancestor.row}); whether it is a discrete product "
                "(second incorporation) is not given",
                SECOND_INCORPORATION,
                MissingFact(
                    f"{field}.row[{ancestor.row}].discrete_product",
                    f"Is part {ancestor.part!r} (BOM row {ancestor.row}) a discrete product -- bought at arm's length "
                    "or regularly sold on its own? If so the US-origin parts inside it are not counted (second "
                    "incorporation); if it is your own sub-assembly they are.",
                ),
            )
    if line.origin == "US":
        return Placed(placement, Place.CONTENT, "US-origin", SUPPLEMENT)
    if line.origin is None:
        return Placed(
            placement,
            Place.MAYBE,
            "origin not given",
            SUPPLEMENT,
            MissingFact(
                f"{field}.row[{line.row}].origin",
                f"Where was part {line.part!r} (BOM row {line.row}) made?{_supplier(line.supplier)}",
            ),
        )
    return Placed(placement, Place.FOREIGN, f"foreign-made ({line.origin}): not US-origin content", SUPPLEMENT)


def _places(bom: Bom, field: str) -> list[Placed]:
    return [_place(p, field) for p in bom.placements()]


ContentKey = tuple[str | None, bool | None, bool | None]  # ECCN, integrated circuit, surely US-origin content


def _key(placed: Placed) -> ContentKey:
    line = placed.placement.line
    return (line.eccn, line.integrated_circuit, True if placed.place is Place.CONTENT else None)


def _group(placed: list[Placed]) -> tuple[tuple[Content, ...], dict[ContentKey, int]]:
    """Lines that are (or may be) US-origin content, one ``Content`` per kind: lines with the same ECCN and
    facts are one class to every de minimis rule (control, the 734.4(a) cases), so their values are summed
    and each rule is read once per kind, not once per line of a million-line BOM."""
    values: dict[ContentKey, Decimal] = {}
    names: dict[ContentKey, list[str]] = {}
    for entry in placed:
        if entry.place in (Place.CONTENT, Place.MAYBE):
            key = _key(entry)
            values[key] = values.get(key, Decimal(0)) + entry.placement.value
            listed = names.setdefault(key, [])
            if len(listed) < 4:
                listed.append(f"{entry.placement.line.part} (row {entry.placement.line.row})")
            elif len(listed) == 4:
                listed.append("...")
    contents = []
    for key, value in values.items():
        eccn, integrated_circuit, known = key
        kind = "US-origin" if known else "possibly US-origin (origin or second incorporation open)"
        contents.append(
            Content(
                description=f"BOM lines, {kind}: " + ", ".join(names[key]),
                eccn=eccn,
                value=float(value),
                integrated_circuit=integrated_circuit,
                # Lines that may not be US-origin content at all count only as possibly controlled content.
                us_origin=known,
            )
        )
    return tuple(contents), {key: index for index, key in enumerate(values)}


def bom_contents(bom: Bom, field: str = "bom") -> tuple[Content, ...]:
    """The item's US-origin content as the case states it: the US-origin parts as received (and the parts
    that may be), at their fair market value per exported item, summed by kind (``_group``)."""
    return _group(_places(bom, field))[0]


def _percent(value: Decimal, total: Decimal) -> float:
    return float(value / total * 100) if total > 0 else 0.0


def rowwise_rollup(case: Case, index: int, bom: Bom, context: Context, today: date) -> Rollup:
    """The rollup of item ``index`` of ``case`` (its ``us_content`` already read from ``bom`` by
    ``with_boms``), line by line, with the engine's de minimis answer."""
    item = case.items[index]
    field = f"items[{index}].bom"
    facts = item_facts(case, index, context, today)
    placed = _places(bom, field)
    total = bom.value
    lines: list[RollupLine] = []
    questions: list[MissingFact] = []
    counted: list[tuple[Decimal, RollupLine]] = []
    controlled = open_ = Decimal(0)
    contents = item.us_content or ()
    _, kinds = _group(placed)
    controls: dict[ContentKey, Fact] = {}
    for entry in placed:
        placement, line = entry.placement, entry.placement.line
        counts: bool | None = False
        because, citation = entry.because, entry.citation
        if entry.place in (Place.CONTENT, Place.MAYBE):
            key = _key(entry)
            fact = controls.get(key)
            if fact is None:
                index_ = kinds[key]
                fact = controls[key] = content_controlled(facts, contents[index_], index_)
            if entry.place is Place.MAYBE and fact.value is False:
                because += f"; but {line.eccn} needs no licence to {case.destination} (NLR or GBS) whatever it is"
            elif entry.place is Place.MAYBE:
                counts = None
                if entry.question is not None:
                    questions.append(entry.question)
                because += ": counts only if it is US-origin content that needs a licence to the destination"
            elif line.eccn is None:
                counts = None
                questions.append(
                    MissingFact(
                        f"{field}.row[{line.row}].eccn",
                        f"What is the ECCN (or EAR99) of US-origin part {line.part!r} (BOM row {line.row})?"
                        f"{_supplier(line.supplier)}",
                    )
                )
                because = "US-origin, classification not given"
            elif fact.value is True:
                counts = True
                because = (
                    f"US-origin {line.eccn} would need a licence to {case.destination} in the form received "
                    "(Country Chart or Part 746): controlled content, at fair market value"
                )
                citation = f"{SUPPLEMENT}; {VALUE}"
            elif fact.value is False:
                because = (
                    f"US-origin {line.eccn} could go to {case.destination} without a licence (NLR) or under GBS: "
                    "not counted"
                )
            else:
                counts = None
                questions.extend(fact.questions)
                because = f"US-origin {line.eccn}: whether it needs a licence to {case.destination} is not known"
        result = RollupLine(
            part=line.part,
            row=line.row,
            path=placement.path,
            per_item=float(placement.per_top),
            value=float(placement.value),
            counts=counts,
            because=because,
            citation=citation,
            origin=line.origin,
            eccn=line.eccn,
            supplier=line.supplier,
        )
        lines.append(result)
        if counts is True:
            controlled += placement.value
            counted.append((placement.value, result))
        elif counts is None:
            open_ += placement.value
        ledger = Ledger()
    answer = de_minimis(facts, ledger)
    decided = [f for f in ledger.findings if f.outcome is not Outcome.DOES_NOT_APPLY] or ledger.findings[-1:]
    because = "; ".join(f"{f.because} ({f.citation})" for f in decided)
    level = de_minimis_level(facts)
    share = _percent(controlled, total)
    what_if: list[str] = []
    if level is not None:
        percent = level[0]
        for value, result in sorted(counted, key=lambda pair: pair[0], reverse=True)[:5]:
            after = _percent(controlled - value, total)
            side = "within" if after <= percent else "above"
            what_if.append(
                f"removing part {result.part} (row {result.row}) puts it at {after:.2f}% ({side} {percent}%)"
            )
        if open_ > 0:
            at_most = _percent(controlled + open_, total)
            what_if.append(f"if every open line counts: {at_most:.2f}% of {percent}%")
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
        lines=tuple(lines),
        questions=tuple(dict.fromkeys(questions)),
    )
