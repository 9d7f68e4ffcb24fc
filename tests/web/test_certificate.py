"""The screening certificate (issue 16 item 5): read back from the PDF's text with pypdf, it carries
the query, every hit (or says there was none), the list snapshot with its date, and the audit row;
the HTML, the API and ``earcheck report --screening`` come from the same template.

What the certificate must say is read from the audit row itself (``audit.entries``), a separate
reading from the template's: the certificate is evidence of that row."""

from __future__ import annotations

import io
import re
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Role
from earcheck.settings import Settings
from tests.web.conftest import sign_in


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _screen(web: TestClient, key: str, name: str) -> int:
    body = {"name": name, "country": "CN", "as_of": "2026-08-15"}
    response = web.post("/api/screenings", json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return int(response.json()["audit_seq"])


def test_a_certificate_carries_the_query_every_hit_the_lists_and_the_audit_row(
    web: TestClient, app_keys: dict[Role, str], settings: Settings
) -> None:
    seq = _screen(web, app_keys[Role.ANALYST], "Huawei Technologies Co., Ltd.")
    (row,) = [e for e in audit.entries(migrate(settings), limit=500).items if e.seq == seq]
    recorded = row.data
    assert recorded["hits"], "the fake Entity List names Huawei"
    header = {"Authorization": f"Bearer {app_keys[Role.VIEWER]}"}
    pdf = web.get(f"/api/screenings/{seq}/certificate.pdf", headers=header)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Huawei Technologies Co., Ltd." in text
    assert f"Hits: {len(recorded['hits'])}" in text
    for hit in recorded["hits"]:
        assert hit["name"] in text
        assert _flat(hit["entry_sha256"]) in _flat(text)
    assert "fake.csv, snapshot of 2026-08-01" in text
    assert f"row {seq} (screening.run" in text
    assert row.hash in _flat(text)
    html = web.get(f"/api/screenings/{seq}/certificate.html", headers=header).text
    assert f"Hits: {len(recorded['hits'])}" in html
    assert row.hash in html


def test_a_screening_without_hits_says_so_and_other_rows_are_not_certificates(
    web: TestClient, app_keys: dict[Role, str]
) -> None:
    seq = _screen(web, app_keys[Role.ANALYST], "Blue Heron Instruments Inc.")
    header = {"Authorization": f"Bearer {app_keys[Role.VIEWER]}"}
    text = _pdf_text(web.get(f"/api/screenings/{seq}/certificate.pdf", headers=header).content)
    assert "Hits: 0" in text
    assert "No list entry matched the name" in text
    assert web.get("/api/screenings/1/certificate.pdf", headers=header).status_code == 404  # a key's creation
    assert web.get(f"/api/screenings/{seq}/certificate.doc", headers=header).status_code == 422


def test_the_screen_page_links_its_certificate_and_the_cli_writes_it(
    web: TestClient, app_keys: dict[Role, str], tmp_path: Path
) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    page = web.post("/screen", data={"csrf": csrf, "name": "Huawei Technologies", "country": "CN"})
    found = re.search(r'href="/screenings/(\d+)/certificate.pdf"', page.text)
    assert found is not None
    seq = int(found.group(1))
    assert web.get(f"/screenings/{seq}/certificate.pdf").content.startswith(b"%PDF")
    target = tmp_path / "certificate.pdf"
    result = CliRunner().invoke(app, ["report", "--screening", str(seq), "--pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Huawei Technologies" in _pdf_text(target.read_bytes())
    both = CliRunner().invoke(app, ["report", "3", "--screening", str(seq)])
    assert both.exit_code != 0
