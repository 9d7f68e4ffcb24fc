"""Impact analysis: what changes under a scenario, and only touchable transactions re-evaluated.

Expectations from the rule text:
- 744.11(a) / SMIC's entry (85 FR 83420, CSL): a licence "for all items subject to the EAR"; US-origin items
  are subject (734.3(a)(1)), EAR99 included; a foreign-made item with no US content and no FDP rule is not
  subject (734.3), so no Entity List requirement reaches it.
- The May 2020 footnote 1 rule took effect 2020-05-15 (85 FR 29849); moved to 2020-05-14, the Kirin wafers
  (HiSilicon design, SMIC fab with US-origin-technology tools) become subject on 2020-05-14 and are saved
  by the wind-down (production before the cutoff) -- licence still not required.
- De minimis levels (734.4(c)/(d)): a destination moved into Country Group E:1 gets the 10% level.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.casefile import parse_cases
from earcheck.cli import app
from earcheck.engine.determine import determine
from earcheck.errors import CaseError
from earcheck.supplychain.graph import read_graph
from earcheck.supplychain.impact import impact, summarise
from earcheck.supplychain.portfolio import read_portfolio
from earcheck.supplychain.scenario import parse_scenario, read_scenario
from earcheck.supplychain.trace import supply_case
from earcheck.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2026, 12, 1)


@pytest.mark.shared_data
def test_smic_listing_replay(supply_workspace: Workspace) -> None:
    cases = list(read_portfolio(EXAMPLES / "portfolio-2020-12.jsonl"))
    scenario = read_scenario(EXAMPLES / "impact-smic-listing.yaml")
    rows = list(impact(cases, scenario, supply_workspace.context, TODAY))
    by_id = {row.case_id: row for row in rows}
    # US-origin items to SMIC (by name and by its alias) now need a licence under 744.11(a).
    for case_id in ("po-1001", "po-1002"):
        row = by_id[case_id]
        assert row.reevaluated
        assert row.changed
        assert (row.license_before, row.license_after) == (False, True)
        assert any("744.11" in c for c in row.now_applies)
        assert row.policy_after is not None
        assert "Presumption of denial" in row.policy_after
    assert by_id["po-1003"].skipped_because == "no party is 'Semiconductor Manufacturing International Corporation'"
    assert by_id["po-1004"].skipped_because is not None
    assert "before the change" in by_id["po-1004"].skipped_because
    # A Japanese tool with no US content is not subject to the EAR: listed buyer or not, no licence.
    assert by_id["po-1005"].reevaluated
    assert not by_id["po-1005"].changed
    summary = summarise(rows)
    assert (summary.total, summary.reevaluated, summary.skipped, summary.changed) == (5, 3, 2, 2)
    assert summary.value_changed == pytest.approx(97_000)
    assert sum(summary.skipped_why.values()) == 2


@pytest.mark.shared_data
def test_skipped_cases_really_do_not_change(supply_workspace: Workspace) -> None:
    """The index's promise, checked by deciding the skipped cases anyway (before and after)."""
    from earcheck.supplychain.scenario import apply_scenario

    cases = list(read_portfolio(EXAMPLES / "portfolio-2020-12.jsonl"))
    scenario = read_scenario(EXAMPLES / "impact-smic-listing.yaml")
    for row in impact(cases, scenario, supply_workspace.context, TODAY):
        if row.reevaluated:
            continue
        case = cases[row.index]
        base = supply_workspace.context(row.as_of)
        before, after = determine(case, base, TODAY), determine(case, apply_scenario(base, scenario), TODAY)
        assert (before.license_required, before.review_policy) == (after.license_required, after.review_policy)


@pytest.mark.shared_data
def test_rule_date_moved(supply_workspace: Workspace) -> None:
    graph = read_graph(EXAMPLES / "smic-huawei-graph.yaml")
    kirin = graph.supplies[0]
    cases = [supply_case(graph, kirin, date(2020, 5, 14)), supply_case(graph, kirin, date(2020, 6, 1))]
    # 85 FR 29849 one day early: the rule, and the footnote 1 designations of Huawei and HiSilicon it made.
    designations = [
        {"modify_entry": {"name": name, "effective": "2020-05-14", "footnotes": [1]}}
        for name in ("Huawei Technologies Co., Ltd.", "HiSilicon Technologies Co., Ltd.")
    ]
    scenario_changes = [
        {
            "rule_effective": {
                "rule": "fdp.entity_list_footnote_1",
                "version_from": "2020-05-15",
                "effective": "2020-05-14",
            }
        },
        *designations,
    ]
    scenario = parse_scenario({"name": "May 2020 rule one day early", "changes": scenario_changes})
    early, later = impact(cases, scenario, supply_workspace.context, TODAY)
    assert early.reevaluated
    assert (early.subject_before, early.subject_after) == (False, True)
    assert (early.license_before, early.license_after) == (False, False)  # the wind-down still covers it
    # On 2020-06-01 Huawei and HiSilicon carried footnote 1 anyway: touched by the designations, unchanged.
    assert later.reevaluated
    assert not later.changed
    only_rule = parse_scenario({"name": "rule only", "changes": scenario_changes[:1]})
    (skipped,) = impact(cases[1:], only_rule, supply_workspace.context, TODAY)
    assert not skipped.reevaluated
    assert "outside the window" in (skipped.skipped_because or "")


