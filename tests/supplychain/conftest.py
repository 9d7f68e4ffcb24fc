"""A workspace over the real snapshots (imported once per session), keeping its BOMs in its own home."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace


@pytest.fixture(scope="session")
def supply_workspace(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Workspace:
    home = tmp_path_factory.mktemp("supply-home")
    settings = Settings.from_env({"EARCHECK_HOME": str(home)})
    Store.open(settings).import_path(shared_data, today=date(2026, 11, 26))
    return Workspace.open(settings)
