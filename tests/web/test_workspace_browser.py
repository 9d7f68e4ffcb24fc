"""The compliance officer's workspace in a real browser (Debian's Chromium through Playwright), issue 16:

- a CSV file of names screened from the web, downloaded, and compared row for row with what
  ``earcheck screen --input FILE --format csv`` prints for the same file (real lists, real screener);
- a name with more than ten hits in the real lists: the page gives the total and shows every hit,
  and the API pages them with ``limit`` and ``offset``;
- a viewer's key sees no form that writes on any page of the navigation;
- the file pages at 390 px, with a 10,000-character name in the file and a 200-character file name
  (no horizontal overflow).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from earcheck.api import create_app
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records.keys import Role
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace
from tests.servers import serving
from tests.web.conftest import app_keys  # noqa: F401  (a fixture)
from tests.web.test_browser import HTTP_TIMEOUT, _sign_in, browser, real_site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

AS_OF = "2021-06-01"  # after SMIC's listing (2020-12-18): both Huawei and SMIC are in force

NAMES = (
    "id,name,country\n"
    'c1,"Huawei Technologies Co., Ltd.",CN\n'
    "c2,Semiconductor Manufacturing International Corporation,CN\n"
    "c3,华为技术有限公司,\n"
    "c4,Acme Widgets of Ohio,US\n"
    "c5,Rosoboronexport,RU\n"
    'c6,"=HYPERLINK(""http://x"")",\n'
)


@pytest.mark.shared_data
@pytest.mark.slow
def test_a_file_screened_in_the_browser_is_what_the_cli_prints(
    browser: Any,  # noqa: F811
    real_site: tuple[str, dict[Role, str]],  # noqa: F811
    tmp_path: Path,
    settings: Settings,
) -> None:
    url, keys = real_site
    names = tmp_path / "customers.csv"
    names.write_text(NAMES, encoding="utf-8")

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.click("nav >> text=Screen")
    page.click("#screen-file")
    page.wait_for_url(f"{url}/screen/file")
    page.set_input_files("input[name=file]", str(names))
    page.fill("input[name=as_of]", AS_OF)
    page.click("main button:has-text('Screen the file')")
    page.wait_for_selector("#file-done", timeout=180_000)  # the page refreshes itself until then
    assert "6 of 6 rows screened" in page.inner_text("#file-progress")
    with page.expect_download() as download:
        page.click("#file-result")
    web = Path(download.value.path()).read_text(encoding="utf-8")

    printed = CliRunner().invoke(
        app, ["screen", "--input", str(names), "--format", "csv", "--as-of", AS_OF, "--jobs", "1"]
    )
    assert printed.exit_code == 0, printed.output
    assert web.splitlines() == printed.stdout.splitlines()

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(web))}
    assert list(rows) == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert rows["c1"]["band"] == "match"
    assert rows["c1"]["name"].startswith("Huawei Technologies Co., Ltd.")
    assert rows["c2"]["band"] == "match"
    assert "Semiconductor Manufacturing International" in rows["c2"]["name"]
    assert rows["c4"]["hits"] == "0"
    assert rows["c6"]["error"] == ""  # a name that looks like a formula is screened like any other

    # Every row is a screening in the audit log, recorded for the analyst who uploaded the file.
    from earcheck.records import audit

    audited = list(audit.entries(migrate(settings), action="screening.run", limit=100).items)
    assert sorted(json.loads(e.payload)["name"] for e in audited) == sorted([
        "Huawei Technologies Co., Ltd.", "Semiconductor Manufacturing International Corporation",
        "华为技术有限公司", "Acme Widgets of Ohio", "Rosoboronexport", '=HYPERLINK("http://x")',
    ])  # fmt: skip
    context.close()


def _huawei_entries(shared_data: Path) -> set[str]:
    """An independent count: the Consolidated Screening List rows whose own name has the word Huawei
    (read with the csv module from the snapshot file, not through earcheck)."""
    found: set[str] = set()
    for path in shared_data.rglob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as source:
            reader = csv.DictReader(source)
            if not reader.fieldnames or "name" not in reader.fieldnames or "_id" not in reader.fieldnames:
                continue
            for row in reader:
                if "huawei" in row["name"].casefold().replace(",", " ").split():
                    found.add(row["_id"])
    return found


@pytest.mark.shared_data
@pytest.mark.slow
def test_more_than_ten_hits_are_counted_and_shown(
    browser: Any,  # noqa: F811
    real_site: tuple[str, dict[Role, str]],  # noqa: F811
    shared_data: Path,
) -> None:
    url, keys = real_site
    listed = _huawei_entries(shared_data)
    assert len(listed) > 10, "the snapshot should list more than ten Huawei entities"

    header = {"Authorization": f"Bearer {keys[Role.ANALYST]}"}
    body = {"name": "Huawei Technologies", "country": "CN", "as_of": date.today().isoformat()}
    every = httpx.post(f"{url}/api/screenings", json={**body, "limit": 1000}, headers=header, timeout=HTTP_TIMEOUT)
    assert every.status_code == 200, every.text
    total = every.json()["total"]
    assert total > 10
    assert total == len(every.json()["hits"])
    assert len({h["list_id"] for h in every.json()["hits"]} & listed) > 10
    first = httpx.post(f"{url}/api/screenings", json=body, headers=header, timeout=HTTP_TIMEOUT).json()
    assert first["total"] == total
    assert len(first["hits"]) == 10
    second = httpx.post(
        f"{url}/api/screenings", json={**body, "offset": 10, "limit": 5}, headers=header, timeout=HTTP_TIMEOUT
    ).json()
    ids = [h["list_id"] for h in every.json()["hits"]]
    assert [h["list_id"] for h in first["hits"]] == ids[:10]
    assert [h["list_id"] for h in second["hits"]] == ids[10:15]
    assert second["offset"] == 10

    page = browser.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/screen")
    page.fill("input[name=name]", body["name"])
    page.fill("input[name=country]", "CN")
    # The page of 40-odd hits arrives in pieces: wait for all of it, or the count below sees a part.
    with page.expect_navigation(wait_until="load"):
        page.click("main button:has-text('Screen')")
    assert page.inner_text("#hit-total").startswith(f"{total} possible matches")
    hits = page.locator("article.hit")
    assert hits.count() == total
    assert sum(1 for i in range(total) if hits.nth(i).is_visible()) == 10  # the other hits folded
    page.click("#more-hits summary")
    assert all(hits.nth(i).is_visible() for i in range(total))
    # A hit past the tenth can be decided like the others (it is found again when the decision is sent).
    eleventh = hits.nth(10)
    eleventh.locator("summary:has-text('Record a decision')").click()
    eleventh.locator("input[value=false_positive]").check()
    eleventh.locator("textarea[name=reason]").fill("a different company: another registration number")
    eleventh.locator("button:has-text('Record decision')").click()
    assert "recorded" in page.inner_text("main .alert.info")
    page.close()


@pytest.fixture
def viewer_site(settings: Settings, app_keys: dict[Role, str]) -> Iterator[tuple[str, dict[Role, str]]]:  # noqa: F811
    """The test double's site, with a key of every role (``app_keys``)."""
    with serving(create_app(settings, workspace=FakeWorkspace())) as url:
        yield url, app_keys


