"""Licence exceptions (Part 740): which could authorise this item's shipment, and why the others cannot.

An exception lifts only the requirements of General Prohibitions One to Three (the Country Chart for
US-origin, de minimis and foreign-direct-product items); a Part 744 requirement (the Entity List:
744.16(b)), a denial order, or an embargo not naming it stays. Then 740.2 bars all exceptions in named
cases (Unverified List parties, MT-controlled items, ...), and each exception has its own conditions.
"""

from __future__ import annotations

from earcheck.eccn import Eccn
from earcheck.engine.item import ItemFacts, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.model import LicenseExceptionResult, MissingFact
from earcheck.regulations.ccl_notes import gbs_eligible, lvs_limit
from earcheck.regulations.exceptions import ExceptionRule, Restriction, RestrictionKind

__all__ = ["license_exceptions"]


def _blocked_by_requirements(symbol: str, requirements: list[Requirement]) -> tuple[Fact, str]:
    blocking = [
        r
        for r in requirements
        if r.fact.value is not False
        and (r.prohibited or (r.prohibition not in (1, 2, 3) and symbol not in r.exceptions_open))
    ]
    if not blocking:
        return FALSE, ""
    fact = any_of(r.fact for r in blocking)
    first = next((r for r in blocking if r.fact.value is True), blocking[0])
    if first.prohibited:
        why = f"a denial order ({first.citation}) is not lifted by any licence exception"
    elif first.prohibition == 6:
        why = f"{first.citation} leaves open only {', '.join(first.exceptions_open) or 'no licence exception'}"
    else:
        why = f"no licence exception overcomes {first.citation} ({first.rule})"
    return fact, why


def _restriction(
    facts: ItemFacts, restriction: Restriction, reasons: frozenset[str], possible: frozenset[str], uvl: Fact
) -> Fact:
    destination = facts.case.destination
    if restriction.kind is RestrictionKind.UNVERIFIED_LIST:
        return uvl
    if destination in restriction.except_countries or facts.groups & set(restriction.except_groups):
        return FALSE
    if restriction.kind is RestrictionKind.REASON:
        if restriction.reason in reasons:
            return TRUE
        if restriction.reason in possible:
            return Fact.unknown(
                facts.ask(
                    "eccn", f"Is item {facts.id} controlled for {restriction.reason} reasons ({restriction.citation})?"
                )
            )
        return FALSE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    listed = [Eccn.parse(e) for e in restriction.eccns]
    if any(view.eccn.within(e) for e in listed):
        hit = TRUE
    elif any(e.within(view.eccn) for e in listed):
        hit = Fact.unknown(facts.ask("eccn", f"Which paragraph of {view.eccn} describes item {facts.id}?"))
    else:
        hit = FALSE
    if restriction.kind is RestrictionKind.ECCNS_TO:
        reached = destination in restriction.destination_countries or bool(
            facts.groups & set(restriction.destination_groups)
        )
        return all_of([hit, TRUE if reached else FALSE])
    return hit


