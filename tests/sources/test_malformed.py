"""Malformed official files: each gets an error naming file, line and field, and in lenient mode every
skipped row is reported with its text. Exercised through the CSL adapter, which reads like the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.sources import ParseReport, ccl, country_chart, csl, license_exceptions, ofac_sdn

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"
CSL = SNAPSHOT / "csl" / "consolidated.csv"
AS_OF = date(2026, 7, 31)
ROWS = 13


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "consolidated.csv"
    path.write_bytes(data)
    return path


def lenient(path: Path) -> tuple[int, ParseReport]:
    report = ParseReport()
    read = list(csl.parse(path, as_of=AS_OF, strict=False, report=report))
    return len(read), report


def test_truncated_inside_a_quoted_field(tmp_path: Path) -> None:
    data = CSL.read_bytes()
    cut = data.index(b"Bantian Huawei Base")  # inside the address of line 9
    path = write(tmp_path, data[:cut])
    with pytest.raises(SourceFormatError, match="line 9: a quoted field opened on line 9 is never closed") as err:
        list(csl.parse(path, as_of=AS_OF))
    assert "truncated" in str(err.value)
    assert str(path) in str(err.value)
    read, report = lenient(path)
    assert read == 7
    (skipped,) = report.skipped
    assert skipped.line == 9
    assert skipped.text is not None
    assert skipped.text.startswith('"7cde91bc18e61c4d5749a009"')


def test_truncated_between_fields(tmp_path: Path) -> None:
    data = CSL.read_bytes()
    cut = data.index(b',"Nonproliferation Sanctions')  # line 10 ends after its _id
    path = write(tmp_path, data[:cut])
    with pytest.raises(SourceFormatError, match="row has 1 fields, the header has 29") as err:
        list(csl.parse(path, as_of=AS_OF))
    assert (err.value.line, err.value.field) == (10, "source")
    assert "truncated" in err.value.detail
    read, report = lenient(path)
    assert (read, len(report.skipped)) == (8, 1)


def test_wrong_encoding_names_line_field_and_encoding(tmp_path: Path) -> None:
    # one row written in Windows-1252 inside a UTF-8 file
    data = CSL.read_bytes().replace(b"Atlas Sanatgaran", "Atlas Sanatgarán".encode("cp1252"))
    path = write(tmp_path, data)
    with pytest.raises(SourceFormatError, match=r"not valid UTF-8 \(byte 0xE1\).*Latin-1") as err:
        list(csl.parse(path, as_of=AS_OF))
    assert (err.value.line, err.value.field) == (14, "name")
    read, report = lenient(path)
    assert (read, [s.line for s in report.skipped]) == (ROWS - 1, [14])


def test_whole_file_in_another_encoding_fails_on_its_first_non_ascii_character(tmp_path: Path) -> None:
    path = write(tmp_path, CSL.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(SourceFormatError, match=r"not valid UTF-8 \(byte 0xA7\)") as err:  # the section sign
        list(csl.parse(path, as_of=AS_OF))
    assert (err.value.line, err.value.field) == (7, "license_requirement")


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + CSL.read_bytes())
    assert len(list(csl.parse(path, as_of=AS_OF))) == ROWS


def test_unknown_column(tmp_path: Path) -> None:
    lines = CSL.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, "\n".join([lines[0] + ',"risk_score"', *(f'{line},"7"' for line in lines[1:])]).encode())
    with pytest.raises(SourceFormatError, match=r"unknown column.*risk_score") as err:
        csl.parse(path, as_of=AS_OF)
    assert (err.value.line, err.value.field) == (1, "risk_score")
    read, report = lenient(path)
    assert read == ROWS
    assert "risk_score" in report.warnings[0]
    first = next(iter(csl.parse(path, as_of=AS_OF, strict=False, report=ParseReport())))
    assert first.raw["risk_score"] == "7"


def test_missing_columns(tmp_path: Path) -> None:
    text = CSL.read_text(encoding="utf-8").replace('"license_policy",', '"policy",', 1)
    path = write(tmp_path, text.encode())
    with pytest.raises(SourceFormatError, match="missing: license_policy") as err:
        csl.parse(path, as_of=AS_OF)
    assert err.value.field == "license_policy"
    read, report = lenient(path)
    assert read == ROWS
    assert any("license_policy" in w for w in report.warnings)
    assert any("policy" in w and "unknown" in w for w in report.warnings)


def test_missing_required_column_fails_even_when_lenient(tmp_path: Path) -> None:
    text = CSL.read_text(encoding="utf-8").replace('"_id",', '"id",', 1)
    path = write(tmp_path, text.encode())
    with pytest.raises(SourceFormatError, match=r"required column.*_id"):
        csl.parse(path, as_of=AS_OF, strict=False, report=ParseReport())


def test_duplicate_column(tmp_path: Path) -> None:
    text = CSL.read_text(encoding="utf-8").replace('"title",', '"name",', 1)
    with pytest.raises(SourceFormatError, match="column 'name' appears twice"):
        csl.parse(write(tmp_path, text.encode()), as_of=AS_OF)


def test_bad_date(tmp_path: Path) -> None:
    text = CSL.read_text(encoding="utf-8").replace('"2019-05-21"', '"21/05/2019"', 1)
    path = write(tmp_path, text.encode())
    with pytest.raises(SourceFormatError, match=r"line 9, field 'start_date': not a date: '21/05/2019'"):
        list(csl.parse(path, as_of=AS_OF))
    read, report = lenient(path)
    assert read == ROWS - 1
    assert (report.skipped[0].line, report.skipped[0].field) == (9, "start_date")


def test_unknown_source_list(tmp_path: Path) -> None:
    text = CSL.read_text(encoding="utf-8").replace(
        "Capta List (CAP) - Treasury Department", "Foreign Sanctions Evaders (FSE) - Treasury Department"
    )
    path = write(tmp_path, text.encode())
    with pytest.raises(SourceFormatError, match="unknown source list 'Foreign Sanctions Evaders") as err:
        list(csl.parse(path, as_of=AS_OF))
    assert (err.value.line, err.value.field) == (2, "source")
    read, report = lenient(path)
    assert (read, len(report.skipped)) == (ROWS - 1, 1)


def test_empty_name_and_id(tmp_path: Path) -> None:
    text = (
        CSL.read_text(encoding="utf-8")
        .replace('"BANK OF KUNLUN CO LTD"', '""')
        .replace('"b5126b8308f3ecdd46b949c8"', '" "')
    )
    read, report = lenient(write(tmp_path, text.encode()))
    assert read == ROWS - 2
    assert [(s.line, s.field) for s in report.skipped] == [(2, "name"), (3, "_id")]


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(SourceFormatError, match="empty file"):
        csl.parse(write(tmp_path, content), as_of=AS_OF)


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = write(tmp_path, CSL.read_bytes().split(b"\n")[0] + b"\n")
    assert list(csl.parse(path, as_of=AS_OF)) == []


@pytest.mark.parametrize(
    "parse",
    [
        lambda p: csl.parse(p, as_of=AS_OF),
        lambda p: ofac_sdn.parse(p, as_of=AS_OF),
        country_chart.parse,
        country_chart.parse_footnotes,
        ccl.parse,
        license_exceptions.parse,
    ],
)
def test_folder_and_missing_path(tmp_path: Path, parse: object) -> None:
    assert callable(parse)
    with pytest.raises(SourceFormatError, match="is a folder"):
        parse(tmp_path)
    with pytest.raises(SourceFormatError, match="no such file"):
        parse(tmp_path / "nope.csv")


def test_lenient_mode_needs_a_report() -> None:
    with pytest.raises(TypeError, match="ParseReport"):
        csl.parse(CSL, as_of=AS_OF, strict=False)


def test_duplicate_id(tmp_path: Path) -> None:
    lines = CSL.read_bytes().split(b"\n")
    path = write(tmp_path, b"\n".join([*lines[:3], lines[2], *lines[3:]]))
    with pytest.raises(SourceFormatError, match="_id b5126b8308f3ecdd46b949c8 is already on line 3") as err:
        list(csl.parse(path, as_of=AS_OF))
    assert (err.value.line, err.value.field) == (4, "_id")
