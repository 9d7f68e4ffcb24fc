from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode
from earcheck.sources import ParseReport
from earcheck.sources.ofac_sdn import aliases, parse, programs

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"
SDN_2021 = SNAPSHOT / "ofac" / "sdn-2021-08-18.csv"
SDN_2024 = SNAPSHOT / "ofac" / "sdn-2024-05-03.csv"


def test_fixture_ends_with_ctrl_z_which_is_not_a_row() -> None:
    assert SDN_2024.read_bytes().endswith(b"\r\n\x1a")
    report = ParseReport()
    read = list(parse(SDN_2024, as_of=date(2024, 5, 3), report=report))
    assert len(read) == 9 == report.records
    assert report.skipped == []


def test_row_fields() -> None:
    by_id = {e.list_id: e for e in parse(SDN_2024, as_of=date(2024, 5, 3))}
    bank = by_id["306"]
    assert bank.list_code is ListCode.SDN
    assert bank.name == "BANCO NACIONAL DE CUBA"
    assert bank.aliases == ("BNC",)
    assert bank.entity_type == "Entity"  # OFAC leaves it empty for entities
    assert bank.programs == ("CUBA",)
    assert bank.countries == ()  # the programme is not a country
    assert bank.line == 3
    assert bank.raw["SDN_Type"] == "-0- "  # raw keeps the file's own text
    assert bank.raw["Title"] == "-0- "
    mayo = by_id["7226"]
    assert mayo.entity_type == "Individual"
    assert mayo.programs == ("SDNTK", "ILLICIT-DRUGS-EO14059")
    assert mayo.countries == ("MX",)
    assert "El Mayo" in mayo.aliases
    basij = by_id["12727"]
    assert basij.programs == ("FTO", "SDGT", "IRGC", "IFSR", "IRAN-HR")
    assert "NATIONAL RESISTANCE MOBILIZATION" in basij.aliases
    assert any(a.startswith("NATIONAL MOBILIZATION ORGANI") for a in basij.aliases)  # an f.k.a.
    vessel = by_id["4238"]
    assert vessel.entity_type == "Vessel"
    assert vessel.raw["Call_Sign"] == "CL2192"


def test_an_alias_cut_short_by_the_legacy_format_is_left_out_and_reported() -> None:
    report = ParseReport()
    lazarus = next(e for e in parse(SDN_2024, as_of=date(2024, 5, 3), report=report) if e.list_id == "27307")
    assert "'WHOIS HACKIN" in (lazarus.remarks or "")
    assert "WHOIS HACKIN" not in lazarus.aliases
    assert "THE NEW ROMANTIC CYBER ARMY TEAM" in lazarus.aliases
    assert any("cut short" in w and "WHOIS HACKIN" in w for w in report.warnings)


def test_aliases_and_programs() -> None:
    assert aliases("a.k.a. 'AL-QA'IDA'; n.k.a. 'NEW NAME'; f.k.a. 'OLD, NAME'.") == (
        "AL-QA'IDA",
        "NEW NAME",
        "OLD, NAME",
    )
    assert aliases("Website x.com; a.k.a. 'X'") == ("X",)
    assert aliases("no aliases here") == ()
    assert programs("SDGT] [IFSR") == ("SDGT", "IFSR")
    assert programs("[NPWMD]") == ("NPWMD",)


def test_latin1_names_are_read(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        '999,"MU\xd1OZ, Jos\xe9","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'.encode("latin-1")
    )
    (entry,) = parse(path, as_of=date(2024, 1, 1))
    assert entry.name == "MUÑOZ, José"


def test_utf8_resaved_file_is_read_as_utf8_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes('999,"MUÑOZ, José",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'.encode())
    report = ParseReport()
    (entry,) = parse(path, as_of=date(2024, 1, 1), report=report)
    assert entry.name == "MUÑOZ, José"
    assert "read as UTF-8" in report.warnings[0]


def test_ctrl_z_before_the_end_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    lines = SDN_2021.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join([*lines[:2], b"\x1a", *lines[2:]]))
    with pytest.raises(SourceFormatError, match=r"line 3: .*Ctrl-Z"):
        list(parse(path, as_of=date(2021, 8, 18)))


@pytest.mark.parametrize(
    ("line", "message", "field"),
    [
        (
            'X1,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            "ent_num is not a number",
            "ent_num",
        ),
        ('12,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ', "empty SDN_Name", "SDN_Name"),
        ('12,"NAME",-0- ,"CUBA",-0- ', "row has 5 fields, SDN.CSV has 12", "Call_Sign"),
    ],
)
def test_bad_rows(tmp_path: Path, line: str, message: str, field: str) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(SDN_2021.read_bytes().replace(b"\r\n\x1a", f"\r\n{line}\r\n\x1a".encode()))
    with pytest.raises(SourceFormatError, match=message) as raised:
        list(parse(path, as_of=date(2021, 8, 18)))
    assert raised.value.line == 9
    assert raised.value.field == field
    report = ParseReport()
    assert len(list(parse(path, as_of=date(2021, 8, 18), strict=False, report=report))) == 8
    (skipped,) = report.skipped
    assert (skipped.line, skipped.field) == (9, field)
    assert skipped.text is not None
    assert skipped.text.startswith(line[:5])


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "rows"), [("sdn-2021-08-18.csv", 9083), ("sdn-2024-05-03.csv", 14965)])
def test_real_files(shared_data: Path, name: str, rows: int) -> None:
    report = ParseReport()
    read = list(parse(shared_data / "ofac" / name, as_of=date(2024, 5, 3), report=report))
    assert len(read) == rows == report.records
    assert report.skipped == []
    assert len({e.list_id for e in read}) == rows
    # every a.k.a./f.k.a./n.k.a. becomes an alias, except those cut short, each of which is reported
    markers = sum(len(re.findall(r"\b[afn]\.k\.a\.", e.remarks or "")) for e in read)
    assert sum(len(aliases(e.remarks or "")) for e in read) + len(report.warnings) == markers > 2000
    assert all("cut short" in w for w in report.warnings)


def test_duplicate_ent_num_and_missing_end_mark(tmp_path: Path) -> None:
    lines = SDN_2021.read_bytes().split(b"\r\n")
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\r\n".join([*lines[:2], lines[1], *lines[2:-1]]) + b"\r\n")  # no Ctrl-Z
    report = ParseReport()
    read = list(parse(path, as_of=date(2021, 8, 18), strict=False, report=report))
    assert len(read) == 8
    (skipped,) = report.skipped
    assert (skipped.line, skipped.field, skipped.message) == (
        3,
        "ent_num",
        "ent_num 173 is already on line 2",
    )
    assert any("no Ctrl-Z end-of-file mark" in w for w in report.warnings)
