"""The determinations register and the exports, over HTTP (web pages and API), on records made here.

The exports are read back with the standard ``csv`` module and with openpyxl's reader; a cell that a
spreadsheet would run as a formula (OWASP "CSV injection": it starts with =, +, -, @, tab or carriage
return) must come back as text: with a leading apostrophe in CSV, as a string cell in XLSX."""

from __future__ import annotations

import csv
import hashlib
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from earcheck.records.audit import canonical_json
from earcheck.records.keys import Role
from tests.web.conftest import sign_in

# The hashed document of an audit row, as the module docstring of earcheck.records.audit defines it.
HASHED = ("seq", "at", "actor", "action", "subject", "payload", "prev_hash")
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _case(name: str, destination: str = "CN", eccn: str = "3A090") -> dict[str, object]:
    return {
        "id": f"case {name}",
        "destination": destination,
        "items": [{"id": "i1", "eccn": eccn, "description": "chips"}],
        "parties": [{"name": name, "country": destination, "role": "ultimate_consignee"}],
    }


def _record(client: TestClient, key: str, case: dict[str, object]) -> int:
    response = client.post("/api/determinations", json=case, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_the_register_page_searches_pages_and_exports(web: TestClient, app_keys: dict[Role, str]) -> None:
    huawei = _record(web, app_keys[Role.ANALYST], _case("Huawei Technologies Co., Ltd."))
    other = _record(web, app_keys[Role.ANALYST], _case("Bosch GmbH", "DE", "5A992.c"))
    hostile = _record(web, app_keys[Role.ANALYST], _case(FORMULA, "DE"))
    sign_in(web, app_keys[Role.VIEWER])

    everything = web.get("/determinations")
    assert everything.status_code == 200
    assert "<title>Determinations · earcheck</title>" in everything.text
    for number in (huawei, other, hostile):
        assert f'href="/determinations/{number}"' in everything.text
    found = web.get("/determinations", params={"party": "huawei", "answer": "required"})
    assert f'href="/determinations/{huawei}"' in found.text
    assert f'href="/determinations/{other}"' not in found.text
    assert 'value="huawei"' in found.text  # the search is shown again
    assert "/determinations/export.csv?party=huawei&amp;answer=required" in found.text
    none = web.get("/determinations", params={"destination": "FR"})
    assert "No determination matches this search." in none.text

    refused = web.get("/determinations", params={"recorded_from": "yesterday"})
    assert refused.status_code == 422
    assert "is not a date" in refused.text

    exported = web.get("/determinations/export.csv", params={"destination": "DE"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [int(r["id"]) for r in rows] == [hostile, other]  # newest first, DE only
    assert rows[0]["parties"] == "'" + FORMULA
    assert rows[1]["parties"] == "Bosch GmbH"
    assert rows[1]["eccns"] == "5A992.c"
    assert rows[1]["answer"] == "no licence required"

    workbook = web.get("/determinations/export.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:3] == ("id", "recorded_at", "recorded_by")
    assert [r[0] for r in table[1:]] == [hostile, other, huawei]
    assert table[1][6] == FORMULA  # exact text …
    assert sheet.cell(row=2, column=7).data_type == "s"  # … stored as a string, not as a formula


def test_the_audit_log_exports_every_column_as_hashed(web: TestClient, app_keys: dict[Role, str]) -> None:
    number = _record(web, app_keys[Role.ANALYST], _case("Huawei Technologies Co., Ltd."))
    sign_in(web, app_keys[Role.VIEWER])
    log = web.get("/audit")
    assert 'href="/audit/export.csv"' in log.text
    exported = web.get("/audit/export.csv", params={"subject": f"determination:{number}"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 1
    assert rows[0]["action"] == "determination.record"
    # The file carries what the chain needs: the row's hash re-derives from its own cells.
    row = rows[0]
    fields = (int(row["seq"]), row["at"], row["actor"], row["action"], row["subject"], row["payload"], row["prev_hash"])
    assert hashlib.sha256(canonical_json(dict(zip(HASHED, fields, strict=True))).encode()).hexdigest() == row["hash"]
    whole = load_workbook(io.BytesIO(web.get("/audit/export.xlsx").content)).active
    assert whole is not None
    sequence = [r[0] for r in whole.iter_rows(min_row=2, values_only=True)]
    assert sequence == list(range(1, len(sequence) + 1))  # the whole log, oldest first
    assert len(sequence) >= 5  # four key creations and the determination


def test_the_api_filters_and_exports_the_register(web: TestClient, app_keys: dict[Role, str]) -> None:
    header = {"Authorization": f"Bearer {app_keys[Role.VIEWER]}"}
    huawei = _record(web, app_keys[Role.ANALYST], _case("Huawei Technologies Co., Ltd."))
    _record(web, app_keys[Role.ANALYST], _case("Bosch GmbH", "DE"))
    listed = web.get("/api/determinations", params={"eccn": "3a090", "destination": "cn"}, headers=header)
    assert [d["id"] for d in listed.json()["items"]] == [huawei]
    bad = web.get("/api/determinations", params={"answer": "maybe"}, headers=header)
    assert bad.status_code == 422
    assert "answer" in bad.text
    exported = web.get("/api/determinations/export", params={"format": "csv", "party": "bosch"}, headers=header)
    assert [r["parties"] for r in csv.DictReader(io.StringIO(exported.text))] == ["Bosch GmbH"]
    assert web.get("/api/determinations/export").status_code == 401
    audit = web.get("/api/audit/export", params={"format": "xlsx"}, headers=header)
    assert audit.headers["content-type"].startswith("application/vnd.openxmlformats")
