"""General Prohibition Five, end uses and end users (15 CFR 744.2-744.4, 744.21-744.23), and the 744.6 flag.

The end uses a case declares (``end_uses``) are what the exporter knows; one it does not declare is one
it does not know of. A party on the Military End-User List counts as knowledge of a military end user
(744.21(b)); 744.23(a)(3) turns on where a party is headquartered. Each rule reaches the items and places
its version on the date names -- 744.23(a)(1), for instance, only the ICs and computers it lists, never
an EAR99 rack -- and an item fact it needs and the case omits leaves it unknown.
"""

from __future__ import annotations

from typing import Protocol

from earcheck.engine.direct_product import item_in
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.location import headquartered, in_groups, onward, places
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.lists import ListCode
from earcheck.model import Effect, EndUse, PartyRole
from earcheck.regulations.dated import Verification
from earcheck.regulations.end_use import EndUseItems, EndUseRule, EndUseVersion, Location, end_use_data

__all__ = ["end_use_requirements"]


def _items_reached(facts: ItemFacts, version: EndUseVersion) -> Fact:
    kind = version.items
    if places(facts.case.destination, facts.as_of) & set(version.all_items_countries):
        kind = EndUseItems.ALL_BUT_FOOD_MEDICINE
    if kind is EndUseItems.ALL:
        return TRUE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    eccn = view.eccn
    if kind is EndUseItems.ALL_BUT_FOOD_MEDICINE:
        if not eccn.is_ear99:
            return TRUE
        food = facts.item.food_or_medicine
        return Fact.of(
            None if food is None else not food,
            facts.ask("food_or_medicine", f"Is item {facts.id} (EAR99) food or medicine?"),
        )
    if kind is EndUseItems.CCL:
        return FALSE if eccn.is_ear99 else TRUE
    if kind is EndUseItems.LISTED:
        if eccn.is_ear99:
            return FALSE
        if eccn.code[:2] in version.eccn_groups:
            return TRUE
        return item_in(facts, eccn, version.eccns, (), f"item {facts.id}", "eccn")
    if kind is EndUseItems.ECAD_TCAD:
        if facts.item.ecad_tcad is None and not eccn.is_ear99 and eccn.group not in ("D", "E"):
            return FALSE  # ECAD and TCAD are software and technology
        return Fact.of(
            facts.item.ecad_tcad,
            facts.ask(
                "ecad_tcad",
                f"Is item {facts.id} ({eccn}) electronic or technology computer-aided design software or technology?",
            ),
        )
    if eccn.is_ear99:
        return FALSE
    listed = facts.item.in_supplement_2_to_part_744
    return Fact.of(
        listed,
        facts.ask(
            "in_supplement_2_to_part_744",
            f"Is item {facts.id} ({eccn}) described in Supplement No. 2 to part 744 on {facts.as_of.isoformat()}?",
        ),
    )


class _Places(Protocol):
    """What says where a rule reaches: an end-use rule's version, or a 744.6 flag."""

    @property
    def citation(self) -> str: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def groups(self) -> tuple[str, ...]: ...
    @property
    def excluded_countries(self) -> tuple[str, ...]: ...
    @property
    def excluded_countries_verification(self) -> Verification: ...
    @property
    def located_by(self) -> Location: ...


def _place(facts: ItemFacts, code: str, version: _Places) -> Fact:
    """Is ``code`` a place where the rule's end use counts?"""
    codes = places(code, facts.as_of)
    if version.excluded_countries:
        if not codes & set(version.excluded_countries):
            return TRUE
        if version.excluded_countries_verification is Verification.R:
            # A list written from memory may only make earcheck ask, never lift a requirement.
            return Fact.unknown(
                facts.ask(
                    "",
                    f"Is {code} one of the countries {version.citation} excludes on {facts.as_of.isoformat()}? "
                    "earcheck's list of them was not read in the regulation.",
                )
            )
        return FALSE
    if codes & set(version.countries):
        return TRUE
    return in_groups(facts, code, version.groups) if version.groups else FALSE


def _where(facts: ItemFacts, version: _Places) -> Fact:
    """Is the end use in a place the rule names -- the destination, or (for rules about where the end use
    is) a place the exporter knows the item goes on to?"""
    if not (version.countries or version.groups or version.excluded_countries):
        return TRUE
    here = _place(facts, facts.case.destination, version)
    if here.value is True or version.located_by is Location.DESTINATION:
        return here
    return any_of(
        [
            here,
            onward(facts, lambda code: _place(facts, code, version), "The end use counts only in certain countries."),
        ]
    )