def test_a_viewer_sees_no_write_form_on_any_page(
    browser: Any,  # noqa: F811
    viewer_site: tuple[str, dict[Role, str]],
) -> None:
    url, keys = viewer_site
    # Records for the detail pages to show: a determination and a draft application.

    analyst = {"Authorization": f"Bearer {keys[Role.ANALYST]}"}
    case = {"destination": "DE", "items": [{"eccn": "EAR99"}], "parties": [{"name": "Acme GmbH"}]}
    assert httpx.post(f"{url}/api/determinations", json=case, headers=analyst, timeout=HTTP_TIMEOUT).is_success
    draft = {
        "parties": [
            {"role": "applicant", "name": "Exporter Inc", "country": "US"},
            {"role": "ultimate_consignee", "name": "Acme GmbH", "country": "DE"},
        ],
        "items": [{"eccn": "3A001", "description": "amplifiers", "quantity": "10", "unit": "pieces", "value": "1000"}],
        "end_use": "radar repair",
    }
    created = httpx.post(f"{url}/api/applications", json=draft, headers=analyst, timeout=HTTP_TIMEOUT)
    assert created.is_success, created.text

    page = browser.new_page()
    _sign_in(page, url, keys[Role.VIEWER])
    pages = [a.get_attribute("href") for a in page.locator("header nav a").all()]
    assert "/screen" in pages
    assert "/reviews" in pages
    assert len(pages) >= 10
    extra = ["/screen/file", "/check/guided", "/impact", "/rules", "/applications/1", "/determinations/1"]
    for path in [*pages, *extra]:
        page.goto(f"{url}{path}")
        writes = page.locator("main form[method=post], main form[method=POST]")
        assert writes.count() == 0, f"{path}: a viewer is shown {writes.count()} form(s) that write"
        assert page.locator("main button[type=submit]:has-text('Record')").count() == 0, path
    # The pages that only write refuse a viewer in words instead of showing the form.
    for path in ("/applications/new", "/licences/new", "/applications/1/edit"):
        answer = page.goto(f"{url}{path}")
        assert answer is not None, path
        assert answer.status == 403, path
        assert page.locator("main form[method=post]").count() == 0, path
        assert "needs the" in page.inner_text("main"), path
    page.close()


def test_the_file_pages_at_390_px_with_a_long_file_name(
    browser: Any,  # noqa: F811
    viewer_site: tuple[str, dict[Role, str]],
    tmp_path: Path,
) -> None:
    url, keys = viewer_site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/screen/file")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    long_name = "N" * 10_000
    names = tmp_path / "names.csv"
    names.write_text(f"id,name,country\nr1,{long_name},CN\nr2,Huawei Technologies Co Ltd,CN\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(names))
    page.click("main button:has-text('Screen the file')")
    # 10,000 characters is longer than a name is screened: refused by line, and the page still fits.
    assert "line 2: name of 10000 characters" in page.inner_text("#file-problems")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    names.write_text("id,name,country\nr2,Huawei Technologies Co Ltd,CN\n", encoding="utf-8")
    page.set_input_files("input[name=file]", {"name": "x" * 200 + ".csv", "mimeType": "text/csv",
                                              "buffer": names.read_bytes()})  # fmt: skip
    page.click("main button:has-text('Screen the file')")
    page.wait_for_selector("#file-done", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
