from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from earcheck.api import create_app
from earcheck.db import migrate
from earcheck.records.keys import Actor, Role, create_key
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def app_keys(settings: Settings) -> dict[Role, str]:
    engine = migrate(settings)
    cli = Actor("cli:test", Role.ADMIN)
    return {role: create_key(engine, cli, role, f"{role.value.title()} User")[1] for role in Role}


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, workspace=FakeWorkspace()), raise_server_exceptions=False) as client:
        yield client


def sign_in(client: TestClient, key: str) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    form = client.get("/login")
    token = CSRF.search(form.text)
    assert token is not None
    response = client.post("/login", data={"csrf": token.group(1), "key": key, "next": "/"}, follow_redirects=True)
    assert response.status_code == 200, response.text
    found = CSRF.search(response.text)
    assert found is not None
    return found.group(1)
