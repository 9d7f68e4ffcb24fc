"""General Prohibition Three: the foreign-direct-product rules (15 CFR 734.9; 736.2(b)(3) before 2022).

Each rule in force on the date is read as two prongs, and makes the item subject to the EAR when both
hold:

- *product scope* (``earcheck.engine.direct_product``): the item is a direct product of the specified
  technology or software, or was made by a plant built with it -- plus any condition on the item;
- *destination, end-user or end-use scope*: a destination (with the Country Groups it must or must not be
  in), a destination the item will reach once incorporated into something else, a party headquartered
  in a named place, a party with the rule's Entity List footnote, a government party, or an end use.

A savings clause does not change whether the item is subject: it lifts, until its date, the licence
requirements that reach the item only because this rule made it subject (the item "may proceed under
its previous eligibility"). Some rules carry a licence requirement of their own (744.11(a)(2),
746.7(a)(1)(iii), 746.8(a)(2)-(3)); the others leave it to the Country Chart and Part 746.
"""

from __future__ import annotations

from dataclasses import dataclass

from earcheck.engine.direct_product import footnote_of, item_in, product_scope
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.location import headquartered, in_groups, onward, places
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.engine.parties import TRANSACTION_ROLES
from earcheck.model import Activity, Effect, Finding, MissingFact, Outcome
from earcheck.regulations.fdp import (
    SUPPLEMENT_3_TO_PART_746,
    SUPPLEMENT_4_TO_PART_742,
    FdpRule,
    FdpVersion,
    LicenseTerms,
    SavingsClause,
    SavingsKind,
    Scope,
)
from earcheck.regulations.review_policy import strictest

__all__ = ["FdpResult", "fdp_license_requirements", "foreign_direct_product"]


@dataclass(frozen=True, slots=True)
class FdpResult:
    rule: FdpRule
    version: FdpVersion
    applies: Fact  # the rule makes the item subject to the EAR
    saved: Fact  # a savings clause lets the item proceed without the licences this rule brings
    policy: str | None  # the review policy of the footnoted entities involved, if any

    @property
    def licensable(self) -> Fact:
        """Subject to the EAR by this rule, with no savings clause lifting its licence requirements."""
        return all_of([self.applies, self.saved.negate()])


def _reached(facts: ItemFacts, code: str, scope: Scope) -> Fact:
    """Is destination ``code`` one the scope names (countries, or groups less the excluded groups)?"""
    if places(code, facts.as_of) & set(scope.countries):
        return TRUE
    return in_groups(facts, code, scope.groups, scope.excluding_groups) if scope.groups else FALSE


def _government(facts: ItemFacts, countries: tuple[str, ...]) -> Fact:
    """Is the government of one of ``countries`` a party (734.9(j)(3))?"""
    if facts.case.parties is None:
        return facts.parties.unknown_parties(f"whether the Government of {', '.join(countries)} is a party")
    results = []
    for index, party in enumerate(facts.case.parties):
        if party.role not in TRANSACTION_ROLES or party.government is False:
            continue
        from_there = None if party.country is None else party.country in countries
        if from_there is False:
            continue
        if party.government is True and from_there is True:
            results.append(TRUE)
        else:
            results.append(
                Fact.unknown(
                    MissingFact(
                        f"parties[{index}].government",
                        f"Is {party.name!r} the government of {', '.join(countries)}, one of its agencies, or an "
                        "entity it owns or controls? Give its country too.",
                    )
                )
            )
    return any_of(results)


def _footnoted(facts: ItemFacts, rule: FdpRule, scope: Scope) -> list[Fact]:
    parties = facts.parties
    footnote = footnote_of(rule)
    options: list[Fact] = []
    if scope.destined_roles:
        roles = set(scope.destined_roles)
        listings = [listing for listing in parties.listings if listing.party.role in roles]
        options.append(parties.with_footnote(footnote, listings))
        options.append(parties.unknown_parties(f"whether an entity with footnote {footnote} is a party"))
    for listing in parties.listings:
        if (
            listing.party.role in set(scope.unclear_roles)
            and parties.with_footnote(footnote, [listing]).value is not False
        ):
            options.append(
                Fact.unknown(
                    MissingFact(
                        f"{listing.party.field}.role",
                        f"Is item {facts.id} destined to {listing.party.name!r} (footnote {footnote}), i.e. will it be "
                        "delivered to it?",
                    ),
                    *listing.listed.questions,
                )
            )
    if scope.knowledge_incorporation:
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
    return options


