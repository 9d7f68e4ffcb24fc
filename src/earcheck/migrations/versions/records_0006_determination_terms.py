"""records: the terms the determinations register searches by (parties, ECCNs, destination)

Revision ID: records_0006
Revises: records_0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "records_0006"
down_revision = "records_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    terms = op.create_table(
        "determination_terms",
        sa.Column("determination_id", sa.Integer, sa.ForeignKey("determinations.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_determination_terms_lookup", "determination_terms", ["determination_id", "kind"])
    # The determinations stored before: their terms read from the stored case, as new ones are written.
    from earcheck.records.determinations import case_terms

    connection = op.get_bind()
    stored = sa.table("determinations", sa.column("id", sa.Integer), sa.column("case_json", sa.Text))
    after = 0
    while True:
        rows = connection.execute(
            sa.select(stored.c.id, stored.c.case_json).where(stored.c.id > after).order_by(stored.c.id).limit(500)
        ).all()
        if not rows:
            return
        values = [
            {"determination_id": row.id, "kind": kind, "value": value}
            for row in rows
            for kind, value in case_terms(json.loads(row.case_json))
        ]
        if values:
            connection.execute(sa.insert(terms), values)
        after = int(rows[-1].id)


def downgrade() -> None:
    op.drop_index("ix_determination_terms_lookup", "determination_terms")
    op.drop_table("determination_terms")
