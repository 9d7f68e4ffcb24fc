"""records: shipments under a licence exception (symbol, citation, destination, determination) beside
shipments drawn down from a licence

Revision ID: records_0003
Revises: records_0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "records_0003"
down_revision = "records_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.alter_column("licence_id", existing_type=sa.Integer, nullable=True)
        batch.add_column(sa.Column("exception_symbol", sa.String(16), nullable=True))
        batch.add_column(sa.Column("exception_citation", sa.String(200), nullable=True))
        batch.add_column(sa.Column("destination", sa.String(2), nullable=True))
        batch.add_column(sa.Column("determination_id", sa.Integer, nullable=True))
        batch.create_foreign_key(
            "fk_shipments_determination_id_determinations", "determinations", ["determination_id"], ["id"]
        )
        batch.create_index("ix_shipments_exception_symbol", ["exception_symbol"])
        batch.create_check_constraint("licence_or_exception", "(licence_id IS NULL) <> (exception_symbol IS NULL)")
        batch.create_check_constraint(
            "exception_destination",
            "exception_symbol IS NULL OR (destination IS NOT NULL AND exception_citation IS NOT NULL)",
        )
    with op.batch_alter_table("shipment_lines") as batch:
        batch.alter_column("licence_line_id", existing_type=sa.Integer, nullable=True)
        batch.add_column(sa.Column("eccn", sa.String(40), nullable=True))
        batch.add_column(sa.Column("description", sa.Text, nullable=True))
        batch.add_column(sa.Column("unit", sa.String(20), nullable=True))
        batch.create_check_constraint("licence_line_or_item", "(licence_line_id IS NULL) <> (eccn IS NULL)")


def downgrade() -> None:
    # Shipments under an exception have no licence to fall back on: going down drops them.
    op.execute("DELETE FROM shipment_lines WHERE shipment_id IN (SELECT id FROM shipments WHERE licence_id IS NULL)")
    op.execute("DELETE FROM shipments WHERE licence_id IS NULL")
    with op.batch_alter_table("shipment_lines") as batch:
        batch.drop_constraint("licence_line_or_item", type_="check")
        for column in ("unit", "description", "eccn"):
            batch.drop_column(column)
        batch.alter_column("licence_line_id", existing_type=sa.Integer, nullable=False)
    with op.batch_alter_table("shipments") as batch:
        batch.drop_constraint("exception_destination", type_="check")
        batch.drop_constraint("licence_or_exception", type_="check")
        batch.drop_index("ix_shipments_exception_symbol")
        batch.drop_constraint("fk_shipments_determination_id_determinations", type_="foreignkey")
        for column in ("determination_id", "destination", "exception_citation", "exception_symbol"):
            batch.drop_column(column)
        batch.alter_column("licence_id", existing_type=sa.Integer, nullable=False)
