"""``batch impact``: the supply-chain impact analysis over partitions, on a scheduler and two workers
started apart, row for row as ``earcheck.supplychain.impact`` gives it in one process.

The scenario is the project's replay of SMIC's addition to the Entity List (85 FR 83416; the entry at
85 FR 83420: licence requirement "For all items subject to the EAR"). 15 CFR 744.11(a): "... a license is
required, to the extent specified on the Entity List, to export, reexport, or transfer (in-country) any
item subject to the EAR when an entity that is listed on the Entity List is a party to the transaction".
So an order of US-origin items (EAR99 included) with SMIC as consignee, dated on or after the listing,
needs a licence under the scenario; an order dated before it, or with no SMIC party, is out of its reach.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import earcheck
from earcheck.batch.job import JobKind, JobOptions
from earcheck.batch.run import Cluster, run_job
from earcheck.errors import InputError
from earcheck.settings import Settings
from earcheck.supplychain.impact import impact
from earcheck.supplychain.portfolio import read_portfolio
from earcheck.supplychain.scenario import read_scenario
from earcheck.workspace import Workspace
from tests.batch.conftest import TODAY, Processes

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

EXAMPLES = Path(earcheck.__file__).parent / "examples"
SCENARIO = EXAMPLES / "impact-smic-listing.yaml"


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example book of open orders, 240 generated cases (real listed parties among invented ones,
    SMIC among them) and two bad lines."""
    from benchmarks.portfolio import portfolio

    lines = (EXAMPLES / "portfolio-2020-12.jsonl").read_text(encoding="utf-8").splitlines()
    lines += [json.dumps(case) for case in portfolio(240, seed=23)]
    lines.insert(3, "{not json")
    lines.insert(120, json.dumps({"id": "bad-destination", "destination": "XX", "items": [{"eccn": "EAR99"}]}))
    path = tmp_path_factory.mktemp("impact") / "orders.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _options(orders: Path, output: Path, scenario: Path = SCENARIO) -> JobOptions:
    return JobOptions(JobKind.IMPACT, str(orders), str(output), 50, today=TODAY, scenario=str(scenario))


def test_batch_impact_equals_the_library_function_row_for_row(
    real_settings: Settings, orders: Path, processes: Processes, tmp_path: Path
) -> None:
    output = tmp_path / "impact.parquet"
    summary = run_job(_options(orders, output), real_settings, Cluster(scheduler=processes.address))
    rows: list[dict[str, Any]] = pq.read_table(output).to_pylist()
    assert len(rows) == 247 == summary.rows

    errors = {row["line"]: row["error"] for row in rows if row["error"]}
    assert set(errors) == {4, 121}
    assert "not valid JSON" in errors[4]
    assert "unknown country code 'XX'" in errors[121]

    # The same cases in one process, through the library function itself.
    good = [line for line in orders.read_text(encoding="utf-8").splitlines() if line not in ("{not json",)]
    good = [line for line in good if '"bad-destination"' not in line]
    single_input = tmp_path / "good.jsonl"
    single_input.write_text("\n".join(good) + "\n", encoding="utf-8")
    workspace = Workspace.open(real_settings)
    single = list(impact(read_portfolio(single_input), read_scenario(SCENARIO), workspace.context, TODAY))
    ours = [row for row in rows if not row["error"]]
    assert len(ours) == len(single) == 245
    for row, theirs in zip(ours, single, strict=True):
        assert row["id"] == theirs.case_id
        assert (row["as_of"], row["reevaluated"], row["skipped_because"], row["changed"]) == (
            theirs.as_of.isoformat(), theirs.reevaluated, theirs.skipped_because, theirs.changed
        )  # fmt: skip
        assert (row["license_before"], row["license_after"]) == (theirs.license_before, theirs.license_after)
        assert (row["subject_before"], row["subject_after"]) == (theirs.subject_before, theirs.subject_after)
        assert (row["policy_before"], row["policy_after"]) == (theirs.policy_before, theirs.policy_after)
        assert json.loads(row["now_applies"]) == list(theirs.now_applies)
        assert json.loads(row["no_longer_applies"]) == list(theirs.no_longer_applies)
        assert row["value"] == theirs.value
    assert summary.counts["reevaluated"] + summary.counts["skipped"] == 245
    assert summary.counts["changed"] == sum(1 for row in single if row.changed)
    assert {row["scenario"] for row in rows} == {summary.basis["scenario"]}
    assert summary.basis["scenario"].startswith("SMIC added to the Entity List#")

    # The example orders, read against 744.11(a) and SMIC's entry (module docstring).
    by_id = {row["id"]: row for row in ours}
    for listed in ("po-1001", "po-1002"):  # SMIC by its name, and by its alias, on 2020-12-17
        assert by_id[listed]["reevaluated"]
        assert by_id[listed]["changed"]
        assert by_id[listed]["license_after"] is True
    assert not by_id["po-1003"]["reevaluated"]  # no SMIC party
    assert "no party is" in by_id["po-1003"]["skipped_because"]
    assert "before the change" in by_id["po-1004"]["skipped_because"]  # dated 2020-12-10


def test_a_rerun_with_another_scenario_is_refused(real_settings: Settings, orders: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "impact.csv"
    folder = output.with_name("impact.csv.parts")
    # A checkpoint as a first run leaves it: the job planned, no partition finished.
    from earcheck.batch.job import Checkpoint
    from earcheck.batch.run import _plan_job

    Checkpoint(folder).start(_plan_job(_options(orders, output, scenario), real_settings, None))
    scenario.write_text(SCENARIO.read_text(encoding="utf-8").replace("2020-12-17", "2020-12-18"), encoding="utf-8")
    with pytest.raises(InputError, match="scenario"):
        run_job(_options(orders, output, scenario), real_settings, Cluster(scheduler="tcp://127.0.0.1:9"))


def test_a_case_that_cannot_be_decided_costs_that_case_only(real_settings: Settings, orders: Path) -> None:
    from datetime import date

    from earcheck.batch.impact import impact_rows
    from earcheck.batch.inputs import CaseRow
    from earcheck.engine.context import Context
    from earcheck.errors import NoData

    workspace = Workspace.open(real_settings)
    cases = list(read_portfolio(EXAMPLES / "portfolio-2020-12.jsonl"))
    items = [CaseRow(n + 1, case.id or "", case) for n, case in enumerate(cases)]
    broken = date(2020, 12, 10)  # po-1004's date: its context cannot be had

    def context_for(day: date) -> Context:
        if day == broken:
            raise NoData("no EAR tables for that day (a test double's refusal)")
        return workspace.context(day)

    counts: dict[str, int] = {}
    rows = impact_rows(orders, items, read_scenario(SCENARIO), context_for, lambda c: c, TODAY, ("tail",), counts)
    assert [row[0] for row in rows] == ["po-1001", "po-1002", "po-1003", "po-1004", "po-1005"]
    assert [row[1] for row in rows] == [1, 2, 3, 4, 5]
    error_at = 15  # the error column, before the provenance tail
    assert [row[0] for row in rows if row[error_at]] == ["po-1004"]
    assert "no EAR tables for that day" in rows[3][error_at]
    assert rows[3][-1] == "tail"
    # The cases after it were still decided, as the library function decides them alone.
    alone = list(impact(cases[4:], read_scenario(SCENARIO), workspace.context, TODAY))
    assert rows[4][3:6] == (alone[0].reevaluated, alone[0].skipped_because, alone[0].changed)
    # Each case reached names SMIC (or its alias), whose screening the scenario changes: decided both ways.
    assert counts == {"reevaluated": 3, "skipped": 1, "changed": 2, "determinations": 6}
