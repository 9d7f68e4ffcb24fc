"""The product scope of the foreign-direct-product rules: is the foreign item a "direct product"?

An item is within a rule's product scope when it is the direct product of specified technology or
software, or was made by a plant or a major component of a plant (essential production or test
equipment) that is itself a direct product of specified US-origin technology or software -- and, for
some rules, when the item itself is of a kind the rule names (an NS-controlled item, a Category 3B
commodity) or, in May 2020, was made from a footnote 1 entity's design. Unknown inputs make the answer
unknown, with the question a supplier can answer (the certification of Supp. No. 1 to part 734).
"""

from __future__ import annotations

from collections.abc import Sequence

from earcheck.eccn import Eccn
from earcheck.engine.item import ItemFacts
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.errors import EarcheckError
from earcheck.regulations.fdp import FdpRule, FdpVersion

__all__ = ["footnote_of", "product_scope"]


def _matches_inputs(
    facts: ItemFacts,
    eccns: Sequence[str],
    eccn_list: tuple[str, ...],
    groups: tuple[str, ...],
    reason: str | None,
    series_600: bool,
    later: tuple[str, ...],
    what: str,
) -> Fact:
    """Is any of ``eccns`` (technology or software classifications) among the rule's inputs?"""
    results = []
    for text in eccns:
        try:
            eccn = Eccn.parse(text)
        except EarcheckError:
            results.append(Fact.unknown(facts.ask("production", f"{text!r} is not an ECCN ({what})")))
            continue
        code = eccn.code
        if code in eccn_list or code[:2] in groups or (series_600 and code[2] == "6"):
            results.append(TRUE)
        elif code in later:
            results.append(
                Fact.unknown(
                    facts.ask(
                        "production",
                        f"Did the rule name ECCN {code} on {facts.as_of.isoformat()}? It is named by 2026, but the "
                        "date it was added is not in earcheck's data.",
                    )
                )
            )
        elif reason is not None:
            view = facts.context.eccn(code, facts.as_of)
            reasons = view.status.reasons
            if reasons is None:
                results.append(
                    Fact.unknown(facts.ask("production", f"Is ECCN {code} ({what}) controlled for {reason} reasons?"))
                )
            else:
                results.append(TRUE if reason in reasons else FALSE)
        else:
            results.append(FALSE)
    return any_of(results)


def _direct_product(facts: ItemFacts, version: FdpVersion) -> Fact:
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
    return _matches_inputs(
        facts,
        technology,
        version.technology_eccns,
        version.technology_groups,
        version.technology_reason,
        version.technology_series_600,
        version.possible_later_eccns,
        "technology or software the item is a direct product of",
    )


def _plant(facts: ItemFacts, version: FdpVersion) -> Fact:
    if not (version.plant_eccns or version.plant_groups or version.plant_reason or version.plant_series_600):
        return FALSE
    production = facts.item.production
    plants = production.plant if production is not None else None
    if plants is None:
        return Fact.unknown(
            facts.ask(
                "production.plant",
                f"Was item {facts.id} produced by a plant, or a major component of a plant (production or test "
                "equipment, e.g. a deposition or lithography tool), that is itself a direct product of US-origin "
                "technology or software? List each with the ECCNs of that technology ([] if none).",
            )
        )
    results = []
    for index, plant in enumerate(plants):
        if plant.us_technology is None:
            results.append(
                Fact.unknown(
                    facts.ask(
                        f"production.plant[{index}].us_technology",
                        f"Is the plant or equipment {plant.description or index + 1!r} that produced item {facts.id} "
                        "a direct product of US-origin technology or software? Give the ECCNs ([] if none).",
                    )
                )
            )
            continue
        results.append(
            _matches_inputs(
                facts,
                plant.us_technology,
                version.plant_eccns,
                version.plant_groups,
                version.plant_reason,
                version.plant_series_600,
                version.possible_later_eccns,
                "technology or software the plant is a direct product of",
            )
        )
    return any_of(results)


def _item_condition(facts: ItemFacts, version: FdpVersion) -> Fact:
    """Conditions on the foreign item itself: its classification, or a reason it is controlled for."""
    needs = version.item_eccns is not None or version.item_reason is not None or version.item_series_600
    if not needs:
        return TRUE
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    conditions = []
    if version.item_eccns is not None:
        listed = [Eccn.parse(e) for e in version.item_eccns]
        if any(view.eccn.within(e) for e in listed):
            conditions.append(TRUE)
        elif any(e.within(view.eccn) for e in listed):
            conditions.append(
                Fact.unknown(
                    facts.ask(
                        "eccn",
                        f"Item {facts.id} is classified {view.eccn}: which paragraph? The rule reaches only "
                        f"{', '.join(version.item_eccns)}.",
                    )
                )
            )
        else:
            conditions.append(FALSE)
    if version.item_series_600:
        conditions.append(TRUE if not view.eccn.is_ear99 and view.eccn.code[2] == "6" else FALSE)
    if version.item_reason is not None:
        if view.eccn.is_ear99:
            conditions.append(FALSE)
        elif view.status.reasons is None:
            conditions.append(
                Fact.unknown(
                    facts.ask(
                        "eccn",
                        f"Is item {facts.id} ({view.eccn}) controlled for {version.item_reason} reasons?",
                    )
                )
            )
        else:
            covered = [c.scope.covers(view.eccn.paragraph) for c in view.controls if c.reason == version.item_reason]
            conditions.append(
                any_of(
                    Fact.of(
                        c,
                        facts.ask(
                            "eccn",
                            f"Is item {facts.id} ({view.eccn}) controlled for {version.item_reason} reasons?",
                        ),
                    )
                    for c in covered
                )
            )
    return all_of(conditions)


def footnote_of(rule: FdpRule) -> int:
    return rule.footnote if rule.footnote is not None else 1


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


def product_scope(facts: ItemFacts, rule: FdpRule, version: FdpVersion) -> Fact:
    routes = any_of([_direct_product(facts, version), _plant(facts, version)])
    if version.plant_may_be_in_content and routes.value is not True:
        routes = any_of(
            [
                routes,
                Fact.unknown(
                    facts.ask(
                        "production",
                        f"Does item {facts.id} contain an integrated circuit produced by a plant or equipment "
                        "that is a direct product of US-origin technology or software?",
                    )
                ),
            ]
        )
    conditions = [routes, _item_condition(facts, version)]
    if version.designed_by_footnote_entity:
        conditions.append(_designed_by_footnote_entity(facts, rule))
    return all_of(conditions)
