"""The EAR as of a date in the browser's pages (/lookup, /rules), on the real snapshot data.

What the pages must show is read here from the data files themselves with a few lines of ``csv`` and
``json`` (``../shared/data/ear``), not from the code under test."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from earcheck.api import create_app
from earcheck.cli import app
from earcheck.records.keys import Role
from earcheck.settings import Settings
from tests.web.conftest import sign_in


@pytest.fixture
def real_web(settings: Settings, shared_data: Path) -> Iterator[TestClient]:
    imported = CliRunner().invoke(app, ["data", "import", str(shared_data)])
    assert imported.exit_code == 0, imported.output
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _ccl_heading(shared_data: Path, eccn: str) -> str:
    for line in (shared_data / "ear" / "ccl.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["eccn"] == eccn:
            return str(row["heading"])
    raise AssertionError(eccn)


def _groups(shared_data: Path, code: str) -> list[str]:
    with (shared_data / "ear" / "country_groups.csv").open(encoding="utf-8") as file:
        row = next(r for r in csv.DictReader(file) if r["code"] == code)
    return sorted(k for k, v in row.items() if k not in ("code", "name") and v.strip() == "X")


@pytest.mark.shared_data
def test_an_eccn_and_a_destination_as_of_today(
    real_web: TestClient, app_keys: dict[Role, str], shared_data: Path
) -> None:
    sign_in(real_web, app_keys[Role.VIEWER])
    page = real_web.get("/lookup", params={"eccn": "3A001", "country": "CN"})
    assert page.status_code == 200, page.text
    assert _ccl_heading(shared_data, "3A001") in page.text
    assert "15 CFR" in page.text
    groups = _groups(shared_data, "CN")
    assert "D:1" in groups  # the reading itself is checked: China is in D:1 (Supp. 1 to part 740)
    assert " ".join(groups) in page.text
    # The ECCN suggestions of the guided form come from the same CCL.
    sign_in(real_web, app_keys[Role.ANALYST])
    found = real_web.get("/check/eccns", params={"q": "3A00"}).json()
    assert {"eccn": "3A001", "heading": _ccl_heading(shared_data, "3A001")} in found


@pytest.mark.shared_data
def test_a_bad_query_is_said_in_words(real_web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(real_web, app_keys[Role.VIEWER])
    page = real_web.get("/lookup", params={"country": "CN", "as_of": "2021-13-01"})
    assert page.status_code == 422
    assert "is not a date: write it as YYYY-MM-DD" in page.text
    unknown = real_web.get("/lookup", params={"country": "Narnia"})
    assert unknown.status_code == 422
    assert "Traceback" not in unknown.text


def test_the_rules_in_force_on_a_date(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.VIEWER])
    every = web.get("/rules")
    assert every.status_code == 200
    # The Entity List FDP rule of 85 FR 51596 took effect on 2020-08-17 (ear-notes; 736.2(b)(3)(vi)).
    before = web.get("/rules", params={"as_of": "2020-08-16"}).text
    after = web.get("/rules", params={"as_of": "2020-08-17"}).text
    starting = re.compile(r'<td class="wrap">[^<]*</td><td>2020-08-17</td>')  # the "From" column
    assert not starting.search(before)
    assert starting.search(after)
    assert "<title>Rules as of 2020-08-17 · earcheck</title>" in after
    assert web.get("/rules", params={"as_of": "soon"}).status_code == 422