@pytest.mark.shared_data
def test_country_moved_into_e1_changes_the_de_minimis_level(supply_workspace: Workspace, tmp_path: Path) -> None:
    """The phone BOM of test_rollup (22.5% controlled content to China): within 25%, above 10%."""
    from earcheck.supplychain.bom import read_bom
    from earcheck.supplychain.rollup import with_boms
    from tests.supplychain.test_rollup import HEADER, PHONE

    path = tmp_path / "phone.csv"
    path.write_text("\n".join([HEADER, *PHONE]) + "\n", encoding="utf-8")
    store = supply_workspace.bom_store()
    bom_id = store.save(read_bom(path))
    facts = {"production": {"us_technology": [], "plant": [], "component_plants": []}}
    case = parse_cases(
        {
            "as_of": "2026-08-01",
            "destination": "CN",
            "parties": [],
            "knowledge": {"for_products_of": [], "onward_destinations": []},
            "items": [{"id": "phone", "bom": bom_id, **facts}],
        }
    )[0]
    case = with_boms(case, store.load)
    other = parse_cases({"as_of": "2026-08-01", "destination": "IN", "items": [{"eccn": "EAR99", "origin": "US"}]})[0]
    scenario = parse_scenario(
        {
            "name": "China to E:1",
            "changes": [{"move_country": {"country": "CN", "effective": "2026-01-01", "add_groups": ["E:1"]}}],
        }
    )
    moved, untouched = impact([case, other], scenario, supply_workspace.context, TODAY)
    assert (moved.subject_before, moved.subject_after) == (False, True)
    assert moved.changed
    assert untouched.skipped_because == "CN is not a country of the case"


def test_footnote_example_parses_as_the_test_scenario() -> None:
    """examples/impact-footnote-1-may-2020.yaml is the scenario test_rule_date_moved runs."""
    example = read_scenario(EXAMPLES / "impact-footnote-1-may-2020.yaml")
    assert [c.rule_effective is not None for c in example.changes] == [True, False, False]
    assert {c.modify_entry.name for c in example.changes if c.modify_entry} == {
        "Huawei Technologies Co., Ltd.",
        "HiSilicon Technologies Co., Ltd.",
    }


def test_bad_scenarios_are_named() -> None:
    with pytest.raises(CaseError) as caught:
        parse_scenario(
            {
                "name": "x",
                "changes": [
                    {
                        "add_entry": {"name": "A", "effective": "2020-01-01"},
                        "remove_entry": {"name": "B", "effective": "2020-01-01"},
                    }
                ],
            }
        )
    assert "exactly one" in str(caught.value)
    with pytest.raises(CaseError) as caught:
        parse_scenario(
            {
                "name": "x",
                "changes": [
                    {
                        "rule_effective": {
                            "rule": "fdp.entity_list_footnote_1",
                            "version_from": "2020-05-16",
                            "effective": "2020-05-14",
                        }
                    }
                ],
            }
        )
    assert caught.value.errors[0].field == "changes[0].rule_effective.version_from"


def test_bad_portfolio_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"destination": "CN", "items": [{}]}\n{"destination": "CN", "items": [{"value": -1}]}\n')
    with pytest.raises(CaseError, match="line 2"):
        list(read_portfolio(path))


def test_parquet_portfolio(tmp_path: Path) -> None:
    import polars as pl

    lines = (EXAMPLES / "portfolio-2020-12.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "p.parquet"
    pl.DataFrame({"case": lines}).write_parquet(path)
    assert [c.id for c in read_portfolio(path)] == [json.loads(line)["id"] for line in lines]


@pytest.mark.shared_data
def test_cli_impact(supply_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Workspace, "open", classmethod(lambda cls, settings, config=None: supply_workspace))
    png = tmp_path / "impact.png"
    command = [
        "impact",
        "--portfolio",
        str(EXAMPLES / "portfolio-2020-12.jsonl"),
        "--scenario",
        str(EXAMPLES / "impact-smic-listing.yaml"),
    ]
    result = CliRunner().invoke(app, [*command, "--json", "--png", str(png)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["summary"]["reevaluated"] == 3
    assert document["summary"]["skipped"] == 2
    assert [r["case_id"] for r in document["rows"]] == ["po-1001", "po-1002"]
    assert png.read_bytes()[:4] == b"\x89PNG"
    # Each re-evaluated case is decided once (the scenario read nothing it moves) or twice.
    made = document["summary"]["determinations"]
    assert 3 <= made <= 6
    text = CliRunner().invoke(app, command)
    assert text.exit_code == 0, text.output
    assert f"; {made} determinations made" in " ".join(text.stdout.split())
