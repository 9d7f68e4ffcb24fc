"""Licences: number, validity, parties, conditions, and lines with quantity and value limits.

A licence comes from approving an application (``earcheck.records.applications.approve``) or is
recorded directly, for one issued outside earcheck. Each line keeps what has been shipped against
it; ``earcheck.records.shipments`` draws it down. A licence is valid from ``valid_from`` to
``valid_until``, both days included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Literal

import sqlalchemy as sa

from earcheck.days import RECORD_DATES
from earcheck.db import write_transaction
from earcheck.eccn import normalise_eccn
from earcheck.errors import Conflict, FieldError, NotFound, RecordError
from earcheck.records import audit
from earcheck.records.amounts import from_cents, from_milli, to_cents, to_milli
from earcheck.records.keys import Actor, Role, require
from earcheck.records.pages import Page
from earcheck.records.parties import (
    MAX_TEXT,
    ItemLine,
    PartyRecord,
    PartyRole,
    check_items,
    check_parties,
    insert_parties,
    read_parties,
    text_problem,
)
from earcheck.records.rows import children, insert_row, read_page
from earcheck.records.schema import licence_lines, licence_parties, licences

__all__ = [
    "Licence",
    "LicenceLine",
    "LicenceTerms",
    "Validity",
    "get_licence",
    "get_licence_by_number",
    "insert_licence",
    "list_licences",
    "load_licence",
    "record_licence",
]

MAX_CONDITIONS = 100

Validity = Literal["valid", "expired", "not yet valid"]


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    """What a licence says, as an approver records it."""

    number: str
    valid_from: date
    valid_until: date
    parties: tuple[PartyRecord, ...]
    lines: tuple[ItemLine, ...]  # quantity and value of each are the line's limits
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenceLine:
    id: int
    line_no: int
    eccn: str
    description: str
    unit: str
    quantity_limit: Decimal
    value_limit: Decimal
    shipped_quantity: Decimal
    shipped_value: Decimal

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity_limit - self.shipped_quantity

    @property
    def remaining_value(self) -> Decimal:
        return self.value_limit - self.shipped_value


@dataclass(frozen=True, slots=True)
class Licence:
    id: int
    number: str
    valid_from: date
    valid_until: date
    conditions: tuple[str, ...]
    created_at: datetime
    created_by: str
    application_id: int | None = None
    parties: tuple[PartyRecord, ...] = ()
    lines: tuple[LicenceLine, ...] = field(default=())

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until

    def validity(self, day: date) -> Validity:
        """``valid``, ``expired`` or ``not yet valid`` on ``day``."""
        if day < self.valid_from:
            return "not yet valid"
        return "expired" if day > self.valid_until else "valid"


def check_terms(terms: LicenceTerms) -> list[FieldError]:
    problems: list[FieldError] = []
    if problem := text_problem(terms.number, "number", 40, required=True):
        problems.append(problem)
    for name, day in (("valid_from", terms.valid_from), ("valid_until", terms.valid_until)):
        if problem := RECORD_DATES.problem(day, name):
            problems.append(problem)
    if terms.valid_from > terms.valid_until:
        problems.append(FieldError("valid_until", "is before valid_from"))
    if not terms.lines:
        problems.append(FieldError("lines", "a licence needs at least one line"))
    if not any(p.role is PartyRole.ULTIMATE_CONSIGNEE for p in terms.parties):
        problems.append(FieldError("parties", "a licence names its ultimate consignee"))
    problems += check_parties(terms.parties)
    problems += check_items(terms.lines, "lines")
    if len(terms.conditions) > MAX_CONDITIONS:
        problems.append(FieldError("conditions", f"more than {MAX_CONDITIONS} conditions"))
    for index, condition in enumerate(terms.conditions):
        if problem := text_problem(condition, f"conditions[{index}]", MAX_TEXT, required=True):
            problems.append(problem)
    return problems


def insert_licence(
    connection: sa.Connection, actor: Actor, terms: LicenceTerms, application_id: int | None = None
) -> int:
    """Write a licence inside the caller's transaction and audit it; returns its id."""
    if problems := check_terms(terms):
        raise RecordError("invalid licence", problems)
    number = terms.number.strip()
    existing = connection.execute(sa.select(licences.c.id).where(licences.c.number == number)).first()
    if existing is not None:
        raise Conflict(f"licence {number} is already recorded (id {existing.id})")
    try:
        licence_id = insert_row(
            connection,
            licences,
            number=number,
            application_id=application_id,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            conditions_json=json.dumps([c.strip() for c in terms.conditions], ensure_ascii=False),
            created_at=datetime.now(UTC),
            created_by=actor.label,
        )
    except sa.exc.IntegrityError:
        # Two approvers recording the same number at once: the unique index decides.
        raise Conflict(f"licence {number} is already recorded") from None
    insert_parties(connection, licence_parties.c.licence_id, licence_id, terms.parties)
    connection.execute(
        sa.insert(licence_lines),
        [
            {
                "licence_id": licence_id,
                "line_no": line_no,
                "eccn": normalise_eccn(line.eccn),
                "description": line.description.strip(),
                "unit": line.unit.strip(),
                "quantity_limit_milli": to_milli(line.quantity),
                "value_limit_cents": to_cents(line.value),
                "shipped_quantity_milli": 0,
                "shipped_value_cents": 0,
            }
            for line_no, line in enumerate(terms.lines, start=1)
        ],
    )
    audit.append(
        connection,
        actor.label,
        "licence.record",
        f"licence:{licence_id}",
        {
            "id": licence_id,
            "number": number,
            "application_id": application_id,
            "valid_from": terms.valid_from,
            "valid_until": terms.valid_until,
            "conditions": list(terms.conditions),
            "parties": [[p.role, p.name, p.country] for p in terms.parties],
            "lines": [
                {
                    "eccn": normalise_eccn(x.eccn),
                    "quantity": str(x.quantity),
                    "unit": x.unit,
                    "value": str(x.value),
                }
                for x in terms.lines
            ],
        },
    )
    return licence_id


