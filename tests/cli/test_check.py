"""``earcheck check`` and ``earcheck timeline`` end to end, and what bad case files get."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.settings import Settings
from earcheck.store import Store

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "smic-huawei.yaml"


@pytest.fixture(scope="module")
def real_home(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    home = tmp_path_factory.mktemp("check-home")
    Store.open(Settings.from_env({"EARCHECK_HOME": str(home)})).import_path(shared_data, today=date(2026, 11, 26))
    return home


def invoke(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.setenv("EARCHECK_HOME", str(home))
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_flagship_needs_a_licence(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = invoke(real_home, monkeypatch, "check", str(FLAGSHIP), "--json")
    assert answer["license_required"] is True
    assert answer["review_policy"] == "Presumption of denial"
    applying = {f["citation"] for f in answer["findings"] if f["outcome"] == "applies"}
    assert "15 CFR 736.2(b)(3)(vi)" in applying
    assert answer["provenance"]["case_sha256"]
    assert answer["provenance"]["lists"] != "none"


def test_a_list_of_cases_gives_an_array_in_order(
    real_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flagship = yaml.safe_load(FLAGSHIP.read_text())
    before = {**flagship, "id": "before", "as_of": "2019-01-02"}
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump([flagship, before]))
    answers = invoke(real_home, monkeypatch, "check", str(path), "--json")
    assert [a["case_id"] for a in answers] == ["smic-huawei-2020-09-20", "before"]
    assert [a["license_required"] for a in answers] == [True, False]


def test_timeline_shows_when_and_why_the_answer_changed(
    real_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png = tmp_path / "timeline.png"
    document = invoke(
        real_home, monkeypatch, "timeline", str(FLAGSHIP), "--to", "2023-01-01", "--json", "--png", str(png)
    )
    starts = {i["from"]: i for i in document["intervals"]}
    # Huawei's listing, the May 2020 rule (wind-down), the August 2020 rule, the end of the wind-down,
    # SMIC's own listing, the move to 734.9(e) and the October 2022 renumbering.
    for day in ("2019-05-16", "2020-05-15", "2020-08-17", "2020-09-15", "2020-12-18", "2022-02-03", "2022-10-21"):
        assert day in starts, f"no interval starts on {day}"
    assert starts["2020-05-15"]["license_required"] is False
    # 85 FR 29849: production under way on 2020-05-15 "may continue until September 14, 2020" -- the
    # interval's "no licence" rests on that savings clause, so the governing column must name it.
    assert "85 FR 29849 (savings clause)" in starts["2020-05-15"]["citations"]
    assert not any("savings" in c for c in starts["2020-09-15"]["citations"])
    assert starts["2020-09-15"]["license_required"] is True
    assert "15 CFR 736.2(b)(3)(vi)" in starts["2020-09-15"]["citations"]
    assert any("Semiconductor Manufacturing International" in c for c in starts["2020-12-18"]["changes"])
    assert png.read_bytes().startswith(b"\x89PNG")


BAD = {
    "unknown key": ({"colour": "red"}, "colour: unknown field"),
    "bad date": ({"as_of": "2020-02-30"}, "as_of"),
    "malformed ECCN": ({"items": [{"eccn": "3B01"}]}, "items[0].eccn"),
    "unknown country": ({"destination": "XX"}, "destination"),
    "negative value": ({"items": [{"value": -1}]}, "items[0].value"),
    "negative content value": ({"items": [{"us_content": [{"value": -3}]}]}, "items[0].us_content[0].value"),
    "wrong type": ({"parties": "Huawei"}, "parties"),
}


@pytest.mark.parametrize("problem", sorted(BAD))
def test_bad_case_files_get_an_error_naming_the_field(problem: str, tmp_path: Path) -> None:
    patch, expected = BAD[problem]
    document = yaml.safe_load(FLAGSHIP.read_text()) | patch
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(document))
    env = {**os.environ, "EARCHECK_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "earcheck", "check", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"items: [", b"\xff\xfe\x00\x01", b"- 1\n- 2\n"])
def test_unreadable_case_files_get_a_clear_error(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    env = {**os.environ, "EARCHECK_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "earcheck", "check", str(path)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_a_date_before_the_data_is_refused_clearly(real_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump(yaml.safe_load(FLAGSHIP.read_text()) | {"as_of": "2015-01-01"}))
    env = {**os.environ, "EARCHECK_HOME": str(real_home)}
    result = subprocess.run(
        [sys.executable, "-m", "earcheck", "check", str(path)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "2019-01-01" in result.stderr
    assert "Traceback" not in result.stderr
