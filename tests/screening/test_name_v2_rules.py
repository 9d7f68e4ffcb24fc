"""name-v2's rules for names never seen, each on a hand-written list: what each rule must find, and the
look-alikes it must leave in review or below (``earcheck.screening.algorithms``, items 9-14)."""

from __future__ import annotations

import pytest

from earcheck.lists import ListCode
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.normalise import screened_forms, unqualified_forms
from earcheck.screening.screener import Screener

from .conftest import entry

LEXICON = load_lexicon("v2")

RULES_LIST = (
    entry("AO SIBNEFTEGAZ", code=ListCode.SDN, countries=("RU",), list_id="sibneftegaz"),
    entry("ISLAMIC ARMY OF ADEN", code=ListCode.SDN, list_id="iaa"),
    entry("Atomic Energy Organization of Iran (AEOI)", code=ListCode.SDN, countries=("IR",), list_id="aeoi"),
    entry("DAVINA SHIPPING INC", code=ListCode.SDN, list_id="davina"),
    entry("SENSE SHIPPING AND TRADING SDN. BHD.", code=ListCode.SDN, list_id="sense"),
    entry("AMINA", code=ListCode.SDN, list_id="amina"),
    entry("ROBERTA", code=ListCode.SDN, list_id="roberta"),
    entry("VERSOR S.R.O.", code=ListCode.SDN, list_id="versor"),
    entry("TABRIZ PETROCHEMICAL COMPANY", code=ListCode.SDN, countries=("IR",), list_id="tabriz"),
    entry("I A C INTERNATIONAL INC.", code=ListCode.SDN, list_id="iac"),
    entry("General Electronic", code=ListCode.EL, list_id="general-electronic"),
    entry("Cinty Int'l (HK) Industry Co., Limited", countries=("HK",), list_id="cinty"),
    entry("Semiconductor Manufacturing International Corporation", countries=("CN",), list_id="smic"),
    entry("Semiconductor Manufacturing International (Beijing) Corporation", countries=("CN",), list_id="smic-bj"),
    entry("Wuxi Turbine Blade Co. Ltd.", countries=("CN",), list_id="wuxi-blade"),
    entry("SAGA", code=ListCode.SDN, list_id="saga"),
    entry("Unimont S.A.", code=ListCode.SDN, list_id="unimont"),
    entry("Seyed Taba (Turkish individual)", code=ListCode.EL, list_id="taba"),
)


@pytest.fixture(scope="module")
def rules() -> Screener:
    return Screener.build(RULES_LIST)


def top(screener: Screener, name: str, country: str | None = None) -> tuple[str | None, str | None]:
    found = screener.match(name, country)
    return (found[0].entry.list_id, found[0].band.value) if found else (None, None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AO SIBNEFTEGAZ (Russian Federation)", "sibneftegaz"),  # a country in parentheses: free
        ("ISLAMIC ARMY OF ADEN (IAA)", "iaa"),  # the name's initials in parentheses: free
        ("DAVINA SHIPPINGINC", "davina"),  # words written together with a company word
        ("SENSE SHPG. AND TRDG. SDN. BHD.", "sense"),  # shipping-register abbreviations
        ("VRSOR S.R.O.", "versor"),  # a short word misspelt, the company types agreeing
        ("Cinty Int'l Industry Co., Limited", "cinty"),  # the place in parentheses left out
        ("无锡透平叶片有限公司", "wuxi-blade"),  # 透平 turbine, 叶片 blade
        ("S.A. Unimont", "unimont"),  # a company type written first is no other word
        ("Seyed Taba", "taba"),  # the list's description in parentheses left out
    ],
)
def test_found_as_a_match(rules: Screener, name: str, expected: str) -> None:
    assert top(rules, name) == (expected, "match")


@pytest.mark.parametrize(
    "name",
    [
        "Atomic Energy Organization of Iran (KENT)",  # the parenthesis is not the listed one's initials
        "Roberto",  # one short word a letter away from a one-word listed name
        "Saga Communications, Inc.",  # a one-word listed name beside corporate words it lacks
    ],
)
def test_left_in_review(rules: Screener, name: str) -> None:
    assert top(rules, name)[1] == "review"


@pytest.mark.parametrize(
    "name",
    [
        "Imunon, Inc.",  # shares only a three-letter Arabic consonant key with AMINA
        "Tabriz University",  # each name has a corporate word the other lacks
        "ATN International, Inc.",  # "atn" + "international" is not "international" misspelt
        "General Electric Company",  # electric and electronic are two words, not one misspelt
    ],
)
def test_not_a_match(rules: Screener, name: str) -> None:
    assert top(rules, name)[1] != "match"


def test_the_parent_as_written_ranks_before_a_place_free_form(rules: Screener) -> None:
    """The list writes both "SMIC" and "SMIC (Beijing)": the place tells two parties apart, so the
    subsidiary met only without its place is review at best. As a match it lent its terms to a
    determination for SMIC itself (presumption of denial where SMIC's own entry gives case-by-case for
    items for a 200 mm facility, 89 FR 96837)."""
    found = rules.match("Semiconductor Manufacturing International Corporation", "CN")
    assert [m.entry.list_id for m in found[:2]] == ["smic", "smic-bj"]
    assert found[0].score > found[1].score
    assert found[0].band.value == "match"
    assert found[1].band.value == "review"


def test_a_place_free_form_still_matches_when_the_list_has_no_such_name(rules: Screener) -> None:
    # Only the subsidiary's name reaches this query, and the party may well write it without its place.
    found = rules.match("Semiconductor Manufacturing International Beijing Corporation", "CN")
    assert found
    assert found[0].band.value == "match"


def test_screened_forms() -> None:
    assert screened_forms("AO SIBNEFTEGAZ (Russian Federation)", LEXICON, 0.2) == (
        ("AO SIBNEFTEGAZ (Russian Federation)", 0.0),
        ("AO SIBNEFTEGAZ", 0.0),
    )
    assert screened_forms("Atomic Energy Organization of Iran (KENT)", LEXICON, 0.2)[1] == (
        "Atomic Energy Organization of Iran",
        0.2,
    )
    assert screened_forms("Huawei Technologies", LEXICON, 0.2) == (("Huawei Technologies", 0.0),)


def test_unqualified_forms() -> None:
    assert unqualified_forms("Solar Way (Hong Kong) Ltd.", LEXICON) == (("Solar Way Ltd", True),)
    assert unqualified_forms("GAZPROMBANK (SWITZERLAND) LTD", LEXICON) == (("GAZPROMBANK LTD", True),)
    assert unqualified_forms("SOCCER ZONE (MNC GROUP INTERNATIONAL, INC.)", LEXICON) == (("SOCCER ZONE", False),)
    assert unqualified_forms("Cambricon (Shanghai) Information Technology (CIT) Co.", LEXICON) == (
        ("Cambricon Information Technology (CIT) Co", True),
        ("Cambricon Information Technology Co", False),
    )
    assert unqualified_forms("(1-P)", LEXICON) == ()


def test_hits_say_when_parentheses_were_dropped(rules: Screener) -> None:
    found = rules.match("Atomic Energy Organization of Iran (KENT)")
    assert found[0].explanation["parentheses_dropped"] == -0.2
