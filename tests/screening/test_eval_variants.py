"""The evaluation's variant rules do what their docstrings say, on hand-written entries.

Expected Wade-Giles spellings are read from Legeza's conversion table as printed in cjklib's
``wadegilespinyinmapping.csv`` (see docs/research/screening-eval.md), not from running the code.
"""

from __future__ import annotations

import random

import pytest
from benchmarks.screening_eval import romanise, variants
from rapidfuzz.distance import Levenshtein

from tests.screening.eval_factory import entry


def _rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


@pytest.mark.parametrize(
    ("pinyin", "wade_giles"),
    [
        ("zhi", "chih"),
        ("xi", "hsi"),
        ("qi", "ch'i"),
        ("ri", "jih"),
        ("zi", "tzŭ"),
        ("si", "ssŭ"),
        ("er", "êrh"),
        ("you", "yu"),
        ("yu", "yü"),
        ("bao", "pao"),
        ("tou", "t'ou"),
        ("guang", "kuang"),
        ("xue", "hsüeh"),
        ("ge", "ko"),
    ],
)
def test_wade_giles_table_rows(pinyin: str, wade_giles: str) -> None:
    assert romanise.wade_giles()[pinyin] == wade_giles


def test_wade_giles_table_is_complete_and_one_to_one() -> None:
    table = romanise.wade_giles()
    assert len(table) == 405  # the preferred forms of the source table
    assert len(set(table.values())) == len(table)


@pytest.mark.parametrize(
    ("word", "style", "expected"),
    [
        ("Baotou", "full", "Pao-t'ou"),
        ("Baotou", "taiwan", "Pao-tou"),
        ("Baotou", "joined", "Paotou"),
        ("Guanghua", "taiwan", "Kuang-hua"),
        ("Qinghua", "full", "Ch'ing-hua"),
        ("Sihuan", "taiwan", "Ssu-huan"),
        ("Zhongxing", "joined", "Chunghsing"),
    ],
)
def test_wade_giles_word(word: str, style: str, expected: str) -> None:
    assert romanise.wade_giles_word(word, style) == expected


@pytest.mark.parametrize("word", ["Chemical", "Industrial", "Co", "360"])
def test_not_pinyin_is_left_alone(word: str) -> None:
    assert romanise.wade_giles_word(word, "full") is None


def test_wade_giles_rule_rewrites_pinyin_words_of_a_chinese_entry() -> None:
    listed = entry("Baotou Guanghua Chemical Industrial Corporation", countries=("CN",))
    for seed in range(20):
        found = variants.wade_giles(listed, _rng(seed), english=frozenset())
        assert found is not None
        assert found.name.endswith("Chemical Industrial Corporation")
        assert found.name.split()[0] in ("Pao-t'ou", "Pao-tou", "Paotou")


def test_wade_giles_rule_needs_a_chinese_entry_and_spares_english() -> None:
    assert variants.wade_giles(entry("Baotou Guanghua Mining", countries=("RU",)), _rng(), english=frozenset()) is None
    found = variants.wade_giles(entry("Guanghua Mining", countries=("CN",)), _rng(), english=frozenset())
    assert found is not None
    assert found.name.endswith(" Mining")


def test_russian_variants() -> None:
    assert ("kh/h", "Habarovskiy") in romanise.russian_variants("Khabarovskiy")
    assert ("-iy/-y", "Khabarovsky") in romanise.russian_variants("Khabarovskiy")
    assert ("-ov/-off", "Ivanoff") in romanise.russian_variants("Ivanov")
    assert ("ks/x", "Alexandr") in romanise.russian_variants("Aleksandr")
    assert ("ei/ey", "SERGEY") in romanise.russian_variants("SERGEI")


def test_russian_rule_applies_to_russian_entries_only() -> None:
    assert variants.russian(entry("Khabarovsk Shipyard", countries=("CN",)), _rng()) is None
    found = variants.russian(entry("Khabarovsk Shipyard", countries=("RU",)), _rng())
    assert found is not None
    assert found.name != "Khabarovsk Shipyard"


