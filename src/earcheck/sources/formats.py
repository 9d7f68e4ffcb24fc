"""The official formats earcheck reads, and telling which one a file is from its content."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode, ListEntry
from earcheck.sources import ccl, country_chart, country_groups, csl, ecfr_xml, license_exceptions, ofac_sdn
from earcheck.sources.country_chart import ChartFootnote, TerritoryInheritance
from earcheck.sources.ecfr_xml import RegulationSection
from earcheck.sources.files import read_file
from earcheck.sources.report import ParseReport
from earcheck.tables import CclEntry, CountryChartRow, CountryGroupRow, LicenseExceptionInfo

__all__ = ["Record", "SourceKind", "detect", "kind_of", "read"]

Record = (
    ListEntry
    | CountryChartRow
    | ChartFootnote
    | TerritoryInheritance
    | CountryGroupRow
    | CclEntry
    | LicenseExceptionInfo
    | RegulationSection
)


class SourceKind(StrEnum):
    CSL = "csl"
    OFAC_SDN = "ofac_sdn"
    COUNTRY_CHART = "country_chart"
    CHART_FOOTNOTES = "chart_footnotes"
    COUNTRY_GROUPS = "country_groups"
    CCL = "ccl"
    LICENSE_EXCEPTIONS = "license_exceptions"
    PART_746 = "part_746"  # the sections of part 746 as an edition gives them
    ECFR_XML = "ecfr_xml"  # an eCFR XML file: read into the kinds above (``ecfr_xml.kind_of``)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short(self) -> str:
        """A short name for tables: CSL, SDN.CSV, Country Chart, ..."""
        return _SHORT[self]

    @property
    def is_list(self) -> bool:
        return self in (SourceKind.CSL, SourceKind.OFAC_SDN)

    @property
    def lists(self) -> frozenset[ListCode]:
        """The lists a file of this kind speaks for, whether or not it has rows for each.

        The CSL consolidates all twelve lists, so a CSL without, say, CAP rows says CAP is empty;
        SDN.CSV speaks only for the SDN list.
        """
        if self is SourceKind.CSL:
            return frozenset(ListCode)
        if self is SourceKind.OFAC_SDN:
            return frozenset({ListCode.SDN})
        return frozenset()


_LABELS = {
    SourceKind.CSL: "trade.gov Consolidated Screening List",
    SourceKind.OFAC_SDN: "OFAC SDN.CSV",
    SourceKind.COUNTRY_CHART: "Country Chart (15 CFR 738 Supp. 1)",
    SourceKind.CHART_FOOTNOTES: "Country Chart footnotes",
    SourceKind.COUNTRY_GROUPS: "Country Groups (15 CFR 740 Supp. 1)",
    SourceKind.CCL: "Commerce Control List (15 CFR 774 Supp. 1)",
    SourceKind.LICENSE_EXCEPTIONS: "Licence exceptions (15 CFR 740)",
    SourceKind.PART_746: "Part 746 sections (15 CFR 746)",
    SourceKind.ECFR_XML: "eCFR XML (15 CFR parts 738, 740, 746, 774)",
}

_SHORT = {
    SourceKind.CSL: "CSL",
    SourceKind.OFAC_SDN: "SDN.CSV",
    SourceKind.COUNTRY_CHART: "Country Chart",
    SourceKind.CHART_FOOTNOTES: "Chart footnotes",
    SourceKind.COUNTRY_GROUPS: "Country Groups",
    SourceKind.CCL: "CCL",
    SourceKind.LICENSE_EXCEPTIONS: "Part 740 catalogue",
    SourceKind.PART_746: "Part 746",
    SourceKind.ECFR_XML: "eCFR XML",
}

_SNIFF_BYTES = 64 * 1024


def detect(path: Path, data: bytes | None = None) -> SourceKind:
    """Which official format ``path`` holds, from its first line (its header, or its first record)."""
    data = read_file(path) if data is None else data
    head = data[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    first_line = head.lstrip().split("\n", 1)[0].strip()
    if ecfr_xml.looks_like_ecfr(head):
        return SourceKind.ECFR_XML
    if first_line.startswith("{"):
        try:
            record = json.loads(first_line)
        except json.JSONDecodeError:
            record = None
        if isinstance(record, dict) and "eccn" in record:
            return SourceKind.CCL
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            document = None
        if isinstance(document, dict) and "footnotes" in document:
            return SourceKind.CHART_FOOTNOTES
    fields = next(csv.reader([first_line]), [])
    names = [name.strip().lower() for name in fields]
    if {"_id", "source", "name"} <= set(names):
        return SourceKind.CSL
    if names[:2] == ["code", "name"] and "cb1" in names:
        return SourceKind.COUNTRY_CHART
    if names[:2] == ["code", "name"] and "a:1" in names:
        return SourceKind.COUNTRY_GROUPS
    if names[:3] == ["section", "symbol", "title"]:
        return SourceKind.LICENSE_EXCEPTIONS
    if len(fields) >= 2 and fields[0].strip().isdigit():
        return SourceKind.OFAC_SDN
    raise SourceFormatError(
        path,
        "not a format earcheck reads: expected the trade.gov CSL CSV (header _id,source,...,name,...), "
        "OFAC SDN.CSV (no header, first field a number), or an EAR table of the snapshot folder "
        f"(country_chart.csv, country_chart_footnotes.json, country_groups.csv, ccl.jsonl, "
        f"license_exceptions.csv), or the eCFR's XML of 15 CFR part 738, 740, 746 or 774; its first line is "
        f"{first_line[:80]!r}",
        line=1,
    )


def read(
    kind: SourceKind,
    path: Path,
    *,
    strict: bool = True,
    report: ParseReport | None = None,
    as_of: date | None = None,
    snapshot: str | None = None,
) -> Iterator[Record]:
    """The records of ``path`` read by the adapter for ``kind`` (``as_of`` and ``snapshot`` stamp
    list entries; the EAR tables do not carry them)."""
    match kind:
        case SourceKind.CSL:
            return csl.parse(path, strict=strict, report=report, as_of=as_of, snapshot=snapshot)
        case SourceKind.OFAC_SDN:
            return ofac_sdn.parse(path, strict=strict, report=report, as_of=as_of, snapshot=snapshot)
        case SourceKind.COUNTRY_CHART:
            return country_chart.parse(path, strict=strict, report=report)
        case SourceKind.CHART_FOOTNOTES:
            return country_chart.parse_footnotes(path, strict=strict, report=report)
        case SourceKind.COUNTRY_GROUPS:
            return country_groups.parse(path, strict=strict, report=report)
        case SourceKind.CCL:
            return ccl.parse(path, strict=strict, report=report)
        case SourceKind.LICENSE_EXCEPTIONS:
            return license_exceptions.parse(path, strict=strict, report=report)
        case SourceKind.ECFR_XML:
            return ecfr_xml.parse(path, strict=strict, report=report)
        case SourceKind.PART_746:
            raise ValueError("Part 746 sections are read from an eCFR XML file (SourceKind.ECFR_XML)")


def kind_of(record: Record) -> SourceKind:
    """The table kind a record read from an eCFR XML file belongs to (the store keeps one per snapshot)."""
    match record:
        case CountryChartRow():
            return SourceKind.COUNTRY_CHART
        case ChartFootnote() | TerritoryInheritance():
            return SourceKind.CHART_FOOTNOTES
        case CountryGroupRow():
            return SourceKind.COUNTRY_GROUPS
        case CclEntry():
            return SourceKind.CCL
        case LicenseExceptionInfo():
            return SourceKind.LICENSE_EXCEPTIONS
        case RegulationSection():
            return SourceKind.PART_746
        case _:
            raise ValueError(f"{type(record).__name__} is not a table record")
