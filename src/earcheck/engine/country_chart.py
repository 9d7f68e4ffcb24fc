"""General Prohibitions One to Three: the Commerce Country Chart (15 CFR 738.4).

For each control of the item's licence-requirements table: does its scope cover the item's paragraph,
and does its destination rule (a chart column, or prose such as "to or within Macau or D:5") reach the
destination? A licence is required for that reason when both are true. The destination's Country
Chart footnotes may add controls for named ECCNs (footnote 10: firearms to the United Kingdom and
Australia). General Prohibition One covers exports and reexports; a control written "to or within"
also reaches transfers (in-country).

When the item's paragraph is not known to the depth the rows distinguish, the chart is read for every
class of paragraph they leave open (``earcheck.engine.readings``): if all classes give the same answer,
that is the answer; if not, the question names the classes and what each would mean. Rows earcheck
cannot read, conditions the case cannot state, and reasons for control the data has no row for leave
the answer unknown with a question that quotes them -- never "no".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from earcheck.eccn import Eccn
from earcheck.engine.context import EccnView, note_tables, tables_noted
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, merge_questions
from earcheck.engine.readings import (
    Purpose,
    entry_gap_question,
    given_purpose,
    itar_placeholder,
    paragraph_classes,
    purposes,
    unrowed_reasons,
)
from earcheck.model import Activity, Effect, MissingFact, Tri
from earcheck.regulations.ccl_controls import ChartControl, ConditionKind, DestinationKind, ScopeKind, Where
from earcheck.regulations.ccl_grammar import footnote_controls, purpose_domain
from earcheck.regulations.country_chart import CountryStatus
from earcheck.regulations.review_policy import review_policies, strictest

__all__ = ["ChartAnswer", "chart_requirement", "read_chart"]

CHART = "15 CFR part 738, Supplement No. 1"
_OUTCOME = {True: "licence required", False: "no licence under the chart", None: "depends on the questions below"}


@dataclass(frozen=True, slots=True)
class ChartAnswer:
    fact: Fact
    reasons: frozenset[str]  # reasons for control that require a licence (when fact is True)
    because: str
    possible: frozenset[str] = frozenset()  # reasons that may require one, depending on facts not given


@dataclass(frozen=True, slots=True)
class _Reading:
    """The chart read for one class of paragraph."""

    label: str
    value: Tri
    reasons: frozenset[str]
    possible: frozenset[str]
    questions: tuple[MissingFact, ...]


def read_chart(
    view: EccnView,
    destination: CountryStatus,
    activity: Activity | None,
    subject: str,
    field: str,
    exported_from: CountryStatus | None = None,
    purposes: tuple[Purpose, ...] | None = None,
) -> ChartAnswer:
    """Does ``view``'s classification need a licence to ``destination`` under the chart and the CCL's
    prose controls? ``subject`` names the thing in questions ("item wafers"), ``field`` its path;
    ``exported_from`` is where the item is sent from, when known (some rows turn on it); ``purposes``
    the items a technology or software entry may be for, when its heading bounds them."""
    status = view.status
    code = destination.code
    if view.eccn.is_ear99:
        return ChartAnswer(FALSE, frozenset(), "EAR99: no reason for control, so the Country Chart needs no licence")
    if not status.known:
        question = MissingFact(
            f"{field}.eccn",
            status.question
            or f"{status.entry} is not in earcheck's Commerce Control List data: which reasons for control and "
            f"Country Chart columns apply to {subject}?",
        )
        return ChartAnswer(Fact.unknown(question), frozenset(), f"{status.entry}: controls unknown")
    if itar_placeholder(status, view.controls):
        return ChartAnswer(
            FALSE,
            frozenset(),
            f"{status.entry} points to the ITAR (15 CFR 734.3(b)(1)): the Country Chart does not apply",
        )
    if destination.marks is None or destination.groups is None:
        question = MissingFact(
            "destination",
            f"Which Country Chart columns were marked for {code} on {destination.as_of.isoformat()}? "
            + " ".join(destination.warnings),
        )
        return ChartAnswer(Fact.unknown(question), frozenset(), f"the Country Chart row of {code} is not known")
    if not view.controls:
        question = MissingFact(f"{field}.eccn", entry_gap_question(status, subject))
        return ChartAnswer(Fact.unknown(question), frozenset(), f"{status.entry}: the CCL data has no control rows")
    transfer = activity is Activity.TRANSFER
    controls = tuple(
        c
        for c in (*view.controls, *footnote_controls(status.entry, view.controls, destination.footnotes))
        if not (transfer and not c.destination.within)
    )
    where = Where(
        # the destination whose row governs: Hong Kong is "China" for "to or within China" from 2020-12-23
        destination.governed_by,
        destination.marks,
        destination.groups,
        tuple(destination.footnotes),
        exported_from.code if exported_from is not None else None,
        exported_from.groups if exported_from is not None else None,
    )
    lacking = unrowed_reasons(status, view.controls)
    ranges = [r for c in controls for r in c.scope.ranges()]
    classes = paragraph_classes(status.entry, view.eccn.paragraph, ranges, view.listed)
    readings = []
    for kind in classes:
        for purpose in purposes or (None,):
            label = kind.label if purpose is None else f"{kind.label} for {purpose.label}"
            if purpose is not None and len(classes) == 1:
                label = f"for {purpose.label}"
            at = (
                where
                if purpose is None
                else replace(where, purpose=(purpose.code, purpose.paragraph), purpose_reasons=purpose.reasons)
            )
            readings.append(_read_class(view, kind.paragraph, label, controls, at, lacking, subject, field))
    return _combine(view, readings, code, transfer, subject, field, purposes is not None)


def _read_class(
    view: EccnView,
    paragraph: tuple[str, ...],
    label: str,
    controls: Sequence[ChartControl],
    where: Where,
    lacking: tuple[str, ...],
    subject: str,
    field: str,
) -> _Reading:
    reasons: set[str] = set()
    possible: set[str] = set()
    questions: list[MissingFact] = []
    for control in controls:
        covers = control.scope.covers(paragraph, where)
        if covers is False:
            continue
        reaches = control.destination.requires(where)
        if reaches is False:
            continue
        if covers and reaches:
            reasons.add(control.reason)
            continue
        possible.add(control.reason)
        questions.append(_question(view, control, covers, reaches, where.destination, subject, field))
    for reason in lacking:
        possible.add(reason)
        questions.append(
            MissingFact(
                f"{field}.eccn",
                f"The CCL lists {reason} among the reasons for control of {view.status.entry}, but earcheck's data "
                f"has no {reason} row: does an {reason} control require a licence for {subject} to "
                f"{where.destination}?",
            )
        )
    value: Tri = True if reasons else (None if possible else False)
    return _Reading(label, value, frozenset(reasons), frozenset(possible), () if reasons else tuple(questions))


def _question(
    view: EccnView, control: ChartControl, covers: Tri, reaches: Tri, code: str, subject: str, field: str
) -> MissingFact:
    text = control.text
    if not control.read and control.destination.kind is DestinationKind.UNPARSED and covers is not None:
        return MissingFact(
            "destination",
            f"Does the CCL control {text.control!r} of {view.status.entry} ({control.reason}, {text.country_chart!r}) "
            f"require a licence to {code}? earcheck cannot read it: {control.destination.text}.",
        )
    if covers is None and control.scope.kind is not ScopeKind.PROSE:
        conditions = [c.text for c in control.scope.conditions() if c.kind is not ConditionKind.DESTINATION]
        if conditions:
            asked = "; ".join(dict.fromkeys(conditions))
            # A row that turns on what technology or software is for is settled by the item's for_eccn.
            hint = (
                " Give for_eccn: the ECCN of the commodity it is for."
                if any(c.kind is ConditionKind.PURPOSE for c in control.scope.conditions())
                else ""
            )
            return MissingFact(
                f"{field}.eccn",
                f"Does {subject} ({view.eccn}) meet the words of the CCL control {text.control!r}: {asked}?{hint}",
            )
    if reaches is None:
        return MissingFact(
            "destination",
            f"Does the CCL control {text.country_chart!r} ({view.status.entry}, {control.reason}) require a licence "
            f"to {code}?",
        )
    return MissingFact(
        f"{field}.eccn",
        f"Does {subject} ({view.eccn}) fall under the CCL control {text.control!r}? Give the item's ECCN down to "
        "the paragraph.",
    )


def _combine(
    view: EccnView, readings: list[_Reading], code: str, transfer: bool, subject: str, field: str, purpose: bool
) -> ChartAnswer:
    values = {r.value for r in readings}
    reasons = frozenset.intersection(*(r.reasons for r in readings))
    possible = frozenset().union(*(r.reasons | r.possible for r in readings)) - reasons
    eccn = view.eccn
    if values == {True}:
        every = (" whatever it is for" if purpose else " whatever its paragraph") if len(readings) > 1 else ""
        named = ", ".join(sorted(frozenset().union(*(r.reasons for r in readings))))
        return ChartAnswer(TRUE, reasons, f"{eccn} is controlled for {named} to {code}{every}", possible)
    if values == {False}:
        where = "no control of the entry is written 'to or within'" if transfer else "no X in the chart"
        every = (", whatever it is for" if purpose else ", whatever its paragraph") if len(readings) > 1 else ""
        reasons_text = ", ".join(view.status.reasons or ())
        return ChartAnswer(
            FALSE, frozenset(), f"{eccn} to {code}: {where} for its reasons for control ({reasons_text}){every}"
        )
    questions: list[MissingFact] = []
    if len(values) > 1:
        by_value: dict[Tri, list[str]] = {}
        for reading in readings:
            by_value.setdefault(reading.value, []).append(reading.label)
        options = "; ".join(f"{_join(labels)} ({_OUTCOME[value]})" for value, labels in by_value.items())
        asked = f"Which items is {subject} ({eccn}) for" if purpose else f"Which paragraph of {eccn} is {subject} in"
        questions.append(MissingFact(f"{field}.eccn", f"{asked}? {options}."))
    for reading in readings:
        if reading.value is None:
            questions.extend(reading.questions)
    fact = Fact(None, merge_questions([Fact(None, tuple(questions))]))
    return ChartAnswer(
        fact, frozenset(), f"{eccn} to {code}: whether a control reaches it depends on facts not given", possible
    )


def _join(labels: list[str], shown: int = 12) -> str:
    if len(labels) > shown:
        return ", ".join(labels[:shown]) + f" or {len(labels) - shown} more"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _purposes(facts: ItemFacts, view: EccnView) -> tuple[Purpose, ...] | None:
    """What the item may be for, when it is technology or software whose rows turn on that: the one
    commodity the case names (``for_eccn``), else every class the entry's heading bounds it to
    (memoised: the same entry, commodity and date give the same readings)."""
    given = facts.item.for_eccn
    key = ("purposes", view.status.entry, id(view.controls), view.status.heading, given, facts.as_of)
    if key in facts.context.memo:
        # The other entries' rows it read count as read by this determination too (its "tables" finding).
        kept = facts.context.memo[key]
        assert isinstance(kept, tuple)
        found, read = kept
        note_tables(read)
        return found if isinstance(found, tuple) else None
    result: tuple[Purpose, ...] | None = None
    with tables_noted() as noted:
        if any(c.kind is ConditionKind.PURPOSE for control in view.controls for c in control.scope.conditions()):

            def rows_of(code: str) -> tuple[tuple[ChartControl, ...], frozenset[tuple[str, ...]] | None] | None:
                other = facts.context.eccn(code, facts.as_of)
                return (other.controls, other.listed) if other.status.known else None

            if given is not None:
                named = Eccn.parse(given)
                result = (given_purpose(view.controls, named.code, named.paragraph, rows_of),)
            else:
                domain = purpose_domain(view.status.heading or "", frozenset(facts.context.tables.ccl))
                result = purposes(view.controls, domain, rows_of)
    facts.context.remember(key, (result, tuple(noted.values())))
    return result


def chart_requirement(facts: ItemFacts, ledger: Ledger, prohibition: int) -> Requirement:
    """GP1 (US-origin items), GP2 (de minimis) or GP3 (foreign direct products): the chart for the item."""
    rule = "country_chart"
    citation = f"15 CFR 736.2(b)({prohibition}); {CHART}"
    id_ = facts.id
    if facts.activity is None:
        answer = ChartAnswer(
            Fact.unknown(facts.ask("location", f"Where is item {id_} now? The activity depends on it.")),
            frozenset(),
            "the activity (export, reexport, transfer) is not known",
        )
    elif facts.eccn is None:
        answer = ChartAnswer(
            Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {id_}?")),
            frozenset(),
            "the item is not classified",
        )
    else:
        # What read_chart reads: the classification, its rows (one tuple per entry version), the
        # destination's row, and where the item is sent from -- the same on most dates.
        destination = facts.destination
        source = facts.context.destination(facts.location, facts.as_of) if facts.location else None
        bounded = _purposes(facts, facts.eccn)
        key = (
            "chart",
            str(facts.eccn.eccn),
            facts.eccn.status.known,
            facts.eccn.status.question,  # an unknown text's question names its date
            id(facts.eccn.controls),
            destination.code,
            destination.marks,
            destination.groups,
            tuple(destination.footnotes),
            destination.as_of if destination.marks is None else None,
            source.code if source else None,
            source.groups if source else None,
            id(bounded),
            facts.activity,
            id_,
            facts.field,
        )
        cached = facts.context.memo.get(key)
        if isinstance(cached, ChartAnswer):
            answer = cached
        else:
            answer = read_chart(
                facts.eccn, facts.destination, facts.activity, f"item {id_}", facts.field, source, bounded
            )
            facts.context.remember(key, answer)
    policies = review_policies()
    eccn = facts.eccn.eccn if facts.eccn is not None else None
    texts = []
    for reason in sorted(answer.reasons):
        found = policies.for_reason(reason, facts.groups, eccn, facts.as_of, facts.case.destination)
        texts.append(found.text if found is not None else f"Not known: earcheck has no review policy for {reason}")
    policy = strictest(texts)
    read = [v.label for v in (facts.eccn.status.version if facts.eccn else None, *facts.destination.versions) if v]
    ledger.record(
        rule, citation, answer.fact, Effect.LICENSE_REQUIRED, answer.because, id_, policy=policy, tables=tuple(read)
    )
    return Requirement(rule, citation, answer.fact, policy, prohibition, answer.reasons, answer.possible)
