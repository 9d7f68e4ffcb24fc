"""name-v2 on people's names as the lists write them: patronymics, the Russian / Ukrainian / Belarusian
forms of one given name, titles, and Russian company types spelt several ways.

Each expected pairing is one the lists make themselves: in the CSL of 2026-07-31 (../shared/data) the
names on each side are a name and an alias of one entry, e.g. "KOSTYUKOV, Igor Olegovich" with
"KOSTYUKOV, Igor"; "SOSONNYY, Aleksey Petrovich" with "SOSONNYY, Oleksiy Petrovych"; "SHVENK, Inna
VOLODYMYRIVNA" with "SHVENK, Inna Vladimirovna"; "VOSTOK ZOLOTO" with "VOSTOK GOLD";
"WAKIL, Haji Sahib Rohullah"; "OBSHCHESTVO S
OGRANICHENNOI OTVETSTVENNOSTIU MODUL ELEKTRONIKA" with "OOO MODUL ELEKTRONIKA". The look-alikes are
other people: a different patronymic is a different father.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from earcheck.lists import Band, ListCode
from earcheck.screening.lexicon import GENERIC, load_lexicon
from earcheck.screening.normalise import normalise
from earcheck.screening.screener import Screener
from earcheck.sources import csl

from .conftest import entry

LEXICON = load_lexicon("v2")

PEOPLE = (
    entry("KOSTYUKOV, Igor Olegovich", code=ListCode.SDN, list_id="kostyukov"),
    entry("IVANOV, Sergei Aleksandrovich", code=ListCode.SDN, list_id="ivanov"),
    entry("ABRAMOVICH, Roman Arkadyevich", code=ListCode.SDN, list_id="abramovich"),
    entry("SOSONNYY, Aleksey Petrovich", code=ListCode.SDN, list_id="sosonnyy"),
    entry("SHVENK, Inna VOLODYMYRIVNA", code=ListCode.SDN, list_id="shvenk"),
    entry("FEDASENKA, Katsyaryna Alyaksandrauna", code=ListCode.SDN, list_id="fedasenka"),
    entry("WAKIL, Haji Sahib Rohullah", code=ListCode.SDN, list_id="wakil"),
    entry("SHABAN, Adib", code=ListCode.SDN, list_id="shaban"),
    entry("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU MODUL ELEKTRONIKA", code=ListCode.SDN, list_id="modul"),
    entry("OTKRYTOYE AKTSIONERNOYE OBSHCHESTVO RADIOPRIBOR", code=ListCode.SDN, list_id="radiopribor"),
    entry("VOSTOK ZOLOTO", code=ListCode.SDN, list_id="vostok-zoloto"),
    entry("VOSTOK", code=ListCode.SDN, list_id="vostok"),
)


@pytest.fixture(scope="module")
def people() -> Screener:
    return Screener.build(PEOPLE)


def best(screener: Screener, name: str) -> tuple[str | None, str | None]:
    found = screener.match(name)
    return (found[0].entry.list_id, found[0].band.value) if found else (None, None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("KOSTYUKOV, Igor", "kostyukov"),  # the patronymic left out
        ("KOSTYUKOV, Igor Olegovych", "kostyukov"),  # the patronymic in Ukrainian form
        ("SOSONNYY, Oleksiy Petrovych", "sosonnyy"),  # Ukrainian forms of the given name and patronymic
        ("SHVENK, Inna Vladimirovna", "shvenk"),  # the patronymic of Volodymyr in its Russian form
        ("FEDOSENKO, Yekaterina Aleksandrovna", "fedasenka"),  # Russian forms of Belarusian names
        ("SHABAN, Dr. Adib", "shaban"),  # a title
        ("OOO MODUL ELEKTRONIKA", "modul"),  # the company type abbreviated
        ("JOINT STOCK COMPANY RADIOPRIBOR", "radiopribor"),  # the company type in English
        ("VOSTOK GOLD", "vostok-zoloto"),  # a corporate word translated (issue 11 names this pair)
    ],
)
def test_the_lists_own_variants_match(people: Screener, name: str, expected: str) -> None:
    assert best(people, name) == (expected, Band.MATCH.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IVANOV, Sergei Petrovich", "ivanov"),  # another father: another person
        ("IVANOV, Serhiy Mykolayovych", "ivanov"),
    ],
)
def test_a_different_patronymic_is_review_at_best(people: Screener, name: str, expected: str) -> None:
    assert best(people, name) == (expected, Band.REVIEW.value)


def test_a_surname_ending_like_a_patronymic_stays_distinctive() -> None:
    name = normalise("ABRAMOVICH, Roman Arkadyevich", LEXICON)
    kinds = dict(zip(name.words, name.kinds, strict=True))
    assert kinds["abramovich"] != GENERIC
    assert kinds["arkadyevich"] == GENERIC


def test_without_the_comma_no_word_is_read_as_a_patronymic() -> None:
    name = normalise("Roman Arkadyevich Abramovich", LEXICON)
    assert GENERIC not in name.kinds


def test_another_surname_with_the_same_given_name_and_patronymic_is_not_a_match(people: Screener) -> None:
    assert best(people, "ROMANOV, Roman Arkadyevich")[1] != Band.MATCH.value


@pytest.mark.shared_data
def test_the_pairs_are_the_lists_own(shared_data: Path) -> None:
    names = {frozenset(e.names) for e in csl.parse(shared_data / "csl" / "consolidated.csv", as_of=date(2026, 7, 31))}
    pairs = [
        ("KOSTYUKOV, Igor Olegovich", "KOSTYUKOV, Igor"),
        ("SHVENK, Inna VOLODYMYRIVNA", "SHVENK, Inna Vladimirovna"),
        ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU MODUL ELEKTRONIKA", "OOO MODUL ELEKTRONIKA"),
    ]
    for pair in pairs:
        assert any(set(pair) <= entry_names for entry_names in names), pair


# Two different people's names in characters that read alike in pinyin: 张磊 (Zhang Lei, 磊 "stones")
# and 张雷 (Zhang Lei, 雷 "thunder"). A list that writes "LEI, Zhang" cannot say which it means.
WRITTEN = (
    replace(entry("LEI, Zhang", code=ListCode.SDN, list_id="zhang-lei"), entity_type="Individual"),
    entry("Ren Chao Software Co., Ltd.", countries=("CN",), list_id="ren-chao"),
    entry("Huawei Technologies Co., Ltd. (Huawei)", countries=("CN",), list_id="huawei"),
)


@pytest.fixture(scope="module")
def written() -> Screener:
    return Screener.build(WRITTEN)


def test_characters_read_alike_in_pinyin() -> None:
    assert normalise("张磊", LEXICON).words == normalise("张雷", LEXICON).words == ("zhang", "lei")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张磊", "zhang-lei"),  # against a listed person
        ("张雷", "zhang-lei"),
        ("任超", "ren-chao"),  # a personal name against a company named after the same syllables
    ],
)
def test_a_name_in_characters_is_review_at_best_when_romanisation_cannot_tell(
    written: Screener, name: str, expected: str
) -> None:
    assert best(written, name) == (expected, Band.REVIEW.value)


def test_a_company_in_characters_still_matches(written: Screener) -> None:
    assert best(written, "华为") == ("huawei", Band.MATCH.value)
    assert best(written, "华为技术有限公司") == ("huawei", Band.MATCH.value)
    assert best(written, "LEI, Zhang") == ("zhang-lei", Band.MATCH.value)  # the list's own writing


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("aleksandr", "oleksandr"),  # Russian / Ukrainian (BGN/PCGN)
        ("aleksandr", "alyaksandr"),  # Russian / Belarusian
        ("sergey", "siarhei"),
        ("vladimirovna", "volodymyrivna"),  # patronymics of one name
        ("aleksandrovich", "alyaksandravich"),
    ],
)
def test_the_slavic_name_groups_pair_the_forms_of_one_name(a: str, b: str) -> None:
    assert LEXICON.romanisation is not None
    assert LEXICON.romanisation.explain(a, b) is not None


@pytest.mark.parametrize(("a", "b"), [("aleksandr", "aleksey"), ("vladimirovna", "vladislavovna"), ("olga", "oleg")])
def test_different_names_are_not_paired(a: str, b: str) -> None:
    assert LEXICON.romanisation is not None
    assert not any(k.startswith("ru:=") for k in LEXICON.romanisation.key_set(a) & LEXICON.romanisation.key_set(b))