def _outside(facts: ItemFacts, version: EndUseVersion) -> Fact:
    """744.23(a)(3)(i): the destination is *not* one of ``outside_groups`` (less ``outside_excluding``)."""
    if places(facts.case.destination, facts.as_of) & set(version.outside_countries):
        return FALSE
    if not version.outside_groups:
        return TRUE
    return in_groups(facts, facts.case.destination, version.outside_groups, version.outside_excluding).negate()


def _excluded_end_user(facts: ItemFacts, version: EndUseVersion) -> Fact:
    """744.23(a)(2)(iv): items destined to an entity with footnote 5 are outside (a)(2)(i)-(ii)."""
    if version.excluded_footnote is None:
        return FALSE
    roles = {PartyRole.ULTIMATE_CONSIGNEE, PartyRole.END_USER}
    listings = [listing for listing in facts.parties.listings if listing.party.role in roles]
    return facts.parties.with_footnote(version.excluded_footnote, listings)


def _evaluate(facts: ItemFacts, rule: EndUseRule, version: EndUseVersion, uses: set[EndUse], meu: Fact) -> Fact:
    where = _where(facts, version)
    if where.value is False:
        return FALSE
    items = _items_reached(facts, version)
    if items.value is False:
        return FALSE
    knowledge = []
    for use in uses:
        if use is EndUse.MILITARY_END_USER and version.military_end_user_countries is not None:
            destination = places(facts.case.destination, facts.as_of)
            knowledge.append(TRUE if destination & set(version.military_end_user_countries) else FALSE)
        else:
            knowledge.append(TRUE)
    if EndUse.MILITARY_END_USER in rule.end_uses and meu.value is not False:
        reaches = version.military_end_user_countries is None or bool(
            places(facts.case.destination, facts.as_of) & set(version.military_end_user_countries)
        )
        knowledge.append(meu if reaches else FALSE)
    if version.headquartered_in or version.headquartered_in_groups:
        knowledge.append(
            all_of(
                [
                    headquartered(facts, version.headquartered_in, version.headquartered_in_groups),
                    _outside(facts, version),
                ]
            )
        )
    return all_of([any_of(knowledge), where, items, _excluded_end_user(facts, version).negate()])


def _flag_us_person_support(facts: ItemFacts, ledger: Ledger, declared: set[EndUse]) -> None:
    """744.6 (General Prohibition Seven): a US person's 'support' of these end uses needs a licence."""
    for support in end_use_data().us_person_support:
        if support.end_use not in declared or support.effective > facts.as_of:
            continue
        fact = _where(facts, support)
        ledger.record(
            "end_use.us_person_support",
            support.citation,
            fact,
            Effect.FLAG,
            f"US persons may not 'support' a {support.end_use.value} end use here without a licence, even with items "
            f"not subject to the EAR (General Prohibition Seven; {support.verification}: {support.verified_how}); "
            "earcheck does not model the services involved",
            facts.id,
        )


def end_use_requirements(facts: ItemFacts, ledger: Ledger) -> list[Requirement]:
    declared = set(facts.case.known_end_uses)
    _flag_us_person_support(facts, ledger, declared)
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
        party_triggered = not rule.end_uses
        if not uses and not listed_meu and not party_triggered:
            continue
        version = data.version(rule, facts.as_of)
        if version is None:
            if not party_triggered:
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
        if party_triggered and fact.value is False:
            continue  # checked for every case; reported only where it could apply
        why = (
            "declared end use"
            if uses
            else ("a party on the Military End-User List" if listed_meu else "a party's headquarters")
        )
        because = {
            True: f"{rule.title} ({why}): a licence is required for this item to {facts.case.destination}",
            False: f"{rule.title} ({why}): does not reach this item or destination",
            None: f"{rule.title} ({why}): depends on facts not given",
        }[fact.value]
        policy = f"{version.policy} ({version.policy_citation}, {version.policy_verification})"
        ledger.record(rule.id, version.citation, fact, Effect.LICENSE_REQUIRED, because, facts.id, policy=policy)
        requirements.append(Requirement(rule.id, version.citation, fact, policy, 5))
    return requirements
