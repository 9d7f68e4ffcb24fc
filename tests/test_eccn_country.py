from __future__ import annotations

import pytest

from earcheck.country import country_name, normalise_country
from earcheck.eccn import EAR99, Eccn
from earcheck.errors import MalformedEccn, UnknownCountry


@pytest.mark.parametrize(
    ("text", "code", "paragraph"),
    [
        ("3B001", "3B001", ()),
        ("3b001.C.1.A", "3B001", ("c", "1", "a")),
        (" 3A991.a ", "3A991", ("a",)),
        ("0Y521", "0Y521", ()),
        ("9A610.y.1", "9A610", ("y", "1")),
        ("5A002.z.1.a", "5A002", ("z", "1", "a")),
        # The deepest paragraph the CCL in ../shared/data/ear names (VD: ccl.jsonl, 6A005 heading notes).
        ("6A005.b.6.d.2.b", "6A005", ("b", "6", "d", "2", "b")),
    ],
)
def test_parse_valid(text: str, code: str, paragraph: tuple[str, ...]) -> None:
    eccn = Eccn.parse(text)
    assert (eccn.code, eccn.paragraph) == (code, paragraph)


@pytest.mark.parametrize("text", ["", "3B01", "3F001", "EAR-99", "3B001.", "3B001..a", "X3B001", "3B001 c", "3B0011"])
def test_parse_malformed(text: str) -> None:
    with pytest.raises(MalformedEccn, match="malformed ECCN"):
        Eccn.parse(text)


@pytest.mark.parametrize("text", ["3B001" + ".a" * 7, "3B001" + ".a.1" * 2000])
def test_deeper_than_the_ccl_goes_is_malformed(text: str) -> None:
    with pytest.raises(MalformedEccn, match="deeper than the CCL goes"):
        Eccn.parse(text)
    assert Eccn.parse("3B001" + ".a" * 6).paragraph == ("a",) * 6


def test_ear99_and_hierarchy() -> None:
    assert Eccn.parse("ear99") is EAR99
    assert EAR99.category is None
    eccn = Eccn.parse("3B001.c.1.a")
    assert eccn.within(Eccn.parse("3B001"))
    assert eccn.within(Eccn.parse("3B001.c"))
    assert not eccn.within(Eccn.parse("3B001.d"))
    assert not Eccn.parse("3B001").within(eccn)
    assert eccn.entry == Eccn("3B001")
    assert Eccn.parse("3E001").is_technology_or_software


def test_countries() -> None:
    assert normalise_country(" cn ") == "CN"
    assert normalise_country("XK") == "XK"
    assert country_name("DE") == "Germany"
    for bad in ["", "ZZ", "CHN", "China", "C"]:
        with pytest.raises(UnknownCountry):
            normalise_country(bad)
