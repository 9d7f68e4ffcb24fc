"""Is the item subject to the EAR by where it is or where it was made (15 CFR 734.3(a)(1)-(2))?

And what is being done with it: the activity (734.13-734.16) decides which General Prohibitions
reach the shipment. When the case does not say, it follows from where the item is and where it goes.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger
from earcheck.engine.logic import FALSE, TRUE, Fact, any_of
from earcheck.model import Activity, Case, Effect, Item

__all__ = ["derive_activity", "subject_by_origin"]


def derive_activity(case: Case, item: Item) -> Activity | None:
    """The case's activity, else: in the US -> export; already at the destination -> transfer (in-country);
    abroad and made there -> export from abroad; abroad elsewhere -> reexport."""
    if case.activity is not None:
        return case.activity
    location = item.location or item.origin
    if location is None:
        return None
    if location == case.destination:
        return Activity.TRANSFER
    if location == "US":
        return Activity.EXPORT
    if item.origin is None:
        return None
    return Activity.EXPORT_FROM_ABROAD if item.origin == location else Activity.REEXPORT


def subject_by_origin(facts: ItemFacts, ledger: Ledger) -> Fact:
    item, id_ = facts.item, facts.id
    if facts.location is None:
        in_us = Fact.unknown(facts.ask("location", f"Where is item {id_} now (country), and where was it made?"))
        because = "the item's location is not given"
    elif facts.location == "US":
        in_us, because = TRUE, "the item is in the United States"
    else:
        in_us, because = FALSE, f"the item is in {facts.location}, outside the United States"
    ledger.record("origin.in_united_states", "15 CFR 734.3(a)(1)", in_us, Effect.SUBJECT_TO_EAR, because, id_)

    if item.origin is None:
        us_origin = Fact.unknown(facts.ask("origin", f"In which country was item {id_} produced?"))
        because = "the item's origin is not given"
    elif item.origin == "US":
        us_origin, because = TRUE, "the item is of US origin, wherever it is"
    else:
        us_origin, because = FALSE, f"the item was produced in {item.origin}"
    ledger.record("origin.us_origin", "15 CFR 734.3(a)(2)", us_origin, Effect.SUBJECT_TO_EAR, because, id_)
    return any_of([in_us, us_origin])
