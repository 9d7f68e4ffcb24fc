"""General Prohibitions One to Three: the Commerce Country Chart (15 CFR 738.4).

For each row of the item's licence-requirements table: does its scope cover the item's paragraph,
and does its destination rule (a chart column, or prose such as "to or within Macau or D:5") reach
the destination? A licence is required for that reason when both are true. Rows earcheck cannot read
make the answer unknown with a question that quotes them. General Prohibition One covers exports and
reexports; a control written "to or within" also reaches transfers (in-country).
"""

from __future__ import annotations

from dataclasses import dataclass

from earcheck.engine.context import EccnView
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, Fact, all_of, any_of
from earcheck.model import Activity, Effect, MissingFact
from earcheck.regulations.country_chart import CountryStatus
from earcheck.regulations.review_policy import review_policies, strictest

__all__ = ["ChartAnswer", "chart_requirement", "read_chart"]

CHART = "15 CFR part 738, Supplement No. 1"


@dataclass(frozen=True, slots=True)
class ChartAnswer:
    fact: Fact
    reasons: frozenset[str]  # reasons for control that require a licence (when fact is True)
    because: str
    possible: frozenset[str] = frozenset()  # reasons that may require one, depending on facts not given


def read_chart(
    view: EccnView,
    destination: CountryStatus,
    activity: Activity | None,
    subject: str,
    field: str,
) -> ChartAnswer:
    """Does ``view``'s classification need a licence to ``destination`` under the chart and the CCL's
    prose controls? ``subject`` names the thing in questions ("item wafers"), ``field`` its path."""
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
    if destination.marks is None or destination.groups is None:
        question = MissingFact(
            "destination",
            f"Which Country Chart columns were marked for {code} on {destination.as_of.isoformat()}? "
            + " ".join(destination.warnings),
        )
        return ChartAnswer(Fact.unknown(question), frozenset(), f"the Country Chart row of {code} is not known")
    transfer = activity is Activity.TRANSFER
    reading: list[tuple[str, Fact]] = []
    for control in view.controls:
        if transfer and not control.destination.within:
            continue
        covers = control.scope.covers(view.eccn.paragraph)
        covers_fact = Fact.of(
            covers,
            MissingFact(
                f"{field}.eccn",
                f"Does {subject} ({view.eccn}) fall under the CCL control {control.text.control!r}? "
                "Give the item's ECCN down to the paragraph.",
            ),
        )
        reaches = control.destination.requires(
            # the destination whose row governs: Hong Kong is "China" for "to or within China" from 2020-12-23
            destination.governed_by,
            destination.marks,
            destination.groups,
            tuple(destination.footnotes),
        )
        reaches_fact = Fact.of(
            reaches,
            MissingFact(
                "destination",
                f"Does the CCL control {control.text.country_chart!r} ({view.eccn.code}, {control.reason}) require "
                f"a licence to {code}?",
            ),
        )
        reading.append((control.reason, all_of([covers_fact, reaches_fact])))
    fact = any_of(f for _, f in reading)
    reasons = frozenset(reason for reason, f in reading if f.value is True)
    possible = frozenset(reason for reason, f in reading if f.value is None)
    if fact.value is True:
        because = f"{view.eccn} is controlled for {', '.join(sorted(reasons))} to {code}"
    elif fact.value is False:
        where = "no control of the entry is written 'to or within'" if transfer else "no X in the chart"
        because = f"{view.eccn} to {code}: {where} for its reasons for control ({', '.join(status.reasons or ())})"
    else:
        because = f"{view.eccn} to {code}: whether a control reaches it depends on facts not given"
    return ChartAnswer(fact, reasons, because, possible)


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
        # What read_chart reads: the classification, its rows (one tuple per entry version), and the
        # destination's row -- the same on most dates.
        destination = facts.destination
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
            facts.activity,
            id_,
            facts.field,
        )
        cached = facts.context.memo.get(key)
        if isinstance(cached, ChartAnswer):
            answer = cached
        else:
            answer = read_chart(facts.eccn, facts.destination, facts.activity, f"item {id_}", facts.field)
            facts.context.remember(key, answer)
    policies = review_policies()
    policy = strictest(
        p.policy for p in (policies.for_reason(r, facts.groups) for r in answer.reasons) if p is not None
    )
    read = [v.label for v in (facts.eccn.status.version if facts.eccn else None, *facts.destination.versions) if v]
    ledger.record(
        rule, citation, answer.fact, Effect.LICENSE_REQUIRED, answer.because, id_, policy=policy, tables=tuple(read)
    )
    return Requirement(rule, citation, answer.fact, policy, prohibition, answer.reasons, answer.possible)
