"""Destinations and ECCNs as of a date: Hong Kong before and after 2020-12-23, edition trust warnings,
the CCL supplement (3E001, 3E002, 3E003), unknown and malformed ECCNs, coverage, loader strictness."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.errors import MalformedEccn, OutOfCoverage, SourceFormatError, UnknownCountry
from earcheck.regulations.ccl import eccn_status, load_ccl_supplement
from earcheck.regulations.country_chart import country_status, load_country_chart
from earcheck.regulations.editions import Trust
from earcheck.tables import CclControl, CclEntry, CountryChartRow, CountryGroupRow, EarTables

CHINA_MARKS = frozenset({"CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"})
EDITION = date(2026, 7, 23)


@pytest.fixture(scope="module")
def tables() -> EarTables:
    """A few real rows of the 2026-07-23 edition, as the adapters read them."""
    return EarTables(
        edition=EDITION,
        country_chart={
            "CN": CountryChartRow("CN", "China", CHINA_MARKS),
            "DE": CountryChartRow("DE", "Germany", frozenset({"CB1", "NS1", "MT1", "RS1"}), ("3",)),
            "CU": CountryChartRow(
                "CU", "Cuba", frozenset(), embargo_pointer="See part 746 of the EAR to determine ..."
            ),
        },
        chart_footnotes={"3": "See § 742.6(a)(3) for special provisions ..."},
        territory_inheritance={"HK": "CN"},
        country_groups={
            "CN": CountryGroupRow("CN", "China", frozenset({"D:1", "D:3", "D:4", "D:5"})),
            "DE": CountryGroupRow("DE", "Germany", frozenset({"A:1", "A:5", "B"})),
            "CU": CountryGroupRow("CU", "Cuba", frozenset({"E:2"})),
        },
        ccl={
            "3B001": CclEntry(
                "3B001",
                "Equipment for the manufacturing of semiconductor devices ...",
                ("NS", "RS", "AT"),
                (
                    CclControl("NS applies to 3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", "NS Column 2."),
                    CclControl("AT applies to entire entry", "AT Column 1."),
                ),
                {"LVS": "$500"},
            ),
            "3E001": CclEntry(
                "3E001",
                "“Technology” ... License Requirements Reason for Control: NS, MT, NP, RS, AT ...",
                ("NS", "AT"),
                (CclControl("NS applies to entire entry", "NS Column 1"),),
                {"TSR": "Yes"},
            ),
            "3E003": CclEntry(
                "3E003",
                "Other “technology” ...",
                (),
                (CclControl("NS applies to entire entry", "NS Column 1."),),
                {},
            ),
        },
        license_exceptions={},
    )


# -- destinations ---------------------------------------------------------------------------------------


def test_hong_kong_had_its_own_row_until_2020_12_23(tables: EarTables) -> None:
    for day in (date(2020, 9, 15), date(2020, 12, 22)):
        hk = country_status("HK", day, tables)
        assert hk.governed_by == "HK"
        assert hk.marks is None  # not known: never read as "no licence"
        assert hk.groups == frozenset({"A:6", "B"})
        assert any("not known" in w for w in hk.warnings)
        assert hk.dated_fact == "country_chart.HK.2019-01-01"


@pytest.mark.parametrize("day", [date(2020, 12, 23), date(2020, 12, 24), date(2026, 7, 23)])
def test_hong_kong_follows_china_from_2020_12_23(tables: EarTables, day: date) -> None:
    hk = country_status("hk", day, tables)
    assert hk.code == "HK"
    assert hk.governed_by == "CN"
    assert hk.marks == CHINA_MARKS
    assert hk.groups == frozenset({"D:1", "D:3", "D:4", "D:5"})
    assert any("follows the row of CN from 2020-12-23" in w for w in hk.warnings)


def test_china_in_2020_is_the_edition_row_believed_with_a_warning(tables: EarTables) -> None:
    # country_chart.yaml: China's row "use_edition" from 2019-01-01, verification R.
    cn = country_status("CN", date(2020, 9, 15), tables)
    assert cn.marks == CHINA_MARKS
    assert cn.chart_version is not None
    assert cn.chart_version.trust is Trust.BELIEVED
    assert cn.chart_version.effective == date(2019, 1, 1)
    assert any("believed unchanged since 2019" in w for w in cn.warnings)


def test_germany_without_a_history_is_believed_from_2019(tables: EarTables) -> None:
    # table_amendments.yaml: the chart's amendments are believed complete from 2019-01-01 and none touched DE.
    de = country_status("DE", date(2020, 9, 15), tables)
    assert de.marks == frozenset({"CB1", "NS1", "MT1", "RS1"})
    assert de.chart_version is not None
    assert de.chart_version.trust is Trust.BELIEVED
    assert any("no amendment of it since 2019-01-01" in w for w in de.warnings)
    on_edition = country_status("DE", EDITION, tables)
    assert on_edition.chart_version is not None
    assert on_edition.chart_version.trust is Trust.VOUCHED
    assert on_edition.warnings == ()


def test_embargo_pointer_and_footnotes(tables: EarTables) -> None:
    cuba = country_status("CU", EDITION, tables)
    assert cuba.marks == frozenset()
    assert cuba.embargo is not None
    assert cuba.embargo.startswith("See part 746")
    assert "15 CFR part 746" in cuba.citation
    germany = country_status("DE", EDITION, tables)
    assert germany.footnotes == {"3": "See § 742.6(a)(3) for special provisions ..."}


def test_a_destination_without_a_row_is_unknown(tables: EarTables) -> None:
    fr = country_status("FR", EDITION, tables)
    assert fr.marks is None
    assert fr.groups is None
    assert any("no row" in w for w in fr.warnings)


def test_bad_country_and_out_of_coverage(tables: EarTables) -> None:
    with pytest.raises(UnknownCountry):
        country_status("XX", EDITION, tables)
    with pytest.raises(OutOfCoverage, match="starts on 2019-01-01"):
        country_status("CN", date(2018, 12, 31), tables)
    assert country_status("CN", date(2019, 1, 1), tables).marks == CHINA_MARKS


# -- ECCNs ----------------------------------------------------------------------------------------------


def test_3e002_comes_from_the_supplement(tables: EarTables) -> None:
    status = eccn_status("3E002", date(2020, 9, 15), tables)
    assert status.known is True
    assert status.source == "supplement"
    assert status.reasons == ("NS", "AT")
    assert status.heading is not None
    assert "microprocessor microcircuit" in status.heading
    assert any("recalled, not read (R)" in w for w in status.warnings)


@pytest.mark.parametrize(
    ("day", "reasons"),
    [
        (date(2022, 10, 6), ("NS", "MT", "NP", "AT")),
        (date(2022, 10, 7), ("NS", "MT", "NP", "RS", "AT")),
        (date(2026, 7, 23), ("NS", "MT", "NP", "RS", "AT")),
    ],
)
def test_3e001_reasons_are_corrected_and_dated(tables: EarTables, day: date, reasons: tuple[str, ...]) -> None:
    status = eccn_status("3e001", day, tables)
    assert status.reasons == reasons
    assert status.controls is not None
    assert status.controls[0].country_chart == "NS Column 1."
    # The edition's lines are the lines of its own period only; earlier dated texts of 3E001 are held
    # without their License Exceptions paragraph, so their lines are unknown (None), never the 2026 ones.
    expected = {"TSR": "Yes"} if day >= date(2025, 5, 15) else None
    assert status.license_exception_notes == expected


def test_3e003_gets_its_reasons(tables: EarTables) -> None:
    assert eccn_status("3E003.b", EDITION, tables).reasons == ("NS", "AT")


def test_an_eccn_from_the_table_keeps_its_paragraph(tables: EarTables) -> None:
    # 3B001 from 2024-12-02 is "use_edition" in ccl_supplement.yaml: the edition's rows, as written.
    status = eccn_status("3B001.c.1.a", EDITION, tables)
    assert status.eccn == "3B001.c.1.a"
    assert status.entry == "3B001"
    assert status.source == "ccl"
    assert status.reasons == ("NS", "RS", "AT")
    assert status.controls is not None
    assert status.controls[0].country_chart == "NS Column 2."
    assert status.version is not None
    assert status.version.text == "eCFR edition 2026-07-23"


def test_an_eccn_without_a_history_is_trusted_only_from_the_edition(tables: EarTables) -> None:
    table = EarTables(
        **{
            **{
                f: getattr(tables, f)
                for f in (
                    "edition",
                    "country_chart",
                    "chart_footnotes",
                    "territory_inheritance",
                    "country_groups",
                    "license_exceptions",
                )
            },
            "ccl": {
                "2B001": CclEntry(
                    "2B001",
                    "Machine tools",
                    ("NS", "AT"),
                    (CclControl("NS applies to entire entry", "NS Column 2."),),
                    {},
                )
            },
        }
    )
    assert eccn_status("2B001.a", EDITION, table).known is True
    before = eccn_status("2B001.a", date(2024, 1, 1), table)
    assert before.known is False
    assert before.version is not None
    assert before.version.trust is Trust.UNKNOWN
    assert before.question is not None
    assert "2024-01-01" in before.question


def test_an_eccn_the_table_lacks_is_unknown(tables: EarTables) -> None:
    status = eccn_status("9A999", EDITION, tables)
    assert status.known is False
    assert status.reasons is None
    assert status.controls is None
    assert "unknown" in status.warnings[0]


def test_malformed_eccn_raises(tables: EarTables) -> None:
    with pytest.raises(MalformedEccn):
        eccn_status("3B01", EDITION, tables)


def test_ear99(tables: EarTables) -> None:
    status = eccn_status("ear99", EDITION, tables)
    assert status.known is True
    assert status.reasons == ()


def test_eccn_out_of_coverage(tables: EarTables) -> None:
    with pytest.raises(OutOfCoverage):
        eccn_status("3E002", date(2018, 6, 1), tables)


# -- loader strictness ----------------------------------------------------------------------------------

CHART = """
covers_from: 2019-01-01
rows:
  - code: HK
    versions:
      - {effective: 2019-01-01, superseded: 2020-12-23, marks: null, groups: [B], citation: c,
         sources: [{cite: x}], verification: VX, verified_how: t}
      - {effective: 2020-12-23, follows: CN, citation: c, sources: [{cite: x}], verification: VX,
         verified_how: t}
