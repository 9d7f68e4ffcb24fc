"""The parties and item lines of a licence application and of a licence, as on form BIS-748P.

An application names the applicant (block 14), another party authorised to receive the licence (15),
the purchaser (16), intermediate consignees (17), the ultimate consignee (18) and the end user (19),
and one line per item (block 22: ECCN, description, quantity and unit, total value). A licence keeps
the same parties and turns each item line into a line that shipments draw down.

These are plain values; ``check_parties`` and ``check_items`` list every problem with the field it
concerns, so that a form or an API client can show them all at once. ECCNs and country codes are
stored in their canonical spelling (``3a001.B`` becomes ``3A001.b``). Applications and licences keep
their parties in tables of the same shape, which ``insert_parties`` and ``read_parties`` write and read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from earcheck.country import normalise_country
from earcheck.eccn import normalise_eccn
from earcheck.errors import FieldError, InputError
from earcheck.records.amounts import to_cents, to_milli
from earcheck.records.rows import children

__all__ = [
    "ItemLine",
    "PartyRecord",
    "PartyRole",
    "check_items",
    "check_parties",
    "insert_parties",
    "read_parties",
    "text_problem",
]

MAX_NAME = 500
MAX_TEXT = 10_000
MAX_UNIT = 20
MAX_LINES = 500  # BIS-748P continuation sheets run long, but not this long


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    OTHER_PARTY = "other_party"  # block 15: authorised by the applicant to receive the licence
    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    ULTIMATE_CONSIGNEE = "ultimate_consignee"
    END_USER = "end_user"


@dataclass(frozen=True, slots=True)
class PartyRecord:
    role: PartyRole
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    address: str | None = None


@dataclass(frozen=True, slots=True)
class ItemLine:
    eccn: str  # with paragraph, or EAR99
    description: str
    quantity: Decimal  # in ``unit``; up to three decimal places
    unit: str  # e.g. "pieces", "wafers", "kg"
    value: Decimal  # total value of the line, US dollars


def text_problem(value: Any, field: str, limit: int, required: bool) -> FieldError | None:
    """What is wrong with a text field, if anything. Besides length, refuses what no database can
    store faithfully: NUL characters (PostgreSQL rejects them) and unpaired surrogates (not UTF-8)."""
    if not isinstance(value, str):
        return FieldError(field, "must be text")
    if required and not value.strip():
        return FieldError(field, "is required")
    if len(value) > limit:
        return FieldError(field, f"longer than {limit} characters")
    if "\x00" in value:
        return FieldError(field, "contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return FieldError(field, "is not valid Unicode text (unpaired surrogate)")
    return None


def check_parties(parties: Sequence[PartyRecord], prefix: str = "parties") -> list[FieldError]:
    problems: list[FieldError] = []
    if len(parties) > MAX_LINES:
        return [FieldError(prefix, f"more than {MAX_LINES} parties")]
    for index, party in enumerate(parties):
        at = f"{prefix}[{index}]"
        try:
            PartyRole(party.role)
        except ValueError:
            problems.append(FieldError(f"{at}.role", f"unknown role {party.role!r}"))
        if problem := text_problem(party.name, f"{at}.name", MAX_NAME, required=True):
            problems.append(problem)
        if party.country is not None:
            try:
                normalise_country(party.country)
            except InputError as error:
                problems.append(FieldError(f"{at}.country", str(error)))
        if party.address is not None and (
            problem := text_problem(party.address, f"{at}.address", MAX_TEXT, required=False)
        ):
            problems.append(problem)
    return problems


def check_items(items: Sequence[ItemLine], prefix: str = "items") -> list[FieldError]:
    problems: list[FieldError] = []
    if len(items) > MAX_LINES:
        return [FieldError(prefix, f"more than {MAX_LINES} item lines")]
    for index, item in enumerate(items):
        at = f"{prefix}[{index}]"
        try:
            normalise_eccn(item.eccn)
        except InputError as error:
            problems.append(FieldError(f"{at}.eccn", str(error)))
        if problem := text_problem(item.description, f"{at}.description", MAX_TEXT, required=True):
            problems.append(problem)
        if problem := text_problem(item.unit, f"{at}.unit", MAX_UNIT, required=True):
            problems.append(problem)
        try:
            if to_milli(item.quantity) == 0:
                problems.append(FieldError(f"{at}.quantity", "must be more than zero"))
        except InputError as error:
            problems.append(FieldError(f"{at}.quantity", str(error)))
        try:
            to_cents(item.value)
        except InputError as error:
            problems.append(FieldError(f"{at}.value", str(error)))
    return problems


def insert_parties(
    connection: sa.Connection, owner: sa.Column[Any], owner_id: int, parties: Sequence[PartyRecord]
) -> None:
    """Store the parties of one application or licence, in the order given, in the party table whose
    column ``owner`` names that record (``application_parties.c.application_id``, ...)."""
    if not parties:
        return
    connection.execute(
        sa.insert(owner.table),
        [
            {
                owner.name: owner_id,
                "position": position,
                "role": party.role.value,
                "name": party.name.strip(),
                "country": normalise_country(party.country) if party.country else None,
                "address": party.address,
            }
            for position, party in enumerate(parties)
        ],
    )


def read_parties(connection: sa.Connection, owner: sa.Column[Any], ids: Sequence[int]) -> dict[int, list[PartyRecord]]:
    """The parties of each of the records ``ids``, in their order, from the table ``insert_parties`` wrote."""
    table = owner.table
    grouped = children(connection, sa.select(table), owner, ids, table.c.position)
    return {i: [_party(p) for p in rows] for i, rows in grouped.items()}


def _party(row: sa.Row[Any]) -> PartyRecord:
    return PartyRecord(PartyRole(row.role), row.name, row.country, row.address)