def _own_conditions(facts: ItemFacts, rule: ExceptionRule, reasons: frozenset[str]) -> tuple[Fact, str]:
    view = facts.eccn
    groups = facts.groups
    if rule.destination_groups and not groups & set(rule.destination_groups):
        return FALSE, f"{facts.case.destination} is not in Country Group {', '.join(rule.destination_groups)}"
    if groups & set(rule.excluded_groups):
        return (
            FALSE,
            f"not available to Country Group {', '.join(sorted(groups & set(rule.excluded_groups)))}",
        )
    if rule.commodities_only or rule.eccns or rule.symbol in ("LVS", "GBS"):
        if view is None:
            return Fact.unknown(facts.ask("eccn", f"What is the ECCN of item {facts.id}?")), "classification unknown"
        if view.eccn.is_ear99:
            return FALSE, "EAR99 items need no licence under the Country Chart for this exception to lift"
        if rule.commodities_only and view.eccn.is_technology_or_software:
            return FALSE, "only for commodities, not software or technology"
        if rule.eccns and not any(
            view.eccn.within(Eccn.parse(e)) or Eccn.parse(e).within(view.eccn) for e in rule.eccns
        ):
            return FALSE, f"only for {', '.join(rule.eccns)}"
    if rule.only_reasons and reasons - set(rule.only_reasons):
        return (
            FALSE,
            f"lifts only {', '.join(rule.only_reasons)} requirements; this item is also controlled for "
            + ", ".join(sorted(reasons - set(rule.only_reasons))),
        )
    notes = view.status.license_exception_notes if view is not None else {}
    if rule.symbol == "LVS" and view is not None:
        eligible, limit = lvs_limit(notes.get("LVS"), view.eccn.code, view.eccn.paragraph)
        question = facts.ask(
            "eccn", f"Does the LVS line of {view.eccn.code} ({notes.get('LVS')!r}) cover item {facts.id}?"
        )
        eligible_fact = Fact.of(eligible, question)
        if eligible is False or limit is None:
            return eligible_fact, f"{view.eccn.code} LVS line: {notes.get('LVS', 'none')}"
        value = facts.item.value
        within = Fact.of(
            None if value is None else value <= limit,
            facts.ask("value", f"What is the net value of the shipment of item {facts.id} (LVS limit ${limit})?"),
        )
        return all_of([eligible_fact, within]), f"LVS value limit ${limit} for {view.eccn.code}"
    if rule.symbol == "GBS" and view is not None:
        eligible = gbs_eligible(notes.get("GBS"), view.eccn.code, view.eccn.paragraph)
        question = facts.ask(
            "eccn", f"Does the GBS line of {view.eccn.code} ({notes.get('GBS')!r}) cover item {facts.id}?"
        )
        return Fact.of(eligible, question), f"{view.eccn.code} GBS line: {notes.get('GBS', 'none')}"
    if rule.fact is not None:
        exception_facts = facts.item.exception_facts
        value = getattr(exception_facts, rule.fact) if exception_facts is not None else None
        wording = (rule.question or f"Does item {{item}} qualify for {rule.symbol}?").format(item=facts.id)
        ask = MissingFact(f"{facts.field}.exception_facts.{rule.fact}", " ".join(wording.split()))
        state = {True: "conditions met", False: "conditions not met", None: "conditions not known"}[value]
        return Fact.of(value, ask), f"{rule.title}: {state}"
    return TRUE, rule.title


def license_exceptions(
    facts: ItemFacts, requirements: list[Requirement], uvl: Fact
) -> tuple[list[LicenseExceptionResult], list[Fact]]:
    """Availability of each modelled exception for this item, and the unknowns behind the ``None``s."""
    data = facts.context.rules.exceptions
    reasons = frozenset(r for req in requirements if req.fact.value is not False for r in req.reasons)
    possible = frozenset(r for req in requirements if req.fact.value is not False for r in req.possible_reasons)
    results, unknowns = [], []
    # The 740.2 restrictions that may reach this item, evaluated once; each exception then checks
    # whether the restriction leaves it open.
    reaching = [
        (restriction, fact)
        for restriction in data.restrictions_on(facts.as_of)
        for fact in [_restriction(facts, restriction, reasons, possible, uvl)]
        if fact.value is not False
    ]
    for rule in data.exceptions:
        blocked, blocked_why = _blocked_by_requirements(rule.symbol, requirements)
        barred = [(r, f) for r, f in reaching if rule.symbol not in r.allowed]
        own, own_why = _own_conditions(facts, rule, reasons)
        available = all_of([blocked.negate(), *(f.negate() for _, f in barred), own])
        if blocked.value is True:
            because = blocked_why
        elif any(f.value is True for _, f in barred):
            restriction = next(r for r, f in barred if f.value is True)
            because = f"{restriction.citation} bars licence exceptions here"
        elif own.value is False:
            because = own_why
        elif available.value is True:
            because = f"{own_why}; no restriction of 740.2 applies"
        else:
            because = "; ".join(w for w in (blocked_why, own_why) if w) or "depends on facts not given"
        results.append(LicenseExceptionResult(rule.symbol, rule.citation, available.value, because, facts.id))
        if available.value is None:
            unknowns.append(available)
    return results, unknowns
