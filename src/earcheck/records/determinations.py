"""Stored determinations: the case as given, the answer as given, and what produced it.

A determination is stored with its case (canonical JSON), its result (the JSON that
``earcheck.casefile.determination_json`` writes) and its provenance (engine version, rule and list
versions, the case's hash), so it can be re-derived and compared later. The audit row written with
it carries the SHA-256 of the stored case and result, so an edit to either shows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter

from earcheck import group_commit
from earcheck.casefile import case_sha256, determination_json
from earcheck.errors import NotFound
from earcheck.model import Case, Determination
from earcheck.records import audit
from earcheck.records.audit import canonical_json
from earcheck.records.keys import Actor, Role, require
from earcheck.records.pages import Page
from earcheck.records.rows import insert_row, read_page
from earcheck.records.schema import determination_terms, determinations

__all__ = [
    "StoredDetermination",
    "case_eccns",
    "case_parties",
    "case_terms",
    "get_determination",
    "list_determinations",
    "record_determination",
    "stored_from_row",
]

_CASE = TypeAdapter(Case)


@dataclass(frozen=True, slots=True)
class StoredDetermination:
    id: int
    created_at: datetime
    actor: str
    case_id: str | None
    as_of: date
    license_required: bool | None
    case: dict[str, Any]
    result: dict[str, Any]
    provenance: dict[str, Any]
    case_sha256: str
    result_sha256: str


def case_parties(case: dict[str, Any]) -> list[str]:
    """The names of every party the case names, the exporter first."""
    names = []
    exporter = case.get("exporter") or {}
    if exporter.get("name"):
        names.append(str(exporter["name"]))
    names.extend(str(p["name"]) for p in case.get("parties") or [] if p.get("name"))
    return names


def case_eccns(case: dict[str, Any]) -> list[str]:
    """The items' ECCNs as given (items without one are left out), each once, in the case's order."""
    return list(dict.fromkeys(str(i["eccn"]) for i in case.get("items") or [] if i.get("eccn")))


def case_terms(case: dict[str, Any]) -> list[tuple[str, str]]:
    """What the register searches a stored case by (``determination_terms``), folded as searched:
    each party's name lower-cased (any part of it is found), each ECCN and the destination upper-cased
    (found exactly). Each once."""
    terms = [("party", name.lower()) for name in case_parties(case)]
    terms += [("eccn", eccn.upper()) for eccn in case_eccns(case)]
    if case.get("destination"):
        terms.append(("destination", str(case["destination"]).upper()))
    return list(dict.fromkeys(terms))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record_determination(
    engine: sa.Engine, actor: Actor, case: Case, determination: Determination
) -> StoredDetermination:
    require(actor, Role.ANALYST, "recording a determination")
    case_text = canonical_json(_CASE.dump_python(case, mode="json"))
    result = determination_json(determination)
    result_text = canonical_json(result)
    provenance = result.get("provenance") or {}
    now = datetime.now(UTC)
    # Hashed and serialised here, on the request's thread: the writer thread only writes.
    case_hash, stored_case_hash, result_hash = case_sha256(case), _sha256(case_text), _sha256(result_text)
    provenance_text = canonical_json(provenance)
    terms = case_terms(json.loads(case_text))  # from the case as stored, as the migration reads older ones

    facts = {
        "case_id": case.id,
        "as_of": determination.as_of,
        "license_required": determination.license_required,
        "subject_to_ear": determination.subject_to_ear,
        "review_policy": determination.review_policy,
        "missing_facts": len(determination.missing_facts),
        "case_sha256": case_hash,
        "stored_case_sha256": stored_case_hash,
        "result_sha256": result_hash,
        "provenance": provenance,
    }

    def write(connection: sa.Connection) -> sa.Row[Any]:
        determination_id = insert_row(
            connection,
            determinations,
            created_at=now,
            actor=actor.label,
            case_id=case.id,
            as_of=determination.as_of,
            license_required=determination.license_required,
            case_json=case_text,
            result_json=result_text,
            provenance_json=provenance_text,
            case_sha256=case_hash,
            result_sha256=result_hash,
        )
        if terms:
            connection.execute(
                sa.insert(determination_terms),
                [{"determination_id": determination_id, "kind": kind, "value": value} for kind, value in terms],
            )
        audit.append(
            connection,
            actor.label,
            "determination.record",
            f"determination:{determination_id}",
            {"id": determination_id, **facts},
        )
        return connection.execute(_DETERMINATION_BY_ID, {"id": determination_id}).one()

    # Through the group commit: concurrent determinations share one transaction (earcheck.group_commit).
    # The stored row is read back in it, and decoded here, on the request's thread.
    return _stored(group_commit.submit(engine, write))


# Built once: every recorded determination reads its row back.
_DETERMINATION_BY_ID = sa.select(determinations).where(determinations.c.id == sa.bindparam("id"))


def _stored(row: sa.Row[Any]) -> StoredDetermination:
    return StoredDetermination(
        id=int(row.id),
        created_at=row.created_at,
        actor=row.actor,
        case_id=row.case_id,
        as_of=row.as_of,
        license_required=row.license_required,
        case=json.loads(row.case_json),
        result=json.loads(row.result_json),
        provenance=json.loads(row.provenance_json),
        case_sha256=row.case_sha256,
        result_sha256=row.result_sha256,
    )


stored_from_row = _stored  # for the register's search (determination_search)


def get_determination(engine: sa.Engine, determination_id: int) -> StoredDetermination:
    with engine.connect() as connection:
        row = connection.execute(sa.select(determinations).where(determinations.c.id == determination_id)).one_or_none()
    if row is None:
        raise NotFound(f"no stored determination with id {determination_id}")
    return _stored(row)


def list_determinations(engine: sa.Engine, after: int | None = None, limit: int = 50) -> Page[StoredDetermination]:
    """Stored determinations, newest first."""
    query = sa.select(determinations)
    with engine.connect() as connection:
        return read_page(connection, query, determinations.c.id, after, limit, lambda rows: [_stored(r) for r in rows])
