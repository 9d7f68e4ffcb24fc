"""General Prohibition Three: the foreign-direct-product rules (15 CFR 734.9; 736.2(b)(3) before 2022).

Each rule in force on the date is read as two prongs, and applies when both hold:

- *product scope*: the item is a direct product of the specified technology or software, or was made
  by a plant or major component of a plant (essential production or test equipment) that is itself a
  direct product of specified US-origin technology or software -- plus any condition on the item
  itself (an NS-controlled item, a 3B commodity, a Huawei design in May 2020);
- *destination or end-user scope*: a destination, a party with the rule's Entity List footnote in a
  qualifying role, knowledge that the item is for a footnoted entity's products, or an end use.

Savings clauses then keep items already in production, or en route, outside the rule until their
date. Rules earcheck describes only by an envelope of necessary conditions answer "may apply"
(unknown) inside it, never "applies" or "does not apply" on a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from earcheck.eccn import Eccn
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.errors import EarcheckError
from earcheck.model import Effect, Finding, MissingFact, Outcome
from earcheck.regulations.fdp import FdpKind, FdpRule, FdpVersion, SavingsClause, SavingsKind
from earcheck.regulations.review_policy import strictest

__all__ = ["FdpResult", "fdp_license_requirements", "foreign_direct_product"]


@dataclass(frozen=True, slots=True)
class FdpResult:
    rule: FdpRule
    version: FdpVersion
    applies: Fact
    policy: str | None  # the review policy of the footnoted entities involved, if any


def _matches_inputs(
    facts: ItemFacts,
    eccns: Sequence[str],
    eccn_list: tuple[str, ...],
    groups: tuple[str, ...],
    reason: str | None,
    series_600: bool,
    later: tuple[str, ...],
    what: str,
) -> Fact:
    """Is any of ``eccns`` (technology or software classifications) among the rule's inputs?"""
    results = []
    for text in eccns:
        try:
            eccn = Eccn.parse(text)
        except EarcheckError:
            results.append(Fact.unknown(facts.ask("production", f"{text!r} is not an ECCN ({what})")))
            continue
        code = eccn.code
        if code in eccn_list or code[:2] in groups or (series_600 and code[2] == "6"):
            results.append(TRUE)
        elif code in later:
            results.append(
                Fact.unknown(
                    facts.ask(
                        "production",
                        f"Did the rule name ECCN {code} on {facts.as_of.isoformat()}? It is named by 2026, but the "
                        "date it was added is not in earcheck's data.",
                    )
                )
            )
        elif reason is not None:
            view = facts.context.eccn(code, facts.as_of)
            reasons = view.status.reasons
            if reasons is None:
                results.append(
                    Fact.unknown(facts.ask("production", f"Is ECCN {code} ({what}) controlled for {reason} reasons?"))
                )
            else:
                results.append(TRUE if reason in reasons else FALSE)
        else:
            results.append(FALSE)
    return any_of(results)


def _direct_product(facts: ItemFacts, version: FdpVersion) -> Fact:
    production = facts.item.production
    technology = production.us_technology if production is not None else None
    if technology is None:
        return Fact.unknown(
            facts.ask(
                "production.us_technology",
                f"Is item {facts.id} a direct product of US-origin technology or software? List their ECCNs "
                "([] if none).",
            )
        )
    return _matches_inputs(
        facts,
        technology,
        version.technology_eccns,
        version.technology_groups,
        version.technology_reason,
        version.technology_series_600,
        version.possible_later_eccns,
        "technology or software the item is a direct product of",
    )


def _plant(facts: ItemFacts, version: FdpVersion) -> Fact:
    if not (version.plant_eccns or version.plant_groups or version.plant_reason or version.plant_series_600):
        return FALSE
    production = facts.item.production
    plants = production.plant if production is not None else None
    if plants is None:
        return Fact.unknown(
            facts.ask(
                "production.plant",
                f"Was item {facts.id} produced by a plant, or a major component of a plant (production or test "
                "equipment, e.g. a deposition or lithography tool), that is itself a direct product of US-origin "
                "technology or software? List each with the ECCNs of that technology ([] if none).",
            )
        )
    results = []
    for index, plant in enumerate(plants):
        if plant.us_technology is None:
            results.append(
                Fact.unknown(
                    facts.ask(
                        f"production.plant[{index}].us_technology",
                        f"Is the plant or equipment {plant.description or index + 1!r} that produced item {facts.id} "
                        "a direct product of US-origin technology or software? Give the ECCNs ([] if none).",
                    )
                )
            )
            continue
        results.append(
            _matches_inputs(
                facts,
                plant.us_technology,
                version.plant_eccns,
                version.plant_groups,
                version.plant_reason,
                version.plant_series_600,
                version.possible_later_eccns,
                "technology or software the plant is a direct product of",
            )
        )
    return any_of(results)


