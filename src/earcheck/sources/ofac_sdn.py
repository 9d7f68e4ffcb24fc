"""OFAC's SDN.CSV (the legacy "delimited" format) read into ``ListEntry`` values.

The file has no header and twelve columns (``COLUMNS``). It is Latin-1, writes ``-0-`` (often with
a trailing space) for an empty value, and ends with a line holding only Ctrl-Z (0x1A), an MS-DOS
end-of-file mark. The fourth column is the sanctions programme, not a country; several programmes
are written ``SDGT] [IFSR`` (the outer brackets of ``[SDGT] [IFSR]`` fall outside the quotes).

SDN.CSV has no alias column (that is ALT.CSV); aliases appear in the remarks as
``a.k.a. 'NAME'`` (also ``f.k.a.``, formerly, and ``n.k.a.``, now known as), and are read from there.
The legacy format cuts long remarks short, sometimes inside an alias: such a partial name is not taken
as an alias (it is not the name), and the report notes it (ALT.CSV or the XML edition has it whole).
Countries are read conservatively, from ``nationality X`` and ``citizen X`` in the remarks only: the
file carries no addresses (ADD.CSV), and a passport's issuing country says little about the holder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode, ListEntry
from earcheck.sources.files import BadRows, CsvRecords, read_file, stamp
from earcheck.sources.places import country_code
from earcheck.sources.report import ParseReport

__all__ = ["COLUMNS", "SOURCE", "aliases", "parse", "programs"]

COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
    "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
SOURCE = "Specially Designated Nationals (SDN) - Treasury Department"  # as the CSL names this list
EMPTY = "-0-"
CTRL_Z = "\x1a"

# 'X' ends at a quote followed by the end of the remark or a separator, so that names with
# apostrophes (AL-QA'IDA) stay whole.
_ALIAS = re.compile(r"\b[afn]\.k\.a\.,?\s*'(.+?)'(?=\s*(?:[;.,)]|$))")
_CUT_ALIAS = re.compile(r"\b[afn]\.k\.a\.,?\s*'([^']*)$")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;]+?)\s*(?:;|\.?$)")


def _value(text: str) -> str | None:
    value = text.strip()
    return None if value == EMPTY or not value else value


def aliases(remarks: str) -> tuple[str, ...]:
    """The a.k.a., f.k.a. and n.k.a. names in an SDN remark, in order.

    >>> aliases("DOB 1960; a.k.a. 'BNC'; f.k.a. 'AL-QA'IDA'.")
    ('BNC', "AL-QA'IDA")
    """
    return tuple(dict.fromkeys(m.group(1).strip() for m in _ALIAS.finditer(remarks)))


def programs(text: str) -> tuple[str, ...]:
    """``SDGT] [IFSR`` -> ``("SDGT", "IFSR")``."""
    parts = re.split(r"\]\s*\[", text)
    return tuple(dict.fromkeys(p for p in (part.strip(" []") for part in parts) if p))


def _countries(remarks: str) -> tuple[str, ...]:
    found = []
    for match in _NATIONALITY.finditer(remarks):
        code = country_code(match.group(1))
        if code is not None:
            found.append(code)
    return tuple(dict.fromkeys(found))


def _decode(data: bytes, report: ParseReport | None, path: Path) -> str:
    # The official file is Latin-1. A file that is valid UTF-8 with non-ASCII text was re-saved as
    # UTF-8; reading it as Latin-1 would garble every accented name, so read it as UTF-8.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
    if not text.isascii() and report is not None:
        report.warn(f"{path}: read as UTF-8 (the official SDN.CSV is Latin-1)")
    return text


def parse(
    path: Path,
    *,
    strict: bool = True,
    report: ParseReport | None = None,
    as_of: date | None = None,
    snapshot: str | None = None,
) -> Iterator[ListEntry]:
    """Read an SDN.CSV file into ``ListEntry`` values (``list_code`` SDN, ``list_id`` the ent_num).

    ``as_of``, ``snapshot``, ``strict`` and ``report`` work as in ``earcheck.sources.csl.parse``.
    """
    bad = BadRows(strict, report)
    data = read_file(path)
    name, day = stamp(path, data, as_of, snapshot, report)
    return _entries(CsvRecords(_decode(data, report, path), path, bad), bad, report, name, day)


def _entries(
    rows: CsvRecords, bad: BadRows, report: ParseReport | None, snapshot: str, as_of: date
) -> Iterator[ListEntry]:
    path = rows.path
    records = list(rows)
    if records and records[-1].fields == [CTRL_Z]:
        records.pop()  # the MS-DOS end-of-file mark
    elif report is not None:
        report.warn(
            f"{path}: no Ctrl-Z end-of-file mark on the last line, which the official SDN.CSV has: "
            "the file may have been cut short at the end of a line"
        )
    seen: dict[str, int] = {}
    for record in records:
        try:
            entry = _entry(record.fields, path, record.line, snapshot, as_of)
            if entry.list_id in seen:
                raise SourceFormatError(
                    path, f"ent_num {entry.list_id} is already on line {seen[entry.list_id]}",
                    line=record.line, field="ent_num",
                )  # fmt: skip
        except SourceFormatError as error:
            bad.handle(error, rows.text(record.line, record.last_line))
            continue
        seen[entry.list_id] = record.line
        if report is not None:
            report.records += 1
            cut = _CUT_ALIAS.search(entry.remarks or "")
            if cut:
                report.warn(
                    f"{path}, line {record.line}: the remarks are cut short inside an alias "
                    f"('{cut.group(1)}...'), which is left out"
                )
        yield entry


def _entry(fields: list[str], path: Path, line: int, snapshot: str, as_of: date) -> ListEntry:
    if any(CTRL_Z in value for value in fields):
        raise SourceFormatError(
            path, "Ctrl-Z (0x1A), the end-of-file mark, before the last line: were files joined?", line=line
        )
    if len(fields) != len(COLUMNS):
        short = len(fields) < len(COLUMNS)
        raise SourceFormatError(
            path,
            f"row has {len(fields)} fields, SDN.CSV has {len(COLUMNS)}"
            + (" (the file may be truncated)" if short else ""),
            line=line,
            field=COLUMNS[len(fields)] if short else None,
        )
    raw = dict(zip(COLUMNS, fields, strict=True))
    ent_num = raw["ent_num"].strip()
    if not ent_num.isdigit():
        raise SourceFormatError(
            path, f"ent_num is not a number: {ent_num!r} (is this SDN.CSV?)", line=line, field="ent_num"
        )
    name = _value(raw["SDN_Name"])
    if name is None:
        raise SourceFormatError(path, "empty SDN_Name", line=line, field="SDN_Name")
    remarks = _value(raw["Remarks"])
    sdn_type = _value(raw["SDN_Type"])
    return ListEntry(
        list_id=ent_num,
        list_code=ListCode.SDN,
        source=SOURCE,
        name=name,
        snapshot=snapshot,
        snapshot_date=as_of,
        line=line,
        aliases=tuple(a for a in aliases(remarks or "") if a != name),
        # OFAC leaves the type empty for entities; the CSL writes "Entity".
        entity_type=sdn_type.capitalize() if sdn_type else "Entity",
        entity_number=ent_num,
        programs=programs(_value(raw["Program"]) or ""),
        countries=_countries(remarks or ""),
        remarks=remarks,
        raw=raw,
    )
