"""The determination report (issue 16 item 5): the PDF's text, read back with pypdf, carries the
answer, the citations, the provenance hashes, the list snapshot dates and the audit row; the HTML
report and ``earcheck report`` come from the same template."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from earcheck.casefile import parse_cases
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.model import ListSnapshot
from earcheck.records import audit
from earcheck.records.determinations import StoredDetermination, record_determination
from earcheck.records.keys import Actor, Role
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace
from tests.web.conftest import sign_in

SNAPSHOT = ListSnapshot("EL", "a" * 64, "entity_list_2020-09-15.csv", date(2020, 9, 15))
CASE = {
    "id": "smic-huawei",
    "as_of": "2020-09-20",
    "destination": "CN",
    "items": [{"id": "wafers", "eccn": "EAR99"}],
    "parties": [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}],
}


@pytest.fixture
def stored(settings: Settings) -> StoredDetermination:
    (case,) = parse_cases(CASE)
    answer = FakeWorkspace().determine(case)
    answer = dataclasses.replace(answer, provenance=dataclasses.replace(answer.provenance, list_snapshots=(SNAPSHOT,)))
    return record_determination(migrate(settings), Actor("Andy Analyst", Role.ANALYST, key_id=2), case, answer)


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    # Long hashes wrap across lines in the PDF: join the text without line breaks before looking.
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def _check(text: str, stored: StoredDetermination, settings: Settings) -> None:
    (row,) = audit.entries(migrate(settings), subject=f"determination:{stored.id}").items
    assert "Licence required: Yes" in text  # the double: a footnote 1 entity takes part
    assert "15 CFR 736.2(b)(3)(vi)" in text
    assert stored.case_sha256 in text
    assert stored.result_sha256 in text
    assert "snapshot of 2020-09-15" in text
    assert SNAPSHOT.snapshot in text
    assert f"row {row.seq} (determination.record" in text
    assert row.hash in text
    assert "Huawei Technologies Co., Ltd." in text


def test_the_pdf_report_from_the_web(
    web: TestClient, app_keys: dict[Role, str], stored: StoredDetermination, settings: Settings
) -> None:
    sign_in(web, app_keys[Role.VIEWER])
    page = web.get(f"/determinations/{stored.id}")
    assert f'href="/determinations/{stored.id}/report.pdf"' in page.text
    pdf = web.get(f"/determinations/{stored.id}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    _check(_text(pdf.content), stored, settings)
    html = web.get(f"/determinations/{stored.id}/report.html")
    assert "script-src" not in html.headers["content-security-policy"]  # default-src 'none': no script at all
    _check(re.sub(r"<[^>]+>", "", html.text).replace("\n", ""), stored, settings)
    assert web.get("/determinations/999/report.pdf").status_code == 404


def test_the_pdf_report_from_the_command_line(stored: StoredDetermination, settings: Settings, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    done = CliRunner().invoke(app, ["report", str(stored.id), "--pdf", "-o", str(target)])
    assert done.exit_code == 0, done.output
    _check(_text(target.read_bytes()), stored, settings)
