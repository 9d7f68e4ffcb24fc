"""The Unverified List (15 CFR 744.15): no licence exceptions, and a UVL statement before shipping.

A UVL party is no licence requirement by itself. It takes away every licence exception (740.2(a)(17))
and, for a shipment that needs no licence, requires a UVL statement from the listed party first.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger
from earcheck.engine.logic import Fact, any_of
from earcheck.lists import ListCode
from earcheck.model import Effect

__all__ = ["unverified_parties"]


def unverified_parties(facts: ItemFacts, ledger: Ledger) -> Fact:
    """Is a party on the Unverified List? Records the UVL statement obligation; the exceptions use the answer."""
    rule = facts.context.rules.list_rules[ListCode.UVL]
    found = []
    for listing in facts.parties.on(ListCode.UVL):
        if listing.party.role is None or listing.listed.value is False:
            continue
        found.append(listing.listed)
        ledger.record(
            "unverified_list",
            rule.citation,
            listing.listed,
            Effect.EXCEPTION_UNAVAILABLE,
            f"{listing.party.name!r} is {listing.label()}: {rule.meaning}",
            facts.id,
            listing.party.name,
        )
    return any_of(found)
