"""End to end in a real browser (Debian's Chromium driven by Playwright) against a real server:
screen → check the SMIC→Huawei case → draft and submit an application → approve it as an approver →
ship against the licence → see the balance → ship under a licence exception → see the audit entries.

It runs twice: on the real snapshot data with the real engine and screener (``earcheck.workspace``),
and with the test double of ``tests/doubles.py``, which needs no data import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from earcheck.api import create_app
from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace
from tests.servers import serving

pytestmark = pytest.mark.browser

# Direct API calls beside the browser: generous, since the suite runs on a loaded 2-core machine
# (httpx waits 5 s by default and a POST has been seen to take longer there).
HTTP_TIMEOUT = 60.0


def _post(url: str, **kwargs: Any) -> Any:
    import httpx

    return httpx.post(url, timeout=HTTP_TIMEOUT, **kwargs)


ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _keys(settings: Settings) -> dict[Role, str]:
    engine = migrate(settings)
    cli = Actor("cli:test", Role.ADMIN)
    return {
        Role.ANALYST: create_key(engine, cli, Role.ANALYST, "Andy Analyst")[1],
        Role.APPROVER: create_key(engine, cli, Role.APPROVER, "Paula Approver")[1],
    }


@pytest.fixture
def site(settings: Settings) -> Iterator[tuple[str, dict[Role, str]]]:
    keys = _keys(settings)
    with serving(create_app(settings, workspace=FakeWorkspace())) as url:
        yield url, keys


@pytest.fixture
def real_site(settings: Settings, shared_data: Path) -> Iterator[tuple[str, dict[Role, str]]]:
    imported = CliRunner().invoke(app, ["data", "import", str(shared_data)])
    assert imported.exit_code == 0, imported.output
    keys = _keys(settings)
    with serving(create_app(settings)) as url:  # the default workspace: the real engine and screener
        yield url, keys


def _sign_in(page: Any, url: str, key: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#key", key)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{url}/")


def test_screen_check_apply_approve_ship_audit(browser: Any, site: tuple[str, dict[Role, str]]) -> None:
    _walk(browser, *site, name="Huawei Technologies Co Ltd")


@pytest.mark.shared_data
@pytest.mark.slow
def test_the_same_on_the_real_data(browser: Any, real_site: tuple[str, dict[Role, str]]) -> None:
    _walk(browser, *real_site, name="Huawei Technologies Co., Ltd.")


def _walk(browser: Any, url: str, keys: dict[Role, str], name: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # An analyst signs in and screens Huawei.
    _sign_in(page, url, keys[Role.ANALYST])
    page.click("nav >> text=Screen")
    page.fill("input[name=name]", name)
    page.fill("input[name=country]", "CN")
    page.fill("input[name=as_of]", "2020-09-20")
    page.click("main button:has-text('Screen')")
    hit = page.locator("article.hit").first
    assert "Huawei Technologies Co., Ltd." in hit.locator("h3").inner_text()
    assert "footnote 1" in hit.inner_text()
    assert hit.locator("table.explain meter").count() >= 1

    # ... checks the SMIC → Huawei case ...
    page.click("nav >> text=Check a case")
    page.click("text=Load the SMIC → Huawei example")
    assert "smic-huawei-2020-09-20" in page.input_value("#case")
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    assert page.inner_text("#license-required") == "Yes"
    assert "15 CFR 736.2(b)(3)(vi)" in page.inner_text("ol.chain")
    page.click("text=Timeline")
    assert page.locator("svg.timeline g.band").count() >= 2
    page.go_back()

    # ... drafts an application from it and submits it.
    page.click("text=Draft a licence application")
    assert (
        page.input_value("input[name=party_name] >> nth=0") == "Semiconductor Manufacturing International Corporation"
    )
    page.fill("input[name=item_quantity] >> nth=0", "5000")
    page.fill("input[name=item_unit] >> nth=0", "wafers")
    page.fill("textarea[name=end_use]", "Kirin application processors")
    page.click("button:has-text('Save draft')")
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    application_url = page.url

    # Submitting screens the parties: Huawei (the ultimate consignee) is listed and nobody has decided
    # the hit, so the submission is refused with the hit named, and the hit waits in the review queue.
    page.click("button:has-text('Submit for decision')")
    refusal = page.inner_text("main")
    assert "Huawei Technologies Co., Ltd." in refusal
    assert "review queue" in refusal
    assert "draft" in page.inner_text("h1 .badge")
    assert int(page.inner_text("#waiting-reviews")) >= 1
    page.click("nav >> text=Review queue")
    assert "Huawei Technologies Co., Ltd." in page.inner_text("#reviews")
    for _ in range(100):  # every queued hit: the parties are the listed entries
        forms = page.locator("#reviews form")
        if forms.count() == 0:
            break
        forms.first.locator("select[name=verdict]").select_option("true_match")
        forms.first.locator("input[name=reason]").fill("the party is the listed entry: a licence is applied for")
        forms.first.locator("button").click()
        page.wait_for_load_state()
    assert "Nothing waits for review." in page.inner_text("#reviews")
    assert page.locator("#waiting-reviews").count() == 0

    # The parties register lists both, with the screening that found them; it exports as CSV.
    page.click("nav >> text=Parties")
    page.fill("input[name=search]", "huawei")
    page.click("main button:has-text('Search')")
    row = page.inner_text("#parties")
    assert "Huawei Technologies Co., Ltd." in row
    assert "application" in row
    assert "never screened" not in row
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("name,country,address,named_in")
    assert "Huawei Technologies Co., Ltd." in exported

    page.goto(application_url)
    page.click("button:has-text('Submit for decision')")
    assert "submitted" in page.inner_text("h1 .badge")
    assert page.locator("form#approve").count() == 0  # an analyst cannot decide
    page.click("button:has-text('Sign out')")

    # An approver approves it, with a condition.
    _sign_in(page, url, keys[Role.APPROVER])
    page.goto(application_url)
    page.fill("input[name=licence_number]", "D912345")
    page.fill("textarea[name=conditions]", "No reexport without BIS authorisation.")
    page.click('button:has-text("Record BIS\'s decision: approved")')
    page.wait_for_url(re.compile(r".*/licences/\d+$"))
    assert "Licence D912345" in page.inner_text("h1")

    # Shipping more than the licence covers is refused with the reason; a smaller shipment goes.
    page.fill("input[name=quantity] >> nth=0", "6000")
    page.fill("input[name=value] >> nth=0", "100")
    page.click("button:has-text('Record shipment')")
    assert "6000 wafers asked, 5000 wafers left" in page.inner_text("#refusal")
    page.fill("input[name=quantity] >> nth=0", "1200")
    page.fill("input[name=value] >> nth=0", "240000")
    page.fill("input[name=reference]", "INV-2020-001")
    page.click("button:has-text('Record shipment')")
    page.wait_for_url(re.compile(r".*/licences/\d+\?shipped=1$"))
    remaining = page.inner_text("#lines td.remaining")
    assert "3800 of 5000 wafers left" in remaining.replace(",", "")
    assert "$760,000.00" in remaining

    # The register shows the balance, and the audit log the whole story, intact.
    page.click("nav >> text=Licences")
    assert "3,800" in page.inner_text("main") or "3800" in page.inner_text("main")

    # A shipment under a licence exception (no licence drawn down) goes into its own register.
    page.click("#exception-shipments")
    page.select_option("select[name=licence_exception]", "LVS")
    page.fill("input[name=shipped_on]", "2026-08-15")
    page.fill("input[name=destination]", "TH")
    page.fill("input[name=reference]", "INV-2026-LVS")
    page.fill("input[name=item_eccn] >> nth=0", "3C005")
    page.fill("input[name=item_description] >> nth=0", "SiC wafers")
    page.fill("input[name=item_quantity] >> nth=0", "10")
    page.fill("input[name=item_unit] >> nth=0", "each")
    page.fill("input[name=item_value] >> nth=0", "1000")
    page.click("form#exception-ship button:has-text('Record shipment')")
    page.wait_for_url(re.compile(r".*/shipments/exceptions\?shipped=1$"))
    register = page.inner_text("#exception-register")
    assert "LVS" in register
    assert "15 CFR 740.3" in register
    assert "INV-2026-LVS" in register

    page.click("nav >> text=Audit log")
    log = page.inner_text("table.audit")
    for action in (
        "screening.run",
        "screening.review.raise",
        "screening.decision",
        "determination.record",
        "application.create",
        "application.submitted",
        "application.approved",
        "licence.record",
        "shipment.record",
    ):
        assert action in log
    page.click("text=Verify the chain")
    assert "The chain is intact" in page.inner_text("main")
    # No script errors and no CSP violations; the one failed load is the refused shipment's 409 page.
    # The refused submission's 422 page too.
    assert [e for e in errors if "status of 409" not in e and "status of 422" not in e] == []
    context.close()


def test_register_search_and_export(browser: Any, site: tuple[str, dict[Role, str]], tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    url, keys = site
    header = {"Authorization": f"Bearer {keys[Role.ANALYST]}"}
    long_name = "Formula " + "x" * 300
    for name, destination in (("Huawei Technologies Co., Ltd.", "CN"), ("=1+2 Trading", "DE"), (long_name, "DE")):
        case = {"destination": destination, "items": [{"eccn": "3A090"}], "parties": [{"name": name}]}
        assert _post(f"{url}/api/determinations", json=case, headers=header).status_code == 201

    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 800})
    page = context.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.click("nav >> text=Determinations")
    page.wait_for_url(f"{url}/determinations")
    assert page.title() == "Determinations · earcheck"
    assert page.locator("table.register tbody tr").count() == 3
    # A 300-character party name wraps and the table scrolls in its box: the page is no wider than 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("input[name=destination]", "DE")
    page.select_option("select[name=answer]", "not_required")
    page.click("button:has-text('Search')")
    assert page.locator("table.register tbody tr").count() == 2
    assert "Huawei" not in page.inner_text("table.register")

    with page.expect_download() as csv_download:
        page.click("a:has-text('CSV')")
    rows = list(csv.DictReader(Path(csv_download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert [r["parties"] for r in rows] == [long_name, "'=1+2 Trading"]  # newest first; the formula as text
    with page.expect_download() as xlsx_download:
        page.click("a:has-text('XLSX')")
    target = tmp_path / "register.xlsx"
    xlsx_download.value.save_as(target)
    sheet = load_workbook(target).active
    assert sheet is not None
    assert [r[6] for r in sheet.iter_rows(min_row=2, values_only=True)] == [long_name, "=1+2 Trading"]

    page.click("nav >> text=Audit log")
    with page.expect_download() as log_download:
        page.click("a:has-text('CSV')")
    actions = [r["action"] for r in csv.DictReader(Path(log_download.value.path()).read_text().splitlines())]
    assert actions.count("determination.record") == 3
    context.close()


def test_two_keys_decide_and_a_licence_is_recorded_directly(browser: Any, site: tuple[str, dict[Role, str]]) -> None:

    url, keys = site
    approver = {"Authorization": f"Bearer {keys[Role.APPROVER]}"}
    application = {
        "parties": [
            {"role": "applicant", "name": "Blue Heron Instruments Inc.", "country": "US"},
            {"role": "ultimate_consignee", "name": "Acme Trading GmbH", "country": "DE"},
        ],
        "items": [{"eccn": "EAR99", "description": "sensors", "quantity": "10", "unit": "pieces", "value": "500"}],
        "end_use": "quality control",
    }
    number = _post(f"{url}/api/applications", json=application, headers=approver).json()["id"]
    assert _post(f"{url}/api/applications/{number}/submit", json={}, headers=approver).status_code == 200

    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, url, keys[Role.APPROVER])
    page.goto(f"{url}/applications/{number}")
    # The approver drafted and submitted it: no decision form, a notice instead.
    assert "another approver records BIS's decision" in page.inner_text("#segregation")
    assert page.locator("form#approve").count() == 0

    page.click("nav >> text=Licences")
    page.click("text=Record a licence")
    page.wait_for_url(f"{url}/licences/new")
    page.fill("input[name=number]", "D600123")
    page.fill("input[name=valid_until]", "2029-12-31")
    page.select_option("select[name=party_role] >> nth=0", "ultimate_consignee")
    page.fill("input[name=party_name] >> nth=0", "Acme Trading GmbH")
    page.fill("input[name=party_country] >> nth=0", "DE")
    page.fill("input[name=item_eccn] >> nth=0", "EAR99")
    page.fill("input[name=item_description] >> nth=0", "sensors")
    page.fill("input[name=item_quantity] >> nth=0", "50")
    page.fill("input[name=item_unit] >> nth=0", "pieces")
    page.fill("input[name=item_value] >> nth=0", "2500")
    page.click("button:has-text('Record the licence')")
    page.wait_for_url(re.compile(r".*/licences/\d+$"))
    assert "Licence D600123" in page.inner_text("h1")
    assert "50 of 50 pieces left" in page.inner_text("#lines td.remaining")
    context.close()


def test_a_determination_reads_decisive_first_and_downloads_its_pdf(
    browser: Any, site: tuple[str, dict[Role, str]]
) -> None:
    import io

    from pypdf import PdfReader

    url, keys = site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.click("nav >> text=Check a case")
    page.fill(
        "#case",
        "destination: DE\nitems: [{eccn: EAR99}]\nparties:\n  - {name: Acme GmbH, role: ultimate_consignee}\n"
        "  - {name: Bob AG, role: end_user}\n",
    )
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    assert page.inner_text("#license-required") == "No"
    # Why not, shown without asking; every party listed, hit or not.
    assert page.locator("#why-no-licence").is_visible()
    assert "no footnote 1 entity takes part" in page.inner_text("#why-no-licence")
    screened = page.inner_text("#parties-screened")
    assert "Acme GmbH" in screened
    assert "Bob AG" in screened
    with page.expect_download() as download:
        page.click("text=Report (PDF)")
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Licence required: No" in text
    assert "15 CFR 736.2(b)(3)(vi)" in text
    context.close()
