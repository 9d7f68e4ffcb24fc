"""Foreign-direct-product tracing across the tiers of a production graph.

The trace does not apply the FDP rules itself: it builds the engine's case facts for one supply from the
graph -- the item's own technology (``production.us_technology``), the plant's major components and the
US-origin technology each is a direct product of (``production.plant``), the design house
(``designed_by``), the plants of the integrated circuits it contains (``component_plants``), the parties
and what the seller knows -- and the engine evaluates every modelled 734.9 rule and its predecessors
(736.2(b)(3) before 2022) as of the supply's date. Each open question is then addressed to the
organisation in the graph that can answer it: the tool maker for a tool, the fab for its plant, the owner
of a technology for its origin and ECCN, the seller for the rest.

An unknown in a tier stays unknown in the case: a tool made with technology of unknown origin has
``us_technology`` unknown, never "none".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from earcheck.casefile import parse_cases
from earcheck.errors import CaseError, FieldError
from earcheck.model import Case, Determination
from earcheck.supplychain.graph import Graph, GraphItem, Supply, Tool

__all__ = ["SupplierQuestion", "Trace", "supply_case", "trace"]


@dataclass(frozen=True, slots=True)
class SupplierQuestion:
    organisation: str  # who in the graph can answer
    tier: str  # item, plant, tool, technology, transaction
    field: str  # the case field the answer settles
    question: str


@dataclass(frozen=True, slots=True)
class Trace:
    supply: str
    case: Case
    determination: Determination
    questions: tuple[SupplierQuestion, ...]


def _technology(graph: Graph, refs: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """ECCNs of the US-origin technology named, or None when any of it is not known well enough to say.

    Foreign-origin technology is left out: the graph has no way to say it is subject to the EAR, and the
    plant prongs count only US-origin technology."""
    if refs is None:
        return None
    eccns: list[str] = []
    for ref in refs:
        tech = graph.tech(ref)
        if tech.origin is None or (tech.origin == "US" and tech.eccn is None):
            return None
        if tech.origin == "US" and tech.eccn is not None:
            eccns.append(tech.eccn)
    return tuple(eccns)


def _plant(graph: Graph, tool: Tool, location: str | None) -> dict[str, Any]:
    plant: dict[str, Any] = {"description": tool.description or tool.id, "location": location, "eccn": tool.eccn}
    technology = _technology(graph, tool.direct_product_of)
    if technology is not None:
        plant["us_technology"] = list(technology)
    return plant


def _tools(graph: Graph, item: GraphItem) -> list[dict[str, Any]] | None:
    if item.made_at is None:
        return None
    plant = graph.plant(item.made_at)
    if plant.tools is None:
        return None
    return [_plant(graph, tool, plant.location) for tool in plant.tools]


def _component_plants(graph: Graph, item: GraphItem) -> list[dict[str, Any]] | None:
    plants: list[dict[str, Any]] = []
    for ref in item.contains:
        tools = _tools(graph, graph.item(ref))
        if tools is None:
            return None
        plants.extend(tools)
    return plants


def _known(document: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is not known: an omitted field is unknown in a case, and None would not validate."""
    return {key: value for key, value in document.items() if value is not None}


def supply_case(graph: Graph, supply: Supply, as_of: date | None = None) -> Case:
    """The engine's case for one supply of the graph (``as_of`` overrides the supply's date)."""
    item = graph.item(supply.item)
    seller, buyer = graph.organisation(supply.seller), graph.organisation(supply.buyer)
    destination = supply.destination or buyer.country
    if destination is None:
        raise CaseError([FieldError(f"supplies[{supply.id}].destination", "give a destination or the buyer's country")])
    plant = graph.plant(item.made_at) if item.made_at else None
    origin = plant.location if plant else None
    technology = _technology(graph, item.direct_product_of)
    production = _known(
        {
            "us_technology": list(technology) if technology is not None else None,
            "plant": _tools(graph, item),
            "designed_by": graph.organisation(item.designed_by).name if item.designed_by else None,
            "production_started": item.production_started,
            "component_plants": _component_plants(graph, item),
        }
    )
    knowledge = _known(
        {
            "for_products_of": None
            if supply.for_products_of is None
            else [graph.organisation(ref).name for ref in supply.for_products_of]
        }
    )
    document = _known(
        {
            "id": f"{graph.id or 'graph'}:{supply.id}",
            "as_of": as_of or supply.as_of,
            "destination": destination,
            "exporter": _known({"name": seller.name, "country": seller.country, "role": "exporter"}),
            "parties": [
                _known(
                    {
                        "name": buyer.name,
                        "country": buyer.country,
                        "role": "ultimate_consignee",
                        "headquarters": buyer.headquarters,
                    }
                )
            ],
            "items": [
                _known(
                    {
                        "id": item.id,
                        "description": item.description,
                        "eccn": item.eccn,
                        "origin": origin,
                        "location": seller.country or origin,
                        "value": item.value,
                        "production": production,
                        "us_content": None
                        if item.us_content is None
                        else [dataclasses.asdict(content) for content in item.us_content],
                        "shipped_on": supply.shipped_on,
                    }
                )
            ],
            "end_uses": [str(use) for use in supply.end_uses],
            "knowledge": knowledge,
        }
    )
    return parse_cases(document, f"graph {graph.id or ''} supply {supply.id}")[0]


def _who(graph: Graph, supply: Supply, field: str) -> tuple[str, str]:
    """The organisation (name) and tier a question about ``field`` goes to."""
    item = graph.item(supply.item)
    seller = graph.organisation(supply.seller).name
    plant = graph.plant(item.made_at) if item.made_at else None
    operator = graph.organisation(plant.operator).name if plant else seller
    prefix = "items[0].production."
    if field.startswith(prefix + "plant[") and plant is not None and plant.tools:
        index = int(field[len(prefix + "plant[") :].split("]", 1)[0])
        if index < len(plant.tools):
            tool = plant.tools[index]
            makers = [graph.organisation(tool.maker).name] if tool.maker else []
            owners = [
                graph.organisation(graph.tech(ref).owner).name  # type: ignore[arg-type]
                for ref in tool.direct_product_of or ()
                if graph.tech(ref).owner is not None
            ]
            return (", ".join(dict.fromkeys(makers + owners)) or operator), "tool"
    if field.startswith((prefix + "plant", prefix + "component_plants")):
        return operator, "plant"
    if field.startswith(prefix + "us_technology"):
        owners = [
            graph.organisation(graph.tech(ref).owner).name  # type: ignore[arg-type]
            for ref in item.direct_product_of or ()
            if graph.tech(ref).owner is not None
        ]
        designer = graph.organisation(item.designed_by).name if item.designed_by else None
        return ", ".join(dict.fromkeys([*owners, *([designer] if designer else []), operator])), "technology"
    if field.startswith(prefix):
        return operator, "item"
    if field.startswith("items[0]"):
        return seller, "item"
    return seller, "transaction"


def trace(graph: Graph, supply_id: str, decide: Callable[[Case], Determination], as_of: date | None = None) -> Trace:
    """Decide one supply of the graph with the engine (``decide``), and address each open question to the
    organisation that knows the answer."""
    supply = next((s for s in graph.supplies if s.id == supply_id), None)
    if supply is None:
        raise CaseError([FieldError("supplies", f"no supply {supply_id!r} in the graph")])
    case = supply_case(graph, supply, as_of)
    answer = decide(case)
    questions = tuple(
        SupplierQuestion(*_who(graph, supply, fact.field), fact.field, fact.question) for fact in answer.missing_facts
    )
    return Trace(supply.id, case, answer, questions)
