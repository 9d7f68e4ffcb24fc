"""The dated history of the tables, pinned: for each ECCN and destination issue 15 names, which text applies
on each side of each change, with the Federal Register document that made it (quoted in
docs/research/dated-tables.md and in the data's verified_how), and the shape every version must have."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from earcheck.regulations.ccl import ccl_supplement, eccn_status, law_date
from earcheck.regulations.country_chart import country_chart_data, country_status
from earcheck.regulations.editions import Table, Trust, table_amendments
from earcheck.regulations.embargo import embargo_data
from earcheck.regulations.exceptions import exception_data
from earcheck.sources import ccl, country_chart, country_groups
from earcheck.tables import EarTables

pytestmark = pytest.mark.shared_data

EDITION = date(2026, 7, 23)


@pytest.fixture(scope="module")
def tables(shared_data: Path) -> EarTables:
    ear = shared_data / "ear"
    notes = list(country_chart.parse_footnotes(ear / "country_chart_footnotes.json"))
    return EarTables(
        edition=EDITION,
        country_chart={row.code: row for row in country_chart.parse(ear / "country_chart.csv")},
        chart_footnotes={n.number: n.text for n in notes if isinstance(n, country_chart.ChartFootnote)},
        territory_inheritance={
            t.territory: t.governed_by for t in notes if isinstance(t, country_chart.TerritoryInheritance)
        },
        country_groups={row.code: row for row in country_groups.parse(ear / "country_groups.csv")},
        ccl={entry.eccn: entry for entry in ccl.parse(ear / "ccl.jsonl")},
        license_exceptions={},
    )


def test_every_dated_entry_covers_2019_on_and_names_its_sources() -> None:
    for entry in ccl_supplement().entries:
        first = entry.versions[0]
        assert first.effective == date(2019, 1, 1), entry.eccn
        for earlier, later in zip(entry.versions, entry.versions[1:], strict=False):
            assert earlier.superseded == later.effective, f"{entry.eccn}: a gap before {later.effective}"
        assert entry.versions[-1].superseded is None, entry.eccn
        for version in entry.versions:
            assert version.sources, entry.eccn
            assert version.verified_how.strip(), entry.eccn


# (ECCN as classified, date, exists, the FR document (or edition) the text applied is from, trust)
PINS = [
    ("3A090.a", "2022-10-06", False, "87 FR 62186", Trust.VOUCHED),  # absent until instruction 25
    ("3A090.a", "2022-10-07", True, "87 FR 62186", Trust.BELIEVED),
    ("3A090.a", "2023-01-17", True, "88 FR 2821", Trust.BELIEVED),
    ("3A090.b", "2023-11-16", False, "88 FR 2821", Trust.BELIEVED),
    ("3A090.b", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("3A090.c", "2024-12-01", False, "88 FR 73458", Trust.BELIEVED),
    ("3A090.c", "2024-12-02", True, "89 FR 96790", Trust.BELIEVED),
    ("3A090.a", "2025-01-16", True, "2025-00711", Trust.BELIEVED),
    ("3A090.a", "2025-05-15", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("3A090.a", "2026-07-23", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("4A090.a", "2022-10-06", False, "87 FR 62186", Trust.VOUCHED),
    ("4A090.b", "2022-12-01", False, "87 FR 62186", Trust.BELIEVED),
    ("4A090.b", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("3A001.z", "2023-11-16", False, "eCFR 2026-07-23", Trust.BELIEVED),
    ("3A001.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("3A001.b.2", "2021-06-01", True, "eCFR 2026-07-23", Trust.BELIEVED),
    ("4A003.z", "2023-11-16", False, "eCFR 2026-07-23", Trust.BELIEVED),
    ("4A003.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("4A004.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("4A005.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("5A002.z", "2023-11-16", False, "eCFR 2026-07-23", Trust.BELIEVED),
    ("5A002.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("5A992.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("5D002.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("5D992.z", "2023-11-16", False, "eCFR 2026-07-23", Trust.BELIEVED),
    ("5D992.z", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("3B001.c", "2023-11-16", True, "eCFR 2026-07-23", Trust.BELIEVED),
    ("3B001.c", "2023-11-17", True, "88 FR 73424", Trust.BELIEVED),
    ("3B001.c", "2024-09-06", True, "89 FR 72926", Trust.BELIEVED),
    ("3B090", "2022-10-06", False, "87 FR 62186", Trust.BELIEVED),
    ("3B090", "2022-10-07", True, "87 FR 62186", Trust.BELIEVED),
    ("3B090", "2023-11-17", False, "88 FR 73424", Trust.VOUCHED),
    ("3B993", "2024-12-01", False, "89 FR 96790", Trust.BELIEVED),
    ("3D001", "2022-10-07", True, "87 FR 62186", Trust.BELIEVED),
    ("3D001", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("3E001", "2022-10-07", True, "87 FR 62186", Trust.BELIEVED),
    ("3E001", "2025-05-15", True, "90 FR 4544", Trust.VOUCHED),
    ("4D001", "2022-10-07", True, "87 FR 62186", Trust.BELIEVED),
    ("4E001", "2023-11-17", True, "88 FR 73458", Trust.BELIEVED),
    ("0A501.a", "2020-03-08", False, "85 FR 4136", Trust.BELIEVED),
    ("0A501.a", "2020-03-09", True, "90 FR 47170", Trust.BELIEVED),
    ("0A501.a", "2024-05-30", None, "89 FR 34680", Trust.UNKNOWN),
    ("0A501.a", "2025-09-30", True, "eCFR edition 2026-07-23", Trust.VOUCHED),
    # 9x515 and "600 series": the .y rows came with 85 FR 23459 (2020-06-29); the space rules of 2024-10-23
    ("9A515.y", "2020-06-28", True, "eCFR 2026-07-23", Trust.BELIEVED),
    ("9A515.y", "2020-06-29", True, "85 FR 23459", Trust.BELIEVED),
    ("9A515.a.1", "2024-10-22", True, "85 FR 23459", Trust.BELIEVED),
    ("9A515.a.1", "2024-10-23", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("9B515.a", "2024-10-22", True, "the text of 2024-10-23", Trust.BELIEVED),
    ("9B515.a", "2024-10-23", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("9D515.y", "2020-06-29", True, "85 FR 23459", Trust.BELIEVED),
    ("9E515.f", "2024-10-23", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("9A610.y", "2020-06-28", True, "eCFR 2026-07-23", Trust.BELIEVED),
    ("9A610.y", "2020-06-29", True, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("0D606.y", "2020-06-28", True, "eCFR 2026-07-23", Trust.BELIEVED),
    ("0D606.y", "2020-06-29", True, "the text of 2026-07-23", Trust.BELIEVED),
    ("0D606.y", "2026-07-23", True, "eCFR 2026-07-23", Trust.VOUCHED),
]


# Each 9x515 / "600 series" change: (entry, effective date, the FR document that made it). The .y row of
# 742.6(a)(7) ("China, Russia, or Venezuela") from 85 FR 23459 (FR Doc. 2020-07241, effective June 29, 2020);
# the space rules 89 FR 84766 and 89 FR 84770 (FR Docs. 2024-23932, 2024-23958, "effective October 23, 2024").
SERIES_CHANGES = [
    *[(code, date(2020, 6, 29), "85 FR 23459") for code in ("0A606", "0A617", "0D606", "3A611", "9A610", "9A619")],
    *[(code, date(2020, 6, 29), "85 FR 23459") for code in ("9A515", "9D515", "9E515")],
    *[(code, date(2024, 10, 23), "89 FR 84770") for code in ("9A515", "9B515", "9D515", "9E515")],
]


@pytest.mark.parametrize(("code", "day", "cite"), SERIES_CHANGES)
def test_series_versions_change_on_the_rule_that_changed_them(
    tables: EarTables, code: str, day: date, cite: str
) -> None:
    entry = ccl_supplement().entry(code)
    assert entry is not None
    starting = [v for v in entry.versions if v.effective == day]
    assert starting, f"{code}: no version starts on {day}"
    assert cite in {s.cite for s in starting[0].sources}, starting[0].sources
    before = eccn_status(code, day - timedelta(days=1), tables).version
    after = eccn_status(code, day, tables).version
    assert before is not None
    assert after is not None
    assert before.superseded == day
    assert after.effective == day
    assert before.dated_fact != after.dated_fact


def test_y_rows_only_from_85_fr_23459(tables: EarTables) -> None:
    # "A license is required to export or reexport to China, Russia, or Venezuela any item described in a .y
    # paragraph of a 9x515 or '600 series' ECCN" (742.6(a)(7)); before 2020-06-29 a .y item was AT-only.
    def y_rows(code: str, day: date) -> list[str]:
        status = eccn_status(f"{code}.y", day, tables)
        return [c.country_chart for c in status.controls or () if "742.6(a)(7)" in c.country_chart]

    for code in ("0A606", "0A617", "0D606", "3A611", "9A515", "9A610", "9A619", "9D515", "9E515"):
        assert y_rows(code, date(2020, 6, 28)) == [], code
        [row] = y_rows(code, date(2020, 6, 29))
        assert "China, Russia" in row, code
        assert "Venezuela" in row, code


def test_742_6_a_9_reaches_canada_until_the_space_rules(tables: EarTables) -> None:
    # 742.6(a)(9) before 2024-10-23: "all destinations, including Canada" for 9A515.a.1-.a.4, .g and 9E515.f;
    # after 89 FR 84766: "all destinations, except for Australia, Canada, and the United Kingdom" (RS Column 1).
    # Before 85 FR 23459 inserted the .y paragraph (a)(7), the same requirement was (a)(8): the stored eCFR copy
    # of 742.6 at MichalOpoka/ecfr commit 061fbea0 reads "(8) Special RS Column 1 license requirement applicable
    # to certain spacecraft and related items. A license is required for all destinations, including Canada".
    for code in ("9A515", "9E515"):

        def worldwide(day: date, paragraph: str, code: str = code) -> list[str]:
            status = eccn_status(code, day, tables)
            return [
                c.country_chart
                for c in status.controls or ()
                if f"742.6(a)({paragraph})" in c.country_chart and "including Canada" in c.country_chart
            ]

        assert worldwide(date(2019, 1, 1), "8"), code
        assert worldwide(date(2020, 6, 28), "8"), code
        assert worldwide(date(2020, 6, 29), "9"), code
        assert worldwide(date(2024, 10, 22), "9"), code
        assert worldwide(date(2024, 10, 23), "9") == [], code


@pytest.mark.parametrize(("eccn", "day", "exists", "source", "trust"), PINS)
def test_the_text_applied_on_each_side_of_each_change(
    tables: EarTables, eccn: str, day: str, exists: bool | None, source: str, trust: Trust
) -> None:
    status = eccn_status(eccn, date.fromisoformat(day), tables)
    assert status.version is not None
    assert status.exists is exists or (exists is None and status.exists is None), status
    assert source in status.version.text or source in status.version.label, status.version.label
    assert status.version.trust is trust, status.version.label
    if exists is False:
        assert status.known is False
        assert status.question is not None
        assert f"Classify the item under the CCL as of {day}" in status.question


def test_3a090_destination_scopes_by_period(tables: EarTables) -> None:
    def scope(day: str) -> list[str]:
        status = eccn_status("3A090.a", date.fromisoformat(day), tables)
        return [c.country_chart for c in status.controls or () if c.control.startswith("RS")]

    assert scope("2022-10-07") == ["To or within China. See § 742.6(a)(6)(i) of the EAR."]
    assert scope("2023-01-17") == ["To or within China or Macau. See § 742.6(a)(6)(i) of the EAR."]
    assert all("Country Groups D:1, D:4, and D:5" in s for s in scope("2024-06-01"))
    assert scope("2025-05-15")[0].startswith("To or within any destination worldwide")


def test_entries_without_history_are_trusted_only_from_the_edition(tables: EarTables) -> None:
    # 2B001 has no written history and no amendment earcheck knows of: only the edition's own date.
    assert eccn_status("2B001.a", EDITION, tables).known is True
    status = eccn_status("2B001.a", date(2025, 1, 1), tables)
    assert status.known is False
    assert status.version is not None
    assert status.version.trust is Trust.UNKNOWN


# (destination, date, groups or None, the FR document of the version, trust of the groups)
COUNTRY_PINS = [
    ("RU", "2020-02-23", {"A:2", "A:4", "D:1", "D:3"}, "85 FR 10274", Trust.VOUCHED),
    ("RU", "2020-02-24", {"D:1", "D:2", "D:3", "D:4"}, "85 FR 10274", Trust.BELIEVED),
    ("RU", "2021-03-18", {"D:1", "D:2", "D:3", "D:4", "D:5"}, "126.1", Trust.BELIEVED),
    ("YE", "2020-02-23", {"B", "D:3", "D:4"}, "85 FR 10274", Trust.VOUCHED),
    ("YE", "2020-02-24", {"D:1", "D:3", "D:4"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("SD", "2021-01-13", {"D:5", "E:1"}, "press release", Trust.VOUCHED),
    ("SD", "2021-01-14", {"B", "D:5"}, "eCFR edition 2026-07-23", Trust.VOUCHED),
    ("HK", "2020-12-22", {"A:6", "B"}, "Baker McKenzie", Trust.VOUCHED),
    ("HK", "2020-12-23", {"D:1", "D:3", "D:4", "D:5"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
    # FR Doc. 2024-05696 summary (VS): "BIS is moving Nicaragua from Country Group B to Country Group D".
    ("NI", "2024-03-14", {"B"}, "89 FR 18780", Trust.BELIEVED),
    ("NI", "2024-03-15", {"D:1", "D:5"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("CY", "2024-05-29", None, "not known", Trust.UNKNOWN),
    ("KH", "2026-02-02", None, "not known", Trust.UNKNOWN),
    ("KH", "2026-02-03", {"D:1"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("BY", "2021-06-01", {"D:1", "D:2", "D:3", "D:4", "D:5"}, "87 FR 13048", Trust.BELIEVED),
    ("BY", "2022-03-02", {"D:1", "D:2", "D:3", "D:4", "D:5"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
    ("DE", "2019-01-01", {"A:1", "A:2", "A:3", "A:4", "A:5", "B"}, "eCFR edition 2026-07-23", Trust.BELIEVED),
]


@pytest.mark.parametrize(("code", "day", "groups", "source", "trust"), COUNTRY_PINS)
def test_country_groups_on_each_side_of_each_change(
    tables: EarTables, code: str, day: str, groups: set[str] | None, source: str, trust: Trust
) -> None:
    status = country_status(code, date.fromisoformat(day), tables)
    assert status.groups == (frozenset(groups) if groups is not None else None)
    assert status.groups_version is not None
    assert source in status.groups_version.label, status.groups_version.label
    assert status.groups_version.trust is trust, status.groups_version.label
    if trust is not Trust.VOUCHED:
        assert status.warnings


def test_chart_rows_of_russia_sudan_hong_kong(tables: EarTables) -> None:
    assert country_status("RU", date(2020, 2, 23), tables).marks is None  # 85 FR 10274 amended the row
    assert "NS2" in (country_status("RU", date(2020, 2, 24), tables).marks or ())
    assert country_status("RU", date(2022, 2, 24), tables).footnotes.keys() == {"6"}
    assert country_status("RU", date(2022, 2, 23), tables).footnotes == {}
    assert country_status("SD", date(2021, 1, 13), tables).marks is None  # AT removed by 86 FR 4929
    assert country_status("HK", date(2020, 12, 22), tables).marks is None
    assert country_status("HK", date(2020, 12, 23), tables).governed_by == "CN"


def test_part_746_russia_and_belarus_by_category() -> None:
    data = embargo_data()
    for code, start in (("RU", date(2022, 2, 24)), ("BY", date(2022, 3, 2))):
        found = data.in_force(code, start)
        assert found is not None
        assert found[1].categories == (3, 4, 5, 6, 7, 8, 9)
        after = data.in_force(code, date(2022, 4, 8))
        assert after is not None
        assert after[1].categories is None
        assert "87 FR 22130" in after[1].sources[0].cite
        # Savings clause: en route on 2022-04-08, exported by 2022-05-09, keeps the Categories 3-9 scope.
        kept = data.in_force(code, date(2022, 5, 9), shipped_on=date(2022, 4, 8))
        assert kept is not None
        assert kept[1].categories == (3, 4, 5, 6, 7, 8, 9)
        later = data.in_force(code, date(2022, 5, 10), shipped_on=date(2022, 4, 8))
        assert later is not None
        assert later[1].categories is None
    assert data.in_force("RU", date(2022, 2, 23)) is None


def test_law_date_follows_no_savings_clause_unless_one_is_written() -> None:
    assert law_date("3A090.a", date(2023, 11, 20), date(2023, 11, 1)) == date(2023, 11, 20)


def test_every_amendment_and_history_cites_a_federal_register_source() -> None:
    for amendment in table_amendments().amendments:
        assert amendment.sources, amendment.title
    assert table_amendments().complete_from(Table.CCL) is None  # never claimed for the CCL
    for row in country_chart_data().rows:
        for version in row.versions:
            assert version.sources, row.code


def test_746_8_as_the_stored_copies_read_it() -> None:
    # 746.8 as 87 FR 13062 (Mar. 8, 2022) left it (MichalOpoka/ecfr commit 0d851c30): "(1) Items classified in any
    # ECCN in CCL Categories 3 to 9 ... to or within Russia or Belarus any item subject to the EAR and specified in
    # any ... (ECCN) in Categories 3, 4, 5, 6, 7, 8, or 9 of the CCL"; "(c) ... No license exceptions may overcome
    # the license requirements in paragraphs (a)(1) and (2) of this section except" TMP, GOV, TSU, BAG, AVS, ENC
    # and CCD. As amended to 89 FR 4811, Jan. 25, 2024 (commit 317c1e6e): "(1) Items classified in any ECCN on the
    # CCL", the same seven exceptions. MED (740.23) came with 89 FR 33228 on 2024-04-29.
    seven = ("TMP", "GOV", "TSU", "BAG", "AVS", "ENC", "CCD")
    for code, day, categories in (
        ("BY", date(2022, 3, 15), (3, 4, 5, 6, 7, 8, 9)),
        ("RU", date(2022, 3, 15), (3, 4, 5, 6, 7, 8, 9)),
        ("RU", date(2024, 2, 1), None),
        ("BY", date(2024, 2, 1), None),
    ):
        found = embargo_data().in_force(code, day)
        assert found is not None, (code, day)
        version = found[1]
        assert version.categories == categories, (code, day)
        assert version.exceptions == seven, (code, day)
    later = embargo_data().in_force("RU", date(2024, 6, 18))
    assert later is not None
    assert "MED" in later[1].exceptions


# "600 series" entries whose 2026 rows have no .y row, and 0A919: no Federal Register amendment of them was
# read, so their 2026 text is trusted only from the edition's date -- before it each is a question, never
# today's controls (issue 15: "its current text is trusted only from the date of its last known amendment").
WITHOUT_HISTORY = [
    "0A602",
    "0A604",
    "0A614",
    "0A919",
    "0B602",
    "0B604",
    "0B606",
    "0B614",
    "0B617",
    "0C606",
    "0C617",
    "0D602",
    "0D604",
    "0E602",
    "0E604",
    "0E614",
    "1A607",
    "1B607",
    "1B608",
    "1B613",
    "1C607",
    "1C608",
    "1D607",
    "1D608",
    "1E607",
    "1E608",
    "3B611",
    "4A611",
    "5A611",
    "6A611",
    "6B619",
    "6D619",
    "6E619",
    "7B611",
    "8B609",
    "8B620",
    "8C609",
    "9A620",
    "9B604",
    "9B610",
    "9B620",
    "9C610",
    "9C619",
    "9D604",
    "9D620",
    "9E604",
    "9E620",
]


@pytest.mark.parametrize("code", WITHOUT_HISTORY)
def test_an_entry_without_history_is_a_question_before_the_edition(tables: EarTables, code: str) -> None:
    assert ccl_supplement().entry(code) is None, f"{code} now has a history: move it out of this list"
    before = eccn_status(code, date(2021, 1, 1), tables)
    assert before.known is False, before
    assert before.version is not None
    assert before.version.trust is Trust.UNKNOWN
    assert before.question is not None
    assert f"ECCN {code} have on 2021-01-01" in before.question
    on_edition = eccn_status(code, tables.edition, tables)
    assert on_edition.known is True, on_edition


def test_746_6_exceptions_before_license_exception_med() -> None:
    # 746.6 as amended to 89 FR 4811, Jan. 25, 2024 (MichalOpoka/ecfr commit 317c1e6e), (c): "(1) TMP for items
    # for use by the news media ... (2) GOV ... (3) GFT ... (4) TSU ... (5) BAG ... (6) AVS" -- no MED, which
    # 89 FR 33228 created on 2024-04-29.
    found = embargo_data().in_force("UA", date(2024, 2, 1))
    assert found is not None
    assert found[1].exceptions == ("TMP", "GOV", "GFT", "TSU", "BAG", "AVS")
    later = embargo_data().in_force("UA", date(2024, 6, 1))
    assert later is not None
    assert "MED" in later[1].exceptions


# The day each licence exception created since 2019 came into force: the effective date of the Federal Register
# document that created it (docs/research/dated-tables.md, "Back-dating check"): NAC by 88 FR 73458 and ACA by
# 89 FR 23876 (the advanced-computing rules), HBM by 89 FR 96790, AIA, ACM and LPP by 90 FR 4544, MED by
# 89 FR 33228 (2024-04-29), IEC by 89 FR 72926, ACE by 86 FR 58205 with its effective date delayed to 2022-03-07
# (FR doc. 2022-00448), SPP by 90 FR 42320. An exception listed before that day -- as MED was in 746.6 and 746.8
# from 2022, and NAC, ACA, HBM, AIA and ACM in 740.2(a)(9)(ii) from 2022-10-07 -- is a back-dated list.
CREATED = {
    "NAC": date(2023, 11, 17),
    "ACA": date(2024, 4, 4),
    "HBM": date(2024, 12, 2),
    "AIA": date(2025, 1, 13),
    "ACM": date(2025, 1, 13),
    "LPP": date(2025, 1, 13),
    "MED": date(2024, 4, 29),
    "IEC": date(2024, 9, 6),
    "ACE": date(2022, 3, 7),
    "SPP": date(2025, 9, 2),
}


def test_no_exception_listed_before_it_existed() -> None:
    data = exception_data()
    for symbol, created in CREATED.items():
        rule = next(r for r in data.exceptions if r.symbol == symbol)
        assert rule.first == created, symbol
    listed: list[tuple[str, date, str]] = []
    for restriction in data.restrictions:
        for version in restriction.versions:
            listed += [(restriction.id, version.effective, a.symbol) for a in version.allowed]
    for embargo in embargo_data().embargoes:
        for part in embargo.versions:
            listed += [(embargo.code, part.effective, symbol) for symbol in part.exceptions]
    early = [(where, start, s) for where, start, s in listed if s in CREATED and start < CREATED[s]]
    assert early == []


def test_740_2_a_9_ii_opens_each_exception_from_its_rule() -> None:
    # 740.2(a)(9)(ii) of 2026 leaves open TMP (740.9(a)(6)), NAC/ACA, RPL, GOV (740.11(b)), TSU, HBM, AIA (4E091
    # only) and ACM; before 88 FR 73458 (2023-11-17) none of NAC, ACA, HBM, AIA, ACM existed.
    def opened(day: date) -> set[str]:
        found = {r.id: v for r, v in exception_data().restrictions_on(day)}
        return {a.symbol for a in found["740.2.advanced_computing"].allowed}

    old = {"TMP", "RPL", "GOV", "TSU"}
    assert opened(date(2022, 10, 7)) == old
    assert opened(date(2023, 11, 16)) == old
    assert opened(date(2023, 11, 17)) == old | {"NAC"}
    assert opened(date(2024, 4, 3)) == old | {"NAC"}
    assert opened(date(2024, 4, 4)) == old | {"NAC", "ACA"}
    assert opened(date(2024, 12, 2)) == old | {"NAC", "ACA", "HBM"}
    assert opened(date(2025, 1, 13)) == old | {"NAC", "ACA", "HBM", "AIA", "ACM"}
