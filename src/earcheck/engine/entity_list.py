"""General Prohibition Five, the Entity List (15 CFR 744.11; 744.16): a listed party to the transaction.

The requirement covers the items in the entry's licence-requirement column ("all items subject to the
EAR" for Huawei and SMIC) when the entity is the purchaser, intermediate consignee, ultimate consignee
or end user (748.5(c)-(f)) -- not when it is the exporter selling its own goods. Its review policy is
the entry's on the date, split per item where the entry splits it (SMIC's 10 nm policy of 2020, its
200 mm carve-out since December 2024); an item fact the split turns on that the case omits leaves the
policy saying what it depends on.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of
from earcheck.engine.parties import TRANSACTION_ROLES, Listing
from earcheck.lists import ListCode
from earcheck.model import Effect, MissingFact, PartyRole
from earcheck.regulations.entity_list import terms_in_force

__all__ = ["entity_list_requirements", "entry_policy"]

_ALL_ITEMS = "for all items subject to the ear"


def entry_policy(facts: ItemFacts, listing: Listing) -> str | None:
    """The entry's review policy for this item on the date, resolving structured splits."""
    status = listing.hit.status
    terms = terms_in_force(listing.hit.entry.list_id, facts.as_of) if status.dated_fact else None
    if terms is None:
        return status.license_policy
    rules = terms.license_policy.rules
    unconditional = [r for r in rules if r.when is None]
    if unconditional:
        return unconditional[0].policy or terms.license_policy.text
    facts_needed = {r.when.item_fact for r in rules if r.when is not None}
    for rule in rules:
        assert rule.when is not None
        value = getattr(facts.item, rule.when.item_fact, None)
        if value is not None and value == rule.when.equals:
            return rule.policy or terms.license_policy.text
    needed = ", ".join(f"{facts.field}.{name}" for name in sorted(facts_needed))
    choices = " or ".join(sorted({r.policy for r in rules if r.policy}))
    return f"{choices}, depending on {needed} ({' '.join(terms.license_policy.text.split())})"


def _covers_item(facts: ItemFacts, listing: Listing) -> Fact:
    text = listing.hit.status.license_requirement
    if text is None:
        return Fact.unknown(
            MissingFact(
                listing.party.field,
                f"What licence requirement did the Entity List entry {listing.label()} carry on "
                f"{facts.as_of.isoformat()}? earcheck's data does not give its terms then.",
            )
        )
    if " ".join(text.split()).casefold().startswith(_ALL_ITEMS):
        return TRUE
    return Fact.unknown(
        facts.ask(
            "",
            f"Does the Entity List licence requirement {text!r} of {listing.label()} cover item {facts.id}?",
        )
    )


def _role(facts: ItemFacts, listing: Listing) -> Fact:
    role = listing.party.role
    if role in TRANSACTION_ROLES:
        return TRUE
    return Fact.unknown(
        MissingFact(
            f"{listing.party.field}.role",
            f"What is {listing.party.name!r}'s role: purchaser, intermediate consignee, ultimate consignee or end "
            "user? The Entity List licence requirement applies to those roles (15 CFR 748.5(c)-(f)).",
        )
    )


def entity_list_requirements(facts: ItemFacts, ledger: Ledger) -> list[Requirement]:
    effect = facts.context.rules.list_rules[ListCode.EL]
    requirements = []
    for listing in facts.parties.on(ListCode.EL):
        party = listing.party
        if party.role is None or listing.listed.value is False:
            continue
        if party.role is PartyRole.EXPORTER:
            ledger.record(
                "entity_list.exporter",
                effect.citation,
                listing.listed,
                Effect.FLAG,
                f"the exporter {party.name!r} is {listing.label()}: that restricts what it receives, not what it "
                "sells (15 CFR 748.5(c)-(f))",
                facts.id,
                party.name,
            )
            continue
        fact = all_of([listing.listed, _role(facts, listing), _covers_item(facts, listing)])
        policy = entry_policy(facts, listing)
        because = {
            True: f"{party.name!r} ({party.role.value}) is {listing.label()}: {listing.hit.status.license_requirement}",
            False: f"{party.name!r} is not a listed party to this item's transaction",
            None: f"{party.name!r} may be {listing.label()}; see the questions",
        }[fact.value]
        ledger.record(
            "entity_list",
            effect.citation,
            fact,
            Effect.LICENSE_REQUIRED,
            because,
            facts.id,
            party.name,
            policy,
        )
        requirements.append(
            Requirement("entity_list", effect.citation, fact, policy, 5, party_list_id=listing.hit.entry.list_id)
        )
    if not requirements:
        ledger.record(
            "entity_list",
            effect.citation,
            FALSE,
            Effect.LICENSE_REQUIRED,
            "no party to the transaction is on the Entity List on the case date"
            + facts.parties.clearance_note(ListCode.EL),
            facts.id,
        )
    unknown = facts.parties.unknown_parties("whether an Entity List entity is a party")
    if unknown.value is None:
        ledger.record(
            "entity_list.parties",
            effect.citation,
            unknown,
            Effect.LICENSE_REQUIRED,
            "the case does not list the parties to the transaction",
            facts.id,
        )
        requirements.append(Requirement("entity_list.parties", effect.citation, unknown, None, 5))
    return requirements
