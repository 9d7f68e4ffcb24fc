"""OFAC and State Department lists, as the EAR sees them.

SDN entries designated under the programmes the EAR itself reaches ([NPWMD] 744.8, [SDGT] 744.12,
[SDT] 744.13, [FTO] 744.14) carry a BIS licence requirement for all items subject to the EAR. Every
other hit on these lists is reported with what the list means, and imposes no EAR licence requirement.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of
from earcheck.engine.parties import TRANSACTION_ROLES
from earcheck.lists import ListCode
from earcheck.model import Effect, MissingFact, PartyRole

__all__ = ["sanctions_requirements"]

_REPORTED = (
    ListCode.SSI,
    ListCode.CMIC,
    ListCode.NS_MBS,
    ListCode.CAP,
    ListCode.PLC,
    ListCode.DTC,
    ListCode.ISN,
)


def sanctions_requirements(facts: ItemFacts, ledger: Ledger) -> list[Requirement]:
    lists = facts.context.rules.list_rules
    requirements = []
    sdn = lists[ListCode.SDN]
    for listing in facts.parties.on(ListCode.SDN):
        party = listing.party
        if party.role is None or listing.listed.value is False:
            continue
        program = sdn.program(listing.hit.entry.programs)
        if program is None:
            ledger.record(
                "sanctions.ofac",
                sdn.citation,
                listing.listed,
                Effect.FLAG,
                f"{party.name!r} is {listing.label()} (programmes {', '.join(listing.hit.entry.programs) or 'none'}): "
                f"{sdn.meaning}",
                facts.id,
                party.name,
            )
            continue
        if party.role is PartyRole.EXPORTER:
            role = FALSE
        elif party.role in TRANSACTION_ROLES:
            role = TRUE
        else:
            role = Fact.unknown(
                MissingFact(
                    f"{party.field}.role",
                    f"Does the item go to {party.name!r} (its role in the transaction)?",
                )
            )
        fact = all_of([listing.listed, role])
        because = (
            f"{party.name!r} is {listing.label()} designated [{program.tag}]: "
            "a licence is required for all items subject to the EAR"
        )
        ledger.record(
            f"sanctions.{program.tag.lower()}",
            program.citation,
            fact,
            Effect.LICENSE_REQUIRED,
            because,
            facts.id,
            party.name,
            program.policy,
        )
        requirements.append(Requirement(f"sanctions.{program.tag.lower()}", program.citation, fact, program.policy, 5))
    for code in _REPORTED:
        rule = lists[code]
        for listing in facts.parties.on(code):
            if listing.party.role is None or listing.listed.value is False:
                continue
            ledger.record(
                f"list.{code.value.lower()}",
                rule.citation,
                listing.listed,
                Effect.FLAG,
                f"{listing.party.name!r} is {listing.label()}: {rule.meaning}",
                facts.id,
                listing.party.name,
            )
    return requirements
