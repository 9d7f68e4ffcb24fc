"""General Prohibition Six: embargoes and special controls of Part 746.

Cuba needs a licence for every item subject to the EAR; North Korea, Syria and the covered regions of
Ukraine for every item but EAR99 food and medicine; Iran and Russia/Belarus for CCL items and, for
EAR99 items, only those their supplements list by HTS code (and, for Iran, whatever OFAC forbids,
which 746.7(e) makes an EAR violation too). Only the licence exceptions the section names stay open.
"""

from __future__ import annotations

from earcheck.engine.context import EccnView
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.model import Effect, MissingFact, Region
from earcheck.regulations.embargo import Ear99Rule, EmbargoScope, EmbargoVersion

__all__ = ["embargo_requirement", "embargo_scope_reaches"]


def embargo_scope_reaches(
    version: EmbargoVersion,
    view: EccnView | None,
    food_or_medicine: bool | None,
    listed_by_hts: bool | None,
    ofac_authorized: bool | None,
    subject: str,
    field: str,
) -> Fact:
    """Does the embargo ``version`` need a licence for an item with this classification and nature?"""
    if version.scope is EmbargoScope.ALL_ITEMS:
        return TRUE
    if view is None:
        return Fact.unknown(MissingFact(f"{field}.eccn", f"What is the ECCN (or EAR99) of {subject}?"))
    if view.status.exists is False and view.status.question:
        # Classified under an ECCN (or paragraph) that did not exist that day: whether the item was on the
        # CCL then, and under which category, is its classification of the day.
        return Fact.unknown(MissingFact(f"{field}.eccn", view.status.question))
    ear99 = view.eccn.is_ear99
    if version.scope is EmbargoScope.ALL_BUT_FOOD_MEDICINE:
        if not ear99:
            return TRUE
        return Fact.of(
            None if food_or_medicine is None else not food_or_medicine,
            MissingFact(f"{field}.food_or_medicine", f"Is {subject} (EAR99) food or medicine?"),
        )
    if not ear99:
        if version.categories is not None and view.eccn.category not in version.categories:
            return FALSE  # a CCL item of a category the section did not yet reach
        return TRUE
    listed = Fact.of(
        listed_by_hts,
        MissingFact(
            f"{field}.listed_by_hts_in_part_746",
            f"Is {subject} (EAR99) listed by HTS code in a supplement to part 746 ({version.citation})?",
        ),
    )
    ofac = Fact.of(
        None if ofac_authorized is None else not ofac_authorized,
        MissingFact(
            "ofac_authorized",
            "Does OFAC authorise this transaction (or is it exempt from the Iranian Transactions and Sanctions "
            "Regulations)? 15 CFR 746.7(e) makes an export that OFAC prohibits a violation of the EAR.",
        ),
    )
    rule = version.ear99
    if rule is Ear99Rule.NONE:
        return FALSE
    if rule is Ear99Rule.LISTED:
        return listed
    if rule is Ear99Rule.OFAC:
        return ofac
    return any_of([listed, ofac])


def embargo_requirement(facts: ItemFacts, ledger: Ledger) -> Requirement | None:
    """The Part 746 requirement for the item's destination on the date, or None if none is in force."""
    found = facts.context.rules.embargoes.in_force(facts.case.destination, facts.as_of, facts.item.shipped_on)
    if found is None:
        ledger.record(
            "embargo",
            "15 CFR part 746",
            FALSE,
            Effect.LICENSE_REQUIRED,
            f"no Part 746 embargo or special control for {facts.case.destination} on the case date",
            facts.id,
        )
        return None
    embargo, version = found
    id_ = facts.id
    rule = f"embargo.{embargo.code.lower()}"
    if facts.activity is not None and facts.activity not in version.activities:
        fact, because = FALSE, f"{version.citation} does not reach a {facts.activity.value.replace('_', ' ')}"
    else:
        fact = embargo_scope_reaches(
            version,
            facts.eccn,
            facts.item.food_or_medicine,
            facts.item.listed_by_hts_in_part_746,
            facts.case.ofac_authorized,
            f"item {id_}",
            facts.field,
        )
        if embargo.region is not None:
            region = facts.case.region
            in_region = Fact.of(
                None if region is None else region.value in version.regions,
                MissingFact(
                    "region",
                    f"Is the destination in {embargo.name} ({', '.join(version.regions)})? Give region: "
                    f"{', '.join(r.value for r in Region)}.",
                ),
            )
            fact = all_of([in_region, fact])
        because = {
            True: f"{embargo.name}: {version.citation} requires a licence for this item",
            False: f"{embargo.name}: {version.citation} does not reach this item",
            None: f"{embargo.name}: whether {version.citation} reaches this item depends on facts not given",
        }[fact.value]
    ledger.record(rule, version.citation, fact, Effect.LICENSE_REQUIRED, because, id_, policy=version.policy)
    return Requirement(rule, version.citation, fact, version.policy, 6, exceptions_open=version.exceptions)
