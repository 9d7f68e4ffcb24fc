"""Is a foreign-made item subject to the EAR by its US-origin content (15 CFR 734.4, Supp. No. 2 to 734)?

Only *controlled* US-origin content counts: content that would itself need a licence to the item's
destination, in the form received, under the Country Chart or Part 746 -- not Part 744, and not
content that could go there without a licence or under License Exception GBS. Its fair market value,
over the item's value, is compared with the de minimis level of the destination on the date (10% for
Country Group E:1, and Cuba from 2019-10-21; 25% elsewhere): more than the level makes the item
subject. The 734.4(a) cases with no de minimis level make qualifying content enough, whatever its share.

Unknown content, classification or values leave the answer unknown unless what is known already
exceeds the level.
"""

from __future__ import annotations

from fractions import Fraction

from earcheck.eccn import Eccn
from earcheck.engine.country_chart import read_chart
from earcheck.engine.direct_product import item_in
from earcheck.engine.embargo import embargo_scope_reaches
from earcheck.engine.item import ItemFacts, Ledger
from earcheck.engine.location import places
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of, merge_questions
from earcheck.errors import EarcheckError
from earcheck.model import Activity, Content, Effect, MissingFact, PartyRole
from earcheck.regulations.ccl_notes import gbs_eligible
from earcheck.regulations.de_minimis import NoDeMinimis, SeriesPart, Threshold

__all__ = ["content_controlled", "de_minimis", "de_minimis_level"]

METHOD = "15 CFR part 734, Supplement No. 2"


def _content_controlled(facts: ItemFacts, content: Content, index: int) -> Fact:
    """Would this US-origin content need a licence to the destination (chart or Part 746), not counting
    what could go NLR or under GBS?"""
    field = f"{facts.field}.us_content[{index}]"
    subject = f"US-origin content {index + 1} of item {facts.id} ({content.description or 'no description'})"
    if content.eccn is None:
        return Fact.unknown(MissingFact(f"{field}.eccn", f"What is the ECCN (or EAR99) of {subject}?"))
    try:
        view = facts.context.eccn(content.eccn, facts.as_of)
    except EarcheckError as error:
        return Fact.unknown(MissingFact(f"{field}.eccn", f"{subject}: {error}"))
    answer = read_chart(view, facts.destination, Activity.REEXPORT, subject, field)
    chart = answer.fact
    if chart.value is True and "B" in facts.groups:
        notes = view.status.license_exception_notes
        # Lines not known on the date (a dated text without them): GBS may or may not have been open.
        gbs = None if notes is None else gbs_eligible(notes.get("GBS"), view.eccn.code, view.eccn.paragraph)
        only_ns = answer.reasons <= {"NS"}
        if gbs is True and only_ns:
            chart = FALSE  # could go under License Exception GBS: not counted
        elif gbs is None and only_ns:
            chart = Fact.unknown(
                MissingFact(f"{field}.eccn", f"Could {subject} ({view.eccn}) go to the destination under GBS?")
            )
    embargo = FALSE
    found = facts.context.rules.embargoes.in_force(facts.case.destination, facts.as_of)
    if found is not None:
        _, version = found
        embargo = embargo_scope_reaches(
            version, view, content.food_or_medicine, content.listed_by_hts_in_part_746, subject, field
        )
    return any_of([chart, embargo])


# ECCNs (or paragraphs) that describe only integrated circuits: content in them is an IC without asking (R).
_IC_ECCNS = ("3A001.a", "3A090", "3A991.a", "3A991.b")


def _item_matches(facts: ItemFacts, rule: NoDeMinimis) -> Fact:
    if not (rule.item_eccns or rule.item_groups or rule.item_series):
        return TRUE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    eccn = view.eccn
    if eccn.is_ear99:
        return FALSE
    series = {"600"} if eccn.code[2] == "6" else ({"9x515"} if eccn.code[2:] == "515" else set())
    inside = any_of(
        [
            item_in(facts, eccn, rule.item_eccns, (), f"item {facts.id}", "eccn") if rule.item_eccns else FALSE,
            TRUE if eccn.code[:2] in rule.item_groups or series & set(rule.item_series) else FALSE,
        ]
    )
    if inside.value is False or not rule.item_excluding:
        return inside
    # Outside the excluded paragraphs: reuse the paragraph test against the exclusions.
    excluded = item_in(facts, eccn, rule.item_excluding, (), f"item {facts.id}", "eccn")
    return all_of([inside, excluded.negate()])


