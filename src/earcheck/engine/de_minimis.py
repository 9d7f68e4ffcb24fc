"""Is a foreign-made item subject to the EAR by its US-origin content (15 CFR 734.4, Supp. No. 2 to 734)?

Only *controlled* US-origin content counts: content that would itself need a licence to the item's
destination, in the form received, under the Country Chart or Part 746 -- not Part 744, and not
content that could go there without a licence or under License Exception GBS. Its fair market value,
over the item's value, is compared with the de minimis level of the destination on the date (10% for
Country Group E:1, and Cuba from 2019-10-21; 25% elsewhere): more than the level makes the item
subject. The 734.4(a) cases with no de minimis level make any such content enough.

Unknown content, classification or values leave the answer unknown unless what is known already
exceeds the level.
"""

from __future__ import annotations

from fractions import Fraction

from earcheck.engine.country_chart import read_chart
from earcheck.engine.embargo import embargo_scope_reaches
from earcheck.engine.item import ItemFacts, Ledger
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of, merge_questions
from earcheck.errors import EarcheckError
from earcheck.model import Activity, Content, Effect, MissingFact
from earcheck.regulations.ccl_notes import gbs_eligible
from earcheck.regulations.de_minimis import NoDeMinimis

__all__ = ["de_minimis"]

METHOD = "15 CFR part 734, Supplement No. 2"


def _content_controlled(facts: ItemFacts, content: Content, index: int) -> Fact:
    """Would this US-origin content need a licence to the destination (chart or Part 746), not counting
    what could go NLR or under GBS?"""
    field = f"{facts.field}.us_content[{index}]"
    subject = f"US-origin content {index + 1} of item {facts.id} ({content.description or 'no description'})"
    if content.eccn is None:
        return Fact.unknown(MissingFact(f"{field}.eccn", f"What is the ECCN (or EAR99) of {subject}?"))
    try:
        view = facts.context.eccn(content.eccn, facts.as_of)
    except EarcheckError as error:
        return Fact.unknown(MissingFact(f"{field}.eccn", f"{subject}: {error}"))
    answer = read_chart(view, facts.destination, Activity.REEXPORT, subject, field)
    chart = answer.fact
    if chart.value is True and "B" in facts.groups:
        notes = view.status.license_exception_notes
        gbs = gbs_eligible(notes.get("GBS"), view.eccn.code, view.eccn.paragraph)
        only_ns = answer.reasons <= {"NS"}
        if gbs is True and only_ns:
            chart = FALSE  # could go under License Exception GBS: not counted
        elif gbs is None and only_ns:
            chart = Fact.unknown(
                MissingFact(f"{field}.eccn", f"Could {subject} ({view.eccn}) go to the destination under GBS?")
            )
    embargo = FALSE
    found = facts.context.rules.embargoes.in_force(facts.case.destination, facts.as_of)
    if found is not None:
        _, version = found
        embargo = embargo_scope_reaches(version, view, None, None, facts.case.ofac_authorized, subject, field)
    return any_of([chart, embargo])


