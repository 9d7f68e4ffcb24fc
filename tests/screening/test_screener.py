from __future__ import annotations

from datetime import date

import pytest

from earcheck.errors import InputError
from earcheck.lists import Band, EntryStatus, ListEntry
from earcheck.screening.screener import Screener, ScreeningConfig, snapshot_status

from .conftest import LIST, SNAPSHOT_DATE, entry

AS_OF = date(2026, 8, 1)


def best(screener: Screener, name: str, country: str | None = None) -> tuple[str | None, float, str]:
    matches = screener.match(name, country)
    if not matches:
        return None, 0.0, ""
    top = matches[0]
    return top.entry.list_id, top.score, top.band.value


# Table-driven: (screened name, the entry it must match best, in the match band).
MATCHES = [
    ("Huawei Technologies Co., Ltd.", "huawei"),
    ("HUAWEI TECHNOLOGIES COMPANY LIMITED", "huawei"),
    ("Huawei Technologies Co Ltd", "huawei"),
    ("Huawei Technologies", "huawei"),
    ("Hua Wei Technologies Co., Ltd.", "huawei"),  # pinyin written in syllables
    ("Huawie Technologies Co., Ltd.", "huawei"),  # a typo
    ("Technologies Huawei", "huawei"),  # reordered
    ("华为技术有限公司", "huawei"),  # Chinese characters
    ("華為技術有限公司", "huawei"),  # traditional characters
    ("Semiconductor Manufacturing International Corp.", "smic"),
    ("Semiconductor Mfg. Int'l Corporation", "smic"),  # abbreviations
    ("中芯国际集成电路制造有限公司", "smic"),
    ("SMIC", "smic"),
    ("Qi Gao", "gao-qi"),  # an inverted person's name
    ("GAO Qi", "gao-qi"),
    ("Al Quds Trading Co", "alquds"),
    ("ALQUDS TRADING COMPANY", "alquds"),
    ("Beijing Zhong Ke Xing Yun Technology", "zhongke"),
    ("北京中科星云科技有限公司", "zhongke"),
    ("ПАО Газпром нефть", "gazpromneft"),  # Cyrillic with the Russian company type
    ("Gazprom Neft PJSC", "gazpromneft"),
    ("Rostekh Azimut LLC", "rostekh"),  # OOO is a limited liability company
    ("Zorbatron Industries G.m.b.H.", "zorbatron"),
    ("Kalashnikov Concern Joint Stock Company", "kalashnikov"),
    ("China Electronics Technology Group Corp. 14th Research Institute", "cetc14"),
    ("Mahan Airlines", "mahan"),
    ("TRADOS COMERCIO, S. DE R.L. DE C.V.", "trados"),
    ("Semicor LLC", "semicor"),
]


@pytest.mark.parametrize(("name", "expected"), MATCHES)
def test_matches(screener: Screener, name: str, expected: str) -> None:
    list_id, score, band = best(screener, name)
    assert (list_id, band) == (expected, "match"), (name, score)


# Names that must not match anything (they may at most need a review).
NON_MATCHES = [
    "11420 CORP.",  # only against its own entry, tested below
    "Acme Technologies Co., Ltd.",  # shares only generic words with Huawei
    "International Trading Company",
    "Global Trading LLC",  # Sunrise Global Trading LLC without its distinctive word
    "Xiaomi Technologies Co., Ltd.",
    "Gao Qiang",  # another person
    "China Electronics Technology Group Corporation 15th Research Institute",
    "Zorbatech Industries GmbH",  # the distinctive word changed
    "John Smith",
]


@pytest.mark.parametrize("name", NON_MATCHES[1:])
def test_non_matches(screener: Screener, name: str) -> None:
    assert all(m.band is not Band.MATCH for m in screener.match(name)), name


def test_generic_words_never_match_on_their_own(screener: Screener) -> None:
    """BELLETECH CORP is not 11420 CORP.: the company type is all they share."""
    assert [m.entry.list_id for m in screener.match("BELLETECH CORP")] == ["belletech"]
    assert [m.entry.list_id for m in screener.match("11420 CORP.")] == ["11420"]
    assert screener.match("CORP.") == [] or all(m.score < 0.7 for m in screener.match("CORP."))


def test_numbers_must_agree(screener: Screener) -> None:
    matches = screener.match("China Electronics Technology Group Corporation 13th Research Institute")
    assert matches[0].entry.list_id == "cetc13"
    assert all(m.band is Band.REVIEW for m in matches[1:])


def test_an_alias_matches_while_the_primary_name_does_not(screener: Screener) -> None:
    (match,) = [m for m in screener.match("Jerusalem Trading") if m.band is Band.MATCH]
    assert match.entry.list_id == "alquds"
    assert match.entry.name == "AL-QUDS TRADING COMPANY"
    assert match.matched_name == "JERUSALEM TRADING"


