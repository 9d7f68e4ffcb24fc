from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from earcheck.settings import Settings
from earcheck.store import Store

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, settings: Settings) -> Store:
    """An empty store on SQLite (under the temporary EARCHECK_HOME) and on PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        settings = Settings(home=settings.home, database_url=url)
    return Store.open(settings)


@pytest.fixture
def snapshot_folder(tmp_path: Path) -> Path:
    """A writable copy of the fixture snapshot folder."""
    return Path(shutil.copytree(SNAPSHOT, tmp_path / "snapshot"))
