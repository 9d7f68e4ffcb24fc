"""The guided case form (/check/guided): a case built field by field is the case its YAML says.

The expected cases are written out here by hand from the model's field names (``earcheck schema case``),
not taken from the code under test."""

from __future__ import annotations

import re

import yaml
from fastapi.testclient import TestClient

from earcheck.casefile import parse_cases
from earcheck.casepath import Kind, document_of, fields_of, kind_of
from earcheck.records.keys import Role
from tests.web.conftest import sign_in

CASE_YAML = """
destination: CN
as_of: "2021-03-01"
activity: export_from_abroad
end_uses: [military, nuclear]
exporter: {name: Acme Taiwan, country: TW}
parties:
  - {name: "Huawei Technologies Co., Ltd.", country: CN, role: ultimate_consignee}
items:
  - id: wafer-1
    eccn: 3A001
    origin: TW
    value: 1500
    us_content:
      - {description: controller, eccn: 3A991, value: 20.5}
    production:
      us_technology: [3E001, 3D001]
knowledge: {for_products_of: ["Acme, Inc.", Beta]}
"""

FORM = {
    "destination": "cn",
    "as_of": "2021-03-01",
    "activity": "export_from_abroad",
    "end_uses": ["military", "nuclear"],  # two checked boxes
    "exporter.name": "Acme Taiwan",
    "exporter.country": "TW",
    "parties[0].name": "Huawei Technologies Co., Ltd.",
    "parties[0].country": "CN",
    "parties[0].role": "ultimate_consignee",
    "parties[1].name": "",  # the blank row the form offers
    "parties[1].role": "",
    "items[0].id": "wafer-1",
    "items[0].eccn": "3A001",
    "items[0].origin": "TW",
    "items[0].value": "$1,500",
    "items[0].us_content[0].description": "controller",
    "items[0].us_content[0].eccn": "3A991",
    "items[0].us_content[0].value": "20.50",
    "items[0].production.us_technology": "3E001, 3D001",
    "knowledge.for_products_of": "Acme, Inc.; Beta",
}


