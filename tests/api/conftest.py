from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from earcheck.api import create_app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace


@dataclass(frozen=True)
class Keys:
    viewer: str
    analyst: str
    approver: str
    admin: str

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, role)}"}


@pytest.fixture
def workspace() -> FakeWorkspace:
    return FakeWorkspace()


@pytest.fixture
def client(settings: Settings, workspace: FakeWorkspace) -> Iterator[TestClient]:
    with TestClient(create_app(settings, workspace=workspace), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def keys(settings: Settings, client: TestClient) -> Keys:
    engine = migrate(settings)
    cli = Actor("cli:test", Role.ADMIN)
    made = {role: create_key(engine, cli, role, f"{role} key")[1] for role in Role}
    return Keys(made[Role.VIEWER], made[Role.ANALYST], made[Role.APPROVER], made[Role.ADMIN])
