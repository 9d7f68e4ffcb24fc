from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records.keys import Role, authenticate
from earcheck.records.schema import audit_log
from earcheck.settings import Settings


def test_keys_create_list_revoke(settings: Settings) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "Ada"])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    engine = migrate(settings)
    actor = authenticate(engine, secret)
    assert (actor.name, actor.role) == ("Ada", Role.ADMIN)
    listed = runner.invoke(app, ["keys", "list"])
    assert "\tadmin\t" in listed.stdout
    assert secret not in listed.stdout
    assert runner.invoke(app, ["keys", "revoke", str(actor.key_id)]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list"]).stdout
    bad_role = runner.invoke(app, ["keys", "create", "--role", "emperor"])
    assert bad_role.exit_code == 2


def test_audit_verify_exits_1_and_names_the_row(settings: Settings) -> None:
    runner = CliRunner()
    for name in ("a", "b", "c"):
        runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", name])
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0
    assert intact.stdout.startswith("audit log intact: 3 rows, head 3 ")
    with migrate(settings).begin() as connection:
        connection.execute(sa.update(audit_log).where(audit_log.c.seq == 2).values(actor="mallory"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "row 2: altered" in broken.stdout
    report = runner.invoke(app, ["audit", "verify", "--json"])
    assert '"ok": false' in report.stdout
    shown = runner.invoke(app, ["audit", "show", "--limit", "2"])
    assert [line.split("\t")[0] for line in shown.stdout.splitlines()] == ["3", "2"]


def test_keys_local_is_made_once_kept_private_and_replaced_when_revoked(settings: Settings) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["keys", "local"])
    assert first.exit_code == 0, first.output
    secret = first.stdout.strip().splitlines()[-1]
    kept = settings.home / "local-admin.key"
    assert kept.read_text(encoding="utf-8").strip() == secret
    assert kept.stat().st_mode & 0o777 == 0o600
    engine = migrate(settings)
    actor = authenticate(engine, secret)
    assert actor.role is Role.ADMIN
    again = runner.invoke(app, ["keys", "local"])
    assert again.stdout.strip().splitlines()[-1] == secret
    with engine.connect() as connection:
        made = connection.execute(sa.select(sa.func.count()).where(audit_log.c.action == "key.create")).scalar_one()
    assert made == 1  # the second run reused the key instead of adding one
    assert runner.invoke(app, ["keys", "revoke", str(actor.key_id)]).exit_code == 0
    replaced = runner.invoke(app, ["keys", "local"])
    assert replaced.exit_code == 0, replaced.output
    new_secret = replaced.stdout.strip().splitlines()[-1]
    assert new_secret != secret
    assert authenticate(engine, new_secret).role is Role.ADMIN
    assert kept.read_text(encoding="utf-8").strip() == new_secret


def test_shipments_record_under_an_exception_and_list(settings: Settings) -> None:
    runner = CliRunner()
    item = ["--item", "3C005,10,each,1000,SiC wafers, polished"]
    made = runner.invoke(
        app,
        ["shipments", "record", "--exception", "LVS", "--destination", "TH", "--shipped-on", "2026-08-15", *item],
    )
    assert made.exit_code == 0, made.output
    assert "licence exception LVS (15 CFR 740.3) to TH" in made.stdout
    listed = runner.invoke(app, ["shipments", "list", "--exceptions"])
    assert "3C005 10 each $1,000.00" in listed.stdout
    # CIV was removed with effect from 2020-06-29: refused, nothing recorded.
    late = runner.invoke(
        app,
        ["shipments", "record", "--exception", "CIV", "--destination", "CN", "--shipped-on", "2021-01-04", *item],
    )
    assert late.exit_code != 0
    assert "not in force on 2021-01-04" in str(late.exception)
    bad = runner.invoke(app, ["shipments", "record", "--exception", "LVS", "--destination", "TH", "--item", "3C005"])
    assert "ECCN,QUANTITY,UNIT,VALUE,DESCRIPTION" in str(bad.exception)
    assert len(runner.invoke(app, ["shipments", "list"]).stdout.strip().splitlines()) == 1
