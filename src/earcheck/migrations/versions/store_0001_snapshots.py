"""store: imported list and table snapshots

Revision ID: store_0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "store_0001"
down_revision = None
branch_labels = ("store",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("as_of_source", sa.String(16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("skipped_count", sa.Integer, nullable=False),
        sa.Column("lists", sa.Text, nullable=False),
        sa.Column("columns", sa.Text, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.Column("codec", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
        sa.UniqueConstraint("sha256", name="uq_snapshots_sha256"),
    )
    op.create_table(
        "snapshot_records",
        sa.Column("snapshot_id", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("list_code", sa.String(8)),
        sa.Column("key", sa.String(64)),
        sa.Column("name", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_snapshot_records_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "seq", name="pk_snapshot_records"),
    )
    op.create_index("ix_snapshot_records_key", "snapshot_records", ["key"])
    op.create_table(
        "snapshot_skipped_rows",
        sa.Column("snapshot_id", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("field", sa.Text),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("text", sa.Text),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_snapshot_skipped_rows_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "seq", name="pk_snapshot_skipped_rows"),
    )


def downgrade() -> None:
    op.drop_table("snapshot_skipped_rows")
    op.drop_index("ix_snapshot_records_key", table_name="snapshot_records")
    op.drop_table("snapshot_records")
    op.drop_table("snapshots")