def _pairs(form: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    return [(k, ", ".join(v) if isinstance(v, list) else v) for k, v in form.items()]


def test_the_form_and_the_yaml_make_one_case() -> None:
    document, problems = document_of(_pairs(FORM))
    assert problems == []
    assert parse_cases(document) == parse_cases(yaml.safe_load(CASE_YAML))


def test_a_case_reads_back_into_the_same_fields() -> None:
    document = yaml.safe_load(CASE_YAML)
    again, problems = document_of(fields_of(document).items())
    assert problems == []
    assert parse_cases(again) == parse_cases(document)


def test_empty_is_unknown_and_none_is_known_empty() -> None:
    document, _ = document_of([("destination", "DE"), ("items[0].eccn", "EAR99"), ("parties[0].name", "")])
    assert "parties" not in document  # a blank row: the parties are not known
    document, _ = document_of([("destination", "DE"), ("items[0].eccn", "EAR99"), ("parties", "none")])
    assert document["parties"] == []
    document, problems = document_of([("parties", "none"), ("parties[0].name", "X")])
    assert [p.field for p in problems] == ["parties"]


def test_the_kinds_come_from_the_model() -> None:
    assert kind_of("items[3].us_content[1].value").kind is Kind.NUMBER
    assert kind_of("items[0].exception_facts.temporary").kind is Kind.YES_NO
    assert "ultimate_consignee" in kind_of("parties[0].role").choices
    assert kind_of("knowledge.onward_destinations").kind is Kind.CODES


def test_bad_text_is_said_in_plain_words() -> None:
    _, problems = document_of(
        [("items[0].value", "a lot"), ("items[0].food_or_medicine", "maybe"), ("items[0].x", "1")]
    )
    messages = {p.field: p.message for p in problems}
    assert messages["items[0].value"] == "is not a number"
    assert messages["items[0].food_or_medicine"].startswith("answer yes or no")
    assert "no field 'x'" in messages["items[0].x"]


def _post(web: TestClient, csrf: str, fields: dict[str, str | list[str]]) -> object:
    return web.post("/check/guided", data={"csrf": csrf, **fields}, follow_redirects=False)


def test_a_form_built_case_gets_the_determination_its_yaml_gets(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    by_form = web.post("/check/guided", data={"csrf": csrf, **FORM}, follow_redirects=False)
    assert by_form.status_code == 303, by_form.text
    by_yaml = web.post("/check", data={"csrf": csrf, "case": CASE_YAML}, follow_redirects=False)
    assert by_yaml.status_code == 303
    first, second = (
        web.get(
            "/api/determinations/" + r.headers["location"].rsplit("/", 1)[1].strip(),
            headers={"X-API-Key": app_keys[Role.ANALYST]},
        ).json()
        for r in (by_form, by_yaml)
    )
    assert first["case_sha256"] == second["case_sha256"]
    assert first["determination"]["license_required"] == second["determination"]["license_required"] is True


def test_problems_are_shown_against_their_fields(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    response = web.post(
        "/check/guided",
        data={"csrf": csrf, "destination": "Narnia", "items[0].value": "lots", "items[0].eccn": "EAR99"},
    )
    assert response.status_code == 422
    assert 'value="Narnia"' in response.text  # what was typed stays
    assert re.search(r'name="items\[0\]\.value" value="lots"[^<]*>\s*<span class="field-problem"', response.text)


def test_open_questions_come_back_as_inputs(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    # The test double asks "Who are the parties?" (field "parties") when none are given.
    made = web.post("/check", data={"csrf": csrf, "case": "destination: DE\nitems: [{eccn: EAR99}]\n"})
    number = str(made.url).rsplit("/", 1)[1]
    form = web.get(f"/check/guided?start={number}")
    assert form.status_code == 200
    assert "Who are the parties to the transaction?" in form.text
    assert 'name="destination" value="DE"' in form.text
    answered = web.post(
        "/check/guided",
        data={
            "csrf": csrf,
            "destination": "DE",
            "items[0].eccn": "EAR99",
            "parties[0].name": "Acme GmbH",
            "parties[0].role": "end_user",
        },
        follow_redirects=True,
    )
    assert answered.status_code == 200
    assert "Acme GmbH" in answered.text


def test_eccns_are_suggested_from_the_ccl(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.ANALYST])
    found = web.get("/check/eccns?q=3a0&as_of=2024-01-01").json()
    # 3A001 and 3A090 by their number; 3A991 because its heading names 3A001.
    assert [e["eccn"] for e in found] == ["3A001", "3A090", "3A991"]
    assert web.get("/check/eccns?q=integrated").json()[0]["eccn"] == "3A090"
    assert web.get("/check/eccns?q=3a&as_of=soon").status_code == 422


def test_a_party_is_screened_as_typed(web: TestClient, app_keys: dict[Role, str]) -> None:
    csrf = sign_in(web, app_keys[Role.ANALYST])
    answer = web.post("/check/party-screening", data={"csrf": csrf, "name": "Huawei Technologies Co., Ltd."}).json()
    assert answer["hits"][0]["band"] == "match"
    assert answer["audit_seq"] > 0
    assert "error" in web.post("/check/party-screening", data={"csrf": csrf, "name": ""}).json()


def test_a_viewer_sees_no_form_it_cannot_use(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.VIEWER])
    page = web.get("/check/guided")
    assert page.status_code == 200
    assert 'action="/check/guided"' not in page.text
    assert "for analysts and approvers" in page.text


def test_an_error_page_is_titled_in_words(web: TestClient, app_keys: dict[Role, str]) -> None:
    sign_in(web, app_keys[Role.VIEWER])
    missing = web.get("/determinations/999999")
    assert missing.status_code == 404
    assert "<title>Not found · earcheck</title>" in missing.text
