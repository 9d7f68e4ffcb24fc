"""Shared fixtures. Every test runs with its own temporary ``EARCHECK_HOME``: ``../shared`` is read-only
and a developer's own state must never be touched."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from earcheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("EARCHECK_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).parent / "fixtures"
REQUIRE_SERVICES = os.environ.get("EARCHECK_REQUIRE_SERVICES") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (EARCHECK_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def earcheck_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "earcheck-home"
    monkeypatch.setenv("EARCHECK_HOME", str(home))
    monkeypatch.delenv("EARCHECK_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def settings(earcheck_home: Path) -> Settings:
    return Settings.from_env({"EARCHECK_HOME": str(earcheck_home)})


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "manifest.json").is_file():
        _unavailable(f"the real snapshots are not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    server = os.environ.get("EARCHECK_TEST_POSTGRES_URL")
    if not server:
        _unavailable("no PostgreSQL server (install Debian's postgresql; make test starts one)")
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        from earcheck.db import connect

        connect(url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _unavailable("Chromium is not installed (Debian package chromium)")
    return path


@pytest.fixture(autouse=True)
def _no_compiled_tables_between_tests() -> Iterator[None]:
    """A CLI command run in-process keeps compiled tables in its home for the rest of the process; the
    next test (another home, or none) must start without that."""
    from earcheck import compiled

    yield
    compiled.keep_in(None)