def _content_qualifies(facts: ItemFacts, rule: NoDeMinimis, content: Content, index: int) -> Fact:
    field = f"us_content[{index}]"
    name = f"US-origin content {index + 1} of item {facts.id} ({content.description or 'no description'})"
    if content.eccn is None:
        return Fact.unknown(facts.ask(f"{field}.eccn", f"What is the ECCN (or EAR99) of {name}?"))
    eccn = Eccn.parse(content.eccn)
    if eccn.is_ear99:
        return FALSE
    series = {"600"} if eccn.code[2] == "6" else ({"9x515"} if eccn.code[2:] == "515" else set())
    part_ok = rule.content_series_part is None or (
        (eccn.paragraph[:1] == ("y",)) == (rule.content_series_part is SeriesPart.Y)
    )
    if series & set(rule.content_series) and not eccn.paragraph and rule.content_series_part is not None:
        classified = Fact.unknown(facts.ask(f"{field}.eccn", f"Which paragraph of {eccn} is {name} (.y or .a-.x)?"))
    else:
        classified = any_of(
            [
                item_in(facts, eccn, rule.content_eccns, (), name, f"{field}.eccn") if rule.content_eccns else FALSE,
                TRUE if eccn.category in rule.content_categories else FALSE,
                TRUE if series & set(rule.content_series) and part_ok else FALSE,
            ]
        )
    conditions = [classified]
    if rule.content_integrated_circuit:
        known = content.integrated_circuit
        if known is None and any(eccn.within(Eccn.parse(e)) for e in _IC_ECCNS):
            known = True
        conditions.append(Fact.of(known, facts.ask(f"{field}.integrated_circuit", f"Is {name} an integrated circuit?")))
    if any(eccn.within(Eccn.parse(e)) for e in rule.content_not_memory):
        conditions.append(Fact.unknown(facts.ask(f"{field}.description", f"Is {name} ({eccn}) a memory circuit?")))
    return all_of(conditions)


def _is_content(facts: ItemFacts, content: Content, index: int) -> Fact:
    """Content a bill of materials may or may not make US-origin content of the item (``us_origin`` null)."""
    return Fact.of(
        content.us_origin,
        facts.ask(
            f"us_content[{index}].us_origin",
            f"Is content {index + 1} of item {facts.id} ({content.description or 'no description'}) US-origin content "
            "of the item?",
        ),
    )


