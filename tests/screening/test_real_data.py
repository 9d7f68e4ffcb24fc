"""The screener on the real Consolidated Screening List (../shared/data): the cases the brief names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.lists import Band
from earcheck.screening.screener import Screener
from earcheck.sources import csl

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def real(shared_data: Path) -> Screener:
    return Screener.build(list(csl.parse(shared_data / "csl" / "consolidated.csv", as_of=date(2026, 7, 31))))


def matched(screener: Screener, name: str) -> set[str]:
    return {m.entry.name for m in screener.match(name) if m.band is Band.MATCH}


def test_generic_words_alone_do_not_match(real: Screener) -> None:
    assert "11420 CORP." not in {m.entry.name for m in real.match("BELLETECH CORP")}
    assert "11420 CORP." in matched(real, "11420 Corporation")


@pytest.mark.parametrize(
    ("chinese", "listed"),
    [
        ("华为技术有限公司", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("中芯国际集成电路制造有限公司", "Semiconductor Manufacturing International Corporation"),
        ("天津飞腾信息技术有限公司", "Tianjin Phytium Information Technology"),
    ],
)
def test_chinese_names(real: Screener, chinese: str, listed: str) -> None:
    assert listed in matched(real, chinese)


def test_the_huawei_parent_does_not_match_every_affiliate(real: Screener) -> None:
    names = matched(real, "Huawei Technologies Co., Ltd.")
    assert "Huawei Technologies Co., Ltd. (Huawei)" in names
    assert not any("Affiliated Entity" in n for n in names)
    child = (
        "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: "
        "Beijing Huawei Longshine Information Technology Co., Ltd."
    )
    assert child in matched(real, "Beijing Huawei Longshine Information Technology Co., Ltd.")


def test_sdn_person_reordered_and_misspelt(real: Screener) -> None:
    assert "GAO, Qi" in matched(real, "Qi Gao")
    top = real.match("Vladimir Vladimirovich Putin")[0]
    assert top.entry.name == "PUTIN, Vladimir Vladimirovich"
    assert top.band is Band.MATCH


def test_every_list_is_screened(real: Screener) -> None:
    codes = {e.list_code.value for e in real.entries}
    assert codes == {"EL", "SDN", "DPL", "UVL", "MEU", "CMIC", "SSI", "DTC", "ISN", "PLC", "NS-MBS", "CAP"}