def test_arabic_groups_and_patterns() -> None:
    assert "muhammad" in romanise.arabic_groups()["mohammad"]
    assert "husayn" in romanise.arabic_groups()["hussein"]
    rewrites = dict(romanise.arabic_variants("Mohammad Abdul Rahman al-Hashimi", _rng()))
    assert rewrites["word muhammad"].split()[0] in ("Muhammad", "Mohammed", "Mohamed", "Muhammed", "Mohamad", "Mohd")
    assert rewrites["abd al-/abdul"] in (
        "Mohammad Abd al-Rahman al-Hashimi",
        "Mohammad Abdel Rahman al-Hashimi",
        "Mohammad Abdol Rahman al-Hashimi",
    )
    assert rewrites["al-/el-"] == "Mohammad Abdul Rahman el-Hashimi"
    assert rewrites["article dropped"] == "Mohammad Abdul Rahman Hashimi"


def test_parenthetical_dropped() -> None:
    dropped = variants.parenthetical_dropped(entry("Huawei Technologies Co., Ltd. (Huawei)"), _rng())
    assert dropped == variants.Variant("Huawei Technologies Co., Ltd.", "parenthetical", "dropped")
    assert variants.parenthetical_dropped(entry("Harbin Engineering University Shipyard"), _rng()) is None


def test_parenthetical_dropped_takes_one_part_of_several() -> None:
    listed = entry("China Unicom (Hong Kong) Operations (Group) Limited")
    made = {variants.parenthetical_dropped(listed, _rng(seed)) for seed in range(20)}
    assert {v.name for v in made if v is not None} == {
        "China Unicom Operations (Group) Limited",
        "China Unicom (Hong Kong) Operations Limited",
    }


def test_parenthetical_added_initials_or_country() -> None:
    added = variants.parenthetical_added(entry("Harbin Engineering University Shipyard"), _rng())
    assert added == variants.Variant("Harbin Engineering University Shipyard (HEUS)", "parenthetical", "added initials")
    country = variants.parenthetical_added(entry("Rocket Works LLC", countries=("RU",)), _rng())
    assert country == variants.Variant("Rocket Works LLC (Russian Federation)", "parenthetical", "added country")


def test_parenthetical_added_needs_an_organisation_without_one() -> None:
    assert variants.parenthetical_added(entry("GAO, Qi", kind="Individual"), _rng()) is None
    assert variants.parenthetical_added(entry("Huawei Technologies Co., Ltd. (Huawei)"), _rng()) is None


def test_typo_is_one_or_two_slips_keeping_first_letters() -> None:
    listed = entry("Northwestern Polytechnical University")
    for seed in range(30):
        found = variants.typo(listed, _rng(seed))
        assert found is not None
        assert 1 <= Levenshtein.distance(found.name, listed.name) <= 4  # a swap costs two edits
        assert [w[0] for w in found.name.split()] == [w[0] for w in listed.name.split()]


def test_abbreviation_uses_the_table() -> None:
    listed = entry("China Electronics Technology Group Corporation")
    for seed in range(10):
        found = variants.abbreviation(listed, _rng(seed))
        assert found is not None
        for original, written in zip(listed.name.split(), found.name.split(), strict=True):
            assert written == original or written.rstrip(".") == variants.ABBREVIATIONS[original.lower()].rstrip(".")


def test_legal_form_swapped_dropped_or_added() -> None:
    for seed in range(20):
        found = variants.legal_form(entry("OOO Transoil"), _rng(seed))
        assert found is not None
        assert "Transoil" in found.name
        rest = found.name.replace("Transoil", "").strip()
        assert rest in ("", "LLC", "Limited Liability Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu")
    added = variants.legal_form(entry("Acme Rocket Works"), _rng())
    assert added is not None
    assert added.name.startswith("Acme Rocket Works ")
    assert added.subkind == "added"
    assert variants.legal_form(entry("GAO, Qi", kind="Individual"), _rng()) is None


def test_reorder() -> None:
    person = variants.reorder(entry("GAO, Qi", kind="Individual"), _rng())
    assert person == variants.Variant("Qi GAO", "reorder", "given name first")
    company = variants.reorder(entry("Hangzhou Hikvision Digital Technology Co., Ltd."), _rng())
    assert company is not None
    assert company.name == "Hikvision Digital Technology Hangzhou Co., Ltd."


def test_punctuation() -> None:
    found = variants.punctuation(entry("Al-Naser Airlines"), _rng(1))
    assert found is not None
    assert found.name in ("Al Naser Airlines", "AlNaser Airlines")
