"""An exception's destinations against Country Groups earcheck cannot vouch for (issue 17, item 1).

A destination whose groups on the date are not known is neither in nor out of a group: the answer is
unknown unless the countries the exception names settle it. A group the data names that the Country
Groups table (15 CFR part 740, Supplement No. 1: A:1 to E:2) does not have is a load error, not a group
nobody is in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.regulations.ccl_notes import sta_eligible
from earcheck.regulations.exceptions import Destinations, load_exception_family

GROUP_B = Destinations(groups=("B",), except_countries=("SD",))
OUTSIDE_D5 = Destinations(except_groups=("D:5",))
MACAU_OR_D5 = Destinations(groups=("D:5",), countries=("MO",), except_groups=("A:5",))
COUNTRIES_ONLY = Destinations(countries=("CA",))


@pytest.mark.parametrize(
    ("destinations", "country", "groups", "expected"),
    [
        (GROUP_B, "TH", frozenset({"B"}), True),
        (GROUP_B, "CN", frozenset({"D:1", "D:5"}), False),
        (GROUP_B, "TR", None, None),  # groups not known: not "outside B"
        (GROUP_B, "SD", None, False),  # a named exclusion settles it without the groups
        (OUTSIDE_D5, "TR", None, None),  # an exclusion by group never opens on unknown groups
        (OUTSIDE_D5, "DE", frozenset({"A:1", "B"}), True),
        (MACAU_OR_D5, "MO", None, None),  # named, but might sit in the excluded A:5
        (MACAU_OR_D5, "MO", frozenset({"B"}), True),
        (COUNTRIES_ONLY, "CA", None, True),
        (COUNTRIES_ONLY, "TR", None, False),
        (Destinations(), "TR", None, True),
    ],
)
def test_reaches_is_unknown_only_where_the_groups_decide(
    destinations: Destinations, country: str, groups: frozenset[str] | None, expected: bool | None
) -> None:
    assert destinations.reaches(country, groups) is expected


def test_a_group_the_table_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Country Group"):
        Destinations(groups=("D5",))
    with pytest.raises(ValueError, match="unknown Country Group"):
        Destinations(except_groups=("A:7",))


def test_a_family_file_naming_an_unknown_group_fails_to_load() -> None:
    text = """
family: list_based
exceptions:
  - symbol: LVS
    title: Shipments of limited value
    section: 15 CFR 740.3
    versions:
      - effective: 2019-01-01
        citation: 15 CFR 740.3
        destinations: {groups: [Group B]}
        sources: [{cite: "15 CFR 740.3"}]
        verification: R
        verified_how: a test file
"""
    with pytest.raises(SourceFormatError, match="unknown Country Group"):
        load_exception_family(Path("bad.yaml"), text)


# 5A002's STA line bars some items to A:6 only (the common form, read by ``sta_eligible``).
A6_BAR = (
    "License Exception STA may not be used to ship any item in 5A002.a to any of the destinations listed in "
    "Country Group A:6"
)


@pytest.mark.parametrize(
    ("paragraph", "in_a6", "expected"),
    [
        (("a",), True, False),
        (("a",), False, True),
        (("a",), None, None),  # groups unknown: the bar may reach the destination
        (("b",), None, True),  # the bar does not name the item: groups do not matter
    ],
)
def test_sta_bar_on_a6_with_groups_unknown(
    paragraph: tuple[str, ...], in_a6: bool | None, expected: bool | None
) -> None:
    assert sta_eligible(A6_BAR, "5A002", paragraph, in_a6) is expected