def _item_condition(facts: ItemFacts, version: FdpVersion) -> Fact:
    """Conditions on the foreign item itself: its classification, or a reason it is controlled for."""
    needs = version.item_eccns is not None or version.item_reason is not None or version.item_series_600
    if not needs:
        return TRUE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    conditions = []
    if version.item_eccns is not None:
        listed = [Eccn.parse(e) for e in version.item_eccns]
        if any(view.eccn.within(e) for e in listed):
            conditions.append(TRUE)
        elif any(e.within(view.eccn) for e in listed):
            conditions.append(
                Fact.unknown(
                    facts.ask(
                        "eccn",
                        f"Item {facts.id} is classified {view.eccn}: which paragraph? The rule reaches only "
                        f"{', '.join(version.item_eccns)}.",
                    )
                )
            )
        else:
            conditions.append(FALSE)
    if version.item_series_600:
        conditions.append(TRUE if not view.eccn.is_ear99 and view.eccn.code[2] == "6" else FALSE)
    if version.item_reason is not None:
        if view.eccn.is_ear99:
            conditions.append(FALSE)
        elif view.status.reasons is None:
            conditions.append(
                Fact.unknown(
                    facts.ask(
                        "eccn",
                        f"Is item {facts.id} ({view.eccn}) controlled for {version.item_reason} reasons?",
                    )
                )
            )
        else:
            covered = [c.scope.covers(view.eccn.paragraph) for c in view.controls if c.reason == version.item_reason]
            conditions.append(
                any_of(
                    Fact.of(
                        c,
                        facts.ask(
                            "eccn",
                            f"Is item {facts.id} ({view.eccn}) controlled for {version.item_reason} reasons?",
                        ),
                    )
                    for c in covered
                )
            )
    return all_of(conditions)


def _footnote(rule: FdpRule) -> int:
    return rule.footnote if rule.footnote is not None else 1


def _designed_by_footnote_entity(facts: ItemFacts, rule: FdpRule) -> Fact:
    production = facts.item.production
    designer = production.designed_by if production is not None else None
    footnote = _footnote(rule)
    if designer is None:
        return Fact.unknown(
            facts.ask(
                "production.designed_by",
                f"Is item {facts.id} produced from technology or software produced or developed by an entity with "
                f"Entity List footnote {footnote} (e.g. a Huawei or HiSilicon design)? Name the designer.",
            )
        )
    listings = [
        listing for listing in facts.parties.listings if listing.party.field == f"{facts.field}.production.designed_by"
    ]
    return facts.parties.with_footnote(footnote, listings)


