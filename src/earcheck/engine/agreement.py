"""Answers that hold whatever an unknown fact is.

Three-valued logic keeps each rule honest on its own, but it can leave an answer ``null`` that every
value of the unknown facts would settle the same way: the same fact may feed two rules, or an unknown
that matters to one rule may be made irrelevant by another in each of its values. When a determination
is ``null``, the facts its questions ask about that have a small, finite set of values -- yes/no facts
of an item or the case, the Ukrainian region, the item's paragraph among the classes its ECCN's rows
tell apart -- are filled in every way (a bounded number of completions), and each completion is decided
again. Whatever all completions agree on is the answer, with a finding that says it holds whatever those
facts are; what they do not agree on stays ``null``, and only the questions the completions still ask
remain. Facts with open-ended values (parties, content, production) are never filled in.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from earcheck.engine.context import Context
from earcheck.engine.logic import Fact, merge_questions
from earcheck.engine.readings import ELSEWHERE, paragraph_classes
from earcheck.errors import EarcheckError
from earcheck.model import (
    Case,
    Determination,
    Effect,
    Finding,
    Item,
    ItemResult,
    LicenseExceptionResult,
    MissingFact,
    Outcome,
    Region,
    Tri,
)
from earcheck.regulations.review_policy import strictest

__all__ = ["COMPLETION_LIMIT", "settle_unknowns"]

COMPLETION_LIMIT = 32  # completions decided at most; beyond it the Kleene answer stands
PARAGRAPH_LIMIT = 8  # paragraph classes split on at most (the chart already reads every class itself)
# A paragraph token no CCL paragraph has, standing for "a paragraph the rows do not name" in a completion.
OTHER_PARAGRAPH = "zzzz"
ITEM_FLAGS = (
    "food_or_medicine",
    "listed_by_hts_in_part_746",
    "in_supplement_2_to_part_744",
    "uniquely_required_for_advanced_node",
    "for_200mm_wafer_production_facility",
)
_ITEM_FIELD = re.compile(r"^items\[(?P<index>\d+)\]\.(?P<name>\w+)$")

Decide = Callable[[Case], Determination]


@dataclass(frozen=True, slots=True)
class _Unknown:
    field: str  # the missing fact's field, e.g. "items[0].food_or_medicine"
    label: str  # how the finding names it
    values: tuple[Callable[[Case], Case], ...]
    shown: tuple[str, ...]


def _set_item(index: int, name: str, value: Any) -> Callable[[Case], Case]:
    def apply(case: Case) -> Case:
        items = list(case.items)
        changes: dict[str, Any] = {name: value}
        items[index] = replace(items[index], **changes)
        return replace(case, items=tuple(items))

    return apply


def _set_case(name: str, value: Any) -> Callable[[Case], Case]:
    changes: dict[str, Any] = {name: value}
    return lambda case: replace(case, **changes)


def _paragraphs(item: Item, index: int, context: Context, as_of: date) -> _Unknown | None:
    if item.eccn is None:
        return None
    try:
        view = context.eccn(item.eccn, as_of)
    except EarcheckError:
        return None
    if view.eccn.is_ear99 or not view.status.known:
        return None
    ranges = [r for c in view.controls for r in c.scope.ranges()]
    classes = paragraph_classes(view.status.entry, view.eccn.paragraph, ranges, view.listed)
    if not 1 < len(classes) <= PARAGRAPH_LIMIT:
        return None
    texts = [
        ".".join((view.status.entry, *(OTHER_PARAGRAPH if t == ELSEWHERE else t for t in c.paragraph))) for c in classes
    ]
    return _Unknown(
        f"items[{index}].eccn",
        f"the paragraph of {item.id or f'item-{index + 1}'} ({view.eccn})",
        tuple(_set_item(index, "eccn", text) for text in texts),
        tuple(c.label for c in classes),
    )


def _unknowns(case: Case, questions: Sequence[MissingFact], context: Context, as_of: date) -> list[_Unknown]:
    fields = dict.fromkeys(q.field for q in questions)
    found: list[_Unknown] = []
    for field in fields:
        if field == "ofac_authorized" and case.ofac_authorized is None:
            found.append(_Unknown(field, field, (_set_case(field, True), _set_case(field, False)), ("yes", "no")))
        elif field == "region" and case.region is None:
            regions = tuple(Region)
            found.append(
                _Unknown(field, field, tuple(_set_case(field, r) for r in regions), tuple(r.value for r in regions))
            )
        elif (match := _ITEM_FIELD.match(field)) is not None:
            index, name = int(match["index"]), match["name"]
            if index >= len(case.items):
                continue
            item = case.items[index]
            if name in ITEM_FLAGS and getattr(item, name) is None:
                values = (_set_item(index, name, True), _set_item(index, name, False))
                found.append(_Unknown(field, field, values, ("yes", "no")))
            elif name == "eccn":
                paragraphs = _paragraphs(item, index, context, as_of)
                if paragraphs is not None:
                    found.append(paragraphs)
    return found


def _agreed(values: Sequence[Tri]) -> Tri:
    first = values[0]
    return first if first is not None and all(v is first for v in values) else None


def settle_unknowns(case: Case, base: Determination, decide: Decide, context: Context) -> Determination:
    """``base`` with what every completion of its finite unknowns agrees on (``decide`` decides one)."""
    if base.license_required is not None and base.subject_to_ear is not None:
        return base
    unknowns = _unknowns(case, base.missing_facts, context, base.as_of)
    size = 1
    for unknown in unknowns:
        size *= len(unknown.values)
    if not unknowns or size > COMPLETION_LIMIT:
        return base
    outcomes = []
    for choice in itertools.product(*(u.values for u in unknowns)):
        completed = case
        for apply in choice:
            completed = apply(completed)
        outcomes.append(decide(completed))
    items = tuple(_item(base.items[i], [o.items[i] for o in outcomes]) for i in range(len(base.items)))
    license_required = _agreed([o.license_required for o in outcomes])
    subject = _agreed([o.subject_to_ear for o in outcomes])
    if license_required is base.license_required and subject is base.subject_to_ear:
        return base
    settled = " and ".join(
        f"{name} is {value}"
        for name, value in (("licence required", license_required), ("subject to the EAR", subject))
        if value is not None
    )
    what = "; ".join(f"{u.label} ({', '.join(u.shown)})" for u in unknowns)
    finding = Finding(
        rule="agreement",
        citation="15 CFR part 732",
        outcome=Outcome.APPLIES,
        effect=Effect.FLAG,
        because=f"{settled} whatever these facts are: {what} -- each of the {len(outcomes)} completions gives it",
    )
    split = {u.field for u in unknowns}
    questions = [q for o in outcomes for q in o.missing_facts if q.field not in split]
    return replace(
        base,
        license_required=license_required if license_required is not None else base.license_required,
        subject_to_ear=subject if subject is not None else base.subject_to_ear,
        review_policy=strictest(r.review_policy for r in items if r.license_required is not False),
        items=items,
        findings=(*base.findings, finding),
        license_exceptions=_exceptions(base.license_exceptions, outcomes),
        missing_facts=merge_questions([Fact(None, tuple(questions))]),
    )


def _item(base: ItemResult, outcomes: list[ItemResult]) -> ItemResult:
    required = _agreed([o.license_required for o in outcomes])
    subject = _agreed([o.subject_to_ear for o in outcomes])
    policy = strictest(o.review_policy for o in outcomes) if required else base.review_policy
    return ItemResult(
        base.id,
        required if required is not None else base.license_required,
        subject if subject is not None else base.subject_to_ear,
        policy if required is not False else None,
    )


def _exceptions(
    base: tuple[LicenseExceptionResult, ...], outcomes: list[Determination]
) -> tuple[LicenseExceptionResult, ...]:
    """Each exception's availability where every completion that evaluates it agrees."""
    joined = []
    keys = dict.fromkeys((e.item, e.symbol) for o in outcomes for e in o.license_exceptions)
    for key in keys:
        found = [e for o in outcomes for e in o.license_exceptions if (e.item, e.symbol) == key]
        first = next((e for e in base if (e.item, e.symbol) == key), found[0])
        available = _agreed([e.available for e in found]) if len(found) == len(outcomes) else None
        joined.append(replace(first, available=available))
    return tuple(joined)
