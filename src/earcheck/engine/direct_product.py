"""The product scope of the foreign-direct-product rules: is the foreign item a "direct product"?

An item is within a rule's product scope when it is the direct product of specified technology or
software, or was made by a plant or a major component of a plant (essential production or test
equipment) that is itself a direct product of specified US-origin technology or software -- and,
for some rules, when the item itself is of a kind the rule names (an NS-controlled item, a Category 3B
commodity, any CCL item) or, in May 2020, was made from a footnote 1 entity's design. Two rules add a
route: a commodity that *contains* an integrated circuit made by such a plant (734.9(e)(3), (k)); and
734.9(l) asks what the plant itself is (3A090 hardware subject to the EAR) rather than what made it.
Unknown inputs make the answer unknown, with the question a supplier can answer (the certification
of Supp. No. 1 to part 734).
"""

from __future__ import annotations

from collections.abc import Sequence

from earcheck.eccn import Eccn
from earcheck.engine.item import ItemFacts
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.errors import EarcheckError
from earcheck.model import Plant
from earcheck.regulations.fdp import FdpRule, FdpVersion, Inputs, ItemScope, split_qualifier

__all__ = ["footnote_of", "item_in", "product_scope"]


def footnote_of(rule: FdpRule) -> int:
    return rule.footnote if rule.footnote is not None else 1


def _item_code(facts: ItemFacts) -> str | None:
    return None if facts.eccn is None or facts.eccn.eccn.is_ear99 else str(facts.eccn.eccn)


def _qualified(facts: ItemFacts, code: str, texts: tuple[str, ...]) -> Fact:
    """Does input ``code`` count, given the rule's "(for 3B commodities)" qualifiers and the item's ECCN?"""
    results = []
    for text in texts:
        eccn, for_items = split_qualifier(text)
        if eccn != code:
            continue
        if not for_items:
            return TRUE
        item = _item_code(facts)
        if facts.eccn is None:
            results.append(
                Fact.unknown(
                    facts.ask(
                        "eccn", f"What is the ECCN of item {facts.id}? The rule names {text} only for those items."
                    )
                )
            )
        else:
            results.append(TRUE if item is not None and any(item.startswith(p) for p in for_items) else FALSE)
    return any_of(results)


def _input_counts(facts: ItemFacts, text: str, inputs: Inputs, what: str) -> Fact:
    """Is one technology/software ECCN the case names among the rule's ``inputs``?"""
    try:
        eccn = Eccn.parse(text)
    except EarcheckError:
        return Fact.unknown(facts.ask("production", f"{text!r} is not an ECCN ({what})"))
    if eccn.is_ear99:
        return FALSE
    code = eccn.code
    if inputs.technology_only and eccn.group != "E":
        return FALSE  # the plant routes of 734.9(b)-(d) name "technology", not software
    listed = _qualified(facts, code, inputs.eccns)
    if listed.value is not False:
        return listed
    series = {"600"} if code[2] == "6" else ({"9x515"} if code[2:] == "515" else set())
    if code[:2] in inputs.groups or series & set(inputs.series):
        return TRUE
    later = _qualified(facts, code, inputs.later)
    if later.value is not False:
        return Fact.unknown(
            facts.ask(
                "production",
                f"Did the rule name ECCN {code} on {facts.as_of.isoformat()}? A later text names it; earcheck does "
                "not know since when.",
            )
        )
    if inputs.reason is not None:
        reasons = facts.context.eccn(code, facts.as_of).status.reasons
        if reasons is None:
            return Fact.unknown(
                facts.ask("production", f"Is ECCN {code} ({what}) controlled for {inputs.reason} reasons?")
            )
        return TRUE if inputs.reason in reasons else FALSE
    return FALSE


def _matches(facts: ItemFacts, texts: Sequence[str], inputs: Inputs, what: str) -> Fact:
    return any_of(_input_counts(facts, text, inputs, what) for text in texts)


