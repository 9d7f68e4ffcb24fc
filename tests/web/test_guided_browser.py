"""The guided case form in a real browser (Debian's Chromium through Playwright): a case built in the
form, with a party screened as it is typed and an ECCN found in the CCL, goes to a determination and
its PDF report; a question of a "not determinable" answer is answered in the form and checked again;
the form holds at 390 px and with 10,000-character inputs. Screenshots go to ``docs/screens/``."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from earcheck.records.keys import Role
from tests.web.test_browser import _sign_in, browser, site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# The README's screens are rewritten only when asked (`make screens`): each run shows a new time, and a
# test run must not leave tracked files changed. Otherwise they are written beside the test's files.
SCREENS = (
    Path(__file__).resolve().parents[2] / "docs" / "screens"
    if os.environ.get("EARCHECK_SCREENS") == "1"
    else Path(tempfile.gettempdir()) / f"earcheck-screens-{os.getpid()}"
)


def _shoot(page: Any, name: str) -> None:
    """A small PNG of what the page shows (the viewport, not the whole scroll), in 64 colours: a UI of
    flat colours loses nothing visible and the file is a third of the size. (Pillow comes with WeasyPrint.)"""
    from PIL import Image

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    shot.quantize(colors=64).save(SCREENS / f"{name}.png", optimize=True)


def _no_horizontal_overflow(page: Any) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    seen = page.evaluate("document.documentElement.clientWidth")
    assert wide <= seen, f"{page.url}: {wide} px wide in a {seen} px window"


def test_a_case_built_in_the_form_to_its_determination_and_pdf(
    browser: Any,  # noqa: F811
    site: tuple[str, dict[Role, str]],  # noqa: F811
) -> None:
    from pypdf import PdfReader

    url, keys = site
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/check")
    page.click("text=build the case in a form")
    page.wait_for_url(f"{url}/check/guided")
    assert page.title() == "Build a case · earcheck"
    page.fill("#f-destination", "CN")
    page.fill("#f-as_of", "2021-03-01")
    page.check("input[name=end_uses][value=military_end_user]")
    # An ECCN found by its number in the CCL as of the case date.
    page.fill("#f-items-0-eccn", "3A0")
    page.locator("#ccl-eccns option").first.wait_for(state="attached")
    options = page.eval_on_selector_all("#ccl-eccns option", "els => els.map(e => e.value)")
    assert options[:2] == ["3A001", "3A090"]
    page.fill("#f-items-0-eccn", "3A001")
    page.fill("#f-items-0-value", "1,500")
    # The party is screened as it is typed.
    page.fill("#f-parties-0-name", "Huawei Technologies Co., Ltd.")
    page.select_option("#f-parties-0-role", "ultimate_consignee")
    screening = page.locator("#parties output.screening").first
    screening.filter(has_text="hit").wait_for()
    assert "HUAWEI" in screening.inner_text().upper()
    # A second party row: its inputs are numbered on.
    page.click("text=+ another party")
    page.fill("#f-parties-1-name", "Acme Logistics")
    page.select_option("#f-parties-1-role", "freight_forwarder")
    _shoot(page, "guided-form")
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    assert page.inner_text("#license-required") == "Yes"
    assert "Acme Logistics" in page.inner_text("#parties-screened")
    _shoot(page, "determination")
    with page.expect_download() as download:
        page.click("text=Report (PDF)")
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Licence required: Yes" in text
    assert "15CFR736.2(b)(3)(vi)" in text.replace(" ", "")  # the table cell may break the citation
    assert "Acme Logistics (freight forwarder)" in text
    context.close()


def test_a_question_is_answered_in_the_form(browser: Any, site: tuple[str, dict[Role, str]]) -> None:  # noqa: F811
    url, keys = site
    page = browser.new_page()
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/check")
    page.fill("#case", "destination: DE\nitems: [{eccn: EAR99}]\n")  # the parties are not said
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    assert page.inner_text("#license-required") == "Not determinable"
    page.click("text=Answer them in the form")
    page.wait_for_url(re.compile(r".*/check/guided\?start=\d+$"))
    assert "Who are the parties to the transaction?" in page.inner_text("#questions")
    assert page.input_value("#f-destination") == "DE"
    page.fill("#f-parties-0-name", "Acme GmbH")
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    assert page.inner_text("#license-required") == "No"
    page.close()


def test_the_form_at_390_px_and_with_long_inputs(browser: Any, site: tuple[str, dict[Role, str]]) -> None:  # noqa: F811
    url, keys = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/check/guided")
    _no_horizontal_overflow(page)
    long = "X" * 10_000
    page.fill("#f-destination", long)
    page.fill("#f-items-0-description", long)
    page.fill("#f-items-0-value", long)
    page.fill("#f-parties-0-name", long)
    page.click("button:has-text('Determine')")
    page.wait_for_load_state()
    assert page.locator(".field-problem").count() >= 2  # the value and the country, against their fields
    _no_horizontal_overflow(page)
    page.close()


def test_the_rules_and_lookup_pages_at_390_px(browser: Any, site: tuple[str, dict[Role, str]]) -> None:  # noqa: F811
    url, keys = site
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    _sign_in(page, url, keys[Role.ANALYST])
    page.goto(f"{url}/rules?as_of=2021-03-01")
    assert page.title() == "Rules as of 2021-03-01 · earcheck"
    _shoot(page, "rules")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/rules", "/lookup?eccn=" + "9" * 10_000, "/check/guided"):
        page.goto(url + path)
        _no_horizontal_overflow(page)
    page.close()


def test_a_determination_with_10000_character_facts_at_390_px(
    browser: Any,  # noqa: F811
    site: tuple[str, dict[Role, str]],  # noqa: F811
) -> None:
    url, keys = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_in(page, url, keys[Role.ANALYST])
    long = "Y" * 10_000
    page.goto(f"{url}/check")
    page.fill("#case", f"destination: DE\nid: {long[:200]}\nitems: [{{eccn: EAR99, description: {long}}}]\n"
              f"parties: [{{name: {long[:1000]}, role: end_user}}]\n")  # fmt: skip
    page.click("button:has-text('Determine')")
    page.wait_for_url(re.compile(r".*/determinations/\d+$"))
    _no_horizontal_overflow(page)
    page.goto(f"{url}/determinations")
    _no_horizontal_overflow(page)
    page.close()
