"""The parties register: every counterparty the company deals with, and how each was last screened.

A counterparty is stored in one of four places: named on a licence application (form BIS-748P blocks
14-19), on a licence, in the case of a stored determination (which is also where a shipment under a
licence exception finds its parties), or entered here directly. The register gathers them by their
normalised name and country (``party_key``: the key screening decisions use, so "ACME Co., Ltd." and
"acme co ltd" in CN are one counterparty) and says where each is named.

Its latest screening is read from the audit log, where every screening is written (``screening.run``,
subject ``party:KEY``): what was found, when, by whom, against which list snapshots. A party never
screened shows as such; the register never fills in "no hit" for a screening that did not happen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from earcheck.country import normalise_country
from earcheck.db import write_transaction
from earcheck.errors import FieldError, InputError, RecordError
from earcheck.exports import Cell
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, require
from earcheck.records.parties import MAX_NAME, MAX_TEXT, text_problem
from earcheck.records.rows import insert_row
from earcheck.records.schema import (
    application_parties,
    audit_log,
    counterparties,
    determinations,
    licence_parties,
)
from earcheck.records.screening import party_key

__all__ = [
    "COUNTERPARTY_COLUMNS",
    "Counterparty",
    "LatestScreening",
    "add_counterparty",
    "counterparty_row",
    "parties_register",
    "stored_parties",
]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no name has them; spreadsheets cannot hold them


@dataclass(frozen=True, slots=True)
class LatestScreening:
    """The newest ``screening.run`` audit row of a party name."""

    seq: int
    at: str
    actor: str
    country: str | None
    hits: tuple[dict[str, Any], ...]
    lists: str | None

    @property
    def bands(self) -> tuple[str, ...]:
        return tuple(str(h.get("band")) for h in self.hits)


@dataclass(frozen=True, slots=True)
class Counterparty:
    name: str  # as first written (the first place it is named)
    key: str  # ``party_key(name)``
    country: str | None
    address: str | None
    named_in: tuple[str, ...]  # e.g. "application 3 (ultimate consignee)", "counterparty 1"
    latest: LatestScreening | None = None


def add_counterparty(
    engine: sa.Engine, actor: Actor, name: str, country: str | None = None, address: str | None = None
) -> Counterparty:
    """Enter a counterparty in the register directly (a customer before any application names it)."""
    require(actor, Role.ANALYST, "adding a counterparty")
    problems: list[FieldError] = []
    key = ""
    if problem := text_problem(name, "name", MAX_NAME, required=True):
        problems.append(problem)
    elif not (key := party_key(name)):
        problems.append(FieldError("name", "has no letters or digits"))
    elif _CONTROL.search(name):
        problems.append(FieldError("name", "contains a control character"))
    code = None
    if country:
        try:
            code = normalise_country(country)
        except InputError as error:
            problems.append(FieldError("country", str(error)))
    if address is not None and (problem := text_problem(address, "address", MAX_TEXT, required=False)):
        problems.append(problem)
    if problems:
        raise RecordError("invalid counterparty", problems)
    with write_transaction(engine) as connection:
        new_id = insert_row(
            connection,
            counterparties,
            name=name.strip(),
            party_key=key,
            country=code,
            address=address or None,
            created_at=datetime.now(UTC),
            created_by=actor.label,
        )
        audit.append(
            connection,
            actor.label,
            "counterparty.add",
            f"party:{key}"[:200],
            {"id": new_id, "name": name.strip(), "country": code, "address": address or None},
        )
    return Counterparty(name.strip(), key, code, address or None, (f"counterparty {new_id}",))


def _named(connection: sa.Connection) -> Iterator[tuple[str, str | None, str | None, str]]:
    """Every place a party is named: (name, country, address, where)."""
    for row in connection.execute(sa.select(counterparties).order_by(counterparties.c.id)):
        yield row.name, row.country, row.address, f"counterparty {row.id}"
    for table, owner, what in (
        (application_parties, application_parties.c.application_id, "application"),
        (licence_parties, licence_parties.c.licence_id, "licence"),
    ):
        for row in connection.execute(sa.select(table).order_by(owner, table.c.position)):
            yield (
                row.name,
                row.country,
                row.address,
                f"{what} {getattr(row, owner.name)} ({row.role.replace('_', ' ')})",
            )
    query = sa.select(determinations.c.id, determinations.c.case_json).order_by(determinations.c.id)
    for row in connection.execute(query):
        case = json.loads(row.case_json)
        for party in case.get("parties") or []:
            if isinstance(party, dict) and party.get("name"):
                role = str(party.get("role") or "party").replace("_", " ")
                yield str(party["name"]), party.get("country"), party.get("address"), f"determination {row.id} ({role})"


def _latest_screenings(connection: sa.Connection) -> dict[str, LatestScreening]:
    """The newest screening of each party key, read from the audit log."""
    latest: dict[str, LatestScreening] = {}
    query = (
        sa.select(audit_log.c.seq, audit_log.c.at, audit_log.c.actor, audit_log.c.subject, audit_log.c.payload)
        .where(audit_log.c.action == "screening.run")
        .order_by(audit_log.c.seq.desc())
    )
    for row in connection.execute(query):
        subject = str(row.subject).removeprefix("party:")
        if subject in latest:
            continue
        data = json.loads(row.payload)
        latest[subject] = LatestScreening(
            int(row.seq), row.at, row.actor, data.get("country"), tuple(data.get("hits") or ()), data.get("lists")
        )
    return latest


def stored_parties(engine: sa.Engine) -> list[Counterparty]:
    """Every stored counterparty, once per normalised name and country, in the order first named."""
    grouped: dict[tuple[str, str | None], Counterparty] = {}
    with engine.connect() as connection:
        for name, country, address, where in _named(connection):
            key = party_key(name)
            if not key:
                continue
            known = grouped.get((key, country))
            if known is None:
                grouped[(key, country)] = Counterparty(name, key, country, address, (where,))
            else:
                grouped[(key, country)] = Counterparty(
                    known.name, key, country, known.address or address, (*known.named_in, where)
                )
        latest = _latest_screenings(connection)
    # The subject of a screening row is cut to 200 characters, as ``record_screening`` writes it.
    return [
        Counterparty(p.name, p.key, p.country, p.address, p.named_in, latest.get(p.key[:194])) for p in grouped.values()
    ]


def parties_register(engine: sa.Engine, search: str | None = None) -> list[Counterparty]:
    """The register, optionally only the parties whose name contains ``search`` (normalised)."""
    parties = stored_parties(engine)
    wanted = party_key(search) if search else ""
    if not wanted:
        return parties
    return [p for p in parties if wanted in p.key]


COUNTERPARTY_COLUMNS = (
    "name",
    "country",
    "address",
    "named_in",
    "last_screened_at",
    "last_screened_by",
    "hits",
    "bands",
    "lists",
    "audit_seq",
)


def counterparty_row(party: Counterparty) -> tuple[Cell, ...]:
    latest = party.latest
    return (
        party.name,
        party.country,
        party.address,
        "; ".join(party.named_in),
        None if latest is None else latest.at,
        None if latest is None else latest.actor,
        None if latest is None else len(latest.hits),
        None if latest is None else ", ".join(latest.bands),
        None if latest is None else latest.lists,
        None if latest is None else latest.seq,
    )