def _direct_product(facts: ItemFacts, version: FdpVersion) -> Fact:
    if version.direct.empty:
        return FALSE
    production = facts.item.production
    technology = production.us_technology if production is not None else None
    if technology is None:
        return Fact.unknown(
            facts.ask(
                "production.us_technology",
                f"Is item {facts.id} a direct product of US-origin technology or software? List their ECCNs "
                "([] if none).",
            )
        )
    return _matches(facts, technology, version.direct, "technology or software the item is a direct product of")


def _one_plant(facts: ItemFacts, version: FdpVersion, plant: Plant, field: str, made: str) -> Fact:
    """Is this plant (or major component) one the rule names: a direct product of the listed US-origin
    technology -- or, for 734.9(l), itself an item subject to the EAR in the listed ECCNs?"""
    name = plant.description or field
    routes = []
    if version.plant_items:
        classified = (
            Fact.unknown(facts.ask(f"{field}.eccn", f"What is the ECCN of the plant or equipment {name!r}?"))
            if plant.eccn is None
            else item_in(facts, Eccn.parse(plant.eccn), version.plant_items, (), f"the plant {name!r}", f"{field}.eccn")
        )
        subject = Fact.of(
            plant.subject_to_ear,
            facts.ask(f"{field}.subject_to_ear", f"Is the plant or equipment {name!r} itself subject to the EAR?"),
        )
        routes.append(all_of([classified, subject]))
    if not version.plant.empty:
        if plant.us_technology is None:
            routes.append(
                Fact.unknown(
                    facts.ask(
                        f"{field}.us_technology",
                        f"Is the plant or equipment {name!r} that {made} a direct product of US-origin technology or "
                        "software? Give the ECCNs ([] if none).",
                    )
                )
            )
        else:
            routes.append(
                _matches(facts, plant.us_technology, version.plant, "technology or software the plant is a product of")
            )
    return any_of(routes)


def _plants(
    facts: ItemFacts, version: FdpVersion, plants: Sequence[Plant] | None, field: str, question: str, role: str
) -> Fact:
    """Is one of ``plants`` (the case's list under ``field``; None = not given) a qualifying plant?"""
    if plants is None:
        return Fact.unknown(facts.ask(field, question))
    return any_of(_one_plant(facts, version, plant, f"{field}[{index}]", role) for index, plant in enumerate(plants))


def _plant(facts: ItemFacts, version: FdpVersion) -> Fact:
    if version.plant.empty and not version.plant_items:
        return FALSE
    production = facts.item.production
    return _plants(
        facts,
        version,
        production.plant if production is not None else None,
        "production.plant",
        f"Was item {facts.id} produced by a plant, or a major component of a plant (production or test "
        "equipment, e.g. a deposition or lithography tool), that is itself a direct product of US-origin "
        "technology or software? List each with the ECCNs of that technology ([] if none).",
        f"produced item {facts.id}",
    )


def _content_plant(facts: ItemFacts, version: FdpVersion) -> Fact:
    """734.9(e)(3)(i)(B)(2), (k)(1)(ii)(B): the commodity contains an IC made by such a plant."""
    if not version.plant_in_content:
        return FALSE
    production = facts.item.production
    return _plants(
        facts,
        version,
        production.component_plants if production is not None else None,
        "production.component_plants",
        f"Does item {facts.id} contain an integrated circuit (or other commodity) produced by a plant or "
        "equipment that is a direct product of US-origin technology or software? List the plants that made "
        "what it contains, with the ECCNs of their technology ([] if none).",
        f"made a part of item {facts.id}",
    )


def item_in(
    facts: ItemFacts, eccn: Eccn, listed: Sequence[str], excluding: Sequence[str], subject: str, field: str
) -> Fact:
    """Is ``eccn`` within one of ``listed`` (entries or paragraphs) and outside every one of ``excluding``?
    A classification too coarse to tell (3B001 when the rule names 3B001.c) is unknown."""
    if eccn.is_ear99:
        return FALSE
    inside = [Eccn.parse(e) for e in listed]
    outside = [Eccn.parse(e) for e in excluding]
    broader = f"Give the ECCN of {subject} ({eccn}) down to the paragraph: the rule names {', '.join(listed)}"
    if excluding:
        broader += f" except {', '.join(excluding)}"
    if any(eccn.within(e) for e in outside):
        return FALSE
    if any(eccn.within(e) for e in inside):
        if any(e.within(eccn) for e in outside):
            return Fact.unknown(facts.ask(field, broader + "."))
        return TRUE
    if any(e.within(eccn) for e in inside):
        return Fact.unknown(facts.ask(field, broader + "."))
    return FALSE


