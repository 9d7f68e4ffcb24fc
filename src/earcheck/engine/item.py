"""The facts one item is judged on, the findings the rules record, and what a licence requirement is.

``ItemFacts`` gathers, once per item, what every rule family reads: the item, its destination's
chart row and groups on the date, its classification, the activity, and the screened parties.
``Ledger`` records each rule's finding as it is evaluated, in Part 732 order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from earcheck.engine.context import Context, EccnView
from earcheck.engine.logic import Fact
from earcheck.engine.parties import PartyFacts
from earcheck.model import Activity, Case, Effect, Finding, Item, MissingFact, Outcome
from earcheck.regulations.country_chart import CountryStatus

__all__ = ["ItemFacts", "Ledger", "Requirement"]

_OUTCOME = {True: Outcome.APPLIES, False: Outcome.DOES_NOT_APPLY, None: Outcome.INDETERMINATE}


@dataclass(frozen=True, slots=True)
class ItemFacts:
    case: Case
    item: Item
    index: int
    id: str
    as_of: date
    context: Context
    parties: PartyFacts
    destination: CountryStatus
    eccn: EccnView | None  # None when the case does not classify the item
    location: str | None  # where the item is (default: where it was made)
    activity: Activity | None

    @property
    def field(self) -> str:
        return f"items[{self.index}]"

    def ask(self, path: str, question: str) -> MissingFact:
        return MissingFact(f"{self.field}.{path}" if path else self.field, question)

    @property
    def groups(self) -> frozenset[str]:
        return self.destination.groups or frozenset()

    @property
    def foreign_made(self) -> bool | None:
        return None if self.item.origin is None else self.item.origin != "US"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One rule's answer to "does this transaction need a licence for this item?", if it is subject.

    ``prohibition`` marks General Prohibitions 1-3 (1, 2, 3), whose requirements licence exceptions can
    lift; ``exceptions_open`` lists the only exceptions that can lift any other (empty: none).
    """

    rule: str
    citation: str
    fact: Fact
    policy: str | None = None
    prohibition: int = 5
    reasons: frozenset[str] = frozenset()
    possible_reasons: frozenset[str] = frozenset()
    exceptions_open: tuple[str, ...] = ()
    prohibited: bool = False
    party_list_id: str | None = None  # the list entry behind a party-based requirement (Entity List)


@dataclass(slots=True)
class Ledger:
    """Findings in the order the rules were evaluated."""

    findings: list[Finding] = field(default_factory=list)

    def record(
        self,
        rule: str,
        citation: str,
        fact: Fact,
        effect: Effect,
        because: str,
        item: str | None = None,
        party: str | None = None,
        policy: str | None = None,
        tables: tuple[str, ...] = (),
    ) -> Fact:
        self.findings.append(
            Finding(
                rule=rule,
                citation=citation,
                outcome=_OUTCOME[fact.value],
                effect=effect,
                because=because,
                item=item,
                party=party,
                review_policy=policy if fact.value is not False else None,
                tables=tables,
            )
        )
        return fact
