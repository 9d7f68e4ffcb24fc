"""records: screening decisions carry the hit as found and a second person's confirmation

Revision ID: records_0002
Revises: records_0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "records_0002"
down_revision = "records_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        batch.add_column(sa.Column("actor_key", sa.Integer, nullable=True))
        batch.add_column(sa.Column("score", sa.Float, nullable=True))
        batch.add_column(sa.Column("band", sa.String(16), nullable=True))
        batch.add_column(sa.Column("confirmed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("confirmed_key", sa.Integer, nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        for column in ("confirmed_at", "confirmed_key", "confirmed_by", "band", "score", "actor_key"):
            batch.drop_column(column)
