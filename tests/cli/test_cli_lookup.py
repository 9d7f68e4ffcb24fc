"""``earcheck lookup`` end to end on the real data: import ../shared/data into a temporary home, then
look up parties, destinations and ECCNs around the boundary dates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.settings import Settings
from earcheck.store import Store

pytestmark = pytest.mark.shared_data

HUAWEI = "Huawei Technologies Co., Ltd."
SMIC = "Semiconductor Manufacturing International Corporation"


@pytest.fixture(scope="module")
def imported_home(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    home = tmp_path_factory.mktemp("lookup-home")
    store = Store.open(Settings.from_env({"EARCHECK_HOME": str(home)}))
    store.import_path(shared_data, today=date(2026, 8, 1))
    return home


@pytest.fixture
def run(imported_home: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("EARCHECK_HOME", str(imported_home))
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        result = runner.invoke(app, ["lookup", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output) if "--json" in args else result.output

    return invoke


def el_hits(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [hit for hit in document["hits"] if hit["list"] == "EL"]


@pytest.mark.parametrize(
    ("name", "day", "in_force"),
    [
        (HUAWEI, "2019-05-15", False),
        (HUAWEI, "2019-05-16", True),
        (HUAWEI, "2019-05-17", True),
        (SMIC, "2020-12-17", False),
        (SMIC, "2020-12-18", True),
        (SMIC, "2020-12-19", True),
    ],
)
def test_party_listing_boundaries(run: Any, name: str, day: str, in_force: bool) -> None:
    document = run("party", name, "--as-of", day, "--json")
    hits = el_hits(document)
    assert hits, document
    assert {hit["in_force"] for hit in hits} == {in_force}
    for hit in hits:
        assert hit["dated_fact"] is not None
        assert hit["score"] == 1.0


def test_party_json_carries_the_terms_of_the_day(run: Any) -> None:
    document = run("party", HUAWEI, "--as-of", "2020-09-15", "--json")
    hit = el_hits(document)[0]
    assert hit["footnotes"] == [1]
    assert hit["listed_from"] == "2019-05-16"
    assert "736.2(b)(3)(vi)" in hit["license_requirement"]
    assert hit["citation"] == "15 CFR part 744, Supplement No. 4"
    assert any("84 FR 22963" in cite for cite in hit["federal_register"])
    smic = el_hits(run("party", SMIC, "--as-of", "2021-01-01", "--json"))[0]
    assert "10 nanometers" in smic["license_policy"]
    assert smic["footnotes"] == []


def test_party_readable_output(run: Any) -> None:
    out = run("party", HUAWEI, "--as-of", "2019-05-15")
    assert "in force" in out
    assert "not yet listed" in out
    assert "no list entry" in run("party", "Nobody In Particular Ltd", "--as-of", "2020-01-01").casefold()


def test_country_hong_kong_around_2020_12_23(run: Any) -> None:
    before = run("country", "HK", "--as-of", "2020-12-22", "--json")
    assert before["marks"] is None
    assert before["groups"] == ["A:6", "B"]
    after = run("country", "HK", "--as-of", "2020-12-23", "--json")
    assert after["governed_by"] == "CN"
    assert "NP2" in after["marks"]
    assert after["groups"] == ["D:1", "D:3", "D:4", "D:5"]
    assert "Country Chart marks" in run("country", "CN", "--as-of", "2020-09-15")


def test_country_embargo(run: Any) -> None:
    cuba = run("country", "CU", "--json", "--as-of", "2026-07-23")
    assert cuba["embargo"].startswith("See part 746")


def test_eccn_lookups(run: Any) -> None:
    b001 = run("eccn", "3B001", "--as-of", "2026-07-23", "--json")
    assert b001["reasons"] == ["NS", "RS", "AT"]
    assert any(c["country_chart"] == "NS Column 2." for c in b001["controls"])
    e002 = run("eccn", "3E002", "--as-of", "2020-09-15", "--json")
    assert e002["known"] is True
    assert e002["source"] == "supplement"
    unknown = run("eccn", "9A999", "--json")
    assert unknown["known"] is False
    assert "Reasons for control" in run("eccn", "3E001", "--as-of", "2020-09-15")


def test_bad_input_is_a_clear_error(imported_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARCHECK_HOME", str(imported_home))
    runner = CliRunner()
    bad_date = runner.invoke(app, ["lookup", "eccn", "3B001", "--as-of", "2020-02-30"])
    assert bad_date.exit_code == 2
    assert "not a date" in bad_date.output


def test_errors_exit_2_with_one_line(imported_home: Path) -> None:
    env = {**os.environ, "EARCHECK_HOME": str(imported_home)}
    for args, message in (
        (["eccn", "3B01"], "malformed ECCN '3B01'"),
        (["country", "XX"], "unknown country code 'XX'"),
        (["country", "CN", "--as-of", "2018-12-31"], "starts on 2019-01-01"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "earcheck", "lookup", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 2, done
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_no_data_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "EARCHECK_HOME": str(tmp_path / "empty")}
    done = subprocess.run(
        [sys.executable, "-m", "earcheck", "lookup", "country", "CN"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "earcheck data import" in done.stderr
    assert "Traceback" not in done.stderr


def test_lookup_eccn_says_3a090_did_not_exist_in_2021(run: Any) -> None:
    # 87 FR 62186 added 3A090; its CCL instruction took effect on 2022-10-07.
    document = run("eccn", "3A090.a", "--as-of", "2021-01-01", "--json")
    assert document["known"] is False
    assert document["exists"] is False
    assert document["version"]["text"].startswith("absent (87 FR 62186")
    assert "Classify the item under the CCL as of 2021-01-01" in document["question"]
    text = run("eccn", "3A090.a", "--as-of", "2021-01-01")
    assert "did not exist" in text
    later = run("eccn", "3A090.a", "--as-of", "2024-06-01", "--json")
    assert later["version"]["citation"] == "15 CFR part 774, Supplement No. 1, ECCN 3A090"
    assert "88 FR 73458" in later["version"]["text"]
    assert later["version"]["trust"] == "believed"


def test_lookup_eccn_names_the_rule_of_an_edition_period(run: Any) -> None:
    # 89 FR 84766 and 89 FR 84770 are "effective October 23, 2024" (DATES); from then earcheck reads 9A515
    # from the loaded edition, and the lookup names the rules beside the edition.
    text = run("eccn", "9A515.a.1", "--as-of", "2024-11-01")
    assert "eCFR edition 2026-07-23 (period begun by 89 FR 84766; 89 FR 84770)" in text
    document = run("eccn", "9A515.a.1", "--as-of", "2024-11-01", "--json")
    assert document["version"]["text"] == "eCFR edition 2026-07-23"
    assert "89 FR 84766" in document["version"]["sources"]
    # An own text already names its rule: nothing is added.
    own = run("eccn", "3A090.a", "--as-of", "2024-06-01")
    assert "period begun by" not in own


def test_lookup_country_shows_the_row_in_force_and_part_746(run: Any) -> None:
    # 87 FR 12226 (Categories 3-9 from 2022-02-24); 87 FR 22130 (all of the CCL from 2022-04-08).
    early = run("country", "RU", "--as-of", "2022-04-01", "--json")
    assert early["part_746"]["categories"] == [3, 4, 5, 6, 7, 8, 9]
    later = run("country", "RU", "--as-of", "2022-04-08", "--json")
    assert later["part_746"]["categories"] is None
    assert later["groups_version"]["trust"] == "believed"
    before = run("country", "RU", "--as-of", "2020-01-15", "--json")
    assert before["marks"] is None
    assert before["groups"] == ["A:2", "A:4", "D:1", "D:3"]
