from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from earcheck.errors import Forbidden, InputError, NotFound, Unauthorized
from earcheck.records import audit
from earcheck.records.keys import (
    Actor,
    Role,
    authenticate,
    close_session,
    create_key,
    list_keys,
    open_session,
    require,
    resume_session,
    revoke_key,
)
from earcheck.records.schema import api_keys


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.includes(Role.APPROVER)
    assert Role.APPROVER.includes(Role.ANALYST)
    assert Role.ANALYST.includes(Role.VIEWER)
    assert not Role.ANALYST.includes(Role.APPROVER)
    with pytest.raises(Forbidden, match=r"approving needs the approver role; Andy \(key 4\) has analyst"):
        require(Actor("Andy", Role.ANALYST, 4), Role.APPROVER, "approving")


def test_a_key_is_shown_once_and_stored_only_as_its_hash(engine: sa.Engine, admin: Actor) -> None:
    key, secret = create_key(engine, admin, Role.APPROVER, "Paula")
    assert secret.startswith("ek_")
    assert len(secret) > 40
    assert key.prefix == secret[:10]
    with engine.connect() as connection:
        stored = connection.execute(sa.select(api_keys)).one()
    assert secret not in {str(value) for value in stored}
    assert authenticate(engine, secret) == Actor("Paula", Role.APPROVER, key.id)
    entry = audit.entries(engine).items[0]
    assert entry.action == "key.create"
    assert secret not in entry.payload


def test_only_an_admin_manages_keys(engine: sa.Engine, approver: Actor) -> None:
    with pytest.raises(Forbidden):
        create_key(engine, approver, Role.VIEWER, "x")
    with pytest.raises(Forbidden):
        list_keys(engine, approver)
    with pytest.raises(Forbidden):
        revoke_key(engine, approver, 1)


def test_unknown_malformed_and_revoked_keys_are_refused(engine: sa.Engine, admin: Actor) -> None:
    with pytest.raises(Unauthorized):
        authenticate(engine, "ek_" + "x" * 43)
    with pytest.raises(Unauthorized, match="not an earcheck API key"):
        authenticate(engine, "Bearer something")
    key, secret = create_key(engine, admin, Role.VIEWER, "temporary")
    session = open_session(engine, secret)
    revoked = revoke_key(engine, admin, key.id)
    assert revoked.revoked_at is not None
    with pytest.raises(Unauthorized):
        authenticate(engine, secret)
    with pytest.raises(Unauthorized):
        resume_session(engine, session.token)
    with pytest.raises(NotFound):
        revoke_key(engine, admin, 999)
    with pytest.raises(InputError):
        create_key(engine, admin, Role.VIEWER, "   ")


def test_sessions_open_resume_expire_and_close(engine: sa.Engine, admin: Actor) -> None:
    key, secret = create_key(engine, admin, Role.ANALYST, "Andy")
    session = open_session(engine, secret)
    resumed = resume_session(engine, session.token)
    assert resumed.actor == Actor("Andy", Role.ANALYST, key.id)
    assert resumed.csrf_token == session.csrf_token
    close_session(engine, session.token)
    with pytest.raises(Unauthorized):
        resume_session(engine, session.token)
    expired = open_session(engine, secret, lifetime=timedelta(seconds=-1))
    with pytest.raises(Unauthorized, match="sign in again"):
        resume_session(engine, expired.token)


def test_keys_are_listed_a_page_at_a_time(engine: sa.Engine, admin: Actor) -> None:
    for n in range(3):
        create_key(engine, admin, Role.VIEWER, f"k{n}")
    first = list_keys(engine, admin, limit=2)
    assert [k.name for k in first.items] == ["k2", "k1"]
    rest = list_keys(engine, admin, after=first.next_after, limit=2)
    assert [k.name for k in rest.items] == ["k0"]
    assert rest.next_after is None
