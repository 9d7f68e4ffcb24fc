"""name-v2's romanisation tables, pinned with names written as real documents write them.

Expected pairings come from the published systems, read independently of the tables under test:
the Library of Congress Wade-Giles/pinyin correspondences, Taiwan's Tongyong place names, Hong Kong and
Singapore surname spellings, the Cyrillic schemas of the iuliia package (transcriptions of BGN/PCGN,
ICAO Doc 9303, GOST R 52535 and the rest), the examples of the Ukrainian romanisation resolution
No. 55 of 2010, and common Arabic and Persian spellings.
"""

from __future__ import annotations

import pytest

from earcheck.lists import Band
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.romanisation import Romanisation
from earcheck.screening.screener import Screener

from .conftest import entry


@pytest.fixture(scope="module")
def tables() -> Romanisation:
    romanisation = load_lexicon("v2").romanisation
    assert romanisation is not None
    return romanisation


def one_name(tables: Romanisation, a: str, b: str) -> bool:
    return bool(set(tables.keys(a)) & set(tables.keys(b)))


@pytest.mark.parametrize(
    ("wade_giles", "pinyin"),
    [
        ("paotou", "baotou"),  # Pao-t'ou, Inner Mongolia
        ("kuanghua", "guanghua"),
        ("ssuyuan", "siyuan"),  # ssu = si
        ("szuyuan", "siyuan"),  # szu, the other spelling of ssu
        ("hsinchu", "xinzhu"),  # Hsinchu, Taiwan: hs = x, ch = zh
        ("chungshan", "zhongshan"),  # -ung = -ong
        ("kuei", "gui"),
        ("jenmin", "renmin"),  # j = r
        ("chihua", "zhihua"),  # chih = zhi
        ("tsai", "cai"),  # ts' = c
        ("tzu", "zi"),
        ("hsueh", "xue"),  # hsüeh, umlaut dropped
        ("huo", "huo"),
        ("lai", "lai"),  # the final -ai, which pypinyin's table writes -ei
    ],
)
def test_wade_giles_meets_pinyin(tables: Romanisation, wade_giles: str, pinyin: str) -> None:
    assert one_name(tables, wade_giles, pinyin)


@pytest.mark.parametrize(
    ("spelling", "pinyin"),
    [
        ("sinjhuang", "xinzhuang"),  # Sinjhuang District (Tongyong)
        ("jhongshan", "zhongshan"),
        ("peking", "beijing"),  # Postal
        ("tsinghua", "qinghua"),
        ("tientsin", "tianjin"),
        ("chan", "chen"),  # Hong Kong 陳
        ("cheung", "zhang"),
        ("wong", "huang"),
        ("tan", "chen"),  # Singapore 陳
        ("lim", "lin"),
        ("goh", "wu"),
    ],
)
def test_taiwan_postal_hong_kong_and_singapore_spellings(tables: Romanisation, spelling: str, pinyin: str) -> None:
    assert one_name(tables, spelling, pinyin)


@pytest.mark.parametrize(("a", "b"), [("huawei", "huawai"), ("beijing", "nanjing"), ("chen", "lin"), ("tan", "lin")])
def test_different_chinese_names_stay_apart(tables: Romanisation, a: str, b: str) -> None:
    assert not any(key.startswith("zh:") for key in set(tables.keys(a)) & set(tables.keys(b)))


RUSSIAN = ("Дмитрий Юрьевич Хрущёв", "Евгений Викторович Пригожин", "Алексей Анатольевич Навальный",
           "Наталья Яковлева Щербакова", "Фёдор Ильич Жуков", "Сергей Чемезов", "Мария Цветаева",
           "Илья Кузьмин", "Олег Дерипаска", "Виктор Вексельберг", "Юрий Ковальчук", "Аркадий Ротенберг")  # fmt: skip


def _schemas() -> list[str]:
    import yaml

    from earcheck.screening import lexicon

    text = (lexicon.resources.files("earcheck.screening") / "data" / "v2" / "cyrillic.yaml").read_text("utf-8")
    return list(yaml.safe_load(text)["verified_with"])


@pytest.mark.parametrize("schema", _schemas())
def test_every_cyrillic_system_gives_the_bgn_pcgn_key(tables: Romanisation, schema: str) -> None:
    iuliia = pytest.importorskip("iuliia")
    from anyascii import anyascii

    reference = iuliia.schemas.get("bgn_pcgn")
    other = iuliia.schemas.get(schema)
    for name in RUSSIAN:
        for word in name.split():
            ours = anyascii(reference.translate(word)).lower().replace("'", "").replace('"', "")
            theirs = anyascii(other.translate(word)).lower().replace("'", "").replace('"', "")
            assert one_name(tables, ours, theirs), f"{word}: {ours} (BGN/PCGN) / {theirs} ({schema})"


