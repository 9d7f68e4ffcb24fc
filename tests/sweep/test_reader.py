"""The sweep's reader, checked by hand against the CCL text it reads.

Each case quotes the control text of the 2026-07-23 snapshot (VD) and the chart cells it turns on; the
expected reading is worked out from those words, not from running the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from tests.sweep.destinations import Reach, read_destinations
from tests.sweep.paragraphs import references
from tests.sweep.reader import Reader, Reading, Verdict, read_scope

pytestmark = pytest.mark.shared_data

R, N, U, S = Verdict.REQUIRED, Verdict.NOT_REQUIRED, Verdict.UNDECIDED, Verdict.NOT_SUBJECT


class Hand(NamedTuple):
    item: str  # ECCN with paragraph, as a case would give it
    destination: str
    verdict: Verdict
    why: str  # the quoted text and the reasoning


HAND_CHECKED = [
    Hand("9A610.a", "DE", R, "“NS applies to entire entry except: 9A610.b; parts and components controlled in 9A610.x "
         "if being exported or reexported for use in an aircraft controlled in 9A610.b; and 9A610.y” NS Column 1; "
         "the exceptions name b, x (conditionally) and y, not a; Germany has an X in NS1"),
    Hand("9A610.a", "CN", R, "same NS row (NS1) and RS row (RS1); China has X in both"),
    Hand("9A610.b", "CN", N, "b is excepted from NS and RS; “MT applies to 9A610.t, .u, .v, and .w”; AT Column 1 has "
         "no X for China; UN (“See § 746.1(b)”) reaches only the footnote-1 destinations, China is not one"),
    Hand("9A610.x", "CN", U, "x is excepted from NS/RS only “if being exported or reexported for use in an aircraft "
         "controlled in 9A610.b”: a use the case does not state"),
    Hand("9A610.y", "CN", R, "“RS applies to 9A610.y” ⇒ “China, Russia, or Venezuela (see § 742.6(a)(7))”"),
    Hand("9A610.y", "DE", N, "y is excepted from NS, RS1 and UN; its own RS row names only China, Russia, Venezuela"),
    Hand("9A610", "CN", U, "paragraph unknown: 9A610.a would need a licence, 9A610.b would not"),
    Hand("9A610.t", "DE", R, "t is under NS1 (entire entry but b, x, y) and MT1; Germany has X in NS1 and MT1"),
    Hand("5A001.c", "CN", R, "“NS applies to 5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j” NS Column 2: "
         "the paragraphs after the bracket are listed too; China has an X in NS2"),
    Hand("5A001.c", "IN", N, "NS2 has no X for India; SL reaches only 5A001.f.1; AT Column 1 has no X for India"),
    Hand("5A001.b.5", "IN", R, "“NS applies to 5A001.a, b.5, .e, .f.3 and .h” NS Column 1; India has an X in NS1"),
    Hand("5A001.b", "CN", R, "b.5 is NS1 and the rest of b NS2; China has X in both, so every reading agrees"),
    Hand("5A001.b", "IN", U, "b.5 would need a licence (NS1), the rest of b would not (NS2 has no X for India)"),
    Hand("1C351.d.16", "DE", R, "“CB applies to items controlled by 1C351.d.15 and .16” CB Column 1: .16 is d.16, "
         "a sibling given by number; Germany has an X in CB1"),
    Hand("1C351", "CN", R, "“CB applies to entire entry” CB Column 2; China has an X in CB2"),
    Hand("1C351", "DE", U, "d.15 and d.16 are CB1 (X for Germany), the rest of the entry CB2 (no X for Germany)"),
    Hand("5D002.z.9.a", "CA", R, "“RS applies to “software” controlled by 5D002.z.1.a, z.2.a, ... z.8.a, and z.9.a” ⇒ "
         "“To or within any destination worldwide”: every paragraph of the list, not only the first"),
    Hand("5D002.z.9.b", "CA", U, "the .b list goes to the UAE and D:1/D:4/D:5 only, NS1 and AT1 have no X for Canada, "
         "but EI (“Refer to § 742.15 of the EAR”, for “software” in 5D002.a.1, a.3, .b, c.1 and c.3 ...) is not read"),
    Hand("3A090.b", "AE", R, "“RS applies to 3A090.b” ⇒ “To or within the United Arab Emirates or destinations "
         "specified in Country Groups D:1, D:4, and D:5 ..., excluding any destination also specified in Country "
         "Groups A:5 or A:6”: the UAE is named outright; the exclusion qualifies the groups"),
    Hand("3A090.b", "IN", N, "India is in none of D:1, D:4, D:5 and is not named; AT Column 1 has no X for India"),
    Hand("3A090.c", "AE", N, "“RS applies to 3A090.c” ⇒ “To or within Macau or a destination specified in Country "
         "Group D:5”: the UAE is in neither"),
    Hand("3A090.a", "DE", R, "“RS applies to 3A090.a” ⇒ “To or within any destination worldwide”"),
    Hand("0A501.a", "GB", R, "chart footnote 10 (the UK's only footnote): “A license is required to these destinations "
         "for items in the following ECCNs: 0A501 (except for 0A501.y), ...”"),
    Hand("0A501.y", "GB", N, "footnote 10 excepts 0A501.y; the UK row has only CB1, which no 0A501 row uses"),
    Hand("0A504.i", "GB", R, "footnote 10 lists “0A504.i”"),
    Hand("0A504.e", "GB", N, "footnote 10 lists only 0A504.i; FC1 and CC1 have no X for the UK; UN: not footnote 1"),
    Hand("0E982", "DE", R, "“CC applies to “technology” for items controlled by 0A982 or 0A503. A license is required "
         "for ALL destinations, except Canada, regardless of end use.”; the heading is "
         "“Technology” exclusively for ... equipment controlled by 0A982 or 0A503, so the row covers the whole entry"),
    Hand("0E982", "CA", N, "“ALL destinations, except Canada”; CC is the only reason for control"),
    Hand("1C350", "CN", R, "“CB applies to entire entry CB Column 2.”: the column is inside the control text"),
    Hand("1C350", "DE", U, "CB2 has no X for Germany, but the heading lists CW and AT too and the snapshot has no row "
         "for them"),
    Hand("6A002.c", "DE", R, "“RS applies to 6A002.a.1, a.2, a.3 (except a.3.d.2.a and a.3.e for lead selenide based "
         "focal plane arrays (FPAs)), .c, and .f.” RS Column 1; Germany has an X in RS1"),
    Hand("6A002.a.3.e", "DE", U, "the bracket excepts a.3.e only “for lead selenide based focal plane arrays”"),
    Hand("9A515.e", "IN", R, "“RS applies to 9A515.e and .x” RS Column 2, and chart footnote 7: “a license is still "
         "required for items controlled under ECCNs 6A003.b.4.b and 9A515.e for RS column 2 reasons when destined "
         "to India”"),
    Hand("3B001.c", "CN", R, "“NS applies to 3B001.a.4, c, d, f.1, ...” ⇒ “To or within Macau or a destination "
         "specified in Country Group D:5”; China is in D:5"),
    Hand("3B001.c", "VN", U, "c.1.a and c.1.c are “Worldwide control”; the rest of c goes to Macau and D:5 only, "
         "and Vietnam is in D:1 and D:3, not D:5"),
    Hand("8A620.b", "DE", R, "“NS applies to entire entry, except 8A620. b and .y”, but “RS applies to entire entry, "
         "except 8A620.y” RS Column 1; Germany has an X in RS1"),
    Hand("0D606.y", "DE", N, "the extraction's row says “NS applies to entire entry”, but the License Requirements "
         "text it left in the heading reads “NS applies to entire entry, except 0D606.y NS Column 1. ... RS applies "
         "to 0D606.y China, Russia, or Venezuela”"),
    Hand("0A002", "CN", S, "heading: “(These items are “subject to the ITAR.” See 22 CFR parts 120 through 130.)”, "
         "no License Requirements rows: 15 CFR 734.3(b)(1)"),
    Hand("0A999", "CU", R, "746.1(a)(1): “All the items on the Commerce Control List (CCL) require a license to "
         "Cuba.”"),
    Hand("2A994", "RU", R, "746.8(a)(1): “A license is required to export ... to or within Russia or Belarus any item "
         "subject to the EAR and specified in any ECCN on the CCL”"),
    Hand("0A983", "KP", R, "746.4(a): “a license is required to export or reexport any item subject to the EAR ... to "
         "... North Korea, except food and medicines classified as EAR99”"),
    Hand("9A610.a", "IR", R, "746.7(a)(1)(i): a licence for “any item on the CCL containing a ... NS Column 1 ... in "
         "the Country Chart Column of the License Requirements section”"),
    Hand("2B999", "DE", N, "“RS applies to entire entry except 2B999.h.2” ⇒ only Pakistan; “AT applies to entire "
         "entry” ⇒ only North Korea"),
]  # fmt: skip


Read = Callable[[str, str], Reading]


@pytest.fixture(scope="module")
def read(reader: Reader) -> Read:
    def reading(item: str, destination: str) -> Reading:
        eccn, *paragraph = item.split(".")
        return reader.read(eccn, tuple(paragraph), destination)

    return reading


@pytest.mark.parametrize("hand", HAND_CHECKED, ids=[f"{h.item}-{h.destination}" for h in HAND_CHECKED])
def test_reading_of_a_hand_checked_text(read: Read, hand: Hand) -> None:
    reading = read(hand.item, hand.destination)
    assert reading.verdict is hand.verdict, f"{hand.item} to {hand.destination}: {hand.why}\n{reading.because}"


def test_an_entry_without_rows_gives_no_ground_for_false_where_a_reason_could_reach(read: Read) -> None:
    # 0A983 lists CC without a row; CC rows elsewhere say "ALL destinations, except Canada"
    torture = read("0A983", "DE")
    assert torture.verdict is U
    assert torture.never_false
    # 2A994 lists only AT without a row; AT rows elsewhere are AT Column 1/2 (no X for Germany) or North Korea
    generators = read("2A994", "DE")
    assert generators.verdict is U
    assert not generators.never_false


def test_iran_is_never_decided_as_not_required(read: Read) -> None:
    # 2B999's rows are "Pakistan" and "North Korea" prose, not Country Chart columns, so 746.7(a)(1)(i) does not
    # name it; (a)(1)(ii) turns on a Supplement No. 7 listing the case does not give
    reading = read("2B999", "IR")
    assert reading.verdict is U
    assert reading.never_false


def test_references_resolve_the_shapes_of_the_ccl() -> None:
    def named(text: str, eccn: str) -> list[str]:
        return [str(r) for r in references(text, eccn)]

    assert named("items controlled by 1C351.d.15 and .16", "1C351") == ["1C351.d.15", "1C351.d.16"]
    assert named("3B001.a.1 to a.3, b, k to n", "3B001") == [
        "3B001.a.1", "3B001.a.2", "3B001.a.3", "3B001.b", "3B001.k", "3B001.l", "3B001.m", "3B001.n",
    ]  # fmt: skip
    assert named("entire entry, except 8A620. b and .y", "8A620") == ["8A620.b", "8A620.y"]
    assert named("NS applies to 9A004 .g, .r", "9A004") == ["9A004.g", "9A004.r"]
    assert named("3A001.z. 1.b, z.2.b", "3D001") == ["3A001.z.1.b", "3A001.z.2.b"]
    assert named("9E003.a.1 through a.3, .h", "9E003") == ["9E003.a.1", "9E003.a.2", "9E003.a.3", "9E003.h"]
    assert named("less than 18 inches (45.72 cm) ( e.g., EMP) 8.41 × 10 5 newton seconds", "0A502") == []
    assert named("6A002.a.1, .c, or .f, 6A003.b.3", "6E001") == ["6A002.a.1", "6A002.c", "6A002.f", "6A003.b.3"]


def test_scopes_of_exceptions_and_lists() -> None:
    scope = read_scope("entire entry except: 9A610.b; parts and components controlled in 9A610.x if being exported or "
                       "reexported for use in an aircraft controlled in 9A610.b; and 9A610.y", "9A610")  # fmt: skip
    assert [scope.at(p) for p in [("a",), ("b",), ("x",), ("y",), ()]] == [
        Reach.CERTAIN, Reach.NONE, Reach.POSSIBLE, Reach.NONE, Reach.CERTAIN,
    ]  # fmt: skip
    # an exception in words that may reach any paragraph: "presses with maximum working pressures below 69 MPa"
    presses = read_scope(
        "entire entry, except 2B004.b.3 and presses with maximum working pressures below 69 MPa", "2B004"
    )
    assert presses.at(("a",)) is Reach.POSSIBLE
    # a list qualified by a trailing condition is certain nowhere
    condition = read_scope("1C011.a and .b for items that meet or exceed the parameters in 1C111.", "1C011")
    assert condition.at(("a",)) is Reach.POSSIBLE
    listed = read_scope("9A610.t, .u, .v, and .w", "9A610")
    assert (listed.at(("t",)), listed.at(("w", "1")), listed.at(("a",))) == (Reach.CERTAIN, Reach.CERTAIN, Reach.NONE)


def test_destination_prose(reader: Reader) -> None:
    chart = reader.chart.destinations
    uae_rule = read_destinations(
        "To or within the United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5 of "
        "supplement no. 1 to part 740 of the EAR, excluding any destination also specified in Country Groups A:5 "
        "or A:6. See § 742.6(a)(6)(iii)(B) of the EAR.",
        "RS",
        reader.chart,
    )
    assert [uae_rule.reach(chart[c]) for c in ("AE", "CN", "VN", "IN", "DE")] == [
        Reach.CERTAIN, Reach.CERTAIN, Reach.CERTAIN, Reach.NONE, Reach.NONE,
    ]  # fmt: skip
    un_rule = read_destinations("See § 746.1(b) for UN controls", "UN", reader.chart)
    assert (un_rule.reach(chart["KP"]), un_rule.reach(chart["CN"])) == (Reach.POSSIBLE, Reach.NONE)
    unread = read_destinations("Refer to § 742.15 of the EAR.", "EI", reader.chart)
    assert unread.reach(chart["CA"]) is Reach.POSSIBLE


def test_every_row_of_the_snapshot_is_read_with_its_reason(reader: Reader) -> None:
    """A table test over all 633 entries: each row yields controls named by a reason for control (a row
    whose reason could not be found would be read as 'possibly anywhere', but should not occur)."""
    assert len(reader.entries) == 633
    unnamed = [e.eccn for e in reader.entries.values() for c in e.controls if c.reason == "?"]
    assert not unnamed
    placeholders = [e.eccn for e in reader.entries.values() if e.itar]
    assert len(placeholders) == 31
    assert "0A002" in placeholders
    assert "1C355" not in placeholders  # names the ITAR in its heading, but is an EAR entry (CW, AT)
