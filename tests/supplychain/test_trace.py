"""FDP tracing across the tiers of a production graph: chip <- fab <- tools <- US technology.

The graph (examples/smic-huawei-graph.yaml): SMIC's fab in China holds Applied Materials and Lam Research
tools, each a direct product of US-origin 3E001 technology. Kirin wafers (HiSilicon design, production
started 2020-04-01) and power-management wafers (MediaTek design, production started 2020-06-01) go to
Huawei. Expected answers from the rule text (quoted in docs/research/fdp-entity-list.md):

- Before 2020-05-15 "there was no Entity List FDP rule" (85 FR 29849 took effect 2020-05-15): wafers made
  in China with no US content are not subject to the EAR.
- 2020-05-15 (85 FR 29849, footnote 1 (2), VX): an item "produced by a plant or major component of a plant
  outside the United States that is itself a direct product of U.S.-origin technology or software in those
  ECCNs, and the item is a direct product of software or technology produced or developed by a footnote 1
  entity", with knowledge it is destined to a footnote 1 entity -> Kirin subject, MediaTek design not.
  Savings: "Continued shipment of certain items already in production may continue until September 14,
  2020" (VX) -> Kirin (production from 2020-04-01) needs no licence until 2020-09-14.
- 2020-08-17 (85 FR 51596, VS summary): "when any entity with a footnote 1 designation ... is a party to any
  transaction involving the foreign-produced item", plant prong without the Huawei-design condition -> the
  MediaTek wafers become subject; only shipments "en route" on 2020-08-17 keep the old eligibility.
- 2020-09-15: the wind-down is over -> Kirin needs a licence; review policy presumption of denial (Huawei's
  entry).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.errors import CaseError
from earcheck.supplychain.graph import graph_schema, parse_graph, read_graph
from earcheck.supplychain.trace import supply_case, trace
from earcheck.workspace import Workspace

GRAPH = Path(__file__).resolve().parents[2] / "examples" / "smic-huawei-graph.yaml"


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("supply", "day", "subject", "licence"),
    [
        ("kirin-to-huawei", date(2020, 5, 14), False, False),
        ("kirin-to-huawei", date(2020, 5, 15), True, False),
        ("kirin-to-huawei", date(2020, 8, 17), True, False),
        ("kirin-to-huawei", date(2020, 9, 14), True, False),
        ("kirin-to-huawei", date(2020, 9, 15), True, True),
        ("pmic-to-huawei", date(2020, 5, 15), False, False),
        ("pmic-to-huawei", date(2020, 8, 16), False, False),
        ("pmic-to-huawei", date(2020, 8, 17), True, None),
        ("pmic-to-huawei", date(2020, 9, 15), True, True),
    ],
)
def test_three_tier_trace_changes_on_the_rule_dates(
    supply_workspace: Workspace, supply: str, day: date, subject: bool, licence: bool | None
) -> None:
    result = trace(read_graph(GRAPH), supply, supply_workspace.determine, day)
    answer = result.determination
    assert answer.subject_to_ear is subject
    assert answer.license_required is licence
    if subject:
        assert any(f.citation == "15 CFR 736.2(b)(3)(vi)" and f.outcome.value == "applies" for f in answer.findings), (
            "the footnote 1 rule as numbered in 2020"
        )
    if licence:
        assert answer.review_policy == "Presumption of denial"
    if licence is None:
        # The en-route savings clause of 85 FR 51596 is open (and the licence exceptions' facts): asked of
        # the seller, SMIC.
        (question,) = [q for q in result.questions if q.field == "items[0].shipped_on"]
        assert question.organisation == "Semiconductor Manufacturing International Corporation"
        assert "en route" in question.question


@pytest.mark.shared_data
def test_each_tiers_unknown_goes_to_its_supplier(supply_workspace: Workspace) -> None:
    """The etch tool's technology not given, and the deposition technology's origin not known: on 2020-09-15
    the answer is open, and the questions go to the tool maker (Lam) and the fab (SMIC)."""
    document = read_graph(GRAPH)
    raw = GRAPH.read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(raw)
    data["plants"][0]["tools"][1].pop("direct_product_of")
    data["plants"][0]["tools"][0]["direct_product_of"] = []
    graph = parse_graph(data)
    result = trace(graph, "kirin-to-huawei", supply_workspace.determine, date(2020, 9, 15))
    assert result.determination.license_required is None
    assert result.determination.subject_to_ear is None
    tools = [q for q in result.questions if q.tier == "tool"]
    assert tools, result.questions
    assert all("Lam Research" in q.organisation for q in tools)
    assert document.id == "smic-huawei-chain"
    data["plants"][0]["tools"] = None
    data["plants"][0].pop("tools")
    result = trace(parse_graph(data), "kirin-to-huawei", supply_workspace.determine, date(2020, 9, 15))
    plants = [q for q in result.questions if q.tier == "plant"]
    assert plants
    assert plants[0].organisation == "Semiconductor Manufacturing International Corporation"


def test_graph_facts_become_the_engine_case() -> None:
    graph = read_graph(GRAPH)
    case = supply_case(graph, graph.supplies[0])
    item = case.items[0]
    assert case.destination == "CN"
    assert item.origin == "CN"
    assert item.production is not None
    assert item.production.designed_by == "HiSilicon Technologies Co., Ltd."
    assert [p.us_technology for p in item.production.plant or ()] == [("3E001",), ("3E001",)]
    assert item.production.us_technology == ()
    assert case.knowledge is not None
    assert case.knowledge.for_products_of == ("Huawei Technologies Co., Ltd.",)


def test_unknown_technology_origin_stays_unknown() -> None:
    import yaml

    data = yaml.safe_load(GRAPH.read_text(encoding="utf-8"))
    data["technology"][1].pop("origin")
    graph = parse_graph(data)
    plant = supply_case(graph, graph.supplies[0]).items[0].production.plant  # type: ignore[union-attr]
    assert plant is not None
    assert plant[1].us_technology is None  # unknown, never "none"


def test_bad_references_are_named() -> None:
    import yaml

    data = yaml.safe_load(GRAPH.read_text(encoding="utf-8"))
    data["items"][0]["made_at"] = "tsmc-fab"
    data["supplies"][0]["buyer"] = "honor"
    with pytest.raises(CaseError) as caught:
        parse_graph(data)
    fields = {e.field for e in caught.value.errors}
    assert fields == {"items[0].made_at", "supplies[0].buyer"}


def test_graph_schema_is_generated() -> None:
    schema = graph_schema()
    assert schema["title"] == "earcheck production graph"
    assert "supplies" in schema["properties"]
