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


def _exceptions_on(day: str) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["rules", "--as-of", day, "--json"])
    assert result.exit_code == 0, result.output
    return {
        line["rule"]: line
        for line in json.loads(result.output)
        if line["family"] in ("licence exception", "authorization") and not line["rule"].startswith("740.2.")
    }


def test_rules_list_the_licence_exceptions_in_force_on_the_date_with_their_citations() -> None:
    # CIV was removed on 2020-06-29 (2020-07240); the Huawei TGL ran 2019-05-20 to 2020-08-13; ACE took
    # effect in 2022; HBM on 2024-12-02 (89 FR 96790); SPP (740.5) on 2025-09-02 (90 FR 42320).
    in_2019 = _exceptions_on("2019-06-01")
    assert in_2019["CIV"]["citation"] == "15 CFR 740.5"
    assert in_2019["TGL"]["citation"] == "15 CFR part 744, Supplement No. 7"
    assert in_2019["LVS"]["citation"] == "15 CFR 740.3"
    assert {"ACE", "HBM", "SPP", "NAC"}.isdisjoint(in_2019)
    in_2026 = _exceptions_on("2026-01-15")
    assert in_2026["SPP"]["citation"] == "15 CFR 740.5"
    assert in_2026["HBM"]["citation"] == "15 CFR 740.25"
    assert in_2026["NAC"]["citation"] == "15 CFR 740.8"
    assert {"CIV", "TGL"}.isdisjoint(in_2026)
    assert all(line["verification"] in {"VS", "VD", "VX", "R"} for line in in_2026.values())


def test_rules_list_every_exception_of_the_part_740_catalogue() -> None:
    # The 2026 catalogue (../shared/data/ear/license_exceptions.csv, read by hand): 27 sections, "NAC ACA"
    # sharing 740.8.
    catalogue = {"LVS", "GBS", "SPP", "TSR", "APP", "NAC", "ACA", "TMP", "RPL", "GOV", "GFT", "TSU", "BAG",
                 "AVS", "APR", "ENC", "AGR", "CCD", "STA", "SCP", "ACE", "MED", "IEC", "HBM", "RFF", "AIA",
                 "ACM", "LPP"}  # fmt: skip
    assert catalogue <= set(_exceptions_on("2026-07-23"))


def test_rules_as_of_a_date_list_the_table_versions_in_force_with_their_sources() -> None:
    # 87 FR 62186 (instruction 25, effective 2022-10-07) created 3A090: absent the day before, a text after.
    def tables_on(day: str) -> dict[tuple[str, str], dict[str, object]]:
        result = CliRunner().invoke(app, ["rules", "--as-of", day, "--json"])
        assert result.exit_code == 0, result.output
        return {
            (line["family"], line["rule"]): line
            for line in json.loads(result.output)
            if line["family"] in ("CCL", "chart/groups")
        }

    before, after = tables_on("2022-10-06"), tables_on("2022-10-07")
    assert before[("CCL", "3A090")]["note"] == "entry absent"
    assert "87 FR 62186" in str(before[("CCL", "3A090")]["sources"])
    assert after[("CCL", "3A090")]["effective"] == "2022-10-07"
    assert str(after[("CCL", "3A090")]["note"]).startswith("reasons RS, AT")
    # Hong Kong's row follows China's from 2020-12-23 (85 FR 83765).
    assert any(family == "chart/groups" for family, _ in after)
    assert str(after[("chart/groups", "HK")]["effective"]) >= "2020-12-23"
    assert all(line["verification"] in {"VS", "VD", "VX", "R"} for line in after.values())
