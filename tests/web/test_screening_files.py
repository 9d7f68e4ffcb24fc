"""Screening a CSV file of names from the web UI (issue 16, item 7), with the test double's lists:
upload, progress, the result as CSV, each row audited; bad files refused by line; viewers refused.

Expected answers are read off the double's two entries (Huawei and SMIC, ``tests/doubles.py``) and
the column list of ``earcheck screen --input FILE --format csv`` as the README gives it."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from fastapi.testclient import TestClient

from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Role
from earcheck.settings import Settings
from earcheck.web import screening_files
from tests.web.conftest import sign_in

# The CLI's --format csv header, written out here rather than imported from the code under test.
COLUMNS = ["id", "line", "hits", "band", "score", "list_id", "list_code", "name", "matched_name", "source",
           "in_force", "error"]  # fmt: skip


def _upload(web: TestClient, csrf: str, body: bytes, name: str = "names.csv", as_of: str = "2020-09-20") -> object:
    return web.post(
        "/screen/file",
        data={"csrf": csrf, "as_of": as_of},
        files={"file": (name, body, "text/csv")},
        follow_redirects=False,
    )


def _finished(web: TestClient, location: str) -> str:
    for _ in range(600):
        page = web.get(location)
        assert page.status_code == 200, page.text
        if 'id="file-done"' in page.text or 'id="file-failure"' in page.text:
            return page.text
        time.sleep(0.05)
    raise AssertionError("the file was not screened within 30 s")


def _screenings(settings: Settings) -> list[audit.AuditEntry]:
    return list(audit.entries(migrate(settings), action="screening.run", limit=1000).items)


def test_a_file_is_screened_row_by_row_and_each_row_audited(
    web: TestClient, app_keys: dict[Role, str], settings: Settings
) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    body = (
        b"id,name,country,notes\r\n"
        b"c1,Huawei Technologies Co. Ltd.,CN,first\r\n"
        b"c2,Acme Widgets of Ohio,US,clean\r\n"
        b"c3,SMIC,cn,by its alias\r\n"
    )
    response = _upload(web, csrf, body)
    assert response.status_code == 303
    location = response.headers["location"]
    text = _finished(web, location)
    assert "3 of 3 rows screened" in text
    assert "2 rows with a match" in text

    result = web.get(f"{location}/result.csv")
    assert result.status_code == 200
    assert result.headers["content-type"].startswith("text/csv")
    assert 'filename="names-screened.csv"' in result.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(result.text)))
    assert rows[0] == COLUMNS
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert list(by_id) == ["c1", "c2", "c3"]  # the file's order
    assert [by_id[k]["line"] for k in by_id] == ["2", "3", "4"]
    assert by_id["c1"]["list_id"] == "el-huawei"
    assert by_id["c1"]["band"] == "match"
    assert by_id["c2"]["hits"] == "0"
    assert by_id["c2"]["band"] == ""
    assert by_id["c3"]["list_id"] == "el-smic"
    assert by_id["c3"]["matched_name"] == "SMIC"
    # SMIC was listed on 2020-12-18: on 2020-09-20 the entry was not yet in force.
    assert by_id["c3"]["in_force"] == "false"

    audited = _screenings(settings)
    assert sorted(json.loads(e.payload)["name"] for e in audited) == sorted(
        ["Huawei Technologies Co. Ltd.", "Acme Widgets of Ohio", "SMIC"]
    )
    assert {json.loads(e.payload)["as_of"] for e in audited} == {"2020-09-20"}
    assert all("Analyst User" in e.actor for e in audited), {e.actor for e in audited}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"name,country\nHuawei,CN\n", "lacks the column(s) id"),
        (b"", "empty file"),
        (b"id,name\n", "has a header but no rows"),
        (
            b"id,name,country\n1,Huawei,CN\n2,,CN\n3,SMIC,XX\n4,SMIC\n",
            "line 3: empty name",
        ),
        (b"id,name\n1,Hua\xffwei\n", "line 2: not valid UTF-8"),
    ],
)
def test_a_bad_file_is_refused_by_line_before_anything_is_screened(
    web: TestClient, app_keys: dict[Role, str], settings: Settings, body: bytes, said: str
) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    response = _upload(web, csrf, body)
    assert response.status_code == 400
    assert said in response.text
    assert _screenings(settings) == []


def test_every_bad_row_is_named(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    response = _upload(web, csrf, b"id,name,country\n1,Huawei,CN\n2,,CN\n3,SMIC,XX\n4,SMIC\n,Acme,US\n")
    assert "4 rows cannot be screened" in response.text
    problems = response.text.split('id="file-problems"')[1].split("</ul>")[0]
    assert "line 3: empty name" in problems
    assert "line 4:" in problems
    assert "XX" in problems
    assert "line 5: 2 fields where the header has 3" in problems
    assert "line 6: empty id" in problems


def test_size_limits(web: TestClient, app_keys: dict[Role, str], monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    monkeypatch.setattr(screening_files, "MAX_ROWS", 3)
    four = _upload(web, csrf, b"id,name\n1,a\n2,b\n3,c\n4,d\n")
    assert four.status_code == 400
    assert "more than 3 rows" in four.text
    monkeypatch.setattr(screening_files, "MAX_FILE_BYTES", 20)
    large = _upload(web, csrf, b"id,name\n1,Huawei Technologies\n")
    assert large.status_code == 400
    assert "larger than 20 bytes" in large.text


def test_no_date_or_no_file_is_said_plainly(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    assert "is not a date" in _upload(web, csrf, b"id,name\n1,Huawei\n", as_of="20/09/2020").text
    missing = web.post("/screen/file", data={"csrf": csrf}, files={"file": ("", b"", "text/csv")})
    assert missing.status_code == 400
    assert "choose a CSV file" in missing.text


def test_a_viewer_gets_no_upload_form_and_cannot_post(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.VIEWER])
    form = web.get("/screen/file")
    assert form.status_code == 200
    assert 'action="/screen/file"' not in form.text
    assert "needs the analyst role" in form.text
    refused = _upload(web, csrf, b"id,name\n1,Huawei\n")
    assert refused.status_code == 403


def test_another_key_cannot_see_the_file_or_its_result(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    location = _upload(web, csrf, b"id,name\n1,Huawei\n").headers["location"]
    _finished(web, location)
    web.post("/logout", data={"csrf": csrf})
    sign_in(web, app_keys[Role.APPROVER])
    assert web.get(location).status_code == 404
    assert web.get(f"{location}/result.csv").status_code == 404
    assert web.get("/screen/file/not-a-file").status_code == 404
