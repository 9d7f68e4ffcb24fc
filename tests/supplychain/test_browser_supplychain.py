"""The supply-chain pages in a real browser (Debian's Chromium via Playwright) on the real data: upload a BOM
and see its rollup with the threshold bar; upload a portfolio and a scenario and see what changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from earcheck.api import create_app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings
from earcheck.workspace import Workspace
from tests.servers import serving
from tests.web.test_browser import ARGS

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_bom_upload_and_impact_pages(browser: Any, settings: Settings, supply_workspace: Workspace) -> None:
    key = create_key(migrate(settings), Actor("cli:test", Role.ADMIN), Role.ANALYST, "Andy Analyst")[1]
    with serving(create_app(settings, workspace=supply_workspace)) as url:
        page = browser.new_page()
        page.goto(f"{url}/login")
        page.fill("#key", key)
        page.click("button:has-text('Sign in')")
        page.wait_for_url(f"{url}/")
        page.click("nav >> text=Supply chains")
        page.set_input_files("input[name=file]", str(EXAMPLES / "phone-bom.csv"))
        page.fill("#destination", "CN")
        page.fill("#as_of", "2026-08-01")
        page.click("button:has-text('Roll up')", timeout=180_000)  # the server decides on a shared machine
        page.wait_for_selector("#rollup", timeout=180_000)
        assert "22.50%" in page.inner_text("#share")
        assert "of 25%" in page.inner_text("#share")
        assert page.get_attribute("#threshold", "value") == "22.5"
        assert "no" in page.inner_text("#verdict")
        assert "rf-transceiver" in page.inner_text("#what-if")
        assert "second incorporation" in page.inner_text("#lines")
        page.fill("input[data-filter=lines]", "open")  # the phone has no open line: every row is hidden
        assert page.locator("#lines tbody tr:visible").count() == 0
        page.fill("input[data-filter=lines]", "counts")
        assert page.locator("#lines tbody tr:visible").count() == 2  # rf-transceiver and rf-front-end
        page.goto(f"{url}/impact")
        page.set_input_files("input[name=portfolio]", str(EXAMPLES / "portfolio-2020-12.jsonl"))
        page.set_input_files("input[name=scenario]", str(EXAMPLES / "impact-smic-listing.yaml"))
        page.click("button:has-text('Run the scenario')", timeout=180_000)
        page.wait_for_selector("#impact", timeout=180_000)
        assert "3 re-evaluated, 2 skipped" in page.inner_text("#summary")
        assert "2 changed" in page.inner_text("#summary")
        assert "po-1001" in page.inner_text("#changes")
        assert page.get_attribute("#chart", "src").startswith("data:image/png;base64,")
