"""Step 1 of Part 732: who the parties are, and which list entries they are as of the date.

Every party of the case (the exporter, the parties in their roles, and the names the facts mention:
the item's designer, the parties whose products the item is for) is screened. A hit becomes a
``Listing``, whose ``listed`` fact is true only for a match in force on the date; a hit in the review
band, or an entry possibly listed on the date, makes it unknown with the question that settles it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from earcheck.engine.context import Context
from earcheck.engine.logic import FALSE, Fact, any_of
from earcheck.lists import Band, Hit, ListCode
from earcheck.model import Case, MissingFact, PartyRole, PartyScreening, ScreeningMatch

__all__ = ["Listing", "NamedParty", "PartyFacts", "screen_parties"]

# Roles that 15 CFR 748.5(c)-(f) names: the parties to a transaction for Part 744 purposes. A freight
# forwarder that takes possession acts as an intermediate consignee (748.5(d)).
TRANSACTION_ROLES = frozenset(
    {
        PartyRole.PURCHASER,
        PartyRole.INTERMEDIATE_CONSIGNEE,
        PartyRole.ULTIMATE_CONSIGNEE,
        PartyRole.END_USER,
        PartyRole.FREIGHT_FORWARDER,
    }
)


@dataclass(frozen=True, slots=True)
class NamedParty:
    """A name the case mentions, where it is mentioned, and in what capacity."""

    name: str
    field: str  # e.g. "parties[0]", "items[0].production.designed_by"
    role: PartyRole | None  # None for names that are not parties (designers, knowledge)
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    party: NamedParty
    hit: Hit
    listed: Fact  # the party is this entry, and the entry was in force on the date

    @property
    def code(self) -> ListCode:
        return self.hit.entry.list_code

    def footnotes(self) -> frozenset[int] | None:
        """The entry's footnotes on the date; ``None`` when its terms on that date are not known."""
        status = self.hit.status
        if status.in_force is not False and status.license_requirement is None and status.dated_fact:
            return None
        return status.footnotes

    def label(self) -> str:
        entry = self.hit.entry
        return f"{entry.name} ({entry.list_code}, {entry.list_id})"


@dataclass(frozen=True, slots=True)
class PartyFacts:
    named: tuple[NamedParty, ...]
    listings: tuple[Listing, ...]
    parties_known: bool  # the case gave its parties (an empty list included)
    screening: tuple[PartyScreening, ...]

    def on(self, code: ListCode, roles: Iterable[PartyRole] | None = None) -> list[Listing]:
        """Listings on list ``code`` of parties in ``roles`` (all named parties when ``roles`` is None)."""
        wanted = None if roles is None else frozenset(roles)
        return [
            listing
            for listing in self.listings
            if listing.code is code and (wanted is None or listing.party.role in wanted)
        ]

    def cleared(self, code: ListCode | None = None) -> list[Listing]:
        """Hits on entries in force (or possibly) that reviewers cleared as false positives: the engine
        treats those parties as not being the entry, and must say so wherever it relies on that."""
        return [
            listing
            for listing in self.listings
            if listing.hit.band is Band.CLEARED
            and listing.hit.status.in_force is not False
            and (code is None or listing.code is code)
        ]

    def clearance_note(self, code: ListCode) -> str:
        """Text to add to a "no party is listed" finding when that rests on reviewers' clearances."""
        cleared = self.cleared(code)
        if not cleared:
            return ""
        named = "; ".join(
            f"{listing.party.name!r} ~ {listing.label()}"
            + (f" (decision #{listing.hit.decision.id})" if listing.hit.decision else "")
            for listing in cleared
        )
        return f", except hits that reviewers cleared as not the listed party: {named}"

    def unknown_parties(self, about: str) -> Fact:
        """Unknown when the case did not list its parties: any of them might be listed."""
        if self.parties_known:
            return FALSE
        return Fact.unknown(
            MissingFact(
                "parties",
                "Who are the parties to the transaction (purchaser, intermediate consignee, ultimate consignee, "
                f"end user, forwarder)? They are needed to decide {about}.",
            )
        )

    def with_footnote(self, footnote: int, listings: Sequence[Listing]) -> Fact:
        """Is any of ``listings`` an Entity List entry carrying ``footnote`` on the date?"""
        facts = []
        for listing in listings:
            if listing.code is not ListCode.EL:
                continue
            footnotes = listing.footnotes()
            if footnotes is None:
                question = MissingFact(
                    listing.party.field,
                    f"Did the Entity List entry {listing.label()} carry footnote {footnote} on "
                    f"{listing.hit.status.as_of.isoformat()}? earcheck's data does not give its terms then.",
                )
                facts.append(Fact(None, (*listing.listed.questions, question)))
            elif footnote in footnotes:
                facts.append(listing.listed)
        return any_of(facts)


