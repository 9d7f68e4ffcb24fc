from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from earcheck.db import metadata, migrate
from earcheck.records import schema
from earcheck.records.audit import GENESIS
from earcheck.settings import Settings

RECORDS_TABLES = set(schema.__all__)


def test_the_migration_creates_exactly_the_declared_tables(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)

    def tables_of(change: object) -> set[str]:
        # Changes are tuples such as ("add_column", schema, "licences", Column) or ("add_table", Table),
        # and column-level changes come wrapped in lists.
        if isinstance(change, list | tuple):
            return set().union(*(tables_of(part) for part in change))
        if isinstance(change, str):
            return {change}
        if isinstance(change, sa.Table):
            return {change.name}
        table = getattr(change, "table", None)
        return {table.name} if isinstance(table, sa.Table) else set()

    mine = [change for change in diff if tables_of(change) & RECORDS_TABLES]
    assert mine == []


def test_migrating_twice_changes_nothing_and_keeps_the_audit_head(database_settings: Settings) -> None:
    engine = migrate(database_settings)
    engine = migrate(database_settings)
    with engine.connect() as connection:
        head = connection.execute(sa.select(schema.audit_head)).all()
    assert [(row.id, row.seq, row.hash) for row in head] == [(1, 0, GENESIS)]


def test_check_constraints_carry_the_declared_names(engine: sa.Engine) -> None:
    # compare_metadata does not look at CHECK constraints; the drawdown relies on them.
    inspector = sa.inspect(engine)
    for table in (schema.licences, schema.licence_lines, schema.shipments, schema.shipment_lines, schema.audit_head):
        declared = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        found = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert found == declared, table.name
