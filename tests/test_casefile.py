from __future__ import annotations

import json
from pathlib import Path

import pytest

from earcheck.casefile import case_schema, case_sha256, determination_schema, parse_cases, read_cases
from earcheck.errors import CaseError
from earcheck.model import Activity, PartyRole

FLAGSHIP = {
    "id": "smic-huawei",
    "as_of": "2020-09-20",
    "activity": "transfer",
    "exporter": {"name": "Semiconductor Manufacturing International Corporation", "country": "cn"},
    "parties": [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [
        {
            "id": "wafers",
            "eccn": "ear99",
            "origin": "CN",
            "value": 1000000,
            "us_content": [{"description": "x", "eccn": "3A991.a", "value": 12000}],
            "production": {
                "us_technology": ["3E001"],
                "plant": [{"description": "tool", "us_technology": ["3e001"]}],
            },
        }
    ],
    "knowledge": {"for_products_of": ["Huawei Technologies Co., Ltd."]},
}


def test_flagship_parses_and_normalises() -> None:
    [case] = parse_cases(FLAGSHIP)
    assert case.activity is Activity.TRANSFER
    assert case.exporter is not None
    assert case.exporter.country == "CN"
    assert case.parties is not None
    assert case.parties[0].role is PartyRole.ULTIMATE_CONSIGNEE
    item = case.items[0]
    assert item.eccn == "EAR99"
    assert item.production is not None
    assert item.production.plant is not None
    assert item.production.plant[0].us_technology == ("3E001",)
    assert item.location is None  # omitted = unknown/default; never silently filled here


def test_omitted_is_unknown_and_empty_is_none() -> None:
    [case] = parse_cases({"destination": "DE", "items": [{"us_content": []}]})
    assert case.parties is None
    assert case.items[0].us_content == ()
    assert case.items[0].production is None


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"as_of": "2020-13-01"}, "as_of"),
        ({"destination": "ZZ"}, "destination"),
        ({"items": [{"eccn": "3B01"}]}, "items[0].eccn"),
        ({"items": [{"value": -5}]}, "items[0].value"),
        ({"items": [{"us_content": [{"value": -1}]}]}, "items[0].us_content[0].value"),
        ({"parties": [{"name": "x", "role": "boss"}]}, "parties[0].role"),
        ({"items": []}, "items"),
    ],
)
def test_bad_fields_are_named(patch: dict[str, object], field: str) -> None:
    document = {**FLAGSHIP, **patch}
    with pytest.raises(CaseError) as caught:
        parse_cases(document, "case.yaml")
    assert field in [e.field for e in caught.value.errors], str(caught.value)
    assert "case.yaml" in str(caught.value)


def test_list_of_cases_reports_index(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(json.dumps([FLAGSHIP, {"destination": "CN"}]))
    with pytest.raises(CaseError) as caught:
        read_cases(path)
    assert [e.field for e in caught.value.errors] == ["[1].items"]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b"items: [", b"42", b""])
def test_unreadable_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(CaseError):
        read_cases(path)


def test_hash_is_canonical() -> None:
    [a] = parse_cases(FLAGSHIP)
    [b] = parse_cases(json.loads(json.dumps(FLAGSHIP)) | {"destination": "cn"})
    assert case_sha256(a) == case_sha256(b)


def test_schemas_are_generated() -> None:
    case = case_schema()
    assert case["additionalProperties"] is False
    assert {"destination", "items"} <= set(case["required"])
    determination = determination_schema()
    assert "license_required" in determination["properties"]
