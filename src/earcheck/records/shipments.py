"""Shipments drawn down against licence lines.

A shipment takes quantity and value from one or more lines of one licence. It is refused, whole,
with the reason (``DrawdownRefused``, HTTP 409) when the licence is not valid on the shipment date
or when any line has less left than the shipment takes.

No two shipments can overdraw a line, however many arrive at once. Each line is drawn down by one
conditional statement::

    UPDATE licence_lines
       SET shipped_quantity_milli = shipped_quantity_milli + :q, shipped_value_cents = ... + :v
     WHERE id = :line AND shipped_quantity_milli + :q <= quantity_limit_milli
                      AND shipped_value_cents + :v <= value_limit_cents

which checks and takes in one step. On PostgreSQL the UPDATE locks the row, and a concurrent one
waits and then re-checks its condition against the committed balance; on SQLite the whole
transaction holds the database's single write lock from its BEGIN IMMEDIATE. Lines are taken in id
order, so two multi-line shipments cannot deadlock, and the CHECK constraints on ``licence_lines``
refuse an overdraw from any other path.

A shipment made under a licence exception instead (``record_exception_shipment``) names the symbol
and the destination and lists its items; it draws nothing down. The symbol must be an exception
earcheck models and in force on the shipment date, and the citation of that day is kept with it.
When the shipment rests on a stored determination, that determination must be for the same
destination and show the exception available for every item it judged -- a "maybe" is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import sqlalchemy as sa

from earcheck.country import normalise_country
from earcheck.days import RECORD_DATES
from earcheck.db import write_transaction
from earcheck.eccn import normalise_eccn
from earcheck.errors import (
    DrawdownRefused,
    FieldError,
    InvalidAmount,
    NotFound,
    RecordError,
    ShipmentRefused,
    UnknownCountry,
)
from earcheck.records import audit
from earcheck.records.amounts import from_cents, from_milli, to_cents, to_milli
from earcheck.records.idempotency import IdempotencyKey, claim_key, settle_key
from earcheck.records.keys import Actor, Role, require
from earcheck.records.pages import Page
from earcheck.records.parties import ItemLine, check_items, text_problem
from earcheck.records.rows import children, insert_row, read_page
from earcheck.records.schema import determinations, licence_lines, licences, shipment_lines, shipments
from earcheck.regulations.exceptions import exception_data

__all__ = [
    "Drawdown",
    "Shipment",
    "ShipmentLine",
    "check_shipment",
    "get_shipment",
    "list_shipments",
    "record_exception_shipment",
    "record_shipment",
]


@dataclass(frozen=True, slots=True)
class Drawdown:
    """What a shipment takes from one licence line."""

    line_no: int
    quantity: Decimal
    value: Decimal  # US dollars


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    line_no: int | None  # the licence line drawn down; None under a licence exception
    eccn: str
    unit: str
    quantity: Decimal
    value: Decimal
    description: str = ""


@dataclass(frozen=True, slots=True)
class Shipment:
    """A shipment under a licence (``licence_id``) or under a licence exception (``exception_symbol``)."""

    id: int
    licence_id: int | None
    licence_number: str | None
    shipped_on: date
    reference: str
    lines: tuple[ShipmentLine, ...]
    created_at: datetime
    created_by: str
    exception_symbol: str | None = None
    exception_citation: str | None = None
    destination: str | None = None
    determination_id: int | None = None

    @property
    def authority(self) -> str:
        """What the shipment was made under, as the register shows it."""
        if self.exception_symbol is not None:
            return f"licence exception {self.exception_symbol} ({self.exception_citation})"
        return f"licence {self.licence_number}"


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def check_shipment(shipped_on: date, drawdowns: Sequence[Drawdown], reference: str = "") -> list[tuple[int, int, int]]:
    """The shipment's lines as (line, milli-units, cents), or ``RecordError`` naming each malformed field.
    The faces call it before screening the licence's parties, so that a malformed request is refused as
    such whoever the licence names."""
    taken = _check(reference, drawdowns)
    if problem := RECORD_DATES.problem(shipped_on, "shipped_on"):
        raise RecordError("invalid shipment", [problem])
    return taken


def _check(reference: str, drawdowns: Sequence[Drawdown]) -> list[tuple[int, int, int]]:
    problems: list[FieldError] = []
    if problem := text_problem(reference, "reference", 200, required=False):
        problems.append(problem)
    if not drawdowns:
        problems.append(FieldError("lines", "a shipment takes from at least one licence line"))
    if len(drawdowns) > 500:
        problems.append(FieldError("lines", "more than 500 lines"))
    seen: set[int] = set()
    taken: list[tuple[int, int, int]] = []
    for index, drawdown in enumerate(drawdowns):
        at = f"lines[{index}]"
        if drawdown.line_no in seen:
            problems.append(FieldError(f"{at}.line", f"line {drawdown.line_no} is listed twice"))
        seen.add(drawdown.line_no)
        try:
            quantity = to_milli(drawdown.quantity)
            if quantity == 0:
                problems.append(FieldError(f"{at}.quantity", "must be more than zero"))
        except InvalidAmount as error:
            problems.append(FieldError(f"{at}.quantity", str(error)))
            continue
        try:
            value = to_cents(drawdown.value)
        except InvalidAmount as error:
            problems.append(FieldError(f"{at}.value", str(error)))
            continue
        taken.append((drawdown.line_no, quantity, value))
    if problems:
        raise RecordError("invalid shipment", problems)
    return taken


def record_shipment(
    engine: sa.Engine,
    actor: Actor,
    licence_id: int,
    shipped_on: date,
    drawdowns: Sequence[Drawdown],
    reference: str = "",
    idempotency_key: IdempotencyKey | None = None,
) -> Shipment:
    """Record a shipment and draw its lines down, or refuse it whole with the reason. With
    ``idempotency_key``, the key is stored with the shipment (``earcheck.records.idempotency``)."""
    require(actor, Role.ANALYST, "recording a shipment")
    taken = check_shipment(shipped_on, drawdowns, reference)
    with write_transaction(engine) as connection:
        claim_key(connection, idempotency_key)
        licence = connection.execute(sa.select(licences).where(licences.c.id == licence_id)).one_or_none()
        if licence is None:
            raise NotFound(f"no licence with id {licence_id}")
        if shipped_on < licence.valid_from:
            raise DrawdownRefused(
                f"licence {licence.number} is not yet valid on {shipped_on}: it is valid from "
                f"{licence.valid_from} to {licence.valid_until}"
            )
        if shipped_on > licence.valid_until:
            raise DrawdownRefused(
                f"licence {licence.number} expired on {licence.valid_until}; the shipment is dated {shipped_on}"
            )
        lines = {
            int(r.line_no): r
            for r in connection.execute(sa.select(licence_lines).where(licence_lines.c.licence_id == licence_id))
        }
        unknown = [line_no for line_no, _, _ in taken if line_no not in lines]
        if unknown:
            raise RecordError(
                "invalid shipment",
                [FieldError("lines", f"licence {licence.number} has no line {n}") for n in unknown],
            )
        for line_no, quantity, value in sorted(taken, key=lambda t: int(lines[t[0]].id)):
            line = lines[line_no]
            drawn = connection.execute(
                sa.update(licence_lines)
                .where(
                    licence_lines.c.id == line.id,
                    licence_lines.c.shipped_quantity_milli + quantity <= licence_lines.c.quantity_limit_milli,
                    licence_lines.c.shipped_value_cents + value <= licence_lines.c.value_limit_cents,
                )
                .values(
                    shipped_quantity_milli=licence_lines.c.shipped_quantity_milli + quantity,
                    shipped_value_cents=licence_lines.c.shipped_value_cents + value,
                )
                .returning(licence_lines.c.id)
            ).first()
            if drawn is None:
                raise DrawdownRefused(_refusal(connection, licence.number, int(line.id), quantity, value))
        shipment_id = insert_row(
            connection,
            shipments,
            licence_id=licence_id,
            shipped_on=shipped_on,
            reference=reference.strip(),
            created_at=datetime.now(UTC),
            created_by=actor.label,
        )
        connection.execute(
            sa.insert(shipment_lines),
            [
                {
                    "shipment_id": shipment_id,
                    "licence_line_id": lines[line_no].id,
                    "quantity_milli": quantity,
                    "value_cents": value,
                }
                for line_no, quantity, value in taken
            ],
        )
        settle_key(connection, idempotency_key, f"shipment:{shipment_id}")
        audit.append(
            connection,
            actor.label,
            "shipment.record",
            f"licence:{licence_id}",
            {
                "shipment": shipment_id,
                "licence": licence.number,
                "shipped_on": shipped_on,
                "reference": reference.strip(),
                "lines": [
                    {"line": n, "quantity": str(from_milli(q)), "value": str(from_cents(v))} for n, q, v in taken
                ],
            },
        )
        return _load(connection, shipment_id)


def record_exception_shipment(
    engine: sa.Engine,
    actor: Actor,
    symbol: str,
    shipped_on: date,
    destination: str,
    items: Sequence[ItemLine],
    reference: str = "",
    determination_id: int | None = None,
) -> Shipment:
    """Record a shipment made under licence exception ``symbol`` (or an authorisation earcheck models
    beside them, such as the Huawei TGL), or refuse it with the reason."""
    require(actor, Role.ANALYST, "recording a shipment")
    problems = check_items(items)
    if problem := text_problem(reference, "reference", 200, required=False):
        problems.append(problem)
    if not items:
        problems.append(FieldError("items", "a shipment lists at least one item"))
    try:
        country = normalise_country(destination)
    except UnknownCountry as error:
        problems.append(FieldError("destination", str(error)))
    wanted = symbol.strip().upper()
    rule = next((r for r in exception_data().exceptions if r.symbol == wanted), None)
    if rule is None:
        known = ", ".join(exception_data().symbols())
        problems.append(FieldError("licence_exception", f"earcheck models no licence exception {symbol!r} ({known})"))
    if problems:
        raise RecordError("invalid shipment", problems)
    assert rule is not None
    version = rule.version_on(shipped_on)
    if version is None:
        raise ShipmentRefused(
            f"licence exception {rule.symbol} ({rule.section}) was not in force on {shipped_on.isoformat()}"
        )
    with write_transaction(engine) as connection:
        if determination_id is not None:
            _check_determination(connection, determination_id, rule.symbol, country)
        shipment_id = insert_row(
            connection,
            shipments,
            licence_id=None,
            shipped_on=shipped_on,
            reference=reference.strip(),
            created_at=datetime.now(UTC),
            created_by=actor.label,
            exception_symbol=rule.symbol,
            exception_citation=version.citation,
            destination=country,
            determination_id=determination_id,
        )
        connection.execute(
            sa.insert(shipment_lines),
            [
                {
                    "shipment_id": shipment_id,
                    "licence_line_id": None,
                    "eccn": normalise_eccn(item.eccn),
                    "description": item.description.strip(),
                    "unit": item.unit.strip(),
                    "quantity_milli": to_milli(item.quantity),
                    "value_cents": to_cents(item.value),
                }
                for item in items
            ],
        )
        audit.append(
            connection,
            actor.label,
            "shipment.record",
            f"exception:{rule.symbol}",
            {
                "shipment": shipment_id,
                "licence_exception": rule.symbol,
                "citation": version.citation,
                "destination": country,
                "determination": determination_id,
                "shipped_on": shipped_on,
                "reference": reference.strip(),
                "items": [
                    {"eccn": normalise_eccn(i.eccn), "quantity": str(i.quantity), "value": str(i.value)} for i in items
                ],
            },
        )
        return _load(connection, shipment_id)


def _check_determination(connection: sa.Connection, determination_id: int, symbol: str, destination: str) -> None:
    """The stored determination the shipment rests on must be for this destination and show the
    exception available for every item it judged: a "not available" or an unknown is no ground."""
    row = connection.execute(sa.select(determinations).where(determinations.c.id == determination_id)).one_or_none()
    if row is None:
        raise NotFound(f"no stored determination with id {determination_id}")
    case, result = json.loads(row.case_json), json.loads(row.result_json)
    if case.get("destination") != destination:
        raise ShipmentRefused(
            f"determination {determination_id} is for destination {case.get('destination')}, not {destination}"
        )
    answers = [e for e in result.get("license_exceptions") or [] if e.get("symbol") == symbol]
    if not answers:
        raise ShipmentRefused(
            f"determination {determination_id} does not consider {symbol} (licence required: "
            f"{row.license_required}); a shipment under an exception needs one that shows it available"
        )
    words = {True: "available", False: "not available", None: "unknown"}
    for answer in answers:
        if answer.get("available") is not True:
            raise ShipmentRefused(
                f"determination {determination_id} shows {symbol} {words.get(answer.get('available'), 'unknown')} "
                f"for item {answer.get('item')}: {answer.get('because')}"
            )


def _refusal(connection: sa.Connection, number: str, line_id: int, quantity: int, value: int) -> str:
    # Read inside the same transaction: on PostgreSQL this sees the balance the UPDATE was refused on.
    line = connection.execute(sa.select(licence_lines).where(licence_lines.c.id == line_id)).one()
    left_q = from_milli(line.quantity_limit_milli - line.shipped_quantity_milli)
    left_v = from_cents(line.value_limit_cents - line.shipped_value_cents)
    over = []
    if line.shipped_quantity_milli + quantity > line.quantity_limit_milli:
        over.append(f"{from_milli(quantity)} {line.unit} asked, {left_q} {line.unit} left")
    if line.shipped_value_cents + value > line.value_limit_cents:
        over.append(f"{_money(from_cents(value))} asked, {_money(left_v)} left")
    because = "; ".join(over) or "the line changed while the shipment was recorded"
    return (
        f"licence {number} line {line.line_no} ({line.eccn}, {line.description}) cannot cover this "
        f"shipment: {because} (limits {from_milli(line.quantity_limit_milli)} {line.unit} and "
        f"{_money(from_cents(line.value_limit_cents))})"
    )


def _line(x: sa.Row[Any]) -> ShipmentLine:
    return ShipmentLine(
        None if x.line_no is None else int(x.line_no),
        x.line_eccn,
        x.line_unit,
        from_milli(x.quantity_milli),
        from_cents(x.value_cents),
        x.line_description or "",
    )


def _assemble(connection: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Shipment]:
    ids = [int(r.id) for r in rows]
    if not ids:
        return []
    # A licence line's ECCN and unit come from the licence; an exception shipment's from its own line.
    query = sa.select(
        shipment_lines,
        licence_lines.c.line_no,
        sa.func.coalesce(licence_lines.c.eccn, shipment_lines.c.eccn).label("line_eccn"),
        sa.func.coalesce(licence_lines.c.unit, shipment_lines.c.unit).label("line_unit"),
        sa.func.coalesce(licence_lines.c.description, shipment_lines.c.description).label("line_description"),
    ).outerjoin(licence_lines, licence_lines.c.id == shipment_lines.c.licence_line_id)
    # Licence lines in line order; an exception shipment's items (no line numbers) in the order given.
    order = sa.func.coalesce(licence_lines.c.line_no, shipment_lines.c.id)
    lines = children(connection, query, shipment_lines.c.shipment_id, ids, order)
    return [
        Shipment(
            id=int(r.id),
            licence_id=None if r.licence_id is None else int(r.licence_id),
            licence_number=r.number,
            shipped_on=r.shipped_on,
            reference=r.reference,
            lines=tuple(_line(x) for x in lines[int(r.id)]),
            created_at=r.created_at,
            created_by=r.created_by,
            exception_symbol=r.exception_symbol,
            exception_citation=r.exception_citation,
            destination=r.destination,
            determination_id=None if r.determination_id is None else int(r.determination_id),
        )
        for r in rows
    ]


def _select() -> sa.Select[Any]:
    return sa.select(shipments, licences.c.number).outerjoin(licences, licences.c.id == shipments.c.licence_id)


def _load(connection: sa.Connection, shipment_id: int) -> Shipment:
    row = connection.execute(_select().where(shipments.c.id == shipment_id)).one_or_none()
    if row is None:
        raise NotFound(f"no shipment with id {shipment_id}")
    return _assemble(connection, [row])[0]


def get_shipment(engine: sa.Engine, shipment_id: int) -> Shipment:
    with engine.connect() as connection:
        return _load(connection, shipment_id)


def list_shipments(
    engine: sa.Engine,
    after: int | None = None,
    limit: int = 50,
    licence_id: int | None = None,
    under_exception: bool | None = None,
) -> Page[Shipment]:
    """Shipments, newest first; optionally those against one licence, or only those under a licence
    exception (``under_exception=True``) or only those under a licence (``False``)."""
    query = _select()
    if licence_id is not None:
        query = query.where(shipments.c.licence_id == licence_id)
    if under_exception is not None:
        column = shipments.c.exception_symbol
        query = query.where(column.is_not(None) if under_exception else column.is_(None))
    with engine.connect() as connection:
        return read_page(connection, query, shipments.c.id, after, limit, partial(_assemble, connection))
