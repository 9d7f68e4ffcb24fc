"""The store's tables, on the shared ``earcheck.db.metadata`` (created by the ``store`` Alembic branch).

``snapshots`` has one row per imported file, ``snapshot_records`` one row per record read from it (the
record as JSON, with the few columns lookups need), ``snapshot_skipped_rows`` one row per row that a
lenient import left out, so that what was not imported can still be seen and fixed.
"""

from __future__ import annotations

import sqlalchemy as sa

from earcheck.db import metadata

__all__ = ["records", "skipped_rows", "snapshots"]

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),  # first 16 hex digits of sha256
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),  # as given: relative to the folder imported
    sa.Column("source_path", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("as_of_source", sa.String(16), nullable=False),  # manifest | option | import date
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("skipped_count", sa.Integer, nullable=False),
    sa.Column("lists", sa.Text, nullable=False),  # JSON {list code: rows} of the lists it covers
    sa.Column("columns", sa.Text, nullable=False),  # JSON list: the file's columns, for ``raw``
    sa.Column("warnings", sa.Text, nullable=False),  # JSON list of strings
    sa.Column("codec", sa.Integer, nullable=False),  # version of the records' JSON encoding
    # A snapshot imported by mistake is retired, not deleted: it stops governing any date, and the
    # record of what was imported, and of who took it out and why, stays.
    sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("retired_by", sa.Text, nullable=True),
    sa.Column("retired_reason", sa.Text, nullable=True),
    sa.Column("import_note", sa.Text, nullable=True),  # e.g. why a shrinking list was accepted
)

records = sa.Table(
    "snapshot_records",
    metadata,
    sa.Column("snapshot_id", sa.String(16), sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("list_code", sa.String(8)),
    sa.Column("key", sa.String(64)),  # list_id for list entries; code, ECCN or symbol for table rows
    sa.Column("name", sa.Text),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_snapshot_records_key", "key"),
)

skipped_rows = sa.Table(
    "snapshot_skipped_rows",
    metadata,
    sa.Column("snapshot_id", sa.String(16), sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("line", sa.Integer),
    sa.Column("field", sa.Text),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("text", sa.Text),
)