def _exclusion_applies(facts: ItemFacts, rule: NoDeMinimis) -> Fact:
    """Does a 734.4(a) no-de-minimis case reach this item? Unmodelled cases only ever answer unknown."""
    conditions: list[Fact] = []
    eccn = facts.eccn
    if rule.item_eccns or rule.item_groups:
        if eccn is None:
            conditions.append(Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?")))
        else:
            hit = any(str(eccn.eccn).startswith(e) or eccn.eccn.code == e for e in rule.item_eccns) or any(
                eccn.eccn.code.startswith(g) for g in rule.item_groups
            )
            conditions.append(TRUE if hit else FALSE)
    if rule.destination_countries or rule.destination_groups:
        reached = facts.case.destination in rule.destination_countries or bool(
            facts.groups & set(rule.destination_groups)
        )
        conditions.append(TRUE if reached else FALSE)
    if rule.footnote is not None:
        conditions.append(facts.parties.with_footnote(rule.footnote, facts.parties.listings))
    if rule.content_eccns or rule.content_groups or rule.content_series:
        contents = facts.item.us_content
        if contents is None:
            conditions.append(
                Fact.unknown(facts.ask("us_content", f"What US-origin content does item {facts.id} incorporate?"))
            )
        else:
            matches = []
            for index, content in enumerate(contents):
                if content.eccn is None:
                    matches.append(
                        Fact.unknown(
                            facts.ask(f"us_content[{index}].eccn", f"What is the ECCN of content {index + 1}?")
                        )
                    )
                    continue
                code = content.eccn.split(".")[0]
                series = {"600"} if code[2] == "6" else ({"9x515"} if code[2:] == "515" else set())
                hit = (
                    any(content.eccn.startswith(e) for e in rule.content_eccns)
                    or any(code.startswith(g) for g in rule.content_groups)
                    or bool(series & set(rule.content_series))
                )
                matches.append(TRUE if hit else FALSE)
            conditions.append(any_of(matches))
    elif facts.item.us_content is not None and not facts.item.us_content:
        conditions.append(FALSE)  # no US-origin content at all
    fact = all_of(conditions)
    if fact.value is True and not rule.modelled:
        question = facts.ask(
            "",
            f"Does {rule.citation} ({rule.title}) apply to item {facts.id}? earcheck does not model it fully.",
        )
        return Fact.unknown(question)
    return fact


def de_minimis(facts: ItemFacts, ledger: Ledger) -> Fact:
    """Subject to the EAR by controlled US-origin content above the de minimis level (GP2)?"""
    id_ = facts.id
    data = facts.context.rules.de_minimis
    if facts.foreign_made is False:
        ledger.record(
            "de_minimis",
            METHOD,
            FALSE,
            Effect.SUBJECT_TO_EAR,
            "a US-origin item: de minimis does not apply",
            id_,
        )
        return FALSE

    exclusions = []
    for rule in data.exclusions(facts.as_of):
        fact = _exclusion_applies(facts, rule)
        because = {
            True: f"no de minimis level: {rule.title}",
            False: f"not a case of {rule.citation} ({rule.title})",
            None: f"may be a case of {rule.citation} ({rule.title})",
        }[fact.value]
        ledger.record(rule.id, rule.citation, fact, Effect.SUBJECT_TO_EAR, because, id_)
        if fact.value is True:
            return TRUE
        exclusions.append(fact)
    # A case that may have no de minimis level keeps the answer open whatever the percentage says.
    return any_of([*exclusions, _percentage(facts, ledger)])


def _percentage(facts: ItemFacts, ledger: Ledger) -> Fact:
    """Controlled US-origin content against the de minimis level of the destination on the date."""
    id_ = facts.id
    data = facts.context.rules.de_minimis

    threshold = data.threshold(facts.as_of)
    if threshold is None:
        fact = Fact.unknown(facts.ask("", "earcheck has no de minimis level for this date"))
        ledger.record(
            "de_minimis", METHOD, fact, Effect.SUBJECT_TO_EAR, "no de minimis level in force in the data", id_
        )
        return fact
    if facts.destination.groups is None:
        # Without the destination's Country Groups the level (10% or 25%) is not known.
        fact = Fact.unknown(
            MissingFact("destination", f"Which Country Groups was {facts.case.destination} in on the case date?")
        )
        ledger.record(
            "de_minimis", METHOD, fact, Effect.SUBJECT_TO_EAR, "the destination's Country Groups are not known", id_
        )
        return fact
    low = bool(facts.groups & set(threshold.low_groups))
    percent = threshold.low_percent if low else threshold.high_percent
    citation = threshold.low_citation if low else threshold.high_citation
    contents = facts.item.us_content
    if contents is None:
        fact = Fact.unknown(
            facts.ask(
                "us_content",
                f"What US-origin content does item {id_} incorporate (ECCN and fair market value of each part)? "
                "[] if none.",
            )
        )
        ledger.record(
            "de_minimis",
            citation,
            fact,
            Effect.SUBJECT_TO_EAR,
            "the item's US-origin content is not given",
            id_,
        )
        return fact
    known = Fraction(0)
    open_questions: list[Fact] = []
    for index, content in enumerate(contents):
        controlled = _content_controlled(facts, content, index)
        if controlled.value is False:
            continue
        if content.value is None:
            open_questions.append(
                Fact.unknown(
                    facts.ask(f"us_content[{index}].value", f"What is the fair market value of content {index + 1}?"),
                    *controlled.questions,
                )
            )
        elif controlled.value is True:
            known += Fraction(str(content.value))
        elif content.value > 0:
            open_questions.append(controlled)
    value = facts.item.value
    if value is None or value <= 0:
        if known == 0 and not open_questions:
            fact, because = FALSE, "no controlled US-origin content"
        else:
            fact = Fact.unknown(facts.ask("value", f"What is the fair market value of item {id_}?"))
            because = "the item's value is not given"
    else:
        share = known / Fraction(str(value))
        shown = f"{float(share) * 100:.2f}%"
        if share * 100 > percent:
            fact, because = (
                TRUE,
                f"controlled US-origin content is {shown} of the item, above the {percent}% level",
            )
        elif open_questions:
            fact = Fact(None, merge_questions(open_questions))
            because = f"known controlled US-origin content is {shown}; other content may be controlled"
        else:
            fact, because = FALSE, f"controlled US-origin content is {shown}, within the {percent}% level"
    ledger.record("de_minimis", citation, fact, Effect.SUBJECT_TO_EAR, because, id_)
    return fact