def _exclusion_applies(facts: ItemFacts, rule: NoDeMinimis) -> Fact:
    """Does a 734.4(a) no-de-minimis case reach this item?"""
    conditions: list[Fact] = [_item_matches(facts, rule)]
    if rule.destination_countries or rule.destination_groups:
        reached = bool(places(facts.case.destination, facts.as_of) & set(rule.destination_countries)) or bool(
            facts.groups & set(rule.destination_groups)
        )
        conditions.append(TRUE if reached else FALSE)
    if rule.end_uses:
        declared = facts.case.known_end_uses
        if set(rule.end_uses) & declared:
            conditions.append(TRUE)
        elif set(rule.unsettled_end_uses) & declared:
            wanted = ", ".join(rule.end_uses)
            question = (
                f"Is the end use of item {facts.id} one of: {wanted}? The case gives a broader end use "
                f"({', '.join(sorted(set(rule.unsettled_end_uses) & declared))}), and {rule.citation} reaches only "
                "the narrower one (add it to end_uses if it is)."
            )
            conditions.append(Fact.unknown(MissingFact("end_uses", question)))  # a case-level fact
        else:
            conditions.append(FALSE)
    if rule.footnote is not None:
        roles = {PartyRole.ULTIMATE_CONSIGNEE, PartyRole.END_USER, PartyRole.PURCHASER}
        listings = [listing for listing in facts.parties.listings if listing.party.role in roles]
        conditions.append(
            any_of(
                [
                    facts.parties.with_footnote(rule.footnote, listings),
                    facts.parties.unknown_parties(f"whether an entity with footnote {rule.footnote} is the end user"),
                ]
            )
        )
    if all_of(conditions).value is False:
        return FALSE
    if rule.content_eccns or rule.content_categories or rule.content_series:
        contents = facts.item.us_content
        if contents is None:
            conditions.append(
                Fact.unknown(facts.ask("us_content", f"What US-origin content does item {facts.id} incorporate?"))
            )
        else:
            conditions.append(
                any_of(
                    all_of([_content_qualifies(facts, rule, c, i), _is_content(facts, c, i)])
                    for i, c in enumerate(contents)
                )
            )
    if rule.unless_controlled_where_first_exported:
        origin = facts.item.origin
        # The footnote's countries are read facts; for any other country only the case can say (and a country
        # that lists the equipment lifts the rule, so the case saying "not listed" is what makes it apply).
        controlled = origin in rule.unless_controlled_where_first_exported and (
            rule.controlled_since is None or facts.as_of >= rule.controlled_since
        )
        listed = True if controlled else facts.item.listed_where_first_exported
        conditions.append(
            Fact.of(
                None if listed is None else not listed,
                facts.ask(
                    "listed_where_first_exported",
                    f"Does the country item {facts.id} is first exported from ({origin or 'not given'}) list it on its "
                    f"own export control list? If so {rule.citation} does not apply.",
                ),
            )
        )
    if rule.unless_excluded_from_sme_license:
        excluded = facts.item.excluded_from_sme_license
        conditions.append(
            Fact.of(
                None if excluded is None else not excluded,
                facts.ask(
                    "excluded_from_sme_license",
                    f"Is item {facts.id} excluded from the licence requirements of 742.4(a)(4) and 742.6(a)(6) (SME to "
                    f"Macau and D:5)? If so {rule.citation} does not apply; earcheck has not read those exclusions.",
                ),
            )
        )
    return all_of(conditions)


def de_minimis(facts: ItemFacts, ledger: Ledger) -> Fact:
    """Subject to the EAR by controlled US-origin content above the de minimis level (GP2)?"""
    id_ = facts.id
    data = facts.context.rules.de_minimis
    if facts.foreign_made is False:
        ledger.record(
            "de_minimis",
            METHOD,
            FALSE,
            Effect.SUBJECT_TO_EAR,
            "a US-origin item: de minimis does not apply",
            id_,
        )
        return FALSE

    exclusions = []
    for rule in data.exclusions(facts.as_of):
        fact = _exclusion_applies(facts, rule)
        # Only the words for the answer found are built (this runs for every foreign-made item).
        if fact.value is True:
            because = f"no de minimis level: {rule.title}"
        elif fact.value is False:
            because = f"not a case of {rule.citation} ({rule.title})"
        else:
            because = f"may be a case of {rule.citation} ({rule.title})"
        ledger.record(rule.id, rule.citation, fact, Effect.SUBJECT_TO_EAR, because, id_)
        if fact.value is True:
            return TRUE
        exclusions.append(fact)
    # A case that may have no de minimis level keeps the answer open whatever the percentage says.
    return any_of([*exclusions, _percentage(facts, ledger)])


def _level(facts: ItemFacts, threshold: Threshold) -> tuple[int, str]:
    low = bool(facts.groups & set(threshold.low_groups))
    return (threshold.low_percent, threshold.low_citation) if low else (threshold.high_percent, threshold.high_citation)


def de_minimis_level(facts: ItemFacts) -> tuple[int, str] | None:
    """The de minimis percentage for the item's destination on its date and the paragraph that sets it; None
    when the data has no level for the date or the destination's Country Groups are not known."""
    threshold = facts.context.rules.de_minimis.threshold(facts.as_of)
    if threshold is None or facts.destination.groups is None:
        return None
    return _level(facts, threshold)


