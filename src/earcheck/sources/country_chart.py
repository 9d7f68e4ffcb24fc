"""The Commerce Country Chart (15 CFR part 738, Supplement No. 1) and its footnotes.

``parse`` reads the chart CSV: one row per destination, ``X`` under each reason-for-control column
where a licence is required, the row's footnote numbers, and for the Part 746 destinations (Cuba,
Iran, North Korea, Syria) the pointer text that replaces the marks.

``parse_footnotes`` reads the companion JSON: the footnote texts, and the territories whose licence
requirements follow another destination's row (Hong Kong follows China since 23 December 2020). The
JSON names territories and rows in English; they are read into ISO codes here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from earcheck.country import normalise_country
from earcheck.errors import SourceFormatError, UnknownCountry
from earcheck.sources.files import BadRows, decode_utf8_strict, headed_csv, read_file
from earcheck.sources.places import country_code
from earcheck.sources.report import ParseReport
from earcheck.tables import CHART_COLUMNS, CountryChartRow

__all__ = ["COLUMNS", "ChartFootnote", "TerritoryInheritance", "parse", "parse_footnotes"]

COLUMNS = ("code", "name", *CHART_COLUMNS, "footnotes", "embargo_pointer")
REQUIRED = ("code", "name", *CHART_COLUMNS)
WHAT = "Commerce Country Chart CSV (code, name, CB1 ... AT2, footnotes, embargo_pointer)"


def parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[CountryChartRow]:
    """Read the Country Chart CSV into ``CountryChartRow`` values, in file order."""
    bad = BadRows(strict, report)
    seen: dict[str, int] = {}

    def convert(row: dict[str, str], line: int) -> tuple[CountryChartRow]:
        code = _code(row["code"], path, line)
        if code in seen:
            raise SourceFormatError(path, f"{code} already has a row (line {seen[code]})", line=line, field="code")
        marks = set()
        for column in CHART_COLUMNS:
            value = row[column].strip().upper()
            if value == "X":
                marks.add(column)
            elif value:
                raise SourceFormatError(path, f"expected X or nothing, not {value!r}", line=line, field=column)
        seen[code] = line
        return (
            CountryChartRow(
                code=code,
                name=row["name"].strip(),
                marks=frozenset(marks),
                footnotes=tuple(re.split(r"[\s,;]+", row.get("footnotes", "").strip()))
                if row.get("footnotes", "").strip()
                else (),
                embargo_pointer=row.get("embargo_pointer", "").strip() or None,
                line=line,
                raw=row,
            ),
        )

    return headed_csv(path, known=COLUMNS, required=REQUIRED, what=WHAT, bad=bad, report=report, convert=convert)


def _code(text: str, path: Path, line: int) -> str:
    try:
        return normalise_country(text)
    except UnknownCountry as error:
        raise SourceFormatError(path, str(error), line=line, field="code") from None


@dataclass(frozen=True, slots=True)
class ChartFootnote:
    number: str  # "1" .. "10", as the chart rows cite them
    text: str


@dataclass(frozen=True, slots=True)
class TerritoryInheritance:
    """A territory with no row of its own whose licence requirements are those of another row."""

    territory: str  # ISO code, e.g. HK
    governed_by: str  # ISO code of the row that applies, e.g. CN
    territory_name: str  # as the file names them: "hong kong", "China"
    row_name: str
    basis: str | None = None  # why, with the citation, as the file gives it


def parse_footnotes(
    path: Path, *, strict: bool = True, report: ParseReport | None = None
) -> Iterator[ChartFootnote | TerritoryInheritance]:
    """Read the chart's footnote JSON: every footnote, then every territory inheritance."""
    bad = BadRows(strict, report)
    document = _json_object(path, read_file(path))
    footnotes = document.get("footnotes")
    territories = document.get("territory_inheritance", {})
    if not isinstance(footnotes, dict):
        raise SourceFormatError(path, "expected an object of footnote texts", field="footnotes")
    if not isinstance(territories, dict):
        raise SourceFormatError(path, "expected an object", field="territory_inheritance")
    return _footnote_records(path, footnotes, territories, bad, report)


def _footnote_records(
    path: Path,
    footnotes: dict[str, Any],
    territories: dict[str, Any],
    bad: BadRows,
    report: ParseReport | None,
) -> Iterator[ChartFootnote | TerritoryInheritance]:
    records: list[ChartFootnote | TerritoryInheritance] = []
    for number, text in footnotes.items():
        if not isinstance(text, str) or not text.strip():
            bad.handle(SourceFormatError(path, "expected the footnote's text", field=f"footnotes.{number}"))
            continue
        records.append(ChartFootnote(str(number).strip(), text.strip()))
    for name, rule in territories.items():
        field = f"territory_inheritance.{name}"
        try:
            records.append(_territory(path, name, rule, field))
        except SourceFormatError as error:
            bad.handle(error, json.dumps({name: rule}, ensure_ascii=False))
    for record in records:
        if report is not None:
            report.records += 1
        yield record


def _territory(path: Path, name: str, rule: object, field: str) -> TerritoryInheritance:
    row_name = rule.get("row") if isinstance(rule, dict) else rule
    basis = rule.get("basis") if isinstance(rule, dict) else None
    if not isinstance(row_name, str):
        raise SourceFormatError(path, "expected the name of the row that applies", field=f"{field}.row")
    territory = country_code(name)
    if territory is None:
        raise SourceFormatError(path, f"unknown territory {name!r}", field=field)
    governed_by = country_code(row_name)
    if governed_by is None:
        raise SourceFormatError(path, f"unknown Country Chart row {row_name!r}", field=f"{field}.row")
    return TerritoryInheritance(territory, governed_by, name, row_name, basis if isinstance(basis, str) else None)


def _json_object(path: Path, data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(decode_utf8_strict(data, path))
    except json.JSONDecodeError as error:
        raise SourceFormatError(path, f"not valid JSON: {error.msg}", line=error.lineno) from None
    if not isinstance(document, dict):
        raise SourceFormatError(path, "expected a JSON object")
    return document
