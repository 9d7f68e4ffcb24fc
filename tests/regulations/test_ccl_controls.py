from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from earcheck.regulations.ccl_controls import (
    DestinationKind,
    ScopeKind,
    parse_control,
    parse_destination,
    parse_scope,
)
from earcheck.tables import CclControl

CHINA = (
    "CN",
    frozenset({"CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"}),
)
CHINA_GROUPS = frozenset({"D:1", "D:3", "D:4", "D:5"})
GERMANY = ("DE", frozenset({"CB1", "NS1", "MT1", "RS1"}))
GERMANY_GROUPS = frozenset({"A:1", "A:5", "B"})
MACAU_D5 = (
    "To or within Macau or a destination specified in Country Group D:5 of supplement no. 1 to part 740 "
    "of the EAR. See § 742.4(a)(4) of the EAR."
)
UAE_D = (
    "To or within the United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5 "
    "of supplement no. 1 to part 740 of the EAR, excluding any destination also specified in Country "
    "Groups A:5 or A:6. See § 742.6(a)(6)(iii)(B) of the EAR."
)


@pytest.mark.parametrize(
    ("text", "paragraph", "covered"),
    [
        ("entire entry", (), True),
        ("entire entry", ("c", "1"), True),
        ("entire entry except 0A501.y", ("y",), False),
        ("entire entry except 0A501.y", ("a",), True),
        ("entire entry except 0A501.y", (), None),  # an entry-level item might be the excluded .y
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a", "2"), True),
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a", "4"), False),
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("h", "1"), True),
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("k",), False),
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a",), None),  # a.1-a.3 are in, a.4 is not
        ("3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", (), None),
        ("3B001.c.1.a, 3B001.c.1.c, and 3B001.q", ("c", "1", "a"), True),
        ("3B001.c.1.a, 3B001.c.1.c, and 3B001.q", ("c", "1", "b"), False),
        ("3B001.c.1.a, 3B001.c.1.c, and 3B001.q", ("c",), None),
        ("paragraphs .a and .x", ("x",), True),
        ("“software” for commodities controlled by 3A001.b to 3A001.h", (), None),
        ("items that meet or exceed the parameters of 1C216", ("a",), None),
    ],
)
def test_scope_coverage(text: str, paragraph: tuple[str, ...], covered: bool | None) -> None:
    assert parse_scope("3B001" if "0A501" not in text else "0A501", text).covers(paragraph) is covered


def test_prose_scope_is_never_read_as_no() -> None:
    scope = parse_scope("3A001", "“MMIC” amplifiers in 3A001.b.2, except those for civil telecommunications")
    assert scope.kind is ScopeKind.PROSE
    assert scope.covers(("b", "2")) is None


@pytest.mark.parametrize(
    ("text", "china", "germany"),
    [
        ("NS Column 2.", True, False),
        ("AT Column 1", False, False),
        ("Worldwide control. See § 742.4(a)(5) and (b)(10) of the EAR.", True, True),
        (MACAU_D5, True, False),
        (UAE_D, True, False),
        ("China, Russia, or Venezuela (see § 742.6(a)(7)).", True, False),
        ("See § 742.6(a)(11) of the EAR.", None, None),
    ],
)
def test_destination_rules(text: str, china: bool | None, germany: bool | None) -> None:
    rule = parse_destination(text)
    assert rule.requires(CHINA[0], CHINA[1], CHINA_GROUPS, ()) is china
    assert rule.requires(GERMANY[0], GERMANY[1], GERMANY_GROUPS, ("3",)) is germany


def test_a5_exclusion_and_named_country() -> None:
    rule = parse_destination(UAE_D)
    assert rule.within
    assert rule.requires("AE", frozenset(), frozenset({"A:5", "B"}), ()) is False  # UAE is also in A:5
    assert rule.requires("IL", frozenset(), frozenset({"A:6", "D:4"}), ()) is False
    assert rule.requires("SA", frozenset(), frozenset({"D:4"}), ()) is True


def test_un_controls_follow_chart_footnote_1() -> None:
    rule = parse_destination("See § 746.1(b) for UN controls.")
    assert rule.kind is DestinationKind.UN
    assert rule.requires("IQ", frozenset(), frozenset(), ("1",)) is True
    assert rule.requires("DE", frozenset(), frozenset(), ("3",)) is False


def test_ei_is_worldwide_except_canada() -> None:
    control = parse_control("5A002", CclControl("EI applies to entire entry", "Refer to § 742.15 of the EAR."))
    assert control.reason == "EI"
    assert control.destination.requires("CA", frozenset(), frozenset({"A:1"}), ()) is False
    assert control.destination.requires("DE", frozenset(), frozenset({"A:1"}), ()) is True


def test_bare_column_takes_the_rows_reason() -> None:
    control = parse_control("1C351", CclControl("CB applies to entire entry", "Column 1."))
    assert (control.destination.kind, control.destination.column) == (DestinationKind.COLUMN, "CB1")


@pytest.mark.shared_data
def test_real_ccl_reads_mostly_structured(shared_data: Path) -> None:
    kinds: Counter[str] = Counter()
    for line in (shared_data / "ear" / "ccl.jsonl").read_text().splitlines():
        entry = json.loads(line)
        for row in entry["countryChart"] or []:
            control = parse_control(entry["eccn"], CclControl(row["control"], row["countryChart"]))
            kinds[control.destination.kind] += 1
            assert control.reason != "?" or "applies" not in row["control"]
    assert kinds[DestinationKind.UNPARSED] / sum(kinds.values()) < 0.02
