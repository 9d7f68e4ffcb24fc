"""name-v4's tables (``data/v3``) and its ordinal rule, each on a real name in Chinese characters beside the
English name the lists write for the same organisation, with where the pairing was read.

Each case is also screened under name-v3 (tables ``v2``): what the new table entry changes is shown by
the two results, so a case that name-v3 already found would not be here.
"""

from __future__ import annotations

import pytest

from earcheck.lists import Band, ListCode
from earcheck.screening.chinese import chinese_number, han_to_words
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.screener import Screener, ScreeningConfig

from .conftest import entry

# English names as the Entity List writes these organisations; the Chinese names were read beside the
# English ones in the sources named (look-ups made with the search tool's "pages" corpus, 2026-12-08).
CAEP = entry("China Academy of Engineering Physics", countries=("CN",), list_id="caep")
# en.wikipedia-on-ipfs.org/wiki/China_Academy_of_Engineering_Physics: "China Academy of Engineering
# Physics (CAEP) (Chinese: 中国工程物理研究院 ...)".
NINT = entry("Northwest Institute of Nuclear Technology", countries=("CN",), list_id="nint")
# de.wikipedia.org "Nordwestchinesisches Forschungsinstitut für Kerntechnik": "(chinesisch 西北核技術研究院 /
# 西北核技术研究院 ...), wegen der englischen Bezeichnung Northwest Institute of Nuclear Technology".
CETC = "China Electronics Technology Group Corporation"
CETC14 = entry(f"{CETC} 14th Research Institute", countries=("CN",), list_id="cetc14")
# digitalpaper.stdaily.com (科技日报, 2019-05-24): "中国电子科技集团有限公司第14研究所"; the institute's
# usual written form spells the number in characters, 第十四研究所.
CETC38 = entry(f"{CETC} 38th Research Institute", countries=("CN",), list_id="cetc38")
# patents.google.com/patent/CN103071269B: original assignee "CETC 38 Research Institute" (中国电子科技集团公司
# 第三十八研究所).
GERMAN = entry("NORDSTERN HANDEL GMBH", countries=("DE",), list_id="nordstern")  # invented, in the lists' form
TRADING = entry("AL NOOR GENERAL TRADING LLC", countries=("AE",), list_id="al-noor")  # invented, in the lists' form
PETROV = entry("PETROV, Petr Ivanovich", code=ListCode.SDN, countries=("RU",), list_id="petrov")  # invented
ENTRIES = [CAEP, NINT, CETC14, CETC38, GERMAN, TRADING, PETROV]


@pytest.fixture(scope="module")
def screeners() -> dict[str, Screener]:
    return {name: Screener.build(ENTRIES, config=ScreeningConfig(algorithm=name)) for name in ("name-v3", "name-v4")}


def band(screener: Screener, name: str, list_id: str) -> Band | None:
    for found in screener.match(name):
        if found.entry.list_id == list_id:
            return found.band
    return None


@pytest.mark.parametrize(
    ("query", "list_id"),
    [
        ("中国工程物理研究院", "caep"),  # 工程物理研究院: academy of engineering physics (物理 was "wuli")
        ("中國工程物理研究院", "caep"),  # the same in traditional characters
        ("西北核技术研究院", "nint"),  # 西北 northwest, 核技术 nuclear technology
        ("中国电子科技集团公司第十四研究所", "cetc14"),  # 第十四 -> 14
        ("中国电子科技集团公司第三十八研究所", "cetc38"),  # 第三十八 -> 38
        ("NORDSTERN HANDEL Gesellschaft mit beschraenkter Haftung", "nordstern"),  # GmbHG section 4's long form
        ("AL NOOR GEN. TRDG. LLC", "al-noor"),
    ],
)
def test_name_v4_finds_what_name_v3_did_not(screeners: dict[str, Screener], query: str, list_id: str) -> None:
    assert band(screeners["name-v4"], query, list_id) is Band.MATCH
    assert band(screeners["name-v3"], query, list_id) is not Band.MATCH


def test_petr_is_still_a_given_name(screeners: dict[str, Screener]) -> None:
    # "Petr" (Пётр, BGN/PCGN "Pëtr") is not read as an abbreviation of petroleum.
    assert band(screeners["name-v4"], "PETROFF, Petr Ivanovich", "petrov") is Band.MATCH


def test_a_numbered_institute_is_not_another_number(screeners: dict[str, Screener]) -> None:
    # The number is the distinctive part: the 14th institute must not be a match for the 38th.
    assert band(screeners["name-v4"], "中国电子科技集团公司第十四研究所", "cetc38") is not Band.MATCH


@pytest.mark.parametrize(
    ("numerals", "value"),
    [("十四", 14), ("三十八", 38), ("二十", 20), ("十", 10), ("七〇七", 707), ("七一八", 718), ("一百零八", 108)],
)
def test_chinese_numbers(numerals: str, value: int) -> None:
    assert chinese_number(numerals) == value


@pytest.mark.parametrize("numerals", ["十十", "四三十", "百百"])
def test_malformed_chinese_numbers_are_none(numerals: str) -> None:
    assert chinese_number(numerals) is None


def test_an_ordinal_that_is_no_number_is_left_as_characters() -> None:
    # 第 beside 十十 is no number: the characters go to pinyin as any other run does.
    assert "10" not in han_to_words("第十十研究所", load_lexicon("v3"))


def test_tables_v2_are_unchanged_by_v3() -> None:
    # name-v3's results are reproducible: its table still reads 物理 as pinyin and keeps 第十四 as characters.
    v2 = load_lexicon("v2")
    assert han_to_words("中国工程物理研究院", v2).split() == ["china", "engineering", "wuli", "research", "institute"]
    assert "14" not in han_to_words("第十四研究所", v2)
    assert not v2.han_ordinals
    assert load_lexicon("v3").han_ordinals


# Both entries as OFAC's SDN list writes them (aliases "PCC UK" and "PCC FZE" of two subsidiaries of Iran's
# Petrochemical Commercial Company, SDN.CSV in ../shared/data).
PCC_UK = entry("PETROCHEMICAL COMMERCIAL COMPANY (U.K.) LIMITED", "PCC (UK)", "PCC UK", code=ListCode.SDN, list_id="uk")
PCC_FZE = entry("PETROCHEMICAL COMMERCIAL COMPANY FZE", "PCC FZE", code=ListCode.SDN, list_id="fze")


@pytest.mark.parametrize(("algorithm", "first"), [("name-v3", None), ("name-v4", "uk")])
def test_the_entry_written_with_the_parenthesis_ranks_first(algorithm: str, first: str | None) -> None:
    screener = Screener.build([PCC_FZE, PCC_UK], config=ScreeningConfig(algorithm=algorithm))
    hits = screener.match("PCC (UK)")
    assert {h.entry.list_id for h in hits if h.band is Band.MATCH} == {"uk", "fze"}  # both still matches
    if first is None:  # name-v3: a tie at 1.0, the order left to the index
        assert hits[0].score == hits[1].score == 1.0
    else:
        assert hits[0].entry.list_id == first
        assert hits[0].score > hits[1].score