def record_licence(engine: sa.Engine, actor: Actor, terms: LicenceTerms) -> Licence:
    """Record a licence issued outside earcheck's application workflow."""
    require(actor, Role.APPROVER, "recording a licence")
    with write_transaction(engine) as connection:
        licence_id = insert_licence(connection, actor, terms)
        return load_licence(connection, licence_id)


def _line(m: Any) -> LicenceLine:
    return LicenceLine(
        id=int(m.id),
        line_no=int(m.line_no),
        eccn=m.eccn,
        description=m.description,
        unit=m.unit,
        quantity_limit=from_milli(m.quantity_limit_milli),
        value_limit=from_cents(m.value_limit_cents),
        shipped_quantity=from_milli(m.shipped_quantity_milli),
        shipped_value=from_cents(m.shipped_value_cents),
    )


def _assemble(connection: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Licence]:
    ids = [int(r.id) for r in rows]
    if not ids:
        return []
    parties = read_parties(connection, licence_parties.c.licence_id, ids)
    lines = children(connection, sa.select(licence_lines), licence_lines.c.licence_id, ids, licence_lines.c.line_no)
    return [
        Licence(
            id=int(r.id),
            number=r.number,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            conditions=tuple(json.loads(r.conditions_json)),
            created_at=r.created_at,
            created_by=r.created_by,
            application_id=r.application_id,
            parties=tuple(parties[int(r.id)]),
            lines=tuple(_line(x) for x in lines[int(r.id)]),
        )
        for r in rows
    ]


def load_licence(connection: sa.Connection, licence_id: int) -> Licence:
    row = connection.execute(sa.select(licences).where(licences.c.id == licence_id)).one_or_none()
    if row is None:
        raise NotFound(f"no licence with id {licence_id}")
    return _assemble(connection, [row])[0]


def get_licence(engine: sa.Engine, licence_id: int) -> Licence:
    with engine.connect() as connection:
        return load_licence(connection, licence_id)


def get_licence_by_number(engine: sa.Engine, number: str) -> Licence:
    with engine.connect() as connection:
        found = connection.execute(sa.select(licences.c.id).where(licences.c.number == number)).first()
        if found is None:
            raise NotFound(f"no licence numbered {number!r}")
        return load_licence(connection, int(found.id))


def list_licences(engine: sa.Engine, after: int | None = None, limit: int = 50) -> Page[Licence]:
    """The licence register, newest first, with each line's remaining balance."""
    with engine.connect() as connection:
        return read_page(connection, sa.select(licences), licences.c.id, after, limit, partial(_assemble, connection))
