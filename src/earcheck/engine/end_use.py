"""General Prohibition Five, end uses and end users (15 CFR 744.2-744.4, 744.21-744.23).

The end uses a case declares (``end_uses``) are what the exporter knows; a party on the Military
End-User List counts as knowledge of a military end user (744.21(b)). Each rule reaches the items and
destinations its version on the date names; an item fact it needs and the case omits leaves it unknown.
"""

from __future__ import annotations

from datetime import date

from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.lists import ListCode
from earcheck.model import Effect, EndUse
from earcheck.regulations.end_use import EndUseItems, EndUseRule, EndUseVersion, end_use_data

__all__ = ["end_use_requirements"]


def _items_reached(facts: ItemFacts, version: EndUseVersion) -> Fact:
    kind = version.items
    if facts.case.destination in version.all_items_countries:
        kind = EndUseItems.ALL_BUT_FOOD_MEDICINE
    if kind is EndUseItems.ALL:
        return TRUE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    ear99 = view.eccn.is_ear99
    if kind is EndUseItems.ALL_BUT_FOOD_MEDICINE:
        if not ear99:
            return TRUE
        food = facts.item.food_or_medicine
        return Fact.of(
            None if food is None else not food,
            facts.ask("food_or_medicine", f"Is item {facts.id} (EAR99) food or medicine?"),
        )
    if kind is EndUseItems.CATEGORIES:
        return FALSE if ear99 else (TRUE if view.eccn.category in version.categories else FALSE)
    if ear99:
        return FALSE
    listed = facts.item.in_supplement_2_to_part_744
    return Fact.of(
        listed,
        facts.ask(
            "in_supplement_2_to_part_744",
            f"Is item {facts.id} ({view.eccn}) described in Supplement No. 2 to part 744 on {facts.as_of.isoformat()}?",
        ),
    )


def _evaluate(facts: ItemFacts, rule: EndUseRule, version: EndUseVersion, uses: set[EndUse], meu: Fact) -> Fact:
    destination = facts.case.destination
    if version.countries and destination not in version.countries:
        return FALSE
    knowledge = []
    for use in uses:
        if use is EndUse.MILITARY_END_USER and version.military_end_user_countries is not None:
            knowledge.append(TRUE if destination in version.military_end_user_countries else FALSE)
        else:
            knowledge.append(TRUE)
    if EndUse.MILITARY_END_USER in rule.end_uses and meu.value is not False:
        reaches = version.military_end_user_countries is None or destination in version.military_end_user_countries
        knowledge.append(meu if reaches else FALSE)
    return all_of([any_of(knowledge), _items_reached(facts, version)])


# End uses whose support by a "U.S. person" needs a licence under 744.6 (General Prohibition Seven), even
# for items not subject to the EAR (from 2021-03-16 for military-intelligence end uses; 2022-10-12 for
# advanced-node IC production in China; earlier for the others).
_US_PERSON_SUPPORT = {
    EndUse.NUCLEAR: date(2010, 1, 1),
    EndUse.MISSILE: date(2010, 1, 1),
    EndUse.CHEMICAL_BIOLOGICAL: date(2010, 1, 1),
    EndUse.MILITARY_INTELLIGENCE: date(2021, 3, 16),
    EndUse.ADVANCED_IC_PRODUCTION: date(2022, 10, 12),
}


def end_use_requirements(facts: ItemFacts, ledger: Ledger) -> list[Requirement]:
    declared = set(facts.case.end_uses)
    supported = sorted(
        use.value for use in declared if use in _US_PERSON_SUPPORT and _US_PERSON_SUPPORT[use] <= facts.as_of
    )
    if supported:
        ledger.record(
            "end_use.us_person_support",
            "15 CFR 744.6",
            TRUE,
            Effect.FLAG,
            f"US persons may not 'support' a {', '.join(supported)} end use without a licence, even with items not "
            "subject to the EAR (General Prohibition Seven); earcheck does not model the services involved",
            facts.id,
        )
    meu_listings = [
        listing
        for listing in facts.parties.on(ListCode.MEU)
        if listing.party.role is not None and listing.listed.value is not False
    ]
    meu = any_of(listing.listed for listing in meu_listings)
    data = end_use_data()
    requirements = []
    for rule in data.rules:
        uses = declared & set(rule.end_uses)
        listed_meu = EndUse.MILITARY_END_USER in rule.end_uses and meu.value is not False
        if not uses and not listed_meu:
            continue
        version = data.version(rule, facts.as_of)
        if version is None:
            ledger.record(
                rule.id,
                rule.versions[0].citation,
                FALSE,
                Effect.LICENSE_REQUIRED,
                f"{rule.title}: not in force on {facts.as_of.isoformat()}",
                facts.id,
            )
            continue
        fact = _evaluate(facts, rule, version, uses, meu)
        why = "declared end use" if uses else "a party on the Military End-User List"
        because = {
            True: f"{rule.title} ({why}): a licence is required for this item to {facts.case.destination}",
            False: f"{rule.title} ({why}): does not reach this item or destination",
            None: f"{rule.title} ({why}): depends on facts not given",
        }[fact.value]
        ledger.record(
            rule.id, version.citation, fact, Effect.LICENSE_REQUIRED, because, facts.id, policy=version.policy
        )
        requirements.append(Requirement(rule.id, version.citation, fact, version.policy, 5))
    return requirements