def test_explanation_names_every_feature(screener: Screener) -> None:
    (top, *_) = screener.match("Huawei Technologies Co., Ltd.", "CN")
    assert set(top.explanation) == {
        "entry_coverage", "query_coverage", "name", "legal_form", "country", "address", "entity_type", "other_words",
    }  # fmt: skip
    assert top.explanation["country"] == 1.0
    assert top.explanation["legal_form"] == 1.0


def test_country_is_evidence_never_a_filter(screener: Screener) -> None:
    same = screener.match("Huawie Technologies", "CN")[0]
    other = screener.match("Huawie Technologies", "FR")[0]
    unknown = screener.match("Huawie Technologies")[0]
    assert same.entry.list_id == other.entry.list_id == unknown.entry.list_id == "huawei"
    assert other.score < unknown.score < same.score
    assert other.explanation["country"] == -1.0
    assert screener.match("Huawie Technologies", "HK")[0].explanation["country"] == 0.0


def test_address_is_evidence(screener: Screener) -> None:
    near = screener.screen("Zorbatron Industries", None, AS_OF, address="Hauptstrasse 5, Berlin")[0]
    far = screener.screen("Zorbatron Industries", None, AS_OF, address="1 Rue de Rivoli, Paris")[0]
    assert near.explanation["address"] == 1.0
    assert far.explanation["address"] == -1.0
    assert near.score > far.score
    assert far.entry.list_id == "zorbatron"


def test_hits_carry_status_and_terms(screener: Screener) -> None:
    (hit, *_) = screener.screen("Huawei Technologies", "CN", AS_OF)
    assert hit.status.in_force is True
    assert hit.status.license_policy == "Presumption of denial"
    assert hit.entry.list_code.value == "EL"
    assert 0.0 <= hit.score <= 1.0


def test_an_entry_not_yet_listed_on_the_date() -> None:
    """The status function decides; the default knows only the snapshot and the start date."""
    huawei = entry("Huawei Technologies Co., Ltd.", start=date(2019, 5, 21), list_id="h")
    screener = Screener.build([huawei])
    before = screener.screen("Huawei Technologies", None, date(2019, 5, 15))
    assert [h.status.in_force for h in before] == [None]  # possibly listed: never "not listed"
    assert "possibly listed" in before[0].status.reason
    after_start = screener.screen("Huawei Technologies", None, date(2019, 6, 1))
    assert [h.status.in_force for h in after_start] == [True]

    def dated(e: ListEntry, day: date) -> EntryStatus:
        listed = day >= date(2019, 5, 16)
        return EntryStatus(e, day, listed, "listed effective 2019-05-16" if listed else "not yet listed")

    dated_screener = Screener.build([huawei], entry_status=dated)
    assert [h.status.in_force for h in dated_screener.screen("Huawei Technologies", None, date(2019, 5, 15))] == [False]
    dropping = Screener.build([huawei], entry_status=dated, config=ScreeningConfig(include_not_in_force=False))
    assert dropping.screen("Huawei Technologies", None, date(2019, 5, 15)) == []
    assert len(dropping.screen("Huawei Technologies", None, date(2019, 5, 16))) == 1


def test_snapshot_status() -> None:
    e = entry("X", snapshot_date=SNAPSHOT_DATE)
    assert snapshot_status(e, SNAPSHOT_DATE).in_force is True
    assert snapshot_status(e, date(2020, 1, 1)).in_force is None


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "!!!",
        "...,,,---",
        "\x00\x01\x02\x1b[31m",
        "😀🚀🔥",
        "Huawei" * 2000,  # 12,000 characters
        "a " * 5000,
        "\u200b\u200d\ufeff",
        "ⅫⅪ",
        "\ud800",  # a lone surrogate
    ],
)
def test_empty_and_absurd_input(screener: Screener, name: str) -> None:
    hits = screener.screen(name, None, AS_OF)
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    if not any(ch.isalnum() for ch in name):
        assert hits == []


def test_control_characters_are_ignored(screener: Screener) -> None:
    assert best(screener, "Huawei\x00 Technologies\x07 Co.,\tLtd.")[0] == "huawei"


def test_thresholds(screener: Screener) -> None:
    strict = screener.with_config(ScreeningConfig(match_threshold=0.99, review_threshold=0.95))
    assert [m.band for m in strict.match("Huawie Technologies")] == []
    loose = screener.with_config(ScreeningConfig(match_threshold=0.5, review_threshold=0.3))
    assert len(loose.match("Huawie Technologies")) >= len(screener.match("Huawie Technologies"))
    assert len(screener.with_config(ScreeningConfig(max_hits=1)).match("China Electronics Technology")) <= 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"match_threshold": 0.5, "review_threshold": 0.6},
        {"match_threshold": 1.5},
        {"review_threshold": -0.1},
        {"max_hits": 0},
        {"algorithm": "name-v0"},
    ],
)
def test_bad_config(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        ScreeningConfig(**kwargs)  # type: ignore[arg-type]


def test_index_and_entries_must_agree() -> None:
    screener = Screener.build(LIST)
    with pytest.raises(InputError):
        Screener(screener.index, LIST[:-1])