@pytest.mark.parametrize(
    ("national_2010", "bgn_pcgn"),
    [
        ("kostiantyn", "kostyantyn"),  # Костянтин
        ("oleksii", "oleksiy"),  # Олексій
        ("yurii", "yuriy"),  # Юрій
        ("feodosiia", "feodosiya"),  # Феодосія
        ("znamianka", "znamyanka"),  # Знам'янка
        ("hadiach", "hadyach"),  # Гадяч
        ("zelenskyi", "zelenskyy"),  # Зеленський
    ],
)
def test_ukrainian_national_system_and_bgn_pcgn(tables: Romanisation, national_2010: str, bgn_pcgn: str) -> None:
    assert one_name(tables, national_2010, bgn_pcgn)


@pytest.mark.parametrize(
    ("a", "b"),
    [("smirnoff", "smirnov"), ("iwanow", "ivanov"), ("dmitri", "dmitriy"),
     ("tcarev", "tsarev"), ("fiodor", "fyodor"), ("alexandr", "aleksandr")],
)  # fmt: skip
def test_informal_russian_spellings(tables: Romanisation, a: str, b: str) -> None:
    assert one_name(tables, a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("mohammad", "muhammad"), ("mohamed", "muhammed"), ("mohd", "muhammad"), ("hussein", "husayn"),
        ("hossein", "husayn"), ("abdel", "abdul"), ("yousef", "yusuf"), ("qasem", "ghasem"), ("osman", "uthman"),
        ("abdulrahman", "abderrahmane"), ("jamaleddine", "jamalaldin"), ("aliyan", "alayan"), ("fadwi", "fadavi"),
        ("nasrallah", "nasrullah"),
    ],
)  # fmt: skip
def test_arabic_and_persian_spellings(tables: Romanisation, a: str, b: str) -> None:
    assert one_name(tables, a, b)


@pytest.mark.parametrize(("a", "b"), [("hasan", "husayn"), ("ahmad", "hamid"), ("karim", "kamal")])
def test_different_arabic_names_stay_apart(tables: Romanisation, a: str, b: str) -> None:
    assert not one_name(tables, a, b)


def test_a_wade_giles_company_name_matches_its_pinyin_entry_and_says_why() -> None:
    screener = Screener.build(
        [entry("Baotou Guanghua Chemical Industrial Corporation", countries=("CN",), list_id="baotou"),
         entry("Beijing Siyuan Electronic Co., Ltd.", countries=("CN",), list_id="siyuan")]
    )  # fmt: skip
    (top, *_) = screener.match("Pao-tou Kuanghua Chemical Industrial Corporation")
    assert top.entry.list_id == "baotou"
    assert top.band is Band.MATCH
    assert any("wade-giles" in note for note in top.variants)
    (top, *_) = screener.match("Peking Ssuyuan Electronic Co., Ltd.")
    assert top.entry.list_id == "siyuan"
    assert top.band is Band.MATCH
    assert any("postal" in note for note in top.variants)


def test_russian_and_arabic_variants_match_listed_people() -> None:
    screener = Screener.build(
        [entry("KHRUSHCHEV, Dmitriy Yuryevich", list_id="ru"), entry("HUSAYN, Muhammad Abd al-Rahman", list_id="ar")]
    )
    assert screener.match("Dmitrii Iurevich Khrushchev")[0].entry.list_id == "ru"
    assert screener.match("Dmitrii Iurevich Khrushchev")[0].band is Band.MATCH
    top = screener.match("Mohammed Abdulrahman Hussein")[0]
    assert top.entry.list_id == "ar"
    assert top.band is Band.MATCH


def test_names_of_digits_match_only_as_written() -> None:
    screener = Screener.build([entry("SOME SHIPPING LLC", "1-P", list_id="one-p")])
    assert not screener.match("1")
    assert not screener.match("1 P 2")
    assert screener.match("1-P")[0].score == 1.0


def test_an_organisation_against_an_individual_counts_against() -> None:
    person = entry("ZORBATRON, Gregor", list_id="person")
    person = type(person)(**{**{f: getattr(person, f) for f in person.__slots__}, "entity_type": "Individual"})
    screener = Screener.build([person])
    top = screener.match("Zorbatron Gregor Trading LLC")
    assert not top or top[0].explanation["entity_type"] == -1.0
    assert screener.match("Gregor Zorbatron")[0].explanation["entity_type"] == 0.0


def test_traditional_and_simplified_characters_are_one_name() -> None:
    screener = Screener.build([entry("Example Alias Company", "長江存儲科技有限責任公司", list_id="ymtc")])
    assert screener.match("长江存储科技有限责任公司")[0].entry.list_id == "ymtc"
    assert screener.match("长江存储科技有限责任公司")[0].score == 1.0