def _designed_by_footnote_entity(facts: ItemFacts, rule: FdpRule) -> Fact:
    production = facts.item.production
    designer = production.designed_by if production is not None else None
    footnote = footnote_of(rule)
    if designer is None:
        return Fact.unknown(
            facts.ask(
                "production.designed_by",
                f"Is item {facts.id} produced from technology or software produced or developed by an entity with "
                f"Entity List footnote {footnote} (e.g. a Huawei or HiSilicon design)? Name the designer.",
            )
        )
    listings = [
        listing for listing in facts.parties.listings if listing.party.field == f"{facts.field}.production.designed_by"
    ]
    return facts.parties.with_footnote(footnote, listings)


def _listed_by_hts(facts: ItemFacts) -> Fact:
    return Fact.of(
        facts.item.listed_by_hts_in_part_746,
        facts.ask(
            "listed_by_hts_in_part_746",
            f"Is item {facts.id} (EAR99) identified by HTS code in a supplement to part 746 (Supp. No. 6 or 7)?",
        ),
    )


def _classification(facts: ItemFacts, scope: ItemScope) -> Fact:
    """Is the item specified where the rule says -- any one of its alternatives?"""
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    eccn = view.eccn
    options = []
    if scope.eccns:
        options.append(item_in(facts, eccn, scope.eccns, scope.excluding, f"item {facts.id}", "eccn"))
    for text in scope.qualified:
        code, for_items = split_qualifier(text)
        if not eccn.is_ear99 and eccn.code == code:
            options.append(
                Fact.unknown(
                    facts.ask(
                        "eccn", f"Is item {facts.id} ({eccn}) {code} technology for {', '.join(for_items)} items?"
                    )
                )
            )
    if scope.series and not eccn.is_ear99:
        series = {"600"} if eccn.code[2] == "6" else ({"9x515"} if eccn.code[2:] == "515" else set())
        options.append(TRUE if series & set(scope.series) else FALSE)
    if eccn.is_ear99:
        if scope.listed_by_hts and (scope.any_ccl or scope.categories):
            options.append(_listed_by_hts(facts))
    elif scope.any_ccl or (eccn.category is not None and eccn.category in scope.categories):
        options.append(TRUE)
    return any_of(options)


def _item_condition(facts: ItemFacts, rule: FdpRule, scope: ItemScope) -> Fact:
    """Conditions on the foreign item itself: its classification, its reasons for control, its design."""
    conditions = []
    if scope.designed_by_footnote_entity:
        conditions.append(_designed_by_footnote_entity(facts, rule))
    if scope.classified:
        conditions.append(_classification(facts, scope))
    if scope.not_ear99 or scope.reason is not None:
        view = facts.eccn
        if view is None:
            conditions.append(Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?")))
        else:
            if scope.not_ear99:
                conditions.append(FALSE if view.eccn.is_ear99 else TRUE)
            if scope.reason is not None:
                conditions.append(_controlled_for(facts, scope.reason))
    return all_of(conditions)


def _controlled_for(facts: ItemFacts, reason: str) -> Fact:
    view = facts.eccn
    assert view is not None
    question = facts.ask("eccn", f"Is item {facts.id} ({view.eccn}) controlled for {reason} reasons?")
    if view.eccn.is_ear99:
        return FALSE
    if view.status.reasons is None:
        return Fact.unknown(question)
    covered = [c.scope.covers(view.eccn.paragraph) for c in view.controls if c.reason == reason]
    return any_of(Fact.of(c, question) for c in covered)


def product_scope(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    routes = any_of([_direct_product(facts, version), _plant(facts, version), _content_plant(facts, version)])
    if routes.value is False:
        return FALSE
    return all_of([routes, _item_condition(facts, rule, version.item)])
