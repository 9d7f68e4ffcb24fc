"""``earcheck determinations list|export`` and ``earcheck audit export`` on determinations made here."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from earcheck.casefile import parse_cases
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.errors import RecordError
from earcheck.records.determinations import record_determination
from earcheck.records.keys import Actor, Role
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace


def _record(settings: Settings, name: str, destination: str) -> int:
    (case,) = parse_cases(
        {"destination": destination, "items": [{"eccn": "3A090"}], "parties": [{"name": name, "country": destination}]}
    )
    actor = Actor("Andy Analyst", Role.ANALYST, key_id=1)
    return record_determination(migrate(settings), actor, case, FakeWorkspace().determine(case)).id


def test_the_register_lists_and_exports_from_the_command_line(settings: Settings, tmp_path: Path) -> None:
    huawei = _record(settings, "Huawei Technologies Co., Ltd.", "CN")
    bosch = _record(settings, "@Bosch GmbH", "DE")
    runner = CliRunner()
    listed = runner.invoke(app, ["determinations", "list", "--destination", "CN"])
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [str(huawei)]
    assert "\tlicence required\tCN\t" in listed.stdout

    exported = runner.invoke(app, ["determinations", "export", "--answer", "not_required"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(int(r["id"]), r["parties"]) for r in rows] == [(bosch, "'@Bosch GmbH")]

    target = tmp_path / "register.xlsx"
    written = runner.invoke(app, ["determinations", "export", "--format", "xlsx", "-o", str(target)])
    assert written.exit_code == 0, written.output
    sheet = load_workbook(target).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [bosch, huawei]
    assert runner.invoke(app, ["determinations", "export", "--format", "xlsx"]).exit_code == 2  # needs a file

    log = runner.invoke(app, ["audit", "export", "--subject", f"determination:{bosch}"])
    assert [r["action"] for r in csv.DictReader(io.StringIO(log.stdout))] == ["determination.record"]


def test_a_search_it_cannot_read_names_the_field(settings: Settings) -> None:
    migrate(settings)
    refused = CliRunner().invoke(app, ["determinations", "list", "--from", "2026-13-01"])
    assert isinstance(refused.exception, RecordError)
    assert "recorded_from" in str(refused.exception)
    with pytest.raises(RecordError, match="answer"):
        CliRunner().invoke(app, ["determinations", "list", "--answer", "perhaps"], catch_exceptions=False)
