"""``earcheck rules``: generated from the rule data, filterable by date."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from earcheck.cli import app


def test_rules_as_of_a_date_give_the_citation_of_that_date() -> None:
    result = CliRunner().invoke(app, ["rules", "--as-of", "2020-09-20", "--json"])
    assert result.exit_code == 0, result.output
    lines = json.loads(result.output)
    fdp = [line for line in lines if line["family"] == "FDP" and "footnote 1" in line["rule"]]
    assert [line["citation"] for line in fdp] == ["15 CFR 736.2(b)(3)(vi)"]
    assert all(line["verification"] in {"VS", "VD", "VX", "R"} for line in lines)
    later = json.loads(CliRunner().invoke(app, ["rules", "--as-of", "2023-01-01", "--json"]).output)
    assert "15 CFR 734.9(e)(1)" in {line["citation"] for line in later}


def test_rules_refuse_a_bad_date() -> None:
    result = CliRunner().invoke(app, ["rules", "--as-of", "2020-02-30"])
    assert result.exit_code != 0
    assert "not a date" in result.output
