"""The records tables, declared on the shared ``earcheck.db.metadata``.

Only user data lives here (keys, applications, licences, shipments, stored determinations, screening
decisions, the audit log); the rules stay in git. The migration in
``earcheck/migrations/versions/records_0001_initial.py`` creates exactly these tables, and a test
compares the two.

Money is integer cents and quantities integer thousandths of their unit (``*_cents``, ``*_milli``),
so that no amount ever passes through a float, and SQLite and PostgreSQL store the same numbers.
Timestamps are stored in UTC. The audit log stores its time and payload as the exact text that was
hashed, so that no database type conversion can break the chain.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from earcheck.db import metadata

__all__ = [
    "api_keys",
    "application_events",
    "application_items",
    "application_parties",
    "applications",
    "audit_head",
    "audit_log",
    "counterparties",
    "determination_terms",
    "determinations",
    "idempotency_keys",
    "licence_lines",
    "licence_parties",
    "licences",
    "screening_decisions",
    "screening_reviews",
    "shipment_lines",
    "shipments",
    "web_sessions",
]


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite hands back naive datetimes)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAME = 500  # party and key names
ACTOR = 200


def _parent(column: str, target: str) -> sa.Column[int]:
    """A child row's link to the record it belongs to; indexed, as the children are read by it."""
    return sa.Column(column, sa.Integer, sa.ForeignKey(target), nullable=False, index=True)


