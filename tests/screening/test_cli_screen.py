from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.errors import InputError, NoData

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(earcheck_home: Path) -> Path:
    code, _, _ = run("data", "import", str(SNAPSHOT))
    assert code == 0
    assert list((earcheck_home / "screening").glob("index-*.pack")), "data import builds the index"
    return earcheck_home


def test_one_name_as_json(imported: Path) -> None:
    code, out, _ = run("screen", "华为技术有限公司", "--country", "cn", "--json", "--as-of", "2020-09-20")
    assert code == 0
    document = json.loads(out)
    assert document["country"] == "CN"
    assert document["as_of"] == "2020-09-20"
    assert document["algorithm"] == "name-v4"
    top = document["matches"][0]
    assert top["matched_name"].startswith("Huawei Technologies")
    assert top["band"] == "match"
    assert top["score"] == 1.0
    assert {"list_id", "name", "source", "in_force", "footnotes", "license_policy", "explanation"} <= set(top)


def test_not_yet_listed_on_the_date(imported: Path) -> None:
    code, out, _ = run("screen", "Huawei Technologies Co., Ltd.", "--json", "--as-of", "2019-05-15")
    assert code == 0
    entity_list = [m for m in json.loads(out)["matches"] if m["list_code"] == "EL"]
    assert entity_list
    assert all(m["in_force"] is False for m in entity_list)
    code, out, _ = run("screen", "Huawei Technologies Co., Ltd.", "--json", "--as-of", "2019-05-16")
    entity_list = [m for m in json.loads(out)["matches"] if m["list_code"] == "EL"]
    assert any(m["in_force"] is True for m in entity_list)


def test_one_name_as_a_table(imported: Path) -> None:
    code, out, _ = run("screen", "Semiconductor Mfg Intl Corp")
    assert code == 0
    assert "CMIC" in out
    assert "match" in out
    assert "match" in out
    code, out, _ = run("screen", "Nobody At All")
    assert code == 0
    assert "No list entry matches" in out


def test_thresholds_are_options(imported: Path) -> None:
    _, out, _ = run("screen", "Huawie Technologies", "--json", "--match-threshold", "0.99",
                    "--review-threshold", "0.5")  # fmt: skip
    document = json.loads(out)
    assert document["match_threshold"] == 0.99
    assert document["matches"]
    assert all(m["band"] == "review" for m in document["matches"])
    code, _, err = run("screen", "x", "--match-threshold", "0.5", "--review-threshold", "0.9")
    assert code != 0
    assert "review <= match" in err


def test_batch_jsonl_and_csv(imported: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("id,name,country\n1,Huawei Technologies Co Ltd,CN\n2,,CN\n3,John Q Nobody,US\n4,SMIC,XX\n")
    code, out, _ = run("screen", "--input", str(names), "--format", "jsonl", "--jobs", "2")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["1", "2", "3", "4"]
    assert records[0]["matches"][0]["band"] == "match"
    assert "empty name" in records[1]["error"]
    assert records[2]["matches"] == []
    assert "unknown country code" in records[3]["error"]
    code, out, _ = run("screen", "--input", str(names), "--format", "csv")
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == ["1", "2", "3", "4"]
    assert table[0]["band"] == "match"
    assert table[0]["list_code"] in {"EL", "CMIC"}


def test_batch_from_standard_input(imported: Path) -> None:
    code, out, _ = run("screen", "--input", "-", stdin="id,name\n9,SMIC\n")
    assert code == 0
    assert json.loads(out)["id"] == "9"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("screen",), "give a NAME or --input"),
        (("screen", "x", "--as-of", "2020-13-01"), "not a date"),
        (("screen", "x", "--country", "ZZ"), "unknown country code"),
    ],
)
def test_usage_errors(imported: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args)
    assert code != 0
    assert message in err


def test_bad_input_files(imported: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        run("screen", "--input", str(tmp_path / "absent.csv"))
    headless = tmp_path / "bad.csv"
    headless.write_text("name\nHuawei\n")
    with pytest.raises(InputError, match="lacks the column"):
        run("screen", "--input", str(headless))


def test_no_lists_loaded(earcheck_home: Path) -> None:
    with pytest.raises(NoData, match="earcheck data import"):
        run("screen", "Huawei")