def _scope(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    """The destination / end-user / end-use prong: any one of the version's conditions suffices."""
    scope = version.scope
    options: list[Fact] = []
    if scope.worldwide:
        return TRUE
    if scope.countries or scope.groups:
        options.append(_reached(facts, facts.case.destination, scope))
    if scope.regions and facts.case.destination == "UA":
        region = facts.case.region
        options.append(
            Fact.of(
                None if region is None else region.value in scope.regions,
                MissingFact("region", f"Is the destination in the {' or '.join(scope.regions)} region of Ukraine?"),
            )
        )
    if scope.onward:
        options.append(
            onward(
                facts,
                lambda code: _reached(facts, code, scope),
                "The rule reaches items bound onward to its destinations.",
            )
        )
    if scope.headquartered_in or scope.headquartered_in_groups:
        options.append(headquartered(facts, scope.headquartered_in, scope.headquartered_in_groups))
    options += _footnoted(facts, rule, scope)
    if scope.government_of:
        options.append(_government(facts, scope.government_of))
    if set(scope.end_uses) & facts.case.known_end_uses:
        where = set(scope.end_use_countries)
        if not where or places(facts.case.destination, facts.as_of) & where:
            options.append(TRUE)
        else:
            options.append(
                onward(
                    facts,
                    lambda code: TRUE if places(code, facts.as_of) & where else FALSE,
                    f"The end use counts only in {', '.join(sorted(where))}.",
                )
            )
    return any_of(options)


def _caught(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    return all_of([product_scope(facts, rule, version), _scope(facts, rule, version)])


def _previous(rule: FdpRule, version: FdpVersion) -> FdpVersion | None:
    index = rule.versions.index(version)
    return rule.versions[index - 1] if index > 0 else None


def _saved(facts: ItemFacts, rule: FdpRule, version: FdpVersion, clause: SavingsClause) -> Fact:
    """Does the savings clause let this item proceed without this rule's licences on the date?"""
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
    if rule.footnote is None:
        return None
    policies = []
    for listing in facts.parties.listings:
        footnotes = listing.footnotes()
        if footnotes and rule.footnote in footnotes and listing.listed.value is not False:
            policies.append(listing.hit.status.license_policy)
    return strictest(policies)


_WORDS = {True: "met", False: "not met", None: "unknown"}


def _evaluate(facts: ItemFacts, rule: FdpRule, version: FdpVersion, ledger: Ledger) -> tuple[Fact, Fact, str]:
    """(applies, saved, because) for one rule version."""
    scope = _scope(facts, rule, version)
    if scope.value is False:
        # The cheaper prong first: most rules reach few destinations or parties.
        return FALSE, FALSE, "destination/end-user scope not met"
    product = product_scope(facts, rule, version)
    applies = all_of([product, scope])
    because = f"product scope {_WORDS[product.value]}; destination/end-user scope {_WORDS[scope.value]}"
    if applies.value is False:
        return FALSE, FALSE, because
    if version.certain_from is not None and facts.as_of < version.certain_from:
        applies = Fact.unknown(
            facts.ask(
                "",
                f"Was {version.citation} ({rule.title}) in the text it had on {facts.as_of.isoformat()}? earcheck "
                f"read it in force only from {version.certain_from.isoformat()} ({version.verified_how})",
            ),
            *applies.questions,
        )
        because += f"; in force on this date unverified (text read from {version.certain_from.isoformat()})"
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
                f"savings clause of the rule as in force from {version.effective.isoformat()} ({sources}): the item is "
                f"subject to the EAR, but may proceed without the licences this rule brings until "
                f"{clause.until.isoformat()} ({clause.verification}: {clause.verified_how})",
                facts.id,
            )
    if saved.value is True and applies.value is True:
        clause = next(c for c, f in saving if f.value is True)
        because += f"; the savings clause ({clause.citation}) lets it proceed without a licence until {clause.until}"
    elif saved.value is None and applies.value is not False and saving:
        because += "; a savings clause may apply"
    return applies, saved, because


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
            fact, saved, because = (
                FALSE,
                FALSE,
                "the rule reaches only foreign-produced items outside the United States",
            )
        else:
            fact, saved, because = _evaluate(facts, rule, version, ledger)
        policy = _policy(facts, rule)
        ledger.record(
            rule.id, version.citation, fact, Effect.SUBJECT_TO_EAR, f"{rule.title}: {because}", facts.id, policy=policy
        )
        results.append(FdpResult(rule, version, fact, saved, policy))
    return results


def _terms_reach(facts: ItemFacts, terms: LicenseTerms) -> Fact:
    """The conditions of a rule's own licence requirement beyond the item being subject by the rule."""
    conditions: list[Fact] = []
    location = facts.location
    if terms.destinations:
        here = places(facts.case.destination, facts.as_of) | (places(location, facts.as_of) if location else set())
        conditions.append(TRUE if here & set(terms.destinations) else FALSE)
    if terms.exported_from_supplement_3_excluded:
        if location is None:
            conditions.append(Fact.unknown(facts.ask("location", f"From which country is item {facts.id} shipped?")))
        elif location in SUPPLEMENT_3_TO_PART_746:
            conditions.append(
                Fact.unknown(
                    facts.ask(
                        "location",
                        f"Is {location} in Supplement No. 3 to part 746 on {facts.as_of.isoformat()} with a full "
                        f"exclusion? Exports from there are excluded from {terms.citation} "
                        f"({terms.exclusion_citation}); earcheck has not read the supplement.",
                    )
                )
            )
    if terms.ear99_food_medicine_excluded and facts.eccn is not None and facts.eccn.eccn.is_ear99:
        food = facts.item.food_or_medicine
        conditions.append(
            Fact.of(
                None if food is None else not food,
                facts.ask("food_or_medicine", f"Is item {facts.id} (EAR99) food, medicine or a medical device?"),
            )
        )
    if terms.ofac_general_license_excluded:
        authorized = facts.case.ofac_authorized
        conditions.append(
            Fact.of(
                None if authorized is None else not authorized,
                MissingFact(
                    "ofac_authorized",
                    "Would the transaction meet the terms of an OFAC general licence or other authorisation if it "
                    f"were subject to OFAC's jurisdiction? {terms.citation} then needs no Commerce licence.",
                ),
            )
        )
    if terms.footnote_5_terms:
        conditions.append(_footnote_5_terms(facts))
    return all_of(conditions)


def _footnote_5_terms(facts: ItemFacts) -> Fact:
    """744.11(a)(2)(v)(A): which footnote 5 FDP commodities need a licence, by where they are shipped from
    and where the exporter (its ultimate parent) is headquartered."""
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN of item {facts.id}?"))
    is_3b993 = item_in(facts, view.eccn, ("3B993",), (), f"item {facts.id}", "eccn")
    exporter = facts.case.exporter
    hq = exporter.headquarters if exporter is not None else None
    hq_fact = MissingFact("exporter.headquarters", "Where is the exporter (or its ultimate parent) headquartered?")
    if hq is None:
        return Fact.unknown(hq_fact)
    hq_groups = facts.context.destination(hq, facts.as_of).groups
    if hq == "MO":
        hq_d5 = TRUE
    elif hq_groups is None:  # unknown groups are not "outside D:5": the question stays open
        hq_d5 = Fact.unknown(MissingFact("destination", f"Which Country Groups was {hq} in on {facts.as_of}?"))
    else:
        hq_d5 = Fact.of("D:5" in hq_groups)
    # (A)(1): 3B993 by a Macau/D:5-headquartered exporter, from anywhere.
    a1 = all_of([is_3b993, hq_d5])
    if a1.value is True:
        return TRUE
    in_supp_4 = hq in SUPPLEMENT_4_TO_PART_742
    if facts.activity is Activity.TRANSFER:
        # (A)(4): the listed commodities unless the parent is in Supp. 4 to 742, and 3B993 if it is.
        return TRUE if not in_supp_4 else is_3b993
    location = facts.location
    if location is None:
        return Fact.unknown(facts.ask("location", f"From which country is item {facts.id} shipped?"))
    from_groups = facts.context.destination(location, facts.as_of).groups
    if from_groups is None:
        return Fact.unknown(MissingFact("destination", f"Which Country Groups was {location} in?"))
    if "A:5" in from_groups:
        if location in SUPPLEMENT_4_TO_PART_742:
            return a1  # from Japan or the Netherlands only (A)(1) reaches
        # (A)(2): 3B993 from A:5 countries outside Supp. 4 to 742, unless that country controls it equivalently.
        equivalent = facts.ask(
            "location",
            f"Does {location} control ECCN 3B993 commodities equivalently (744.11(a)(2)(v)(A)(2))?",
        )
        return all_of([is_3b993, Fact.unknown(equivalent)]) if is_3b993.value is not False else FALSE
    # (A)(3): from outside A:5, every listed commodity unless the parent is in Supp. 4 to 742; then 3B993 only.
    return TRUE if not in_supp_4 else is_3b993


def fdp_license_requirements(facts: ItemFacts, results: list[FdpResult], ledger: Ledger) -> list[Requirement]:
    """The licence requirements that FDP rules carry themselves (744.11(a)(2), 746.7(a)(1)(iii), 746.8(a)(2)
    and (3)); other FDP items take theirs from the Country Chart and Part 746 (General Prohibition Three)."""
    requirements = []
    for result in results:
        terms = result.version.license
        if terms is None or result.applies.value is False:
            continue
        fact = all_of([result.licensable, _terms_reach(facts, terms)])
        policy: str | None
        if terms.policy is not None:
            policy = f"{terms.policy} ({terms.policy_citation}, {terms.policy_verification})"
        else:
            policy = result.policy or (
                "Not known: the entry's review policy was not found (15 CFR part 744, Supplement No. 4)"
                if result.rule.footnote is not None
                else None
            )
        because = {
            True: f"{result.rule.title}: a licence is required for the items it makes subject to the EAR",
            False: f"{result.rule.title}: its licence requirement does not reach this transaction",
            None: f"{result.rule.title}: whether its licence requirement reaches this transaction depends on "
            "facts not given",
        }[fact.value]
        rule_id = f"{result.rule.id}.license"
        ledger.record(rule_id, terms.citation, fact, Effect.LICENSE_REQUIRED, because, facts.id, policy=policy)
        requirements.append(Requirement(rule_id, terms.citation, fact, policy, 5))
    return requirements