def content_controlled(facts: ItemFacts, content: Content, index: int) -> Fact:
    """Is this US-origin content *controlled* content to the item's destination (Supp. No. 2 to part 734,
    (a)(1))? The rule de minimis itself applies, for tools that explain it line by line (a BOM rollup)."""
    return _content_controlled(facts, content, index)


def _percentage(facts: ItemFacts, ledger: Ledger) -> Fact:
    """Controlled US-origin content against the de minimis level of the destination on the date."""
    id_ = facts.id
    data = facts.context.rules.de_minimis

    threshold = data.threshold(facts.as_of)
    if threshold is None:
        fact = Fact.unknown(facts.ask("", "earcheck has no de minimis level for this date"))
        ledger.record(
            "de_minimis", METHOD, fact, Effect.SUBJECT_TO_EAR, "no de minimis level in force in the data", id_
        )
        return fact
    if facts.destination.groups is None:
        # Without the destination's Country Groups the level (10% or 25%) is not known.
        fact = Fact.unknown(
            MissingFact("destination", f"Which Country Groups was {facts.case.destination} in on the case date?")
        )
        ledger.record(
            "de_minimis", METHOD, fact, Effect.SUBJECT_TO_EAR, "the destination's Country Groups are not known", id_
        )
        return fact
    percent, citation = _level(facts, threshold)
    contents = facts.item.us_content
    if contents is None:
        fact = Fact.unknown(
            facts.ask(
                "us_content",
                f"What US-origin content does item {id_} incorporate (ECCN and fair market value of each part)? "
                "[] if none.",
            )
        )
        ledger.record(
            "de_minimis",
            citation,
            fact,
            Effect.SUBJECT_TO_EAR,
            "the item's US-origin content is not given",
            id_,
        )
        return fact
    known = Fraction(0)
    # Content whose control is unknown but whose value is given: if even all of it together with the known
    # controlled content stays within the level, every reading of the open questions agrees.
    possible: Fraction | None = Fraction(0)
    open_questions: list[Fact] = []
    for index, content in enumerate(contents):
        controlled = all_of([_content_controlled(facts, content, index), _is_content(facts, content, index)])
        if controlled.value is False:
            continue
        if content.value is None:
            possible = None
            open_questions.append(
                Fact.unknown(
                    facts.ask(f"us_content[{index}].value", f"What is the fair market value of content {index + 1}?"),
                    *controlled.questions,
                )
            )
        elif controlled.value is True:
            known += Fraction(str(content.value))
        elif content.value > 0:
            if possible is not None:
                possible += Fraction(str(content.value))
            open_questions.append(controlled)
    value = facts.item.value
    if value is None or value <= 0:
        if known == 0 and not open_questions:
            fact, because = FALSE, "no controlled US-origin content"
        else:
            fact = Fact.unknown(facts.ask("value", f"What is the fair market value of item {id_}?"))
            because = "the item's value is not given"
    else:
        share = known / Fraction(str(value))
        shown = f"{float(share) * 100:.2f}%"
        if share * 100 > percent:
            fact, because = (
                TRUE,
                f"controlled US-origin content is {shown} of the item, above the {percent}% level",
            )
        elif open_questions and possible is not None and (known + possible) / Fraction(str(value)) * 100 <= percent:
            at_most = f"{float((known + possible) / Fraction(str(value))) * 100:.2f}%"
            fact = FALSE
            because = (
                f"controlled US-origin content is at most {at_most} of the item (counting all content whose control is "
                f"not known), within the {percent}% level"
            )
        elif open_questions:
            fact = Fact(None, merge_questions(open_questions))
            because = f"known controlled US-origin content is {shown}; other content may be controlled"
        else:
            fact, because = FALSE, f"controlled US-origin content is {shown}, within the {percent}% level"
    ledger.record("de_minimis", citation, fact, Effect.SUBJECT_TO_EAR, because, id_)
    return fact
