"""The web UI over HTTP (no browser): sessions, CSRF, and every page on real records."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from earcheck.casefile import case_sha256, parse_cases
from earcheck.db import migrate
from earcheck.model import Determination, LicenseExceptionResult, Provenance
from earcheck.records.determinations import record_determination
from earcheck.records.keys import Actor, Role
from earcheck.settings import Settings
from earcheck.web.cases import example_case
from tests.doubles import decide_every_queued_hit
from tests.web.conftest import sign_in


def test_pages_need_a_session(web: TestClient) -> None:
    response = web.get("/licences", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/licences"


def test_signing_in_sets_a_strict_httponly_cookie(web: TestClient, app_keys: dict[Role, str]) -> None:
    form = web.get("/login")
    assert "default-src 'self'" in form.headers["content-security-policy"]
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    wrong = web.post("/login", data={"csrf": token, "key": "ek_nope", "next": "/"})
    assert wrong.status_code == 401
    assert "unknown or has been revoked" in wrong.text
    token = re.search(r'name="csrf" value="([^"]+)"', wrong.text).group(1)  # type: ignore[union-attr]
    response = web.post(
        "/login",
        data={"csrf": token, "key": app_keys[Role.ANALYST], "next": "//evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"  # never off-site
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("earcheck_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Analyst User" in web.get("/").text


def test_the_sign_in_form_needs_its_csrf_token(web: TestClient, app_keys: dict[Role, str]) -> None:
    response = web.post("/login", data={"csrf": "forged", "key": app_keys[Role.ADMIN]})
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]


def test_every_form_post_needs_the_session_csrf_token(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.ANALYST])
    for path in ("/screen", "/check", "/applications/new", "/logout"):
        response = web.post(path, data={"name": "Huawei", "csrf": "forged"})
        assert response.status_code == 403, path
        assert "did not come from this site" in response.text


def test_screening_shows_why_a_hit_matched_and_records_a_decision(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    page = web.post(
        "/screen",
        data={"csrf": csrf, "name": "Huawei Technologies Co Ltd", "country": "CN", "as_of": "2020-09-20"},
    )
    assert page.status_code == 200
    assert "Huawei Technologies Co., Ltd." in page.text
    assert "footnote 1" in page.text
    assert "Presumption of denial." in page.text
    assert "Why it matched" in page.text
    fingerprint = re.search(r'name="entry_sha256" value="([0-9a-f]{64})"', page.text).group(1)  # type: ignore[union-attr]
    decided = web.post(
        "/screen/decision",
        data={
            "csrf": csrf,
            "name": "Huawei Technologies Co Ltd",
            "country": "CN",
            "as_of": "2020-09-20",
            "list_id": "el-huawei",
            "entry_sha256": fingerprint,
            "entry_name": "Huawei Technologies Co., Ltd.",
            "verdict": "true_match",
            "reason": "Same Shenzhen address.",
        },
    )
    assert re.search(r"Decision #\d+ recorded\.", decided.text)
    assert "Confirmed match" in decided.text


def test_a_case_becomes_a_readable_determination_and_a_timeline(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    assert "smic-huawei-2020-09-20" in web.get("/check?example=1").text
    response = web.post("/check", data={"csrf": csrf, "case": example_case()}, follow_redirects=True)
    assert response.status_code == 200
    assert re.search(r'id="license-required">Yes<', response.text)
    assert "15 CFR 736.2(b)(3)(vi)" in response.text
    determination = re.search(r"/determinations/(\d+)/timeline", response.text).group(1)  # type: ignore[union-attr]
    timeline = web.get(f"/determinations/{determination}/timeline")
    assert timeline.status_code == 200
    assert "<svg" in timeline.text
    assert "2020-08-17" in timeline.text


def test_missing_facts_become_questions(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    response = web.post(
        "/check",
        data={"csrf": csrf, "case": "destination: CN\nitems: [{eccn: EAR99}]\n"},
        follow_redirects=True,
    )
    assert "What earcheck needs to know" in response.text
    assert "Who are the parties to the transaction?" in response.text
    assert re.search(r'id="license-required">Not determinable<', response.text)


def test_a_bad_case_lists_its_problems(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    response = web.post("/check", data={"csrf": csrf, "case": "destination: XX\nitems: [{eccn: 3B01}]\n"})
    assert response.status_code == 422
    assert "<code>destination</code>" in response.text
    assert "<code>items[0].eccn</code>" in response.text
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\n"
    assert "aliases" in web.post("/check", data={"csrf": csrf, "case": bomb}).text
    uploaded = web.post(
        "/check",
        data={"csrf": csrf},
        files={"file": ("case.yaml", example_case().encode(), "application/yaml")},
    )
    assert uploaded.status_code == 200  # followed the redirect to the determination


def test_the_application_workflow_in_forms(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    created = web.post(
        "/applications/new",
        data={
            "csrf": csrf,
            "party_role": ["applicant", "ultimate_consignee", "purchaser"],
            "party_name": ["SMIC", "Huawei Technologies Co., Ltd.", ""],
            "party_country": ["CN", "cn", ""],
            "party_address": ["", "", ""],
            "item_eccn": ["EAR99", ""],
            "item_description": ["wafers", ""],
            "item_quantity": ["100", ""],
            "item_unit": ["wafers", ""],
            "item_value": ["10,000.00", ""],
            "end_use": "Kirin processors",
        },
        follow_redirects=True,
    )
    assert created.status_code == 200
    application = re.search(r"<h1>Application (\d+)", created.text).group(1)  # type: ignore[union-attr]
    assert "$10,000.00" in created.text
    blocked = web.post(f"/applications/{application}/submit", data={"csrf": csrf}, follow_redirects=True)
    assert "Huawei Technologies Co., Ltd." in blocked.text
    assert "review queue" in blocked.text
    assert "badge status-draft" in blocked.text
    queue = web.get("/reviews")
    assert "Huawei Technologies Co., Ltd." in queue.text
    assert decide_every_queued_hit(web, {"Authorization": f"Bearer {app_keys[Role.ANALYST]}"}) >= 1
    submitted = web.post(f"/applications/{application}/submit", data={"csrf": csrf}, follow_redirects=True)
    assert "badge status-submitted" in submitted.text
    assert "an approver records BIS's decision" in submitted.text
    refused = web.post(f"/applications/{application}/approve", data={"csrf": csrf, "licence_number": "D1"})
    assert refused.status_code in (403, 422)

    web.cookies.clear()
    csrf = sign_in(web, app_keys[Role.APPROVER])
    approved = web.post(
        f"/applications/{application}/approve",
        data={
            "csrf": csrf,
            "licence_number": "D900",
            "valid_from": "2025-01-01",
            "valid_until": "2028-12-31",
            "conditions": "No reexport.\nReport shipments quarterly.",
        },
        follow_redirects=True,
    )
    assert "Licence D900" in approved.text
    licence = re.search(r'action="/licences/(\d+)/ship"', approved.text).group(1)  # type: ignore[union-attr]
    shipped = web.post(
        f"/licences/{licence}/ship",
        data={
            "csrf": csrf,
            "shipped_on": "2025-06-01",
            "reference": "INV-1",
            "line": "1",
            "quantity": "40",
            "value": "4000",
        },
        follow_redirects=True,
    )
    assert "60</strong> of 100 wafers left" in shipped.text
    over = web.post(
        f"/licences/{licence}/ship",
        data={"csrf": csrf, "shipped_on": "2025-06-01", "line": "1", "quantity": "61", "value": "1"},
    )
    assert over.status_code == 409
    assert "61 wafers asked, 60 wafers left" in over.text
    register = web.get("/licences")
    assert "D900" in register.text
    assert "60</strong> of 100 wafers left" in register.text
    trail = web.get(f"/audit?subject=licence:{licence}")
    assert "shipment.record" in trail.text
    assert "The chain is intact" in web.get("/audit?verify=1").text


def test_html_errors_for_pages(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.VIEWER])
    missing = web.get("/licences/99")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert "no licence with id 99" in missing.text
    assert web.get("/no-such-page").status_code == 404
    assert web.get("/api/licences/99").headers["content-type"] == "application/json"


def test_the_api_reference_is_served_locally(web: TestClient) -> None:
    docs = web.get("/docs")
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert web.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_a_bad_application_form_keeps_what_was_typed(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    refused = web.post(
        "/applications/new",
        data={
            "csrf": csrf,
            "party_role": ["applicant", "ultimate_consignee"],
            "party_name": ["Osprey Microsystems Co.", "Kestrel Fieldworks Ltd."],
            "party_country": ["TW", "DE"],
            "party_address": ["", "Hafenstrasse 1"],
            "item_eccn": ["3A001.a.1.b"],
            "item_description": ["GaN amplifier dies"],
            "item_quantity": ["a dozen"],
            "item_unit": ["pieces"],
            "item_value": ["1,200.00"],
            "end_use": "radar test benches",
        },
    )
    assert refused.status_code == 422
    assert "items[0].quantity" in refused.text
    for typed in (
        "Osprey Microsystems Co.",
        "Kestrel Fieldworks Ltd.",
        "Hafenstrasse 1",
        "GaN amplifier dies",
        "a dozen",
        "radar test benches",
    ):
        assert typed in refused.text


def test_a_shipment_under_a_licence_exception_is_recorded_and_registered(
    web: TestClient, app_keys: dict[Role, str]
) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    assert 'href="/shipments/exceptions"' in web.get("/licences").text
    form = web.get("/shipments/exceptions")
    assert 'value="LVS"' in form.text  # LVS (740.3) is in force today
    item = {"item_eccn": "3C005", "item_description": "SiC wafers", "item_quantity": "10", "item_unit": "each"}
    base = {"csrf": csrf, "shipped_on": "2026-08-15", "destination": "TH", "reference": "INV-9", **item}
    shipped = web.post("/shipments/exceptions", data={**base, "licence_exception": "LVS", "item_value": "1000"})
    assert shipped.status_code == 200
    register = shipped.text.split('id="exception-register"')[1]
    assert "<strong>LVS</strong>" in register
    assert "15 CFR 740.3" in register
    assert "none on file" in register  # no determination named
    # CIV ended on 2020-06-29: refused with the reason, the form keeps what was typed.
    refused = web.post("/shipments/exceptions", data={**base, "licence_exception": "CIV", "item_value": "1000"})
    assert refused.status_code == 409
    assert "CIV (15 CFR 740.5) was not in force on 2026-08-15" in refused.text
    assert 'value="INV-9"' in refused.text
    missing = web.post(
        "/shipments/exceptions", data={**base, "licence_exception": "LVS", "item_value": "1", "determination_id": "77"}
    )
    assert missing.status_code == 422
    assert "no stored determination with id 77" in missing.text
    assert "shipment.record" in web.get("/audit").text


def test_a_determination_showing_an_exception_available_leads_to_the_shipment_form(
    web: TestClient, app_keys: dict[Role, str], settings: Settings
) -> None:
    # The stored answer is written here (LVS available), not computed: this is about the page, not the rule.
    (case,) = parse_cases(
        {
            "as_of": "2026-08-15",
            "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
            "destination": "TH",
            "items": [{"id": "wafers", "eccn": "3C005", "description": "SiC wafers", "value": 1000}],
        }
    )
    answer = Determination(
        as_of=date(2026, 8, 15),
        license_required=True,
        subject_to_ear=True,
        license_exceptions=(
            LicenseExceptionResult("LVS", "15 CFR 740.3", True, "every condition met", "wafers"),
            LicenseExceptionResult("GBS", "15 CFR 740.4", None, "depends on the GBS line", "wafers"),
        ),
        provenance=Provenance("0.1.0", "rules-test", "lists-test", case_sha256(case)),
    )
    stored = record_determination(migrate(settings), Actor("Andy Analyst", Role.ANALYST), case, answer)
    csrf = sign_in(web, app_keys[Role.ANALYST])
    shown = web.get(f"/determinations/{stored.id}").text
    assert f"/shipments/exceptions?determination={stored.id}&amp;exception=LVS" in shown
    assert "exception=GBS" not in shown  # unknown is no ground to ship
    form = web.get("/shipments/exceptions", params={"determination": stored.id, "exception": "LVS"}).text
    assert '<option value="LVS" selected>' in form
    assert 'name="destination" value="TH"' in form
    assert 'name="item_eccn" value="3C005"' in form
    data = {
        "csrf": csrf,
        "licence_exception": "LVS",
        "shipped_on": "2026-08-15",
        "destination": "TH",
        "determination_id": str(stored.id),
        "item_eccn": "3C005",
        "item_description": "SiC wafers",
        "item_quantity": "10",
        "item_unit": "each",
        "item_value": "1000",
    }
    shipped = web.post("/shipments/exceptions", data=data)
    assert f'<a href="/determinations/{stored.id}">{stored.id}</a>' in shipped.text.split('id="exception-register"')[1]
    refused = web.post("/shipments/exceptions", data={**data, "licence_exception": "GBS"})
    assert refused.status_code == 409
    assert "shows GBS unknown" in refused.text
