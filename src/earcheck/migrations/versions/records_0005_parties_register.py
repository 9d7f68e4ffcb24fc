"""records: counterparties entered directly, and the screening review queue

Revision ID: records_0005
Revises: records_0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "records_0005"
down_revision = "records_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counterparties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("party_key", sa.String(500), nullable=False, index=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "screening_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party_key", sa.String(500), nullable=False, index=True),
        sa.Column("party_name", sa.String(500), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("list_id", sa.String(200), nullable=False),
        sa.Column("entry_sha256", sa.String(64), nullable=False),
        sa.Column("entry_name", sa.String(500), nullable=False),
        sa.Column("list_code", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("band", sa.String(16), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("lists", sa.Text, nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True, index=True),
        sa.Column("closed_by", sa.String(200), nullable=True),
        sa.Column("closing_note", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("screening_reviews")
    op.drop_table("counterparties")