"""

SUPPLEMENT = """
covers_from: 2019-01-01
entries:
  - eccn: 3E002
    versions:
      - {effective: 2019-01-01, reasons: [NS], controls: [], citation: c, sources: [{cite: x}],
         verification: R, verified_how: t}
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("superseded: 2020-12-23, marks", "superseded: 2021-01-01, marks", "overlaps"),
        ("follows: CN,", "follows: CN, tint: blue,", "tint"),
        ("covers_from: 2019-01-01", "covers_from: 2019-01-01\ncovers_from: 2019-01-02", "duplicate key"),
        ("superseded: 2020-12-23", "superseded: 2020-12-32", "bad date"),
        ("marks: null, groups: [B]", "follows: DE, groups: [B]", "give one of"),
    ],
)
def test_country_chart_loader_is_strict(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = tmp_path / "country_chart.yaml"
    assert old in CHART
    with pytest.raises(SourceFormatError) as raised:
        load_country_chart(path, CHART.replace(old, new, 1))
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("eccn: 3E002", "eccn: 3E02", "malformed ECCN"),
        ("eccn: 3E002", "eccn: 3E002.a", "whole entry"),
        ("reasons: [NS]", "reasons: [NS], colour: red", "colour"),
        ("effective: 2019-01-01, reasons", "effective: 2019-02-30, reasons", "bad date"),
    ],
)
def test_ccl_supplement_loader_is_strict(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = tmp_path / "ccl_supplement.yaml"
    assert old in SUPPLEMENT
    assert load_ccl_supplement(path, SUPPLEMENT).entries[0].eccn == "3E002"
    with pytest.raises(SourceFormatError) as raised:
        load_ccl_supplement(path, SUPPLEMENT.replace(old, new, 1))
    assert str(path) in str(raised.value)
    assert message in str(raised.value)
