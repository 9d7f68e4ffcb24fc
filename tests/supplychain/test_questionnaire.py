"""Supplier questionnaires: questions out (CSV, HTML), answers back, the rollup settled, the record kept.

The BOM is the phone of test_rollup with the display's discrete-product status left open and its driver IC
worth 20 USD, and an amplifier of unknown origin (3A001.a.1, 30 USD): at most (90 + 20 + 30) / 400 = 35% > 25%
-> unknown. The display maker answers "yes" (a discrete product: second incorporation) and Acme answers "JP"
for the amplifier -> 90 / 400 = 22.5%, within 25% -> not subject by de minimis.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.supplychain.bom import BomError
from earcheck.supplychain.questionnaire import read_answers
from earcheck.workspace import Workspace
from tests.supplychain.test_rollup import HEADER, PHONE

pytestmark = pytest.mark.shared_data


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_round_trip(supply_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Workspace, "open", classmethod(lambda cls, settings, config=None: supply_workspace))
    rows = [r.replace("Samsung Display,yes", "Samsung Display,") for r in PHONE]
    rows = [r.replace("driver-ic,display,1,10", "driver-ic,display,1,20") for r in rows]
    rows.append("amp,phone,1,30,USD,,3A001.a.1,Acme,")
    path = tmp_path / "phone.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    bom_id = _invoke(["bom", "import", str(path)]).strip()
    html = tmp_path / "questions.html"
    sent = _invoke(["bom", "questions", bom_id, "--destination", "CN", "--as-of", "2026-08-01", "--html", str(html)])
    table = list(csv.DictReader(io.StringIO(sent)))
    by_field = {row["field"].rsplit(".", 2)[-2] + "." + row["field"].rsplit(".", 1)[-1]: row for row in table}
    assert by_field["row[8].discrete_product"]["organisation"] == "Samsung Display"
    assert by_field["row[13].origin"]["organisation"] == "Acme"
    assert "Questions for Acme" in html.read_text(encoding="utf-8")
    by_field["row[8].discrete_product"].update(
        answer="yes", answered_by="Kim (Samsung Display)", answered_on="2026-08-03"
    )
    by_field["row[13].origin"].update(answer="JP", answered_by="J. Doe (Acme)", answered_on="2026-08-04")
    answered = tmp_path / "answered.csv"
    with answered.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    new_id = _invoke(["bom", "answers", str(answered)]).strip()
    assert new_id != bom_id
    settled = _invoke(["bom", "show", new_id, "--destination", "CN", "--as-of", "2026-08-01", "--json"])
    import json

    result = json.loads(settled)
    assert result["share_percent"] == pytest.approx(22.5)
    assert result["subject"] is False
    assert result["questions"] == []
    record = json.loads(_invoke(["bom", "show", new_id, "--json"]))["answers"]
    assert record[0]["answered_from"] == bom_id
    assert {a["answered_by"] for a in record[0]["answers"]} == {"Kim (Samsung Display)", "J. Doe (Acme)"}


def test_answers_need_who_and_when(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("question_id,answer,answered_by,answered_on\nbom-0:row3:origin,JP,,2026-13-01\n", encoding="utf-8")
    with pytest.raises(BomError) as caught:
        read_answers(path)
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "answered_by"), (2, "answered_on")}
