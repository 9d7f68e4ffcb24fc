"""The cross-script table (data/v2/cross_script.yaml): its rows against the real list, its format, and
what a Chinese-character name finds through it.

Expected answers come from the sources the rows cite, read beside the test: HK01 (2023-03) on the
Entity List additions, "第四範式(4Paradigm Technology Co)"; NetEase (2020-07-21), "6.KTK Group (今创集团)";
NTDTV (2021-11-24), "科大国盾量子(QuantumCTek)". The 2015 supercomputing centres are named in Chinese
only by their source (ifeng, 2021-04-10), so that pairing is ours: review, never a match.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from earcheck.lists import Band, ListCode
from earcheck.screening.chinese import simplified
from earcheck.screening.cross_script import CrossScriptError, cross_script_key, parse_cross_script
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.normalise import screened_forms
from earcheck.screening.screener import Screener, ScreeningConfig
from earcheck.sources import csl

from .conftest import entry


def _rows() -> list[dict[str, Any]]:
    path = resources.files("earcheck.screening") / "data" / "v2" / "cross_script.yaml"
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["organisations"]
    return rows


# Entries written as the CSL of 2026-07-31 writes them (names and aliases copied from the file).
CROSS_LIST = (
    entry("4Paradigm Technology Co., Ltd", "4Paradigm", "4th Paradigm", "Fourth Paradigm", countries=("CN",),
          list_id="4paradigm"),
    entry("KTK Group", "Jiangsu Jinchuang Group", "Jiangsu Jinchuang Holding Group", "KTK Holding",
          countries=("CN",), list_id="ktk"),
    entry("QuantumCTek Co., Ltd.", "HKUST National Shield Quantum Technology Co., Ltd.", countries=("CN",),
          list_id="quantumctek"),
    entry("Shanghai QuantumCTek Co., LTD.", "Shanghai Guodun Quantum Information Technology Co., Ltd.",
          countries=("CN",), list_id="quantumctek-sh"),
    entry("National Supercomputing Center Changsha (NSCC-CS)", countries=("CN",), list_id="nscc-cs"),
    entry("KTK Engineering (PVT) LTD,", code=ListCode.EL, countries=("PK",), list_id="ktk-pk"),
)  # fmt: skip


@pytest.fixture(scope="module")
def cross() -> Screener:
    return Screener.build(CROSS_LIST)


def best(screener: Screener, name: str) -> tuple[str | None, str | None]:
    found = screener.match(name)
    return (found[0].entry.list_id, found[0].band.value) if found else (None, None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("第四範式", "4paradigm"),  # traditional, as HK01 printed it
        ("第四范式", "4paradigm"),
        ("第四范式有限公司", "4paradigm"),  # a company type added
        ("今创集团", "ktk"),
        ("今創集團", "ktk"),
        ("科大国盾量子", "quantumctek"),
        ("上海国盾量子", "quantumctek-sh"),
    ],
)
def test_a_verified_pairing_is_a_match(cross: Screener, name: str, expected: str) -> None:
    assert best(cross, name) == (expected, Band.MATCH.value)


def test_a_recalled_pairing_is_review_at_best() -> None:
    # Under name-v3 (tables v2) the name is found only through its recalled row: review.
    v3 = Screener.build(CROSS_LIST, config=ScreeningConfig(algorithm="name-v3"))
    assert best(v3, "国家超级计算长沙中心") == ("nscc-cs", Band.REVIEW.value)


def test_a_name_the_tables_translate_is_a_match_whatever_its_row(cross: Screener) -> None:
    # name-v4's tables read it word for word (国家 national, 超级计算 supercomputing, 长沙 Changsha, 中心
    # center): the listed name itself, so a match with no help from the recalled row.
    assert best(cross, "国家超级计算长沙中心") == ("nscc-cs", Band.MATCH.value)


@pytest.mark.parametrize("name", ["第五范式", "第四范式研究院", "今创", "国盾"])
def test_other_names_are_not_paired(cross: Screener, name: str) -> None:
    assert best(cross, name)[1] != Band.MATCH.value


def test_the_table_adds_a_form_only_for_its_own_names() -> None:
    lexicon = load_lexicon("v2")
    assert screened_forms("今创集团", lexicon, 0.2, unverified=0.2) == (("今创集团", 0.0), ("KTK Group", 0.0))
    assert screened_forms("KTK Group", lexicon, 0.2, unverified=0.2) == (("KTK Group", 0.0),)
    recalled = screened_forms("国家超级计算长沙中心", lexicon, 0.2, unverified=0.2)
    assert recalled[1] == ("National Supercomputing Center Changsha (NSCC-CS)", 0.2)


def test_keys_fold_spacing_punctuation_and_a_trailing_company_type() -> None:
    assert cross_script_key("杭州中科微电子 有限公司") == "杭州中科微电子"
    assert cross_script_key("上海微电子装备（集团）股份有限公司") == "上海微电子装备集团"
    assert cross_script_key("公司") == "公司"  # nothing left but the type: kept


def test_every_row_is_written_in_simplified_characters() -> None:
    forms = [form for row in _rows() for form in row["zh"]]
    assert forms
    assert [form for form in forms if simplified(form) != form] == []


def test_every_row_names_a_source_and_a_label() -> None:
    rows = _rows()
    assert all(row["label"] in {"VS", "VX", "R"} and row["source"].strip() for row in rows)
    # Verified rows are most of the table: the point is automatic matching on cited pairings.
    assert sum(row["label"] == "VX" for row in rows) >= 30


@pytest.mark.shared_data
def test_every_listed_name_is_in_the_real_list(shared_data: Path) -> None:
    names = {
        name for e in csl.parse(shared_data / "csl" / "consolidated.csv", as_of=date(2026, 7, 31)) for name in e.names
    }
    assert [row["listed"] for row in _rows() if row["listed"] not in names] == []


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"rows": []}, "under 'organisations'"),
        ({"organisations": [{"listed": "X", "zh": ["某"], "label": "R"}]}, "expected the keys"),
        ({"organisations": [{"listed": "X", "zh": ["某某"], "label": "maybe", "source": "s"}]}, "label"),
        ({"organisations": [{"listed": "X", "zh": ["某某"], "label": "R", "source": " "}]}, "source"),
        ({"organisations": [{"listed": "X", "zh": ["Acme"], "label": "R", "source": "s"}]}, "Chinese characters"),
        ({"organisations": [{"listed": "X", "zh": ["某某", "某某有限公司"], "label": "R", "source": "s"}]}, "twice"),
    ],
)
def test_a_malformed_table_is_refused(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(CrossScriptError, match=message):
        parse_cross_script(doc)
