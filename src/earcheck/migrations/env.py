"""Alembic environment: runs on the connection ``earcheck.db.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from earcheck.db import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise SystemExit("run migrations through earcheck (earcheck.db.migrate), not the alembic CLI")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
