"""records: keys, sessions, determinations, screening decisions, applications, licences, shipments, audit

Revision ID: records_0001
Revises:
Create Date: 2026-08-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "records_0001"
down_revision = None
branch_labels = ("records",)
depends_on = None

GENESIS = "0" * 64


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_sha256", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.UniqueConstraint("key_sha256", name="uq_api_keys_key_sha256"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "key_id",
            sa.Integer,
            sa.ForeignKey("api_keys.id", name="fk_web_sessions_key_id_api_keys"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
    )
    op.create_index("ix_web_sessions_key_id", "web_sessions", ["key_id"])
    op.create_table(
        "determinations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("license_required", sa.Boolean, nullable=True),
        sa.Column("case_json", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=False),
        sa.Column("provenance_json", sa.Text, nullable=False),
        sa.Column("case_sha256", sa.String(64), nullable=False),
        sa.Column("result_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_determinations_case_sha256", "determinations", ["case_sha256"])
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party_key", sa.String(500), nullable=False),
        sa.Column("party_name", sa.String(500), nullable=False),
        sa.Column("list_id", sa.String(200), nullable=False),
        sa.Column("entry_sha256", sa.String(64), nullable=False),
        sa.Column("entry_name", sa.String(500), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("decided_at", _utc(), nullable=False),
    )
    op.create_index("ix_screening_decisions_party_entry", "screening_decisions", ["party_key", "list_id"])
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("end_use", sa.Text, nullable=False),
        sa.Column("additional_information", sa.Text, nullable=False),
        sa.Column(
            "determination_id",
            sa.Integer,
            sa.ForeignKey("determinations.id", name="fk_applications_determination_id_determinations"),
            nullable=True,
        ),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )
    op.create_index("ix_applications_status", "applications", ["status"])
    op.create_table(
        "application_parties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", name="fk_application_parties_application_id_applications"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("address", sa.Text, nullable=True),
    )
    op.create_index("ix_application_parties_application_id", "application_parties", ["application_id"])
    op.create_table(
        "application_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", name="fk_application_items_application_id_applications"),
            nullable=False,
        ),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("eccn", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("quantity_milli", sa.BigInteger, nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_application_items_application_id", "application_items", ["application_id"])
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", name="fk_application_events_application_id_applications"),
            nullable=False,
        ),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_application_events_application_id", "application_events", ["application_id"])
    op.create_table(
        "licences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column(
            "application_id",
            sa.Integer,
            sa.ForeignKey("applications.id", name="fk_licences_application_id_applications"),
            nullable=True,
        ),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("conditions_json", sa.Text, nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.CheckConstraint("valid_from <= valid_until", name="validity"),
        sa.UniqueConstraint("number", name="uq_licences_number"),
        sa.UniqueConstraint("application_id", name="uq_licences_application_id"),
    )
    op.create_table(
        "licence_parties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "licence_id",
            sa.Integer,
            sa.ForeignKey("licences.id", name="fk_licence_parties_licence_id_licences"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("address", sa.Text, nullable=True),
    )
    op.create_index("ix_licence_parties_licence_id", "licence_parties", ["licence_id"])
    op.create_table(
        "licence_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "licence_id",
            sa.Integer,
            sa.ForeignKey("licences.id", name="fk_licence_lines_licence_id_licences"),
            nullable=False,
        ),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("eccn", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("quantity_limit_milli", sa.BigInteger, nullable=False),
        sa.Column("value_limit_cents", sa.BigInteger, nullable=False),
        sa.Column("shipped_quantity_milli", sa.BigInteger, nullable=False),
        sa.Column("shipped_value_cents", sa.BigInteger, nullable=False),
        sa.CheckConstraint("shipped_quantity_milli <= quantity_limit_milli", name="quantity_within_limit"),
        sa.CheckConstraint("shipped_value_cents <= value_limit_cents", name="value_within_limit"),
        sa.CheckConstraint(
            "shipped_quantity_milli >= 0 AND shipped_value_cents >= 0",
            name="shipped_not_negative",
        ),
        sa.UniqueConstraint("licence_id", "line_no", name="uq_licence_lines_licence_line"),
    )
    op.create_index("ix_licence_lines_licence_id", "licence_lines", ["licence_id"])
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "licence_id",
            sa.Integer,
            sa.ForeignKey("licences.id", name="fk_shipments_licence_id_licences"),
            nullable=False,
        ),
        sa.Column("shipped_on", sa.Date, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_shipments_licence_id", "shipments", ["licence_id"])
    op.create_table(
        "shipment_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "shipment_id",
            sa.Integer,
            sa.ForeignKey("shipments.id", name="fk_shipment_lines_shipment_id_shipments"),
            nullable=False,
        ),
        sa.Column(
            "licence_line_id",
            sa.Integer,
            sa.ForeignKey("licence_lines.id", name="fk_shipment_lines_licence_line_id_licence_lines"),
            nullable=False,
        ),
        sa.Column("quantity_milli", sa.BigInteger, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_shipment_lines_shipment_id", "shipment_lines", ["shipment_id"])
    op.create_index("ix_shipment_lines_licence_line_id", "shipment_lines", ["licence_line_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="single_row"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for table in (
        "audit_head",
        "audit_log",
        "shipment_lines",
        "shipments",
        "licence_lines",
        "licence_parties",
        "licences",
        "application_events",
        "application_items",
        "application_parties",
        "applications",
        "screening_decisions",
        "determinations",
        "web_sessions",
        "api_keys",
    ):
        op.drop_table(table)
