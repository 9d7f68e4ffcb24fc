"""Exact and alias party lookup: normalisation, parenthesised short names, "Affiliated Entity:" rows,
and each hit's status on the date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pytest

from earcheck.lists import Band, ListCode, ListEntry, PartyScreener
from earcheck.parties import ExactScreener, name_keys, normalise_name

CSL_DAY = date(2026, 7, 31)


def entry(list_id: str, name: str, code: ListCode = ListCode.EL, **fields: object) -> ListEntry:
    return ListEntry(
        list_id=list_id,
        list_code=code,
        source=f"{code} source",
        name=name,
        snapshot="csl",
        snapshot_date=CSL_DAY,
        line=2,
        **fields,  # type: ignore[arg-type]
    )


ENTRIES = (
    entry("7cde91bc18e61c4d5749a009", "Huawei Technologies Co., Ltd.", start_date=date(2019, 5, 21)),
    entry("dd0ebdf93e30c810fb5a6621", "Huawei Technologies Co., Ltd. (Huawei)",
          aliases=("Shenzhen Huawei Technologies", "Huawei Technology")),
    entry(
        "c7cbf8d1a8cc8e06db33fea6",
        "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",
        aliases=("Huawei Marine", "HMN Technologies"),
    ),
    entry("d94683a2c5182dc09332e43b", "Semiconductor Manufacturing International Corporation (SMIC)",
          start_date=date(2020, 12, 22)),
    entry("b5126b8308f3ecdd46b949c8", "Semiconductor Manufacturing International Corporation", ListCode.CMIC),
    entry("9c2e1eb16f2c3c12b17fea07", "Huawei Technologies (Thailand) Co.", start_date=date(2019, 8, 21)),
)  # fmt: skip


@dataclass
class Snap:
    as_of: date
    id: str = "csl"


class InMemory:
    """A list source holding one snapshot, as the store would serve it."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = entries
        self.loads = 0

    def list_entries(self, as_of: date) -> Sequence[ListEntry]:
        self.loads += 1
        return self.entries

    def governing_list_snapshots(self, as_of: date) -> Mapping[ListCode, Snap]:
        return {code: Snap(CSL_DAY) for code in ListCode}


@pytest.fixture
def screener() -> ExactScreener:
    return ExactScreener(InMemory(ENTRIES))


def test_normalise_name_folds_case_punctuation_and_width() -> None:
    assert normalise_name("HUAWEI  Technologies Co.,Ltd.") == "huawei technologies co ltd"
    assert normalise_name("Ｈｕａｗｅｉ") == "huawei"
    assert normalise_name("Ningbo Huawei Computer & Net") == "ningbo huawei computer and net"
    assert normalise_name("华为技术有限公司") == "华为技术有限公司"


def test_name_keys_handle_short_names_and_affiliates() -> None:
    assert set(name_keys("Huawei Technologies Co., Ltd. (Huawei)")) == {
        "huawei technologies co ltd huawei",
        "huawei technologies co ltd",
        "huawei",
    }
    # A parenthesis inside the name is part of it: Thailand's company is not "Huawei Technologies Co."
    assert set(name_keys("Huawei Technologies (Thailand) Co.")) == {"huawei technologies thailand co"}
    assert set(name_keys("Parent Co. (P). Affiliated Entity: Child Ltd.")) == {"child ltd"}


def test_huawei_finds_both_entries_and_not_the_affiliate(screener: ExactScreener) -> None:
    hits = screener.screen("Huawei Technologies Co., Ltd.", "CN", date(2019, 5, 16))
    assert {h.entry.list_id for h in hits} == {"7cde91bc18e61c4d5749a009", "dd0ebdf93e30c810fb5a6621"}
    assert all(h.score == 1.0 and h.band is Band.MATCH for h in hits)
    assert all(h.status.in_force is True for h in hits)
    assert {h.matched_name for h in hits} == {"Huawei Technologies Co., Ltd."}


def test_the_day_before_the_listing_nothing_is_in_force(screener: ExactScreener) -> None:
    hits = screener.screen("huawei technologies co ltd", None, date(2019, 5, 15))
    assert len(hits) == 2
    assert all(h.status.in_force is False for h in hits)


def test_aliases_and_affiliates(screener: ExactScreener) -> None:
    [marine] = screener.screen("HMN Technologies", None, date(2019, 6, 1))
    assert marine.entry.list_id == "c7cbf8d1a8cc8e06db33fea6"
    assert marine.status.in_force is None  # batch not established (May or August 2019)
    [by_name] = screener.screen("Huawei Marine Networks Co., Ltd.", None, date(2019, 9, 1))
    assert by_name.status.in_force is True


def test_smic_on_two_lists_sorted_in_force_first(screener: ExactScreener) -> None:
    hits = screener.screen("Semiconductor Manufacturing International Corporation", "CN", date(2020, 12, 17))
    assert [h.entry.list_code for h in hits] == [ListCode.CMIC, ListCode.EL]
    cmic, el = hits
    assert cmic.status.in_force is None  # undated CMIC row: possibly listed, never "no"
    assert el.status.in_force is False
    el_next_day = [h for h in screener.screen("SMIC", None, date(2020, 12, 18)) if h.entry.list_code == "EL"]
    assert el_next_day[0].status.in_force is True


def test_no_match_and_the_index_is_built_once(screener: ExactScreener) -> None:
    assert screener.screen("Huawei Technologies", None, date(2021, 1, 1)) == []
    source = InMemory(ENTRIES)
    cached = ExactScreener(source)
    cached.screen("a", None, date(2021, 1, 1))
    cached.screen("b", None, date(2022, 1, 1))
    assert source.loads == 1


def test_it_is_a_party_screener(screener: ExactScreener) -> None:
    protocol: PartyScreener = screener
    assert protocol.screen("SMIC", None, CSL_DAY)