def _parties(name: str, owner: str, target: str) -> sa.Table:
    """The parties of an application or a licence (form BIS-748P blocks 14-19), in the order given."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        _parent(owner, target),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("address", sa.Text, nullable=True),
    )


api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(NAME), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    # sha256 of the key: the key itself is shown once and never stored.
    sa.Column("key_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(ACTOR), nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    _parent("key_id", "api_keys.id"),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)

determinations = sa.Table(
    "determinations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(ACTOR), nullable=False),
    sa.Column("case_id", sa.String(200), nullable=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("license_required", sa.Boolean, nullable=True),
    sa.Column("case_json", sa.Text, nullable=False),
    sa.Column("result_json", sa.Text, nullable=False),
    sa.Column("provenance_json", sa.Text, nullable=False),
    sa.Column("case_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("result_sha256", sa.String(64), nullable=False),
)

# What the determinations register searches by, one row per term of a stored case, folded as it is
# searched (party names lower-cased, ECCNs and destinations upper-cased): the register's filters are
# then SQL, and a page is one query, never a read of every stored case. Written with the determination.
determination_terms = sa.Table(
    "determination_terms",
    metadata,
    sa.Column("determination_id", sa.Integer, sa.ForeignKey("determinations.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # party | eccn | destination
    sa.Column("value", sa.Text, nullable=False),  # a party name may be long: no index on the text
    sa.Index("ix_determination_terms_lookup", "determination_id", "kind"),
)

screening_decisions = sa.Table(
    "screening_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("party_key", sa.String(NAME), nullable=False),
    sa.Column("party_name", sa.String(NAME), nullable=False),
    sa.Column("list_id", sa.String(200), nullable=False),
    sa.Column("entry_sha256", sa.String(64), nullable=False),
    sa.Column("entry_name", sa.String(NAME), nullable=False),
    sa.Column("verdict", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("actor", sa.String(ACTOR), nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=False),
    # Who decided, as a key (a second person must confirm with another key), and the hit as found then:
    # clearing a hit at the match level takes a confirmation (``earcheck.records.screening``).
    sa.Column("actor_key", sa.Integer, nullable=True),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("band", sa.String(16), nullable=True),
    sa.Column("confirmed_by", sa.String(ACTOR), nullable=True),
    sa.Column("confirmed_key", sa.Integer, nullable=True),
    sa.Column("confirmed_at", UtcDateTime, nullable=True),
    sa.Index("ix_screening_decisions_party_entry", "party_key", "list_id"),
)

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("end_use", sa.Text, nullable=False),
    sa.Column("additional_information", sa.Text, nullable=False),
    sa.Column("determination_id", sa.Integer, sa.ForeignKey("determinations.id"), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(ACTOR), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

application_parties = _parties("application_parties", "application_id", "applications.id")

application_items = sa.Table(
    "application_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _parent("application_id", "applications.id"),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("eccn", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("quantity_milli", sa.BigInteger, nullable=False),
    sa.Column("unit", sa.String(20), nullable=False),
    sa.Column("value_cents", sa.BigInteger, nullable=False),
)

application_events = sa.Table(
    "application_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _parent("application_id", "applications.id"),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(ACTOR), nullable=False),
    sa.Column("from_status", sa.String(32), nullable=True),
    sa.Column("to_status", sa.String(32), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)

licences = sa.Table(
    "licences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.String(40), nullable=False, unique=True),
    sa.Column("application_id", sa.Integer, sa.ForeignKey("applications.id"), nullable=True, unique=True),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=False),
    sa.Column("conditions_json", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(ACTOR), nullable=False),
    sa.CheckConstraint("valid_from <= valid_until", name="validity"),
)

licence_parties = _parties("licence_parties", "licence_id", "licences.id")

licence_lines = sa.Table(
    "licence_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _parent("licence_id", "licences.id"),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("eccn", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("unit", sa.String(20), nullable=False),
    sa.Column("quantity_limit_milli", sa.BigInteger, nullable=False),
    sa.Column("value_limit_cents", sa.BigInteger, nullable=False),
    sa.Column("shipped_quantity_milli", sa.BigInteger, nullable=False),
    sa.Column("shipped_value_cents", sa.BigInteger, nullable=False),
    # The drawdown is guarded by a conditional UPDATE; these make the database itself refuse an
    # overdrawn line should any other code path ever try.
    sa.CheckConstraint("shipped_quantity_milli <= quantity_limit_milli", name="quantity_within_limit"),
    sa.CheckConstraint("shipped_value_cents <= value_limit_cents", name="value_within_limit"),
    sa.CheckConstraint("shipped_quantity_milli >= 0 AND shipped_value_cents >= 0", name="shipped_not_negative"),
    sa.UniqueConstraint("licence_id", "line_no", name="uq_licence_lines_licence_line"),
)

# A shipment is made under a licence (drawn down from its lines) or under a licence exception (the
# symbol entered in the EEI filing, 15 CFR 758.1(g)) -- exactly one of the two.
shipments = sa.Table(
    "shipments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("licence_id", sa.Integer, sa.ForeignKey("licences.id"), nullable=True, index=True),
    sa.Column("shipped_on", sa.Date, nullable=False),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(ACTOR), nullable=False),
    sa.Column("exception_symbol", sa.String(16), nullable=True, index=True),
    sa.Column("exception_citation", sa.String(200), nullable=True),
    sa.Column("destination", sa.String(2), nullable=True),
    sa.Column("determination_id", sa.Integer, sa.ForeignKey("determinations.id"), nullable=True),
    sa.CheckConstraint("(licence_id IS NULL) <> (exception_symbol IS NULL)", name="licence_or_exception"),
    sa.CheckConstraint(
        "exception_symbol IS NULL OR (destination IS NOT NULL AND exception_citation IS NOT NULL)",
        name="exception_destination",
    ),
)

# A line drawn from a licence line, or (under an exception) an item with its own ECCN and unit.
shipment_lines = sa.Table(
    "shipment_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _parent("shipment_id", "shipments.id"),
    sa.Column("licence_line_id", sa.Integer, sa.ForeignKey("licence_lines.id"), nullable=True, index=True),
    sa.Column("quantity_milli", sa.BigInteger, nullable=False),
    sa.Column("value_cents", sa.BigInteger, nullable=False),
    sa.Column("eccn", sa.String(40), nullable=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("unit", sa.String(20), nullable=True),
    sa.CheckConstraint("(licence_line_id IS NULL) <> (eccn IS NULL)", name="licence_line_or_item"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # Assigned by earcheck.records.audit from audit_head, never by the database: the chain needs
    # consecutive numbers with no gaps.
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(ACTOR), nullable=False),
    sa.Column("action", sa.String(64), nullable=False, index=True),
    sa.Column("subject", sa.String(200), nullable=False, index=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
)

# One row: the last sequence number and hash. Appending updates it in the same transaction as the
# new row, which serialises appenders (a row lock on PostgreSQL, the write lock on SQLite) and lets
# ``verify`` notice rows cut from the end of the log.
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.CheckConstraint("id = 1", name="single_row"),
)

# A write sent with an ``Idempotency-Key`` (earcheck.records.idempotency): written in the same
# transaction as the record it made, so a key is never stored without its record nor a record
# without its key. ``scope`` is the actor's label, so two users' keys never meet.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("scope", sa.String(ACTOR), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_sha256", sa.String(64), nullable=False),
    sa.Column("resource", sa.String(200), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

# A counterparty entered in the parties register directly, not through an application, a licence or
# a determination (those parties are read from their own tables).
counterparties = sa.Table(
    "counterparties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(NAME), nullable=False),
    sa.Column("party_key", sa.String(NAME), nullable=False, index=True),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("address", sa.Text, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(ACTOR), nullable=False),
)

# The review queue (earcheck.records.review_queue): a hit found when a stored party was re-screened
# that a person must look at. ``change`` says why it is there: new, changed (the entry changed since
# the party was last screened), cleared (a hit found before is gone) or undecided (found again, never
# decided). A hit's row closes when a decision about the entry as it now reads governs it; a cleared
# row when a person acknowledges it.
screening_reviews = sa.Table(
    "screening_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("party_key", sa.String(NAME), nullable=False, index=True),
    sa.Column("party_name", sa.String(NAME), nullable=False),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("list_id", sa.String(200), nullable=False),
    sa.Column("entry_sha256", sa.String(64), nullable=False),
    sa.Column("entry_name", sa.String(NAME), nullable=False),
    sa.Column("list_code", sa.String(32), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("band", sa.String(16), nullable=False),
    sa.Column("change", sa.String(16), nullable=False),
    sa.Column("lists", sa.Text, nullable=False),
    sa.Column("raised_at", UtcDateTime, nullable=False),
    sa.Column("raised_by", sa.String(ACTOR), nullable=False),
    sa.Column("closed_at", UtcDateTime, nullable=True, index=True),
    sa.Column("closed_by", sa.String(ACTOR), nullable=True),
    sa.Column("closing_note", sa.Text, nullable=True),
)
