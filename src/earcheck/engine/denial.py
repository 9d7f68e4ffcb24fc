"""General Prohibition Four: denial orders (the Denied Persons List).

A denied person may take no part, in any role, in a transaction involving items subject to the EAR,
and nobody may deal with it in one. This is a prohibition, not a licence requirement: no licence
exception lifts it, and only BIS can modify the order.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, Fact
from earcheck.lists import ListCode
from earcheck.model import Effect, MissingFact
from earcheck.regulations.review_policy import PROHIBITED

__all__ = ["denial_order_requirements"]


def denial_order_requirements(facts: ItemFacts, ledger: Ledger) -> list[Requirement]:
    effect = facts.context.rules.list_rules[ListCode.DPL]
    requirements = []
    if facts.case.exporter is None:
        unknown = Fact.unknown(
            MissingFact(
                "exporter", "Who is the exporter? A denied person may not export, and nobody may export for one."
            )
        )
        ledger.record(
            "denial_order.exporter", effect.citation, unknown, Effect.PROHIBITED, "the exporter is not given", facts.id
        )
        requirements.append(
            Requirement("denial_order.exporter", effect.citation, unknown, PROHIBITED, 4, prohibited=True)
        )
    for listing in facts.parties.on(ListCode.DPL):
        if listing.party.role is None or listing.listed.value is False:
            continue
        because = f"{listing.party.name!r} ({listing.party.role.value}) is {listing.label()}: {effect.meaning}"
        ledger.record(
            "denial_order",
            effect.citation,
            listing.listed,
            Effect.PROHIBITED,
            because,
            facts.id,
            listing.party.name,
            PROHIBITED,
        )
        requirements.append(
            Requirement("denial_order", effect.citation, listing.listed, PROHIBITED, 4, prohibited=True)
        )
    if not requirements:
        ledger.record(
            "denial_order",
            effect.citation,
            FALSE,
            Effect.PROHIBITED,
            "no party is on the Denied Persons List" + facts.parties.clearance_note(ListCode.DPL),
            facts.id,
        )
    return requirements
