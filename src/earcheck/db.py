"""The database: one SQLAlchemy engine per URL, one MetaData, schema managed by Alembic.

SQLite (a file under ``$EARCHECK_HOME``) is the embedded default; PostgreSQL serves shared
deployments. Tables are declared by the modules that own them (``earcheck.store`` for imported
list and table snapshots, ``earcheck.records`` for licences and the audit log) on the shared
``metadata`` below, and each owner keeps its own Alembic branch in ``earcheck/migrations/versions``
(``branch_labels``), so ``migrate`` upgrades to every head.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from earcheck.settings import Settings

__all__ = ["connect", "metadata", "migrate", "write_transaction"]

# Stable constraint names, so that migrations written on SQLite also run on PostgreSQL.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own implicit BEGIN (issued before the first INSERT/UPDATE, never before a
    # SELECT) is switched off so that a transaction starts where SQLAlchemy starts it (``_sqlite_begin``)
    # and its reads belong to it.
    dbapi_connection.isolation_level = None
    # WAL lets readers proceed during a write; busy_timeout makes concurrent writers wait instead of
    # failing at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    # A transaction that reads and then writes must hold SQLite's single write lock from its start
    # (BEGIN IMMEDIATE): a deferred one that read an older snapshot fails with SQLITE_BUSY when it
    # tries to write after another writer committed, and busy_timeout cannot save it.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# The server runs its synchronous routes on anyio's worker threads, at most 40 at once (its default
# limit), and each holds one connection at a time, plus the group commit's writer
# (earcheck.group_commit). SQLAlchemy's default pool (5, and 10 more on demand) left most of them
# queued on the pool under load; this one lets every thread have its own, and keeps 10 open between
# bursts. A PostgreSQL server takes 100 connections by default: one earcheck server uses at most 51.
REQUEST_THREADS = 40
_POOL = {"pool_size": 10, "max_overflow": REQUEST_THREADS + 1}


@cache
def connect(url: str) -> sa.Engine:
    """The engine for ``url`` (cached: one pool per process)."""
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        # An in-memory database lives in one connection (SQLAlchemy's SingletonThreadPool): no pool to size.
        pool = _POOL if database and database != ":memory:" else {}
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **pool)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **_POOL)


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that will write: ``BEGIN IMMEDIATE`` on SQLite (writers queue up front, so a
    read-then-write never fails half-way), a plain transaction on PostgreSQL (where writers lock the
    rows they touch). Commits on success, rolls back on any exception."""
    with engine.connect() as connection:
        connection.execution_options(sqlite_immediate=True)
        with connection.begin():
            yield connection


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("earcheck") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> sa.Engine:
    """Bring the database at ``settings.database_url`` up to date and return its engine."""
    if settings.is_sqlite:
        settings.ensure_home()
    engine = connect(settings.database_url)
    with engine.begin() as connection:
        config = alembic_config(settings.database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    return engine
