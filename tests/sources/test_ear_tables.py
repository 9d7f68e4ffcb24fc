"""The EAR table adapters: Country Chart (+ footnotes), Country Groups, CCL, Part 740 catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.sources import ParseReport, ccl, country_chart, country_groups, license_exceptions
from earcheck.sources.country_chart import ChartFootnote, TerritoryInheritance
from earcheck.tables import CHART_COLUMNS

EAR = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot" / "ear"


def test_country_chart_rows() -> None:
    rows = {row.code: row for row in country_chart.parse(EAR / "country_chart.csv")}
    assert set(rows) == {"AL", "CN", "DE", "GB", "LI", "RU", "CH", "IR", "KP"}
    china = rows["CN"]
    assert china.name == "China"
    assert china.marks == frozenset(CHART_COLUMNS) - {"FC1", "CC2", "AT1", "AT2"}
    assert china.embargo_pointer is None
    assert rows["AL"].footnotes == ("2", "3")
    iran = rows["IR"]
    assert iran.marks == frozenset()
    assert iran.footnotes == ("1",)
    assert iran.embargo_pointer is not None
    assert "part 746" in iran.embargo_pointer
    assert rows["KP"].name == "Korea, North"
    assert china.raw["NP2"] == "X"
    assert china.line == 3


def test_chart_footnotes_and_territories_by_iso_code() -> None:
    records = list(country_chart.parse_footnotes(EAR / "country_chart_footnotes.json"))
    notes = {r.number: r.text for r in records if isinstance(r, ChartFootnote)}
    assert set(notes) == {"1", "2", "3", "5"}
    assert notes["5"].startswith("Refer to Switzerland")
    territories = {r.territory: r for r in records if isinstance(r, TerritoryInheritance)}
    assert {code: t.governed_by for code, t in territories.items()} == {"HK": "CN", "LI": "CH", "KY": "GB"}
    assert territories["HK"].basis is not None
    assert "85 FR 83788" in territories["HK"].basis


def test_chart_footnotes_with_an_unknown_territory(tmp_path: Path) -> None:
    document = json.loads((EAR / "country_chart_footnotes.json").read_text())
    document["territory_inheritance"]["atlantis"] = {"row": "China"}
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SourceFormatError, match="unknown territory 'atlantis'") as raised:
        list(country_chart.parse_footnotes(path))
    assert raised.value.field == "territory_inheritance.atlantis"
    report = ParseReport()
    assert len(list(country_chart.parse_footnotes(path, strict=False, report=report))) == 7
    assert report.skipped[0].text is not None
    assert "atlantis" in report.skipped[0].text


def test_chart_footnotes_not_json(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{\n "footnotes": {"1": "x",\n')
    with pytest.raises(SourceFormatError, match="not valid JSON") as raised:
        country_chart.parse_footnotes(path)
    assert raised.value.line == 3


def test_country_chart_bad_cells(tmp_path: Path) -> None:
    text = (EAR / "country_chart.csv").read_text(encoding="utf-8")
    path = tmp_path / "chart.csv"
    path.write_text(text.replace("CN,China,X", "CN,China,Y").replace("DE,Germany", "ZZ,Germany"))
    report = ParseReport()
    rows = list(country_chart.parse(path, strict=False, report=report))
    assert len(rows) == 7
    assert [(s.line, s.field) for s in report.skipped] == [(3, "CB1"), (4, "code")]
    assert "unknown country code 'ZZ'" in report.skipped[1].message


def test_country_groups() -> None:
    rows = {row.code: row for row in country_groups.parse(EAR / "country_groups.csv")}
    assert rows["CN"].groups == frozenset({"D:1", "D:3", "D:4", "D:5"})
    assert rows["US"].groups == frozenset({"A:1", "A:2", "A:3", "A:4", "B"})
    assert rows["IR"].groups >= {"E:1"}


def test_country_groups_new_group_column(tmp_path: Path) -> None:
    lines = (EAR / "country_groups.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "groups.csv"
    path.write_text("\n".join([lines[0] + ",F:1", *(line + "," for line in lines[1:])]) + "\n")
    with pytest.raises(SourceFormatError, match=r"unknown column.*F:1") as raised:
        country_groups.parse(path)
    assert (raised.value.line, raised.value.field) == (1, "F:1")
    report = ParseReport()
    assert len(list(country_groups.parse(path, strict=False, report=report))) == 5
    assert "F:1" in report.warnings[0]


def test_ccl_entries() -> None:
    entries = {entry.eccn: entry for entry in ccl.parse(EAR / "ccl.jsonl")}
    assert set(entries) == {"0A002", "1C350", "2B004", "3B001", "3E001"}
    sme = entries["3B001"]
    assert sme.reasons == ("NS", "RS", "AT")
    assert sme.controls[2].control == "NS applies to 3B001.a.1 to a.3, b, e, f.2 to f.4, g to j"
    assert sme.controls[2].country_chart == "NS Column 2."
    assert sme.license_exception_notes["LVS"].startswith("$500")
    assert sme.paragraphs[0].paragraph == "a"
    assert sme.paragraphs[0].depth == 1
    assert any(p.paragraph is None and p.kind == "text" for p in sme.paragraphs)
    assert sme.related_controls is not None
    assert "3E001" in sme.related_controls
    assert sme.raw["productGroup"] == "B"
    assert entries["0A002"].reasons == ()  # the extraction gives none: unknown, kept empty
    assert entries["2B004"].reasons == ("NS", "MT", "NP", "AT")  # written "NS, MT NP, AT"
    assert entries["1C350"].controls[0].control == entries["1C350"].controls[0].country_chart


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("NS, RS, AT", ("NS", "RS", "AT")),
        ("NS, MT and AT", ("NS", "MT", "AT")),
        ("RS AT", ("RS", "AT")),
        ("CW, AT.", ("CW", "AT")),
        ("CC 1", ("CC1",)),
        ("AT, RS, foreign policy", ("AT", "RS", "foreign policy")),
        ("", ()),
        (None, ()),
    ],
)
def test_ccl_reasons(reason: str | None, expected: tuple[str, ...]) -> None:
    assert ccl.reasons(reason) == expected


def test_ccl_bad_lines(tmp_path: Path) -> None:
    lines = (EAR / "ccl.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ccl.jsonl"
    bad = [
        '{"eccn": "3B01", "heading": "x"}',
        '{"eccn": "3B001", "heading": "again"}',
        '{"eccn": "9A001", "heading": "x", "countryChart": {"control": "NS"}}',
        '{"eccn": "9A002", "heading": "x", "items": [{"paragraph": "a", "depth": "one", "text": "t"}]}',
        lines[0][:50],  # a line cut short
    ]
    path.write_text("\n".join([*lines, *bad]) + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="malformed ECCN '3B01'") as raised:
        list(ccl.parse(path))
    assert (raised.value.line, raised.value.field) == (6, "eccn")
    report = ParseReport()
    assert len(list(ccl.parse(path, strict=False, report=report))) == 5
    assert [(s.line, s.field) for s in report.skipped] == [
        (6, "eccn"),
        (7, "eccn"),
        (8, "countryChart"),
        (9, "items[0].depth"),
        (10, None),
    ]
    assert "already on line 4" in report.skipped[1].message
    assert "cut short" in report.skipped[4].message


def test_license_exceptions_split_nac_aca_and_cite_as_earcheck_does() -> None:
    read = list(license_exceptions.parse(EAR / "license_exceptions.csv"))
    assert [(e.symbol, e.section) for e in read] == [
        ("LVS", "15 CFR 740.3"),
        ("GBS", "15 CFR 740.4"),
        ("SPP", "15 CFR 740.5"),
        ("NAC", "15 CFR 740.8"),
        ("ACA", "15 CFR 740.8"),
    ]
    assert read[0].title == "Shipments of limited value (LVS)"


def test_license_exceptions_bad_section(tmp_path: Path) -> None:
    path = tmp_path / "le.csv"
    path.write_text("section,symbol,title\n15 CFR 999.1,LVS,x\n740.3,Lvs,y\n")
    report = ParseReport()
    assert list(license_exceptions.parse(path, strict=False, report=report)) == []
    assert [(s.line, s.field) for s in report.skipped] == [(2, "section"), (3, "section")]


@pytest.mark.shared_data
def test_real_tables(shared_data: Path) -> None:
    ear = shared_data / "ear"
    chart = list(country_chart.parse(ear / "country_chart.csv"))
    assert len(chart) == 200
    assert {r.code for r in chart if r.embargo_pointer} == {"CU", "IR", "KP", "SY"}
    assert "HK" not in {r.code for r in chart}  # Hong Kong follows China since 2020-12-23
    groups = list(country_groups.parse(ear / "country_groups.csv"))
    assert len(groups) == 201  # the chart has no US row; the groups do
    entries = list(ccl.parse(ear / "ccl.jsonl"))
    assert len(entries) == 633
    assert "3E002" not in {e.eccn for e in entries}  # a known gap of the extraction
    report = ParseReport()
    catalogue = list(license_exceptions.parse(ear / "license_exceptions.csv", report=report))
    assert len(catalogue) == 28 == report.records  # 27 rows, "NAC ACA" being two symbols
    notes = list(country_chart.parse_footnotes(ear / "country_chart_footnotes.json"))
    assert sum(isinstance(n, ChartFootnote) for n in notes) == 10
    assert sum(isinstance(n, TerritoryInheritance) for n in notes) == 3
