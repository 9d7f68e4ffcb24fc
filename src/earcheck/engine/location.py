"""Where the item goes and where its parties are, as the FDP and end-use rules read them.

A destination counts as the places it was on the date (Hong Kong is also "the PRC" from 2020-12-23);
beyond it, the exporter may know of onward destinations (``knowledge.onward_destinations``: where the
item will be incorporated into something else, or used); and some rules turn on where a party, or its
ultimate parent, is headquartered. Unknown places leave the answer unknown, with the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from earcheck.engine.item import ItemFacts
from earcheck.engine.logic import FALSE, TRUE, Fact, any_of
from earcheck.engine.parties import TRANSACTION_ROLES
from earcheck.model import MissingFact

__all__ = ["HONG_KONG_AS_CHINA", "headquartered", "in_groups", "onward", "places"]

# Hong Kong is treated as China for the EAR from 2020-12-23 (the Country Chart row, and the rules naming
# "the PRC": BIS FAQ of 2022-10-28, VX); before that it was a destination of its own.
HONG_KONG_AS_CHINA = date(2020, 12, 23)


def places(code: str, as_of: date) -> frozenset[str]:
    """The destination codes ``code`` counts as on ``as_of``.

    >>> sorted(places("HK", date(2023, 1, 1)))
    ['CN', 'HK']
    """
    return frozenset({code, "CN"}) if code == "HK" and as_of >= HONG_KONG_AS_CHINA else frozenset({code})


def in_groups(facts: ItemFacts, code: str, groups: Iterable[str], excluding: Iterable[str] = ()) -> Fact:
    """Is ``code`` in one of ``groups`` and in none of ``excluding`` on the date?"""
    status = facts.destination if code == facts.case.destination else facts.context.destination(code, facts.as_of)
    if status.groups is None:
        return Fact.unknown(MissingFact("destination", f"Which Country Groups was {code} in on {facts.as_of}?"))
    found = set(status.groups)
    return TRUE if found & set(groups) and not found & set(excluding) else FALSE


def onward(facts: ItemFacts, accepts: Callable[[str], Fact], what: str) -> Fact:
    """Does the exporter know the item goes on to a place ``accepts``? Unknown when the case does not say."""
    knowledge = facts.case.knowledge
    known = knowledge.onward_destinations if knowledge is not None else None
    if known is None:
        return Fact.unknown(
            MissingFact(
                "knowledge.onward_destinations",
                f"Beyond {facts.case.destination}, where do you know item {facts.id} will end up -- incorporated into "
                "(or used to make) other parts, components or equipment bound for or made in which countries, or used "
                f"there in its end use? {what} ([] if nowhere else.)",
            )
        )
    return any_of(accepts(code) for code in known)


def headquartered(facts: ItemFacts, countries: Iterable[str], groups: Iterable[str]) -> Fact:
    """Is a party to the transaction headquartered (or its ultimate parent) in ``countries`` or ``groups``?"""
    if facts.case.parties is None:
        return facts.parties.unknown_parties("where the parties are headquartered")
    wanted, wanted_groups = set(countries), set(groups)
    results = []
    for index, party in enumerate(facts.case.parties):
        if party.role not in TRANSACTION_ROLES:
            continue
        if party.headquarters is None:
            results.append(
                Fact.unknown(
                    MissingFact(
                        f"parties[{index}].headquarters",
                        f"Where is {party.name!r} (or its ultimate parent company) headquartered?",
                    )
                )
            )
        elif party.headquarters in wanted:
            results.append(TRUE)
        elif wanted_groups:
            results.append(in_groups(facts, party.headquarters, wanted_groups))
        else:
            results.append(FALSE)
    return any_of(results)
