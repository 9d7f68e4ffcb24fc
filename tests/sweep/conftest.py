"""Fixtures of the CCL-wide sweep: the independent reader over the real snapshot, and the sweep's outcomes
on the engine (one workspace for the session, as in tests/engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from earcheck.workspace import Workspace
from tests.engine.conftest import real_workspace
from tests.sweep.reader import Reader
from tests.sweep.run import Outcome, sweep

__all__ = ["outcomes", "reader", "real_workspace"]


@pytest.fixture(scope="session")
def reader(shared_data: Path) -> Reader:
    return Reader.load(shared_data / "ear")


@pytest.fixture(scope="session")
def outcomes(reader: Reader, real_workspace: Workspace) -> list[Outcome]:
    return sweep(reader, real_workspace)
