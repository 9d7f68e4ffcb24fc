"""The trade.gov Consolidated Screening List, CSV edition, read into ``ListEntry`` values.

The CSL gathers twelve US lists (Entity List, SDN, Denied Persons, ...) into one file with one set of
columns. ``source`` names the list; multi-valued columns separate their values with ``;``. Quirks of
the real file handled here:

- ``federal_register_notice`` separates citations with ``;``, with ``,`` or with nothing at all
  (``80 F.R. 44930 7/28/15 81 F.R. 45277 7/13/2016``), while one citation may itself contain commas
  (``Vol. 68, No. 33, 02/19/2003``): it is split before each new ``NN FR`` citation.
- ``addresses``: most lists give only country codes (``CN; KY``); Entity List rows give the address
  text, several joined by ``; and``, ending with the country code (``..., Beijing, China., CN``).
  Segments that are only a country go to ``countries``; the rest are addresses.
- ``countries`` collects the ISO codes found in the addresses (a code, or a country name ending an
  address), the citizenships and the nationalities; a place that cannot be read with certainty
  (``REGION: KASHMIR``, the retired code ``AN``) is left out, and stays in ``addresses``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode, ListEntry
from earcheck.sources.files import BadRows, headed_csv, read_file, stamp
from earcheck.sources.places import address_country, country_code
from earcheck.sources.report import ParseReport

__all__ = ["COLUMNS", "list_code", "parse", "split_federal_register"]

COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)  # fmt: skip
REQUIRED = ("_id", "source", "name")
WHAT = "trade.gov Consolidated Screening List CSV"

# "Entity List (EL) - Bureau of Industry and Security", "Non-SDN Menu-Based Sanctions List (NS-MBS
# List) - Treasury Department": the list's code is the parenthesised abbreviation.
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z-]*)(?: List)?\)")
_CODES = {code.value: code for code in ListCode}


def list_code(source: str) -> ListCode | None:
    """The ``ListCode`` of a CSL ``source`` value, or ``None`` for a list earcheck does not know."""
    for match in _SOURCE_CODE.finditer(source):
        code = _CODES.get(match.group(1))
        if code is not None:
            return code
    return None


def _split(value: str) -> tuple[str, ...]:
    """``;``-separated values, stripped, without empties or repeats, in their order."""
    return tuple(dict.fromkeys(v for v in (part.strip() for part in value.split(";")) if v))


# The start of a Federal Register citation: "85 FR 83420", "63 F.R. 26774", "79 F.R.1823", "85F.R.".
_FR_START = re.compile(r"(?<![\d/.])\d{1,3}\s*\.?\s*F\.?\s?R\b")
_SEPARATORS = " \t,;"


def split_federal_register(value: str) -> tuple[str, ...]:
    """The citations in a ``federal_register_notice`` cell, as written.

    >>> split_federal_register("84 FR 22963, 85 FR 29853; 85 FR 36720")
    ('84 FR 22963', '85 FR 29853', '85 FR 36720')
    >>> split_federal_register("Vol. 68, No. 33, 02/19/2003")
    ('Vol. 68, No. 33, 02/19/2003',)
    >>> split_federal_register("80 F.R. 44930 7/28/15 81 F.R. 45277 7/13/2016")
    ('80 F.R. 44930 7/28/15', '81 F.R. 45277 7/13/2016')
    """
    citations: list[str] = []
    for part in value.split(";"):
        starts = [m.start() for m in _FR_START.finditer(part)]
        cuts = sorted({0, *starts})
        for begin, end in zip(cuts, [*cuts[1:], len(part)], strict=True):
            piece = part[begin:end].strip(_SEPARATORS)
            piece = re.sub(r"\s+and$", "", piece).strip(_SEPARATORS)
            if piece:
                citations.append(piece)
    return tuple(citations)


def _places(addresses: str, citizenships: str, nationalities: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(addresses, countries) read from the three columns; see the module docstring."""
    kept: list[str] = []
    countries: list[str] = []
    segments = [s.strip() for s in addresses.split(";")]
    segments = [s for s in segments if s]
    for index, segment in enumerate(segments):
        text = segment.removeprefix("and ").strip()
        code = country_code(text)
        if code is not None:  # the segment is only a country ("CN", "MACAU", "REGION: WEST BANK")
            countries.append(code)
            continue
        kept.append(text)
        found = address_country(text, trust_codes=index == len(segments) - 1)
        if found is not None:
            countries.append(found)
    for value in (citizenships, nationalities):
        for item in _split(value):
            code = country_code(item)
            if code is not None:
                countries.append(code)
    return tuple(kept), tuple(dict.fromkeys(countries))