def _scope(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    """The destination / end-user / end-use prong: any one of the rule's conditions suffices."""
    parties = facts.parties
    options: list[Fact] = []
    if version.worldwide:
        options.append(TRUE)
    if version.destination_countries or version.destination_groups:
        code = facts.case.destination
        reached = code in version.destination_countries or bool(facts.groups & set(version.destination_groups))
        if facts.destination.groups is None and version.destination_groups:
            options.append(
                Fact.unknown(MissingFact("destination", f"Which Country Groups was {code} in on {facts.as_of}?"))
            )
        else:
            options.append(TRUE if reached else FALSE)
    footnote = _footnote(rule)
    if version.destined_roles:
        roles = set(version.destined_roles)
        listings = [listing for listing in parties.listings if listing.party.role in roles]
        options.append(parties.with_footnote(footnote, listings))
        options.append(parties.unknown_parties(f"whether an entity with footnote {footnote} is a party"))
    if version.unclear_roles:
        roles = set(version.unclear_roles)
        for listing in parties.listings:
            if listing.party.role in roles and parties.with_footnote(footnote, [listing]).value is not False:
                options.append(
                    Fact.unknown(
                        MissingFact(
                            f"{listing.party.field}.role",
                            f"Is item {facts.id} destined to {listing.party.name!r} (footnote {footnote}), i.e. will "
                            "it be delivered to it?",
                        ),
                        *listing.listed.questions,
                    )
                )
    if version.knowledge_incorporation:
        knowledge = facts.case.knowledge
        names = knowledge.for_products_of if knowledge is not None else None
        if names is None:
            options.append(
                Fact.unknown(
                    MissingFact(
                        "knowledge.for_products_of",
                        f"Do you know of parties whose parts, components or equipment item {facts.id} will be "
                        "incorporated into, or used to produce or develop? Name them ([] if none).",
                    )
                )
            )
        else:
            listings = [
                listing for listing in parties.listings if listing.party.field.startswith("knowledge.for_products_of")
            ]
            options.append(parties.with_footnote(footnote, listings))
    if version.end_uses:
        options.append(TRUE if set(version.end_uses) & set(facts.case.end_uses) else FALSE)
    return any_of(options)


def _product(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    routes = any_of([_direct_product(facts, version), _plant(facts, version)])
    if version.plant_may_be_in_content and routes.value is not True:
        routes = any_of(
            [
                routes,
                Fact.unknown(
                    facts.ask(
                        "production",
                        f"Does item {facts.id} contain an integrated circuit produced by a plant or equipment "
                        "that is a direct product of US-origin technology or software?",
                    )
                ),
            ]
        )
    conditions = [routes, _item_condition(facts, version)]
    if version.designed_by_footnote_entity:
        conditions.append(_designed_by_footnote_entity(facts, rule))
    return all_of(conditions)


def _caught(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    return all_of([_product(facts, rule, version), _scope(facts, rule, version)])


def _previous(rule: FdpRule, version: FdpVersion) -> FdpVersion | None:
    index = rule.versions.index(version)
    return rule.versions[index - 1] if index > 0 else None


def _saved(facts: ItemFacts, rule: FdpRule, version: FdpVersion, clause: SavingsClause) -> Fact:
    """Does the savings clause keep this item outside the rule on the date?"""
    if facts.as_of > clause.until:
        return FALSE
    item = facts.item
    if clause.kind is SavingsKind.PRODUCTION_STARTED_BEFORE:
        started = item.production.production_started if item.production is not None else None
        timing = Fact.of(
            None if started is None else started < clause.cutoff,
            facts.ask(
                "production.production_started",
                f"When did production of item {facts.id} start? Items in production before "
                f"{clause.cutoff.isoformat()} may ship until {clause.until.isoformat()} ({clause.citation}).",
            ),
        )
    else:
        shipped = item.shipped_on
        timing = Fact.of(
            None if shipped is None else shipped <= clause.cutoff,
            facts.ask(
                "shipped_on",
                f"Was item {facts.id} en route aboard a carrier on {clause.cutoff.isoformat()}? If so it may proceed "
                f"until {clause.until.isoformat()} ({clause.citation}). Give the day it left.",
            ),
        )
    previous = _previous(rule, version)
    conditions = [timing]
    if previous is not None and (clause.only_if_caught_by_previous or clause.only_if_newly_caught):
        caught_before = _caught(facts, rule, previous)
        conditions.append(caught_before if clause.only_if_caught_by_previous else caught_before.negate())
    return all_of(conditions)


def _policy(facts: ItemFacts, rule: FdpRule) -> str | None:
    """Review policy of the footnoted entities the rule turns on: the strictest among their entries."""
    footnote = _footnote(rule)
    policies = []
    for listing in facts.parties.listings:
        footnotes = listing.footnotes()
        if footnotes and footnote in footnotes and listing.listed.value is not False:
            policies.append(listing.hit.status.license_policy)
    return strictest(policies)


def _evaluate(facts: ItemFacts, rule: FdpRule, version: FdpVersion, ledger: Ledger) -> tuple[Fact, str]:
    words = {True: "met", False: "not met", None: "unknown"}
    scope = _scope(facts, rule, version)
    if scope.value is False:
        # The cheaper prong first: most rules reach few destinations or parties.
        return FALSE, "destination/end-user scope not met"
    product = _product(facts, rule, version)
    caught = all_of([product, scope])
    because = f"product scope {words[product.value]}; destination/end-user scope {words[scope.value]}"
    if caught.value is False:
        return caught, because
    saving = [(clause, _saved(facts, rule, version, clause)) for clause in version.savings]
    saved = any_of(fact for _, fact in saving)
    for clause, fact in saving:
        if fact.value is not False:
            sources = ", ".join(source.cite for source in version.sources)
            ledger.record(
                f"{rule.id}.savings",
                clause.citation,
                fact,
                Effect.FLAG,
                f"savings clause of the rule as in force from {version.effective.isoformat()} ({sources}): "
                f"the item may proceed without this rule's licence until {clause.until.isoformat()}",
                facts.id,
            )
    if saved.value is True:
        clause = next(c for c, f in saving if f.value is True)
        return FALSE, f"{because}, but the savings clause ({clause.citation}) applies until {clause.until.isoformat()}"
    applies = all_of([caught, saved.negate()])
    if rule.kind is FdpKind.ENVELOPE and applies.value is True:
        return (
            Fact.unknown(
                facts.ask(
                    "",
                    f"Does {version.citation} ({rule.title}) make item {facts.id} subject to the EAR? earcheck knows "
                    "only conditions it needs, which are met; check the rule's full text.",
                )
            ),
            f"{because}: may apply (earcheck does not model this rule in full)",
        )
    if saved.value is None and caught.value is True:
        because += "; a savings clause may apply"
    return applies, because


def foreign_direct_product(facts: ItemFacts, ledger: Ledger) -> list[FdpResult]:
    """Evaluate every FDP rule in force on the date, in the order of issue 3; record each finding."""
    results = []
    for rule in facts.context.rules.fdp:
        version = rule.version(facts.as_of)
        if version is None:
            first = rule.versions[0].effective
            before = facts.as_of < first
            key = ("fdp-not-in-force", rule.id, before, facts.id)
            finding = facts.context.memo.get(key)
            if not isinstance(finding, Finding):
                state = "not yet in force" if before else "no longer in force"
                finding = facts.context.remember(
                    key,
                    Finding(
                        rule=rule.id,
                        citation=rule.versions[0].citation if before else rule.versions[-1].citation,
                        outcome=Outcome.DOES_NOT_APPLY,
                        effect=Effect.SUBJECT_TO_EAR,
                        because=f"{rule.title}: {state} on the case date (first in force {first.isoformat()})",
                        item=facts.id,
                    ),
                )
            ledger.findings.append(finding)
            continue
        if facts.foreign_made is False or facts.location == "US":
            fact, because = FALSE, "the rule reaches only foreign-produced items outside the United States"
        else:
            fact, because = _evaluate(facts, rule, version, ledger)
        policy = _policy(facts, rule) if rule.kind is FdpKind.ENTITY_LIST or rule.footnote else None
        ledger.record(
            rule.id,
            version.citation,
            fact,
            Effect.SUBJECT_TO_EAR,
            f"{rule.title}: {because}",
            facts.id,
            policy=policy,
        )
        results.append(FdpResult(rule, version, fact, policy))
    return results


def fdp_license_requirements(facts: ItemFacts, results: list[FdpResult], ledger: Ledger) -> list[Requirement]:
    """The licence requirements that FDP rules carry themselves (744.11(a)(2) for Entity List footnotes,
    746.8(a)(3) for footnote 3); other FDP items take theirs from the Country Chart (GP3)."""
    requirements = []
    for result in results:
        citation = result.version.license_citation
        if citation is None or result.applies.value is False:
            continue
        because = f"{result.rule.title}: a licence is required for items it makes subject to the EAR"
        policy = result.policy or ("Presumption of denial" if result.rule.kind is FdpKind.ENTITY_LIST else None)
        rule_id = f"{result.rule.id}.license"
        ledger.record(rule_id, citation, result.applies, Effect.LICENSE_REQUIRED, because, facts.id, policy=policy)
        requirements.append(Requirement(rule_id, citation, result.applies, policy, 5))
    return requirements
