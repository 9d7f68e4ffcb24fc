"""Production graphs: who makes what, on which plant and tools, from whose design and which US technology,
and who supplies whom (YAML or JSON; ``earcheck schema graph`` prints the JSON Schema).

The tiers of the foreign-direct-product rules: an *item* is made at a *plant* by its *major components*
(production and test equipment -- tools), each of which may be a direct product of *technology or
software*; the item itself may be a direct product of technology or software too, and be made to an
*organisation's* design. A *supply* is one transaction: an item from one organisation to another.

As in a case file, an omitted fact is unknown and an empty list is "none": a tool whose ``direct_product_of``
is omitted has not said what it was made with, and the trace asks its maker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config

from earcheck.casefile import field_errors, read_document
from earcheck.errors import CaseError, FieldError
from earcheck.model import Content, CountryCode, EccnText, EndUse, Money, Name, Text

__all__ = [
    "Graph",
    "GraphItem",
    "Organisation",
    "Plant",
    "Supply",
    "Technology",
    "Tool",
    "graph_schema",
    "parse_graph",
    "read_graph",
]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
Ref = Annotated[str, Field(min_length=1, max_length=200, description="the id of another node of the graph")]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Organisation:
    id: Ref
    name: Name
    country: CountryCode | None = None
    headquarters: CountryCode | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Technology:
    """Technology or software that items or tools are direct products of."""

    id: Ref
    eccn: EccnText | None = None
    origin: CountryCode | None = Field(default=None, description="US = US-origin; omitted = unknown")
    description: Text = ""
    owner: Ref | None = Field(default=None, description="organisation that knows its origin and ECCN")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Tool:
    """A major component of a plant: equipment essential to production, including testing."""

    id: Ref
    description: Text = ""
    eccn: EccnText | None = None
    maker: Ref | None = Field(default=None, description="organisation that made the tool (and is asked about it)")
    direct_product_of: tuple[Ref, ...] | None = Field(
        default=None, description="technology/software the tool is a direct product of; [] = none; omitted = unknown"
    )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Plant:
    id: Ref
    operator: Ref
    location: CountryCode | None = None
    tools: tuple[Tool, ...] | None = Field(
        default=None, description="its major components; [] = none a direct product of anything; omitted = unknown"
    )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class GraphItem:
    id: Ref
    description: Text = ""
    eccn: EccnText | None = None
    value: Money | None = None
    made_at: Ref | None = Field(default=None, description="plant id; omitted = unknown")
    designed_by: Ref | None = Field(default=None, description="organisation whose design it is produced from")
    direct_product_of: tuple[Ref, ...] | None = Field(
        default=None, description="technology/software the item itself is a direct product of; [] = none"
    )
    production_started: date | None = None
    us_content: tuple[Content, ...] | None = Field(
        default=None,
        description="US-origin content incorporated, as in a case (de minimis); [] = none; omitted = unknown",
    )
    contains: tuple[Ref, ...] = Field(default=(), description="items it incorporates (their plants are traced too)")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Supply:
    """One transaction: ``item`` from ``seller`` to ``buyer``, on ``as_of``."""

    id: Ref
    item: Ref
    seller: Ref
    buyer: Ref
    as_of: date | None = None
    destination: CountryCode | None = Field(default=None, description="default: the buyer's country")
    for_products_of: tuple[Ref, ...] | None = Field(
        default=None, description="organisations whose products the item will go into; [] = none known"
    )
    end_uses: tuple[EndUse, ...] = ()
    shipped_on: date | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Graph:
    organisations: tuple[Organisation, ...]
    items: tuple[GraphItem, ...]
    supplies: tuple[Supply, ...] = ()
    plants: tuple[Plant, ...] = ()
    technology: tuple[Technology, ...] = ()
    id: Annotated[str, Field(max_length=200)] | None = None
    description: Text = ""

    def organisation(self, ref: str) -> Organisation:
        return next(o for o in self.organisations if o.id == ref)

    def item(self, ref: str) -> GraphItem:
        return next(i for i in self.items if i.id == ref)

    def plant(self, ref: str) -> Plant:
        return next(p for p in self.plants if p.id == ref)

    def tech(self, ref: str) -> Technology:
        return next(t for t in self.technology if t.id == ref)


_GRAPH = TypeAdapter(Graph)


def _references(graph: Graph) -> list[FieldError]:
    """Every reference names a node of the right kind; ids are unique within their kind."""
    problems: list[FieldError] = []
    kinds = {
        "organisations": {o.id for o in graph.organisations},
        "items": {i.id for i in graph.items},
        "plants": {p.id for p in graph.plants},
        "technology": {t.id for t in graph.technology},
    }
    ids: dict[str, list[str]] = {
        "organisations": [o.id for o in graph.organisations],
        "items": [i.id for i in graph.items],
        "plants": [p.id for p in graph.plants],
        "technology": [t.id for t in graph.technology],
        "supplies": [s.id for s in graph.supplies],
    }
    for kind, listed in ids.items():
        seen: set[str] = set()
        for index, node_id in enumerate(listed):
            if node_id in seen:
                problems.append(FieldError(f"{kind}[{index}].id", f"duplicate id {node_id!r}"))
            seen.add(node_id)

    def need(path: str, ref: str | None, kind: str) -> None:
        if ref is not None and ref not in kinds[kind]:
            problems.append(FieldError(path, f"{ref!r} is not one of the graph's {kind}"))

    for i, item in enumerate(graph.items):
        need(f"items[{i}].made_at", item.made_at, "plants")
        need(f"items[{i}].designed_by", item.designed_by, "organisations")
        for j, ref in enumerate(item.direct_product_of or ()):
            need(f"items[{i}].direct_product_of[{j}]", ref, "technology")
        for j, ref in enumerate(item.contains):
            need(f"items[{i}].contains[{j}]", ref, "items")
    for i, plant in enumerate(graph.plants):
        need(f"plants[{i}].operator", plant.operator, "organisations")
        for j, tool in enumerate(plant.tools or ()):
            need(f"plants[{i}].tools[{j}].maker", tool.maker, "organisations")
            for k, ref in enumerate(tool.direct_product_of or ()):
                need(f"plants[{i}].tools[{j}].direct_product_of[{k}]", ref, "technology")
    for i, tech in enumerate(graph.technology):
        need(f"technology[{i}].owner", tech.owner, "organisations")
    for i, supply in enumerate(graph.supplies):
        need(f"supplies[{i}].item", supply.item, "items")
        need(f"supplies[{i}].seller", supply.seller, "organisations")
        need(f"supplies[{i}].buyer", supply.buyer, "organisations")
        for j, ref in enumerate(supply.for_products_of or ()):
            need(f"supplies[{i}].for_products_of[{j}]", ref, "organisations")
    return problems


def parse_graph(document: Any, source: str | None = None) -> Graph:
    if not isinstance(document, dict):
        raise CaseError([FieldError("", "a production graph is a mapping")], source)
    try:
        graph = _GRAPH.validate_python(document)
    except ValidationError as error:
        raise CaseError(field_errors(error), source) from None
    problems = _references(graph)
    if problems:
        raise CaseError(problems, source)
    return graph


def read_graph(path: Path) -> Graph:
    return parse_graph(read_document(path), str(path))


def graph_schema() -> dict[str, Any]:
    schema: dict[str, Any] = _GRAPH.json_schema()
    schema["title"] = "earcheck production graph"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
