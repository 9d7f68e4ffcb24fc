"""Issue 14 items 8 and 10: dates that are not days of the calendar, dates out of range, numbers read
as Unix times, and documents nested too deep get a clear error naming the field, never a traceback.

Expected answers are the calendar's (2020 has no 30 February, no year has a 13th month) and the ranges
documented in ``earcheck.days``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from earcheck.casefile import MAX_DEPTH, load_document, parse_cases
from earcheck.days import CASE_DATES, RECORD_DATES, iso_date
from earcheck.errors import CaseError

CASE = "destination: DE\nas_of: {as_of}\nitems: [{{eccn: EAR99, origin: US}}]\n"


@pytest.mark.parametrize("as_of", ["2020-02-30", "2020-13-01", "9999-99-99", "0", "20200101", "1776-07-04"])
def test_a_case_date_that_is_no_day_names_as_of(as_of: str) -> None:
    with pytest.raises(CaseError) as raised:
        parse_cases(load_document(CASE.format(as_of=as_of), "case.yaml"), "case.yaml")
    assert [p.field for p in raised.value.errors] == ["as_of"]


def test_as_of_zero_is_not_1970() -> None:
    # pydantic on its own reads 0 as the Unix epoch: both the YAML number and the JSON number are refused.
    for document in (
        {"destination": "DE", "as_of": 0, "items": [{}]},
        {"destination": "DE", "as_of": "0", "items": [{}]},
    ):
        with pytest.raises(CaseError) as raised:
            parse_cases(document)
        assert "as_of" in str(raised.value)


def test_a_good_date_still_reads() -> None:
    [case] = parse_cases(load_document(CASE.format(as_of="2020-02-29"), "case.yaml"))
    assert case.as_of == date(2020, 2, 29)


def test_ranges_are_as_documented() -> None:
    assert date(1900, 1, 1) in CASE_DATES
    assert date(2199, 12, 31) in CASE_DATES
    assert date(1899, 12, 31) not in CASE_DATES
    assert date(2200, 1, 1) not in CASE_DATES
    assert date(1980, 1, 1) in RECORD_DATES
    assert date(2099, 12, 31) in RECORD_DATES
    assert date(205, 6, 1) not in RECORD_DATES
    assert date(2100, 1, 1) not in RECORD_DATES
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        iso_date(1_600_000_000)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_before_it_is_built(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = opening * 500 + "1" + closing * 500
    with pytest.raises(CaseError, match=f"nested more than {MAX_DEPTH} levels"):
        load_document(text, "deep.yaml")


def test_aliases_cannot_nest_deeper_than_the_text() -> None:
    # Each line is one level in the text but refers to the one before: the document is 40 deep.
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 40)]
    with pytest.raises(CaseError, match="nested"):
        load_document("\n".join(lines), "aliases.yaml")
    with pytest.raises(CaseError, match="aliases"):
        load_document("a: &a [x]\nb: *a\n", "form", aliases=False)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EARCHECK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "earcheck", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.mark.parametrize("command", ["check", "timeline"])
@pytest.mark.parametrize("as_of", ["2020-02-30", "2020-13-01", "9999-99-99"])
def test_the_cli_names_the_bad_date_with_status_2(command: str, as_of: str, tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE.format(as_of=as_of))  # unquoted: YAML would make it a timestamp
    result = _cli(tmp_path / "home", command, str(path))
    assert result.returncode == 2, result.stderr
    assert "as_of" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["check", "timeline"])
@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_the_cli_refuses_500_deep_nesting_with_status_2(command: str, suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"deep.{suffix}"
    path.write_text('{"destination": "DE", "items": [' + "[" * 500 + "]" * 500 + "]}")
    result = _cli(tmp_path / "home", command, str(path))
    assert result.returncode == 2, result.stderr
    assert "nested" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_timeline_option_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE.format(as_of="2024-01-01"))
    result = _cli(tmp_path / "home", "timeline", str(path), "--from", "0001-01-01")
    assert result.returncode == 2
    assert "outside the range" in result.stderr
