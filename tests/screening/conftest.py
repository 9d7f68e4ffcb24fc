"""Entries built in the tests: the screener works on ``ListEntry`` values, whatever file they came from."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from earcheck.lists import ListCode, ListEntry
from earcheck.screening.screener import Screener

SNAPSHOT_DATE = date(2026, 7, 31)
_lines = itertools.count(2)


def entry(
    name: str,
    *aliases: str,
    code: ListCode = ListCode.EL,
    countries: tuple[str, ...] = (),
    addresses: tuple[str, ...] = (),
    start: date | None = None,
    snapshot_date: date = SNAPSHOT_DATE,
    list_id: str | None = None,
) -> ListEntry:
    line = next(_lines)
    return ListEntry(
        list_id=list_id or f"id-{line}",
        list_code=code,
        source=f"{code.value} (test)",
        name=name,
        snapshot="test-snapshot",
        snapshot_date=snapshot_date,
        line=line,
        aliases=aliases,
        countries=countries,
        addresses=addresses,
        start_date=start,
        license_requirement="For all items subject to the EAR. (See §744.11 of the EAR)"
        if code is ListCode.EL
        else None,
        license_policy="Presumption of denial" if code is ListCode.EL else None,
    )


# A small list with the shapes that trip screeners up: generic words, aliases, Chinese companies,
# people with comma-inverted names, a name with a number, company types of several countries.
LIST = (
    entry("Huawei Technologies Co., Ltd. (Huawei)", "Shenzhen Huawei Technologies", "Huawei Technology",
          countries=("CN",), list_id="huawei"),
    entry("Semiconductor Manufacturing International Corporation", "SMIC", "Semiconductor Mfg Intl Corp",
          code=ListCode.CMIC, countries=("CN",), list_id="smic"),
    entry("11420 CORP.", code=ListCode.SDN, list_id="11420"),
    entry("BELLETECH CORP", code=ListCode.SDN, list_id="belletech"),
    entry("Beijing Zhongke Xingyun Technology Co., Ltd.", countries=("CN",), list_id="zhongke"),
    entry("GAZPROM NEFT PAO", "PJSC Gazprom Neft", code=ListCode.SSI, countries=("RU",),
          list_id="gazpromneft"),
    entry("OOO Rostekh Azimut", code=ListCode.SDN, countries=("RU",), list_id="rostekh"),
    entry("GAO, Qi", code=ListCode.SDN, countries=("CN",), list_id="gao-qi"),
    entry("AL-QUDS TRADING COMPANY", "JERUSALEM TRADING", code=ListCode.SDN, list_id="alquds"),
    entry("Zorbatron Industries GmbH", code=ListCode.DPL, countries=("DE",), list_id="zorbatron",
          addresses=("Hauptstrasse 5, 10115 Berlin, DE",)),
    entry("Kalashnikov Concern JSC", "Kontsern Kalashnikov", code=ListCode.SSI, countries=("RU",),
          list_id="kalashnikov"),
    entry("China Electronics Technology Group Corporation 13th Research Institute", countries=("CN",),
          list_id="cetc13"),
    entry("China Electronics Technology Group Corporation 14th Research Institute", countries=("CN",),
          list_id="cetc14"),
    entry("Sunrise Global Trading LLC", code=ListCode.UVL, countries=("AE",), list_id="sunrise"),
    entry("Mahan Air", "Mahan Airlines", code=ListCode.SDN, countries=("IR",), list_id="mahan"),
    # Listed words one edit from a generic word ("trades", "semicon"): never "corrected" away.
    entry("TRADOS COMERCIO, S. DE R.L. DE C.V.", code=ListCode.SDN, countries=("MX",), list_id="trados"),
    entry("LLC SEMICOR", code=ListCode.EL, countries=("RU",), list_id="semicor"),
)  # fmt: skip


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.build(LIST)
