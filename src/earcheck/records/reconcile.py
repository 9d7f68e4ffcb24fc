"""The record tables checked against the audit log, which is hash-chained and so can vouch for them.

The chain (``earcheck.records.audit``) proves that its rows are the rows written. The tables that
hold the current state -- a licence's validity and limits, what each line has shipped, the shipments
themselves, an application's status and items -- are not chained: a direct ``UPDATE licence_lines
SET shipped_quantity_milli = 0`` would leave the log intact and the licence with its quantity back.
Every change to those tables writes its audit row in the same transaction, with the values it set,
so the state can be re-derived from the log alone and compared with the tables:

=======================  ==================================================  =====================
table                    re-derived from                                     compared
=======================  ==================================================  =====================
``licences``             ``licence.record`` (id, number, validity)           every field, presence
``licence_lines``        ``licence.record`` lines (limits); the sum of the   limits, eccn, unit,
                         ``shipment.record`` lines (what has shipped)        shipped quantity and
                                                                             value, presence
``shipments``,           ``shipment.record`` (id, licence or licence         date, licence or
``shipment_lines``       exception and destination, date, lines or items)    exception, destination,
                                                                             every line, presence
``applications``,        ``application.create``/``.update`` (items) and      status, items,
``application_items``    the status changes (``application.submitted`` ...)  presence
=======================  ==================================================  =====================

A row in a table with no audit row behind it is reported too (written around earcheck). Each
disagreement is one problem naming the record, the table's value and the log's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from earcheck.eccn import normalise_eccn
from earcheck.errors import EarcheckError
from earcheck.records.amounts import from_cents, from_milli, to_cents, to_milli
from earcheck.records.schema import (
    application_items,
    applications,
    audit_log,
    licence_lines,
    licences,
    shipment_lines,
    shipments,
)

__all__ = ["RecordProblem", "reconcile"]

# The status each status-changing action leaves; application.create leaves a draft.
_STATUS_ACTIONS = {
    "application.create": "draft",
    "application.submitted": "submitted",
    "application.approved": "approved",
    "application.returned_without_action": "returned_without_action",
    "application.denied": "denied",
}
_ACTIONS = ("licence.record", "shipment.record", "application.update", *_STATUS_ACTIONS)


@dataclass(frozen=True, slots=True)
class RecordProblem:
    seq: int  # the audit row that vouches for the record (0 when there is none)
    message: str


@dataclass
class _Line:
    eccn: str
    unit: str
    quantity_limit: int
    value_limit: int
    shipped_quantity: int = 0
    shipped_value: int = 0


@dataclass
class _Licence:
    seq: int
    number: str
    valid_from: str
    valid_until: str
    lines: dict[int, _Line] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Shipment:
    seq: int
    licence_id: int | None  # None for a shipment under a licence exception
    shipped_on: str
    lines: tuple[tuple[int, int, int], ...]  # (line_no, quantity_milli, value_cents), sorted
    exception: str | None = None
    destination: str | None = None
    items: tuple[tuple[str, int, int], ...] = ()  # (eccn, quantity_milli, value_cents), sorted; exceptions only


@dataclass
class _Application:
    seq: int
    status: str | None = None
    items: tuple[tuple[str, int, int], ...] | None = None  # (eccn, quantity_milli, value_cents) by line


@dataclass
class _Expected:
    licences: dict[int, _Licence] = field(default_factory=dict)
    shipments: dict[int, _Shipment] = field(default_factory=dict)
    applications: dict[int, _Application] = field(default_factory=dict)


def _subject_id(subject: str) -> int:
    return int(subject.split(":", 1)[1])


def _audit_rows(connection: sa.Connection, batch: int) -> Iterator[sa.Row[Any]]:
    last = 0
    while True:
        rows = connection.execute(
            sa.select(audit_log)
            .where(audit_log.c.action.in_(_ACTIONS), audit_log.c.seq > last)
            .order_by(audit_log.c.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].seq)


def _items(payload: dict[str, Any]) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (normalise_eccn(i["eccn"]), to_milli(i["quantity"]), to_cents(i["value"])) for i in payload.get("items", [])
    )


def _derive(connection: sa.Connection, batch: int, problem: Callable[[int, str], None]) -> _Expected:
    expected = _Expected()
    for row in _audit_rows(connection, batch):
        seq, action = int(row.seq), str(row.action)
        try:
            payload = json.loads(row.payload)
            if action == "licence.record":
                licence = _Licence(seq, payload["number"], payload["valid_from"], payload["valid_until"])
                for line_no, line in enumerate(payload["lines"], start=1):
                    licence.lines[line_no] = _Line(
                        normalise_eccn(line["eccn"]),
                        line["unit"].strip(),
                        to_milli(line["quantity"]),
                        to_cents(line["value"]),
                    )
                expected.licences[int(payload["id"])] = licence
            elif action == "shipment.record" and str(row.subject).startswith("exception:"):
                # A shipment under a licence exception draws on no licence: its items stand alone.
                items = tuple(
                    sorted(
                        (normalise_eccn(i["eccn"]), to_milli(i["quantity"]), to_cents(i["value"]))
                        for i in payload["items"]
                    )
                )
                expected.shipments[int(payload["shipment"])] = _Shipment(
                    seq, None, payload["shipped_on"], (), payload["licence_exception"], payload["destination"], items
                )
            elif action == "shipment.record":
                licence_id = _subject_id(row.subject)
                lines = tuple(
                    sorted((int(x["line"]), to_milli(x["quantity"]), to_cents(x["value"])) for x in payload["lines"])
                )
                expected.shipments[int(payload["shipment"])] = _Shipment(seq, licence_id, payload["shipped_on"], lines)
                audited = expected.licences.get(licence_id)
                for line_no, quantity, value in lines:
                    if audited is None or line_no not in audited.lines:
                        problem(seq, f"shipment {payload['shipment']} draws on licence {licence_id} line {line_no}, "
                                     "which no licence.record row before it created")  # fmt: skip
                        continue
                    audited.lines[line_no].shipped_quantity += quantity
                    audited.lines[line_no].shipped_value += value
            else:
                application = expected.applications.setdefault(_subject_id(row.subject), _Application(seq))
                if action in ("application.create", "application.update"):
                    application.items = _items(payload)
                if action in _STATUS_ACTIONS:
                    application.status = _STATUS_ACTIONS[action]
        except (KeyError, TypeError, ValueError, IndexError, EarcheckError) as error:
            problem(seq, f"{action} row cannot be read to re-derive the record state ({type(error).__name__}: {error})")
    return expected


def _check_licences(connection: sa.Connection, expected: _Expected, problem: Callable[[int, str], None]) -> None:
    found = {int(r.id): r for r in connection.execute(sa.select(licences))}
    table_lines: dict[int, dict[int, sa.Row[Any]]] = {}
    for line in connection.execute(sa.select(licence_lines)):
        table_lines.setdefault(int(line.licence_id), {})[int(line.line_no)] = line
    for licence_id in sorted(found.keys() - expected.licences.keys()):
        problem(
            0, f"licence {licence_id} ({found[licence_id].number}) is in the table but no licence.record row created it"
        )
    for licence_id, audited in sorted(expected.licences.items()):
        row = found.get(licence_id)
        name = f"licence {licence_id} ({audited.number})"
        if row is None:
            problem(audited.seq, f"{name} was recorded but is no longer in the licences table (deleted)")
            continue
        table = {
            "number": row.number,
            "valid_from": row.valid_from.isoformat(),
            "valid_until": row.valid_until.isoformat(),
        }
        logged = {"number": audited.number, "valid_from": audited.valid_from, "valid_until": audited.valid_until}
        for key in table:
            if table[key] != logged[key]:
                problem(audited.seq, f"{name}: {key} is {table[key]} in the table, {logged[key]} in the audit log")
        lines = table_lines.get(licence_id, {})
        for line_no in sorted(lines.keys() - audited.lines.keys()):
            problem(audited.seq, f"{name} line {line_no} is in the table but not in its licence.record row")
        for line_no, want in sorted(audited.lines.items()):
            have = lines.get(line_no)
            if have is None:
                problem(audited.seq, f"{name} line {line_no} is missing from the licence_lines table (deleted)")
                continue
            comparisons = (
                ("ECCN", have.eccn, want.eccn),
                ("unit", have.unit, want.unit),
                ("quantity limit", from_milli(have.quantity_limit_milli), from_milli(want.quantity_limit)),
                ("value limit", from_cents(have.value_limit_cents), from_cents(want.value_limit)),
                ("shipped quantity", from_milli(have.shipped_quantity_milli), from_milli(want.shipped_quantity)),
                ("shipped value", from_cents(have.shipped_value_cents), from_cents(want.shipped_value)),
            )
            for what, in_table, in_log in comparisons:
                if in_table != in_log:
                    problem(
                        audited.seq,
                        f"{name} line {line_no}: {what} is {in_table} in the table, {in_log} by the audit log"
                        + (" (licence.record and every shipment.record on it)" if what.startswith("shipped") else ""),
                    )


def _check_shipments(connection: sa.Connection, expected: _Expected, problem: Callable[[int, str], None]) -> None:
    line_numbers = {
        int(r.id): int(r.line_no) for r in connection.execute(sa.select(licence_lines.c.id, licence_lines.c.line_no))
    }
    found = {int(r.id): r for r in connection.execute(sa.select(shipments))}
    drawn: dict[int, list[tuple[int, int, int]]] = {}
    carried: dict[int, list[tuple[str, int, int]]] = {}  # the items of shipments under an exception
    for r in connection.execute(sa.select(shipment_lines)):
        if r.licence_line_id is None:
            item = (normalise_eccn(str(r.eccn)), int(r.quantity_milli), int(r.value_cents))
            carried.setdefault(int(r.shipment_id), []).append(item)
            continue
        line_no = line_numbers.get(int(r.licence_line_id), -1)
        drawn.setdefault(int(r.shipment_id), []).append((line_no, int(r.quantity_milli), int(r.value_cents)))
    for shipment_id in sorted(found.keys() - expected.shipments.keys()):
        problem(0, f"shipment {shipment_id} is in the table but no shipment.record row recorded it")
    for shipment_id, audited in sorted(expected.shipments.items()):
        row = found.get(shipment_id)
        if row is None:
            problem(audited.seq, f"shipment {shipment_id} on licence {audited.licence_id} was recorded but is no "
                                 "longer in the shipments table (deleted)")  # fmt: skip
            continue
        name = f"shipment {shipment_id}"
        licence_id = None if row.licence_id is None else int(row.licence_id)
        if licence_id != audited.licence_id:
            problem(
                audited.seq, f"{name}: licence is {row.licence_id} in the table, {audited.licence_id} in the audit log"
            )
        for what, in_table, in_log in (
            ("licence exception", row.exception_symbol, audited.exception),
            ("destination", row.destination, audited.destination),
        ):
            if in_table != in_log:
                problem(audited.seq, f"{name}: {what} is {in_table} in the table, {in_log} in the audit log")
        items = tuple(sorted(carried.get(shipment_id, [])))
        if items != audited.items:
            problem(audited.seq, f"{name}: its items are {_items_text(items)} in the table, "
                                 f"{_items_text(audited.items)} in the audit log")  # fmt: skip
        shipped_on = row.shipped_on.isoformat() if isinstance(row.shipped_on, date) else str(row.shipped_on)
        if shipped_on != audited.shipped_on:
            problem(
                audited.seq, f"{name}: shipped_on is {shipped_on} in the table, {audited.shipped_on} in the audit log"
            )
        lines = tuple(sorted(drawn.get(shipment_id, [])))
        if lines != audited.lines:
            problem(
                audited.seq,
                f"{name}: its lines are {_lines(lines)} in the table, {_lines(audited.lines)} in the audit log",
            )


def _items_text(items: tuple[tuple[str, int, int], ...]) -> str:
    return "; ".join(f"{eccn}: {from_milli(q)} for ${from_cents(v)}" for eccn, q, v in items) or "none"


def _lines(lines: tuple[tuple[int, int, int], ...]) -> str:
    return "; ".join(f"line {n}: {from_milli(q)} for ${from_cents(v)}" for n, q, v in lines) or "none"


def _check_applications(connection: sa.Connection, expected: _Expected, problem: Callable[[int, str], None]) -> None:
    found = {int(r.id): r for r in connection.execute(sa.select(applications.c.id, applications.c.status))}
    items: dict[int, list[tuple[int, str, int, int]]] = {}
    for r in connection.execute(sa.select(application_items)):
        items.setdefault(int(r.application_id), []).append(
            (int(r.line_no), r.eccn, int(r.quantity_milli), int(r.value_cents))
        )
    for application_id in sorted(found.keys() - expected.applications.keys()):
        problem(0, f"application {application_id} is in the table but no application.create row created it")
    for application_id, audited in sorted(expected.applications.items()):
        row = found.get(application_id)
        name = f"application {application_id}"
        if row is None:
            problem(audited.seq, f"{name} was created but is no longer in the applications table (deleted)")
            continue
        if audited.status is not None and row.status != audited.status:
            problem(audited.seq, f"{name}: status is {row.status} in the table, {audited.status} by the audit log")
        have = tuple((eccn, q, v) for _, eccn, q, v in sorted(items.get(application_id, [])))
        if audited.items is not None and have != audited.items:
            problem(audited.seq, f"{name}: its items differ from its last application.create/update row "
                                 f"({len(have)} in the table, {len(audited.items)} in the audit log)")  # fmt: skip


def reconcile(connection: sa.Connection, batch: int = 2000) -> list[RecordProblem]:
    """Every disagreement between the record tables and the state the audit log re-derives, read in
    the caller's transaction (so that both are one snapshot)."""
    problems: list[RecordProblem] = []

    def problem(seq: int, message: str) -> None:
        problems.append(RecordProblem(seq, message))

    expected = _derive(connection, batch, problem)
    _check_licences(connection, expected, problem)
    _check_shipments(connection, expected, problem)
    _check_applications(connection, expected, problem)
    return problems
