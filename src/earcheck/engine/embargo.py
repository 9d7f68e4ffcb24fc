"""General Prohibition Six: embargoes and special controls of Part 746.

Cuba needs a licence for every item subject to the EAR; North Korea, Syria and the covered regions of
Ukraine for every item but EAR99 food and medicine; Iran and Russia/Belarus for CCL items and, for
EAR99 items, only those their supplements list by HTS code. For Iran, whatever OFAC forbids is an EAR
violation too (746.7(e)): that is reported as its own finding, not as a BIS licence. Only the licence
exceptions the section names stay open.
"""

from __future__ import annotations

from earcheck.engine.context import EccnView
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of
from earcheck.model import Effect, MissingFact, Region
from earcheck.regulations.embargo import Ear99Rule, EmbargoScope, EmbargoVersion

__all__ = ["embargo_requirement", "embargo_scope_reaches"]


def embargo_scope_reaches(
    version: EmbargoVersion,
    view: EccnView | None,
    food_or_medicine: bool | None,
    listed_by_hts: bool | None,
    subject: str,
    field: str,
) -> Fact:
    """Does the embargo ``version`` need a BIS licence for an item with this classification and nature?

    OFAC's own prohibitions (746.7(e) for Iran) are not a BIS licence requirement: ``ofac_flag`` reports them."""
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
    if version.ear99 in (Ear99Rule.LISTED, Ear99Rule.LISTED_OR_OFAC):
        return Fact.of(
            listed_by_hts,
            MissingFact(
                f"{field}.listed_by_hts_in_part_746",
                f"Is {subject} (EAR99) listed by HTS code in a supplement to part 746 ({version.citation})?",
            ),
        )
    return FALSE


def _ofac_flag(facts: ItemFacts, version: EmbargoVersion, ledger: Ledger) -> None:
    """746.7(e): an export OFAC's Iranian Transactions and Sanctions Regulations prohibit, and OFAC has not
    authorised, violates the EAR too -- whether or not the EAR needs a licence. That is OFAC's authorisation
    (31 CFR 560.204), reported as its own finding; it does not make the BIS licence answer unknown."""
    if version.ear99 not in (Ear99Rule.OFAC, Ear99Rule.LISTED_OR_OFAC):
        return
    authorized = facts.case.ofac_authorized
    fact = Fact.of(None if authorized is None else not authorized)
    because = {
        True: "OFAC has not authorised the transaction: 31 CFR 560.204 prohibits it, and 15 CFR 746.7(e) makes that a "
        "violation of the EAR as well, whatever the BIS licence answer",
        False: "OFAC authorises the transaction (or it is exempt): no separate OFAC prohibition",
        None: "an OFAC authorisation under 31 CFR part 560 (560.204) may be needed in addition to any BIS licence; "
        "15 CFR 746.7(e) makes an OFAC-prohibited export a violation of the EAR too",
    }[fact.value]
    ledger.record("embargo.ir.ofac", "31 CFR 560.204", fact, Effect.FLAG, because, facts.id)


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
    _ofac_flag(facts, version, ledger)
    return Requirement(rule, version.citation, fact, version.policy, 6, exceptions_open=version.exceptions)
