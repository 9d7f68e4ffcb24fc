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

from dataclasses import dataclass

from earcheck.engine.direct_product import footnote_of, product_scope
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
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
    footnote = footnote_of(rule)
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


def _caught(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    return all_of([product_scope(facts, rule, version), _scope(facts, rule, version)])


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
    footnote = footnote_of(rule)
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
    product = product_scope(facts, rule, version)
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