def _date(value: str, path: Path, line: int, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SourceFormatError(path, f"not a date: {value!r} (expected YYYY-MM-DD)", line=line, field=field) from None


def parse(
    path: Path,
    *,
    strict: bool = True,
    report: ParseReport | None = None,
    as_of: date | None = None,
    snapshot: str | None = None,
) -> Iterator[ListEntry]:
    """Read a CSL CSV file into ``ListEntry`` values, one per row, in file order.

    ``as_of`` is the list's date (the entries' ``snapshot_date``): when not given, today's date is used
    and the report says so. ``snapshot`` names the imported file; by default the first 16 hex digits
    of its SHA-256, as the store names it.

    Strict mode raises ``SourceFormatError`` on the first bad row; lenient mode (``strict=False``,
    which needs a ``report``) skips bad rows and lists each in ``report.skipped``.
    """
    bad = BadRows(strict, report)
    data = read_file(path)
    name, day = stamp(path, data, as_of, snapshot, report)
    seen: dict[str, int] = {}

    def convert(row: dict[str, str], line: int) -> tuple[ListEntry]:
        entry = _entry(row, path, line, name, day)
        if entry.list_id in seen:  # the store and the dated facts join on _id
            raise SourceFormatError(
                path, f"_id {entry.list_id} is already on line {seen[entry.list_id]}", line=line, field="_id"
            )
        seen[entry.list_id] = line
        return (entry,)

    return headed_csv(
        path, known=COLUMNS, required=REQUIRED, what=WHAT, bad=bad, report=report, convert=convert, data=data
    )


def _entry(row: dict[str, str], path: Path, line: int, snapshot: str, as_of: date) -> ListEntry:
    get = row.get
    list_id = row["_id"].strip()
    if not list_id:
        raise SourceFormatError(path, "empty _id", line=line, field="_id")
    source = row["source"].strip()
    code = list_code(source)
    if code is None:
        raise SourceFormatError(
            path,
            f"unknown source list {source!r}: expected one of "
            + ", ".join(c.value for c in ListCode)
            + " (import with --lenient to skip such rows)",
            line=line,
            field="source",
        )
    name = row["name"].strip()
    if not name:
        raise SourceFormatError(path, "empty name", line=line, field="name")
    addresses, countries = _places(get("addresses", ""), get("citizenships", ""), get("nationalities", ""))
    return ListEntry(
        list_id=list_id,
        list_code=code,
        source=source,
        name=name,
        snapshot=snapshot,
        snapshot_date=as_of,
        line=line,
        aliases=tuple(a for a in _split(get("alt_names", "")) if a != name),
        entity_type=get("type", "").strip() or None,
        entity_number=get("entity_number", "").strip() or None,
        programs=_split(get("programs", "")),
        addresses=addresses,
        countries=countries,
        federal_register=split_federal_register(get("federal_register_notice", "")),
        start_date=_date(get("start_date", ""), path, line, "start_date"),
        end_date=_date(get("end_date", ""), path, line, "end_date"),
        license_requirement=get("license_requirement", "").strip() or None,
        license_policy=get("license_policy", "").strip() or None,
        remarks=get("remarks", "").strip() or None,
        raw=row,
    )
