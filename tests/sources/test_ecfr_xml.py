"""The eCFR's own XML as an edition of the tables: reading it (strict and lenient, errors with their lines),
importing it beside the 2026 edition, and which edition governs a date.

The fixture (tests/fixtures/ecfr/) is written by hand in the e-CFR XML schema: DIV5 TYPE="PART", DIV8
TYPE="SECTION" with HEAD/P/CITA, DIV9 TYPE="APPENDIX" and HTML-like tables, as the GPO's e-CFR XML User
Guide describes them and as two independent parsers of the versioner's XML read them
(docs/research/dated-tables.md). Expected values are the fixture's own cells, read off the file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.errors import SourceFormatError
from earcheck.regulations.ccl import eccn_status
from earcheck.regulations.country_chart import country_status
from earcheck.regulations.editions import Trust
from earcheck.settings import Settings
from earcheck.sources import SourceKind, detect, read
from earcheck.sources.country_chart import ChartFootnote
from earcheck.sources.ecfr_xml import RegulationSection
from earcheck.sources.report import ParseReport
from earcheck.store import Store
from earcheck.tables import CclEntry, CountryChartRow, CountryGroupRow, LicenseExceptionInfo

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ecfr" / "title-15-2022-10-21-parts-738-740-746-774.xml"
EDITION = date(2022, 10, 21)


def records(path: Path = FIXTURE, strict: bool = True, report: ParseReport | None = None) -> list[object]:
    return list(read(detect(path), path, strict=strict, report=report))


def test_the_fixture_is_detected_and_read_whole() -> None:
    assert detect(FIXTURE) is SourceKind.ECFR_XML
    found = records()
    chart = {r.code: r for r in found if isinstance(r, CountryChartRow)}
    # Row "Germany <SU>3</SU>": X under CB 1, NS 1, MT 1, RS 1.
    assert chart["DE"].marks == frozenset({"CB1", "NS1", "MT1", "RS1"})
    assert chart["DE"].footnotes == ("3",)
    assert chart["RU"].footnotes == ("6",)
    assert chart["CU"].embargo_pointer is not None
    assert chart["CU"].embargo_pointer.startswith("See part 746")
    notes = {r.number: r.text for r in found if isinstance(r, ChartFootnote)}
    assert notes["6"].startswith("See § 746.8")
    groups = {r.code: r.groups for r in found if isinstance(r, CountryGroupRow)}
    assert groups["DE"] == frozenset({"A:1", "A:2", "A:3", "A:4", "A:5", "B"})  # table A plus list B
    assert groups["MY"] == frozenset({"B"})
    assert groups["CU"] == frozenset({"D:2", "D:3", "D:5", "E:2"})
    assert {r.symbol: r.section for r in found if isinstance(r, LicenseExceptionInfo)} == {
        "LVS": "15 CFR 740.3",
        "GBS": "15 CFR 740.4",
    }
    sections = [r for r in found if isinstance(r, RegulationSection)]
    assert [(s.section, s.heading) for s in sections] == [("746.8", "Sanctions against Russia and Belarus.")]
    assert sections[0].source_note is not None
    assert "87 FR 22140" in sections[0].source_note
    ccl = {r.eccn: r for r in found if isinstance(r, CclEntry)}
    assert set(ccl) == {"2B001", "3A090", "3A991"}
    assert ccl["3A090"].reasons == ("RS", "AT")
    assert ccl["3A090"].controls[0].country_chart.startswith("To or within China")
    assert [p.paragraph for p in ccl["3A090"].paragraphs if p.paragraph] == ["a", "a.1", "a.2"]
    assert ccl["2B001"].license_exception_notes == {"LVS": "N/A", "GBS": "N/A"}


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(text: str) -> int:
    return FIXTURE.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


def test_xml_that_is_not_well_formed_names_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "<HEAD>§ 740.3   Shipments", "<HEAD>§ 740.3 <I>Shipments")
    with pytest.raises(SourceFormatError, match="not well-formed") as raised:
        records(path)
    assert raised.value.line is not None
    assert raised.value.line >= line_of("<HEAD>§ 740.3")


def test_a_bad_chart_row_fails_in_strict_mode_and_is_skipped_in_lenient(tmp_path: Path) -> None:
    path = broken(tmp_path, 'scope="row">Malaysia</TD>', 'scope="row">Atlantis</TD>')
    with pytest.raises(SourceFormatError, match="unknown destination 'Atlantis'") as raised:
        records(path)
    assert raised.value.line == line_of('scope="row">Malaysia</TD>')
    report = ParseReport()
    found = records(path, strict=False, report=report)
    assert "MY" not in {r.code for r in found if isinstance(r, CountryChartRow)}
    assert [s.line for s in report.skipped] == [line_of('scope="row">Malaysia</TD>')]
    assert "DE" in {r.code for r in found if isinstance(r, CountryChartRow)}


def test_a_mark_that_is_not_x_is_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "Germany" in line and "<TR>" in line)
    path = tmp_path / "mark.xml"
    path.write_text(text.replace(row, row.replace("<TD>X</TD>", "<TD>Y</TD>", 1)), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="expected X or nothing"):
        records(path)


def test_entities_are_refused(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>\n' + text.split("\n", 1)[1].replace(
        "Introduction.", "&a;"
    )
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(SourceFormatError, match="entities"):
        records(path)


def test_xml_of_another_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part-730.xml"
    path.write_text('<?xml version="1.0"?><DIV5 N="730" TYPE="PART"><HEAD>PART 730</HEAD></DIV5>')
    with pytest.raises(SourceFormatError, match="no part 738, 740, 746 or 774"):
        records(path)


@pytest.mark.shared_data
def test_an_older_edition_imports_beside_the_current_one(settings: Settings, shared_data: Path) -> None:
    store = Store.open(settings)
    store.import_path(shared_data, today=date(2026, 11, 26))
    report = store.import_path(FIXTURE, EDITION, today=date(2026, 11, 26))
    kinds = {f.kind for f in report.files}
    assert kinds == {
        SourceKind.COUNTRY_CHART,
        SourceKind.CHART_FOOTNOTES,
        SourceKind.COUNTRY_GROUPS,
        SourceKind.LICENSE_EXCEPTIONS,
        SourceKind.PART_746,
        SourceKind.CCL,
    }
    assert all(f.as_of == EDITION for f in report.files)
    again = store.import_path(FIXTURE, EDITION, today=date(2026, 11, 26))
    assert {f.status for f in again.files} == {"already imported"}

    # The newest edition on or before a date governs it.
    assert store.ear_tables(date(2023, 6, 1)).ccl["3A090"].controls[0].country_chart.startswith("To or within China")
    assert "3A090" in store.ear_tables(date(2026, 8, 1)).ccl
    assert store.ear_tables(date(2026, 8, 1)).ccl["3A090"].controls[0].control == "RS applies to 3A090.a"

    # 2B001 has no written history: on the XML edition's own date its text is vouched for; between the two
    # editions, where both give the same rows, too; before the first edition it is not known.
    on = eccn_status("2B001.a", EDITION, store.ear_tables(EDITION))
    assert on.known
    assert on.version is not None
    assert on.version.trust is Trust.VOUCHED
    between = eccn_status("2B001.a", date(2024, 3, 1), store.ear_tables(date(2024, 3, 1)))
    assert between.version is not None
    assert between.version.trust is Trust.VOUCHED
    assert "unchanged in the edition of 2026-07-23" in between.version.text
    before = eccn_status("2B001.a", date(2021, 6, 1), store.ear_tables(date(2021, 6, 1)))
    assert before.known is False
    # 3A090's recalled 2022 text gives way to the official one of the same period.
    chips = eccn_status("3A090.a", EDITION, store.ear_tables(EDITION))
    assert chips.version is not None
    assert chips.version.trust is Trust.VOUCHED
    assert chips.version.text == "eCFR edition 2022-10-21"
    germany = country_status("DE", EDITION, store.ear_tables(EDITION))
    assert germany.chart_version is not None
    assert germany.chart_version.trust is Trust.VOUCHED
    assert [s.section for s in store.regulation_sections(date(2023, 1, 1))] == ["746.8"]


@pytest.mark.shared_data
def test_cli_import_and_lookup_show_the_edition(
    settings: Settings, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EARCHECK_HOME", str(settings.home))
    runner = CliRunner()
    assert runner.invoke(app, ["data", "import", str(shared_data)]).exit_code == 0
    imported = runner.invoke(app, ["data", "import", str(FIXTURE), "--as-of", EDITION.isoformat()])
    assert imported.exit_code == 0, imported.output
    assert "#ccl" in imported.output
    result = runner.invoke(app, ["lookup", "eccn", "2B001", "--as-of", "2022-10-21", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["version"]["text"] == "eCFR edition 2022-10-21"
    assert document["version"]["trust"] == "vouched"
    country = runner.invoke(app, ["lookup", "country", "RU", "--as-of", "2022-11-01"])
    assert country.exit_code == 0, country.output
    assert "§ 746.8 Sanctions against Russia and Belarus." in country.output
