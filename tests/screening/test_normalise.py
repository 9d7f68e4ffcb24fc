from __future__ import annotations

import pytest

from earcheck.screening.lexicon import DISTINCTIVE, GENERIC, PLACE, STOP, load_lexicon
from earcheck.screening.normalise import MAX_WORDS, listed_forms, normalise

LEXICON = load_lexicon("v1")


def words(text: str) -> tuple[str, ...]:
    return normalise(text, LEXICON).words


def legal(text: str) -> frozenset[str]:
    return normalise(text, LEXICON).legal


@pytest.mark.parametrize(
    "text",
    [
        "Huawei Technologies Co., Ltd.",
        "Huawei Technologies Company Limited",
        "HUAWEI TECHNOLOGIES CO LTD",
        "Huawei Technologies Co. Limited",
        "华为技术有限公司",
        "Huawei Technologies Ltd.",
    ],
)
def test_company_types_are_set_aside_as_one_family(text: str) -> None:
    assert words(text) == ("huawei", "technology")
    assert legal(text) == {"limited"}


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Acme LLC", "limited"),
        ("Acme L.L.C.", "limited"),
        ("OOO Acme", "limited"),
        ("ООО Акме", "limited"),
        ("Limited Liability Company Acme", "limited"),
        ("Acme GmbH", "limited"),
        ("Acme Pte. Ltd.", "limited"),
        ("Acme Sdn. Bhd.", "limited"),
        ("Acme S.A.", "joint_stock"),
        ("Acme S.A. de C.V.", "joint_stock"),
        ("Acme AG", "joint_stock"),
        ("JSC Acme", "joint_stock"),
        ("АО Акме", "joint_stock"),
        ("ПАО Акме", "joint_stock"),
        ("Acme Joint Stock Company", "joint_stock"),
        ("Acme Inc.", "corporation"),
        ("Acme Corp", "corporation"),
        ("Acme GmbH & Co. KG", "partnership"),
    ],
)
def test_company_types_across_languages(text: str, family: str) -> None:
    assert legal(text) == {family}
    assert words(text) in {("acme",), ("akme",)}


def test_a_company_type_in_the_middle_is_a_generic_word() -> None:
    name = normalise("Tactical Missile Corporation, Joint Stock Company Plant Dagdiesel", LEXICON)
    assert "dagdiesel" in name.words
    assert "joint" in name.words
    assert name.kinds[name.words.index("joint")] == GENERIC


def test_a_name_that_is_only_a_company_type_keeps_it() -> None:
    assert words("Limited") == ("limited",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Semiconductor Mfg Intl Corp", ("semiconductor", "manufacturing", "international")),
        ("Beijing Computing Sci Res Ctr", ("beijing", "computing", "science", "research", "center")),
        ("Xi'an Aerospace", ("xian", "aerospace")),
        ("Xi’an Aerospace", ("xian", "aerospace")),
        ("China Electronics Technology Group Corporation 13th Research Institute",
         ("china", "electronic", "technology", "group", "corporation", "13", "research", "institute")),
        ("Müller & Söhne", ("muller", "and", "sohne")),
    ],
)  # fmt: skip
def test_words(text: str, expected: tuple[str, ...]) -> None:
    assert words(text) == expected


def test_kinds() -> None:
    name = normalise("Beijing Huawei Technology and Trading", LEXICON)
    assert dict(zip(name.words, name.kinds, strict=True)) == {
        "beijing": PLACE, "huawei": DISTINCTIVE, "technology": GENERIC, "and": STOP, "trading": GENERIC,
    }  # fmt: skip
    assert not name.strict
    assert normalise("China Mobile", LEXICON).strict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("华为技术有限公司", ("huawei", "technology")),
        ("中芯国际集成电路制造有限公司", ("semiconductor", "manufacturing", "international")),
        ("北京中科星云科技有限公司", ("beijing", "zhongkexingyun", "technology")),
        ("深圳市大疆创新科技有限公司", ("shenzhen", "dajiang", "innovation", "technology")),
        ("香港天乐国际有限公司", ("hong", "kong", "tianle", "international")),
        ("罗峰", ("luo", "feng")),  # a person: family name, given name
        ("王小明", ("wang", "xiaoming")),
    ],
)
def test_chinese(text: str, expected: tuple[str, ...]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Рога и копыта", ("roga", "i", "kopyta")),
        ("Ελληνικά", ("ellinika",)),
        ("삼성전자", ("samseongjeonja",)),
    ],
)
def test_other_scripts_in_ascii(text: str, expected: tuple[str, ...]) -> None:
    found = words(text)
    assert found == tuple(w for w in expected if len(w) > 1)


@pytest.mark.parametrize("text", ["", "   ", "!!!", "😀🚀", "\x00\x1f\x7f", "\u200b\ufeff", "..."])
def test_nothing_to_compare(text: str) -> None:
    assert normalise(text, LEXICON).empty


def test_emoji_never_become_words() -> None:
    assert words("Acme 😀 Trading") == ("acme", "trading")


def test_long_input_is_cut_and_says_so() -> None:
    name = normalise("word" * 5000, LEXICON)
    assert name.truncated
    assert len(name.words) == 1
    many = normalise(" ".join(f"w{i}" for i in range(500)), LEXICON)
    assert many.truncated
    assert len(many.words) == MAX_WORDS


def test_typos_in_generic_words_are_corrected_only_for_screened_names() -> None:
    known = {"acme"}
    assert normalise("Acme Internatinal Limted", LEXICON, known=known).words == ("acme", "international")
    assert normalise("Acme Internatinal Limted", LEXICON).words == ("acme", "internatinal", "limted")
    # A distinctive word is never "corrected", nor a word the lists use.
    assert normalise("Zorbex", LEXICON, known=known).words == ("zorbex",)
    assert normalise("Limted", LEXICON, known={"limted"}).words == ("limted",)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Huawei Technologies Co., Ltd. (Huawei)",
         ("Huawei Technologies Co., Ltd. (Huawei)", "Huawei Technologies Co., Ltd", "Huawei")),
        ("Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Beijing Huawei Longshine Co., Ltd.",
         ("Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Beijing Huawei Longshine Co., Ltd",
          "Beijing Huawei Longshine Co., Ltd")),
        ("FERDIE (A.K.A. FERNANDO SERO) RESADA", ("FERDIE (A.K.A. FERNANDO SERO) RESADA", "FERNANDO SERO",
                                                  "FERDIE RESADA")),
        ("National University of Defense Technology (NUDT)",
         ("National University of Defense Technology (NUDT)", "National University of Defense Technology",
          "NUDT")),
        ("Semiconductor Manufacturing International (Beijing) Corporation",
         ("Semiconductor Manufacturing International (Beijing) Corporation",)),
        ("GAZPROMBANK (SWITZERLAND) LTD", ("GAZPROMBANK (SWITZERLAND) LTD",)),
        ("Huawei Technologies (UK) Co., Ltd.", ("Huawei Technologies (UK) Co., Ltd",)),
        ("Ministry of Defence of the Russian Federation, including the Armed Forces of Russia",
         ("Ministry of Defence of the Russian Federation, including the Armed Forces of Russia",
          "Ministry of Defence of the Russian Federation")),
    ],
)  # fmt: skip
def test_listed_forms(name: str, forms: tuple[str, ...]) -> None:
    assert listed_forms(name, LEXICON) == forms
