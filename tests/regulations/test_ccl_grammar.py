"""The grammar of CCL licence-requirement rows: shapes from the regulation text, then every row of the snapshot.

Each expectation below comes from the row's own words, quoted beside it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from earcheck.regulations.ccl_controls import ChartControl, DestinationKind, ScopeKind, Where
from earcheck.regulations.ccl_grammar import UNREAD, footnote_controls, parse_destination, parse_scope, read_row
from earcheck.tables import CclControl

CHINA = Where(
    "CN",
    frozenset({"CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"}),
    frozenset({"D:1", "D:3", "D:4", "D:5"}),
)
GERMANY = Where("DE", frozenset({"CB1", "NS1", "MT1", "RS1"}), frozenset({"A:1", "A:5", "B"}), ("3",))
RUSSIA = Where("RU", frozenset({"NS1", "NS2", "RS1", "RS2"}), frozenset({"D:1", "D:5"}), ("6",))
UAE = Where("AE", frozenset({"NS1", "RS1"}), frozenset({"A:5", "A:6", "B", "D:1", "D:4"}))
CANADA = Where("CA", frozenset({"CB1", "FC1"}), frozenset({"A:1", "B"}))
MACAU_D5 = (
    "To or within Macau or a destination specified in Country Group D:5 of supplement no. 1 to part 740 "
    "of the EAR. See § 742.4(a)(4) of the EAR."
)
UAE_D = (
    "To or within the United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5 "
    "of supplement no. 1 to part 740 of the EAR, excluding any destination also specified in Country "
    "Groups A:5 or A:6. See § 742.6(a)(6)(iii)(B) of the EAR."
)
NS_9A610 = (
    "NS applies to entire entry except: 9A610.b; parts and components controlled in 9A610.x if being exported "
    "or reexported for use in an aircraft controlled in 9A610.b; and 9A610.y"
)

RS_6A002 = (
    "6A002.a.1, a.2, a.3 (except a.3.d.2.a and a.3.e for lead selenide based focal plane arrays (FPAs)), .c, and .f."
)
CC_0A502 = (
    "shotguns with a barrel length less than 24 in. (60.96 cm) and "
    "paragraphs .c, .d, and .e controlled by this entry regardless of end user"
)
MT_3A001 = (
    "3A001.a.1.a when usable in “missiles”; and to 3A001.a.5.a "
    "when “designed or modified” for military use; and 3A001.z.2"
)


def one(eccn: str, control: str, chart: str) -> ChartControl:
    [read] = read_row(eccn, CclControl(control, chart))
    return read


@pytest.mark.parametrize(
    ("code", "text", "paragraph", "covered"),
    [
        ("3B001", "entire entry", (), True),
        ("0A501", "entire entry except 0A501.y", ("y",), False),
        ("0A501", "entire entry except 0A501.y", ("a",), True),
        ("0A501", "entire entry except 0A501.y", (), None),  # an entry-level item might be the excluded .y
        ("3B001", "3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a", "2"), True),
        ("3B001", "3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a", "4"), False),
        ("3B001", "3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("h", "1"), True),
        ("3B001", "3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", ("a",), None),
        ("3B001", "3B001.c.1.a, 3B001.c.1.c, and 3B001.q", ("c", "1", "b"), False),
        ("0B505", "paragraphs .a and .x", ("x",), True),
        # "b (except .b.5), c, d": b less b.5 -- and a paragraph without the ECCN prefix still counts.
        ("5A001", "5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j", ("b", "1"), True),
        ("5A001", "5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j", ("b", "5"), False),
        ("5A001", "5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j", ("f", "3"), False),
        ("5A001", "5A001.a, b.5, .e, .f.3 and .h", ("b", "5"), True),
        # "1C351.d.15 and .16": ".16" is the sibling d.16.
        ("1C351", "items controlled by 1C351.d.15 and .16", ("d", "16"), True),
        ("1C351", "items controlled by 1C351.d.15 and .16", ("d", "1"), False),
        # "6A002.a.1, a.2, a.3 (except a.3.d.2.a and a.3.e for lead selenide based FPAs), .c, and .f."
        (
            "6A002",
            RS_6A002,
            ("a", "2"),
            True,
        ),
        (
            "6A002",
            RS_6A002,
            ("a", "3", "e"),
            None,
        ),
        (
            "6A002",
            RS_6A002,
            ("b",),
            False,
        ),
        # "software controlled by 5D002.z.1.a, z.2.a, ... and z.9.a": every listed paragraph, not the first only.
        (
            "5D002",
            "“software” controlled by 5D002.z.1.a, z.2.a, z.3.a, z.4.a, z.5.a, z.6.a, z.7.a, z.8.a, and z.9.a",
            ("z", "3", "a"),
            True,
        ),
        (
            "5D002",
            "“software” controlled by 5D002.z.1.a, z.2.a, z.3.a, z.4.a, z.5.a, z.6.a, z.7.a, z.8.a, and z.9.a",
            ("z", "3", "b"),
            False,
        ),
        # A condition the case cannot state: possibly, never "no".
        ("1C116", "items that meet or exceed the parameters of 1C216", ("a",), None),
        ("7A005", "commodities in 7A005.b that meet or exceed the parameters of 7A105", ("b",), None),
        ("7A005", "commodities in 7A005.b that meet or exceed the parameters of 7A105", ("a",), False),
        # Words not bound to a paragraph ("shotguns ...") describe items anywhere in the entry.
        (
            "0A502",
            CC_0A502,
            ("a",),
            None,
        ),
        (
            "3A001",
            MT_3A001,
            ("z", "2"),
            True,
        ),
        (
            "3A001",
            MT_3A001,
            ("a", "1", "b"),
            False,
        ),
    ],
)
def test_scope_coverage(code: str, text: str, paragraph: tuple[str, ...], covered: bool | None) -> None:
    assert parse_scope(code, text).covers(paragraph) is covered


def test_9a610_except_list_with_a_condition_narrows_the_control_instead_of_dropping_it() -> None:
    control = one("9A610", NS_9A610, "NS Column 1.")
    assert control.reason == "NS"
    assert control.scope.covers(("a",)) is True
    assert control.scope.covers(("b",)) is False
    assert control.scope.covers(("y",)) is False
    assert control.scope.covers(("x",)) is None  # excluded only if for a 9A610.b aircraft
    assert control.scope.covers(()) is None


def test_an_exception_to_russia_reaches_other_destinations() -> None:
    # "RS applies to 9D515.y, except to Russia for use in, with, or for the International Space Station (ISS)"
    control = one(
        "9D515",
        "RS applies to 9D515.y, except to Russia for use in, with, or for the International Space Station (ISS), "
        "including launch to the ISS",
        "China, Russia, or Venezuela (see § 742.6(a)(7)).",
    )
    assert control.reaches(("y",), CHINA) is True
    assert control.reaches(("y",), RUSSIA) is None


@pytest.mark.parametrize(
    ("text", "china", "germany", "canada"),
    [
        ("NS Column 2.", True, False, False),
        ("AT Column 1", False, False, False),
        ("Worldwide control. See § 742.4(a)(5) and (b)(10) of the EAR.", True, True, True),
        (MACAU_D5, True, False, False),
        (UAE_D, True, False, False),
        ("China, Russia, or Venezuela (see § 742.6(a)(7)).", True, False, False),
        # 0E982: "A license is required for ALL destinations, except Canada, regardless of end use."
        ("A license is required for ALL destinations, except Canada, regardless of end use.", True, True, False),
        # 5A001.f.1, 5A980: "A license is required for all destinations, as specified in § 742.13" -- Canada too.
        ("A license is required for all destinations, as specified in § 742.13 of the EAR.", True, True, True),
        ("See § 742.6(a)(11) of the EAR.", None, None, None),
    ],
)
def test_destination_rules(text: str, china: bool | None, germany: bool | None, canada: bool | None) -> None:
    rule, _ = parse_destination(text)
    assert (rule.requires(CHINA), rule.requires(GERMANY), rule.requires(CANADA)) == (china, germany, canada)


def test_a_destination_named_outright_counts_though_it_is_in_an_excluded_group() -> None:
    # "To or within the United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5 ...,
    # excluding any destination also specified in Country Groups A:5 or A:6": the UAE is named, so it counts.
    rule, _ = parse_destination(UAE_D)
    assert rule.within
    assert rule.requires(UAE) is True
    assert rule.requires(Where("IL", frozenset(), frozenset({"A:6", "D:4"}))) is False
    assert rule.requires(Where("SA", frozenset(), frozenset({"D:4"}))) is True


def test_un_controls_reach_the_746_1_b_destinations() -> None:
    rule, _ = parse_destination("See § 746.1(b) for UN controls.")
    assert rule.kind is DestinationKind.UN
    assert rule.requires(Where("IQ", frozenset(), frozenset(), ("1",))) is True
    assert rule.requires(Where("CF", frozenset(), frozenset())) is True  # 746.1(b)(2), no chart footnote
    assert rule.requires(GERMANY) is False


def test_merged_and_prose_rows() -> None:
    # 1C350: the extraction merged both cells: "CB applies to entire entry CB Column 2."
    cb = one("1C350", "CB applies to entire entry CB Column 2.", "CB applies to entire entry CB Column 2.")
    assert (cb.reason, cb.destination.column, cb.scope.kind) == ("CB", "CB2", ScopeKind.ALL)
    # 0E982 states its destination inside the control text.
    text = (
        "CC applies to “technology” for items controlled by 0A982 or 0A503. A license is required for ALL "
        "destinations, except Canada, regardless of end use. Accordingly, a column specific to this control does "
        "not appear on the Commerce Country Chart. (See part 742 of the EAR for additional information.)"
    )
    cc = one("0E982", text, text)
    assert cc.destination.requires(GERMANY) is True
    assert cc.destination.requires(CANADA) is False
    # 1A231: two controls in one row, two columns in one cell.
    merged = CclControl("NP applies to entire entry AT applies to entire entry", "NP Column 1 AT Column 1")
    np, at = read_row("1A231", merged)
    assert (np.reason, np.destination.column, at.reason, at.destination.column) == ("NP", "NP1", "AT", "AT1")
    # "SL and AT apply to entire entry." (5A980)
    sl, at2 = read_row(
        "5A980",
        CclControl(
            "SL and AT apply to entire entry.",
            "A license is required for all destinations, as specified in § 742.13 of the EAR.",
        ),
    )
    assert (sl.reason, at2.reason) == ("SL", "AT")
    assert sl.destination.requires(CANADA) is True


def test_a_cell_that_narrows_the_scope() -> None:
    control = one(
        "0A505",
        "AT applies to entire entry",
        "A license is required for items controlled by paragraph .c of this entry to North Korea for anti-terrorism "
        "reasons.",
    )
    north_korea = Where("KP", frozenset(), frozenset({"E:2"}))
    assert control.reaches(("c",), north_korea) is True
    assert control.reaches(("a",), north_korea) is False


def test_ei_and_si_reach_every_destination_but_canada() -> None:
    ei = one("5A002", "EI applies to entire entry", "Refer to § 742.15 of the EAR.")
    si = one(
        "9E003",
        "SI applies to 9E003.a.1 through a.8, .h, .i, and .l",
        "See § 742.14 of the EAR for additional information.",
    )
    assert (ei.reaches((), CANADA), ei.reaches((), GERMANY)) == (False, True)
    assert (si.reaches(("a", "3"), CANADA), si.reaches(("a", "3"), GERMANY), si.reaches(("b",), GERMANY)) == (
        False,
        True,
        False,
    )


def test_rows_pointing_to_the_itar() -> None:
    row = CclControl(
        "“Software” for items described in 0A002 is “subject to the ITAR” (see 22 CFR parts 120 through 130).", ""
    )
    [control] = read_row("0D001", row)
    assert control.itar


FOOTNOTE_10 = (
    "A license is required to these destinations for items in the following ECCNs: 0A501 (except for 0A501.y), "
    "0A502 for shotguns with a barrel length less than 18 inches (45.72 cm), 0A504.i, 0A505.a and .x, 0A506, 0A507, "
    "0A508 for semi-automatic shotguns with a barrel length less than 18 inches (45.72 cm), 0A509, 0D501 (except for "
    "“software” for commodities in ECCN 0A501.y or “equipment” in ECCN 0B501 for commodities in ECCN 0A501.y), 0D505 "
    "for “software” for commodities in ECCN 0A505.a and .x and “equipment” in ECCN 0B505.a and .x, 0E501, 0E504, 0E505 "
    "for “technology” for “development,” “production,” operation, installation, maintenance, repair, overhaul, or "
    "refurbishing commodities in 0A505.a and .x; for “equipment” for those commodities in 0B505; and for “software” "
    "for that “equipment” and those commodities in 0D505."
)


def test_footnote_10_adds_firearms_controls_for_the_united_kingdom() -> None:
    britain = Where("GB", frozenset({"CB1"}), frozenset({"A:1", "A:5", "B"}), ("10",))
    [control] = footnote_controls("0A501", (), {"10": FOOTNOTE_10})
    assert control.reaches(("a",), britain) is True
    assert control.reaches(("y",), britain) is False  # "0A501 (except for 0A501.y)"
    assert control.reaches(("a",), GERMANY) is False  # Germany's row has no footnote 10
    [shotguns] = footnote_controls("0A502", (), {"10": FOOTNOTE_10})
    assert shotguns.reaches((), britain) is None  # "for shotguns with a barrel length less than 18 inches"
    [optics] = footnote_controls("0A504", (), {"10": FOOTNOTE_10})
    assert (optics.reaches(("i",), britain), optics.reaches(("a",), britain)) == (True, False)
    assert footnote_controls("0A503", (), {"10": FOOTNOTE_10}) == ()


def test_footnote_7_keeps_rs2_for_india() -> None:
    footnote = (
        "Note that a license is still required for items controlled under ECCNs 6A003.b.4.b and 9A515.e for RS "
        "column 2 reasons when destined to India."
    )
    rs2 = one("9A515", "RS applies to 9A515.e and .x", "RS Column 2.")
    [kept] = footnote_controls("9A515", (rs2,), {"7": footnote})
    india = Where("IN", frozenset({"NS1", "RS1"}), frozenset({"A:5", "B"}), ("7",))
    assert (kept.reaches(("e",), india), kept.reaches(("x",), india)) == (True, False)


# --- every row of the snapshot ------------------------------------------------------------------------

# The controls of the 2026-07-23 snapshot that stay unknown, and why (UNREAD gives the reason texts).
EXPECTED_UNREAD = {
    ("1D018", "MT"): UNREAD["no destination"],
    ("3B993", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("3B994", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("3D993", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("3D994", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("3E993", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("3E994", "RS"): UNREAD["See § 742.6(a)(11)"],
    ("4A001", "NP"): UNREAD["N/A."],
}


@pytest.mark.shared_data
def test_every_control_of_every_entry_is_read_or_listed(shared_data: Path) -> None:
    kinds: Counter[str] = Counter()
    unread: dict[tuple[str, str], str] = {}
    rows = 0
    for line in (shared_data / "ear" / "ccl.jsonl").read_text().splitlines():
        entry = json.loads(line)
        for row in entry["countryChart"] or []:
            rows += 1
            for control in read_row(entry["eccn"], CclControl(row["control"], row["countryChart"] or "")):
                kinds[control.scope.kind] += 1
                kinds[control.destination.kind] += 1
                assert control.reason != "?", row
                if not control.read:
                    unread[(entry["eccn"], control.reason)] = control.destination.text
    assert rows == 1536
    assert unread == EXPECTED_UNREAD
    assert kinds == {
        ScopeKind.ALL: 1203,
        ScopeKind.PARAGRAPHS: 120,
        ScopeKind.CONDITIONAL: 213,
        ScopeKind.PROSE: 1,
        DestinationKind.COLUMN: 1265,
        DestinationKind.SET: 164,
        DestinationKind.UN: 99,
        DestinationKind.CWC_NON_PARTY: 1,
        DestinationKind.UNPARSED: 8,
    }
