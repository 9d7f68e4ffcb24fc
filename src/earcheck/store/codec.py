"""Records to JSON and back, as the store keeps them.

List entries are the bulk (tens of thousands per snapshot) and are read back whole on every first
``list_entries`` of a process, so they have a compact hand-written encoding: empty fields are left
out, ``raw`` is stored as the list of its values in the order of the snapshot's ``columns``, and the
snapshot, its date and the line live in their own columns. The EAR table rows are few and are encoded
with pydantic, tagged with their type.

``CODEC`` is stored with each snapshot; bump it when the encoding changes, and keep decoding the old.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from earcheck.lists import ListCode, ListEntry
from earcheck.sources.country_chart import ChartFootnote, TerritoryInheritance
from earcheck.sources.ecfr_xml import RegulationSection
from earcheck.sources.formats import Record
from earcheck.tables import CclEntry, CountryChartRow, CountryGroupRow, LicenseExceptionInfo

__all__ = ["CODEC", "decode_entry", "decode_table_record", "encode", "key_of"]

CODEC = 1

_TEXT = ("entity_type", "entity_number", "license_requirement", "license_policy", "remarks")
_TUPLES = ("aliases", "programs", "addresses", "countries", "federal_register")
_DATES = ("start_date", "end_date")
_TABLE_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        CountryChartRow,
        ChartFootnote,
        TerritoryInheritance,
        CountryGroupRow,
        CclEntry,
        LicenseExceptionInfo,
        RegulationSection,
    )
}
_ADAPTERS = {name: TypeAdapter(cls) for name, cls in _TABLE_TYPES.items()}


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode(record: Record, columns: Sequence[str]) -> str:
    """The JSON text of one record. ``columns`` are the snapshot's (for a list entry's ``raw``)."""
    if isinstance(record, ListEntry):
        return _dumps(_entry_document(record, columns))
    name = type(record).__name__
    document = _ADAPTERS[name].dump_python(record, mode="json")
    document["type"] = name
    return _dumps(document)


def _entry_document(entry: ListEntry, columns: Sequence[str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "list_id": entry.list_id,
        "list_code": entry.list_code.value,
        "source": entry.source,
        "name": entry.name,
    }
    for name in _TEXT:
        value = getattr(entry, name)
        if value is not None:
            document[name] = value
    for name in _TUPLES:
        value = getattr(entry, name)
        if value:
            document[name] = list(value)
    for name in _DATES:
        value = getattr(entry, name)
        if value is not None:
            document[name] = value.isoformat()
    raw = entry.raw
    # raw as a list of values in column order when it has exactly the snapshot's columns; else as is
    document["raw"] = [raw[c] for c in columns] if list(raw) == list(columns) else dict(raw)
    return document


def decode_entry(text: str, *, snapshot: str, snapshot_date: date, line: int, columns: Sequence[str]) -> ListEntry:
    document = json.loads(text)
    get = document.get
    raw = document["raw"]
    start, end = get("start_date"), get("end_date")
    return ListEntry(
        list_id=document["list_id"],
        list_code=ListCode(document["list_code"]),
        source=document["source"],
        name=document["name"],
        snapshot=snapshot,
        snapshot_date=snapshot_date,
        line=line,
        aliases=tuple(get("aliases", ())),
        entity_type=get("entity_type"),
        entity_number=get("entity_number"),
        programs=tuple(get("programs", ())),
        addresses=tuple(get("addresses", ())),
        countries=tuple(get("countries", ())),
        federal_register=tuple(get("federal_register", ())),
        start_date=date.fromisoformat(start) if start else None,
        end_date=date.fromisoformat(end) if end else None,
        license_requirement=get("license_requirement"),
        license_policy=get("license_policy"),
        remarks=get("remarks"),
        raw=dict(zip(columns, raw, strict=True)) if isinstance(raw, list) else raw,
    )


def decode_table_record(text: str) -> Record:
    document: dict[str, Any] = json.loads(text)
    name = document.pop("type")
    record: Record = _ADAPTERS[name].validate_python(document)
    return record


def key_of(record: Record) -> tuple[str | None, str | None, str | None]:
    """(list code, key, name) kept in their own columns, for lookups without decoding."""
    match record:
        case ListEntry():
            return record.list_code.value, record.list_id[:64], record.name
        case CountryChartRow() | CountryGroupRow():
            return None, record.code, record.name
        case ChartFootnote():
            return None, record.number, None
        case TerritoryInheritance():
            return None, record.territory, record.territory_name
        case CclEntry():
            return None, record.eccn, record.heading
        case LicenseExceptionInfo():
            return None, record.symbol, record.title
        case RegulationSection():
            return None, record.section, record.heading


def columns_of(records: Sequence[Record]) -> list[str]:
    """The columns of a list snapshot: those of its first entry's ``raw``."""
    first = records[0] if records else None
    return list(first.raw) if isinstance(first, ListEntry) else []


def lists_of(records: Sequence[Record], covered: frozenset[ListCode]) -> Mapping[str, int]:
    counts = dict.fromkeys(sorted(code.value for code in covered), 0)
    for record in records:
        if isinstance(record, ListEntry):
            counts[record.list_code.value] = counts.get(record.list_code.value, 0) + 1
    return counts