def _listed(party: NamedParty, hit: Hit, as_of: date) -> Fact:
    status = hit.status
    if status.in_force is False or hit.band is Band.CLEARED:
        return FALSE
    questions = []
    if hit.band is Band.REVIEW:
        questions.append(
            MissingFact(
                f"{party.field}.name" if party.role is not None else party.field,
                f"Is {party.name!r} the same as {hit.entry.name!r} "
                f"({hit.entry.list_code}, {hit.entry.list_id}; matched {hit.matched_name!r}, score {hit.score:.2f})?",
            )
        )
    if status.in_force is None:
        questions.append(
            MissingFact(
                f"{party.field}.name" if party.role is not None else party.field,
                f"Was {hit.entry.name!r} ({hit.entry.list_code}) on the list on {as_of.isoformat()}? {status.reason}.",
            )
        )
    return Fact(None, tuple(questions)) if questions else Fact(True)


def named_parties(case: Case) -> list[NamedParty]:
    named = []
    if case.exporter is not None:
        named.append(NamedParty(case.exporter.name, "exporter", PartyRole.EXPORTER, case.exporter.country))
    for index, party in enumerate(case.parties or ()):
        named.append(NamedParty(party.name, f"parties[{index}]", party.role, party.country))
    for index, item in enumerate(case.items):
        if item.production is not None and item.production.designed_by:
            named.append(NamedParty(item.production.designed_by, f"items[{index}].production.designed_by", None))
    if case.knowledge is not None:
        for index, name in enumerate(case.knowledge.for_products_of or ()):
            named.append(NamedParty(name, f"knowledge.for_products_of[{index}]", None))
    return named


EXACT = 0.999


def screen_parties(case: Case, context: Context, as_of: date) -> PartyFacts:
    named = named_parties(case)
    listings = []
    screening = []
    for party in named:
        hits = context.screen(party.name, party.country, as_of)
        # Two entries of one list are two persons. A party whose name matches one entry exactly is
        # that entry, not the list's other entries its name merely resembles (SMIC is not "SMIC
        # (Beijing)", a separately listed affiliate with its own terms).
        exact_on = {hit.entry.list_code for hit in hits if hit.score >= EXACT and hit.band is not Band.CLEARED}
        for hit in hits:
            if hit.entry.list_code in exact_on and hit.score < EXACT:
                continue
            listings.append(Listing(party, hit, _listed(party, hit, as_of)))
        if party.role is not None:
            matches = tuple(
                _match(hit, set_aside=hit.entry.list_code in exact_on and hit.score < EXACT) for hit in hits
            )
            screening.append(PartyScreening(party.name, party.role, matches))
    return PartyFacts(tuple(named), tuple(listings), case.parties is not None, tuple(screening))


def _match(hit: Hit, set_aside: bool = False) -> ScreeningMatch:
    """The hit as the determination reports it; ``set_aside``: another entry of the list matched exactly."""
    entry, status = hit.entry, hit.status
    explanation = dict(hit.explanation)
    if set_aside:
        explanation["set aside: the name matches another entry of this list exactly"] = 0.0
    return ScreeningMatch(
        list_id=entry.list_id,
        name=entry.name,
        matched_name=hit.matched_name,
        source=entry.source,
        score=round(hit.score, 4),
        in_force=status.in_force,
        list_code=str(entry.list_code),
        band="set_aside" if set_aside else str(hit.band),
        decision=hit.decision.describe(hit) if hit.decision is not None else None,
        license_requirement=status.license_requirement,
        license_policy=status.license_policy,
        footnotes=tuple(sorted(status.footnotes)),
        federal_register=entry.federal_register,
        listed_from=status.listed_from or entry.start_date,
        explanation=explanation,
    )
