"""``earcheck keys``, ``earcheck audit`` and ``earcheck serve``: the records' command line.

The command line acts with the database's own authority (whoever can run it can open the database
file or holds the database URL), so it acts as an admin, recorded in the audit log as
``cli:<user>``.
"""

from __future__ import annotations

import json
import os
import pwd
from typing import Annotated

import typer

from earcheck.cli import app
from earcheck.db import migrate
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, create_key, list_keys, revoke_key
from earcheck.settings import Settings

keys = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the audit log.", no_args_is_help=True)
app.add_typer(keys, name="keys")
app.add_typer(audit_app, name="audit")


def local_actor() -> Actor:
    """The person at this command line: the OS user, with every role (they own the database file)."""
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = f"uid {os.getuid()}"
    return Actor(f"cli:{user}", Role.ADMIN)


@keys.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="viewer, analyst, approver or admin")],
    name: Annotated[str, typer.Option(help="whose key it is")] = "local user",
) -> None:
    """Create an API key and print it. It is shown this once: only its hash is kept."""
    engine = migrate(Settings.from_env())
    key, secret = create_key(engine, local_actor(), role, name)
    typer.echo(f"API key {key.id} for {key.name!r}, role {key.role} (shown once; keep it safe):", err=True)
    typer.echo(secret)


@keys.command("list")
def keys_list() -> None:
    """List the keys (never the keys themselves)."""
    engine = migrate(Settings.from_env())
    after = None
    while True:
        page = list_keys(engine, local_actor(), after, 500)
        for key in page.items:
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.role}\t{key.prefix}…\t{state}\t{key.name}")
        if page.next_after is None:
            return
        after = page.next_after


@keys.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="the key's number, from `keys list`")]) -> None:
    """Revoke a key and end its web sessions."""
    key = revoke_key(migrate(Settings.from_env()), local_actor(), key_id)
    typer.echo(f"revoked key {key.id} ({key.name})")


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Re-derive the audit log's hash chain; name every altered, deleted or reordered row.

    Exits 0 when the chain is intact, 1 when it is broken. Keep the head hash it prints somewhere
    else: it anchors the whole log."""
    report = audit.verify(migrate(Settings.from_env()))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "rows": report.rows,
                    "head_seq": report.head_seq,
                    "head_hash": report.head_hash,
                    "problem_count": report.problem_count,
                    "problems": [{"seq": p.seq, "message": p.message} for p in report.problems],
                },
                indent=2,
            )
        )
    elif report.ok:
        typer.echo(f"audit log intact: {report.rows} rows, head {report.head_seq} {report.head_hash}")
    else:
        for problem in report.problems:
            typer.echo(str(problem))
        more = report.problem_count - len(report.problems)
        if more:
            typer.echo(f"... and {more} more problem(s)")
        typer.echo(f"audit log BROKEN: {report.problem_count} problem(s) in {report.rows} rows", err=True)
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("show")
def audit_show(
    limit: Annotated[int, typer.Option(min=1, max=500, help="how many rows, newest first")] = 20,
    subject: Annotated[str | None, typer.Option(help="only rows about this subject, e.g. licence:3")] = None,
) -> None:
    """Print the newest rows of the audit log."""
    page = audit.entries(migrate(Settings.from_env()), limit=limit, subject=subject)
    for entry in page.items:
        typer.echo(f"{entry.seq}\t{entry.at}\t{entry.actor}\t{entry.action}\t{entry.subject}\t{entry.payload}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /docs)."""
    import uvicorn

    from earcheck.api import create_app

    settings = Settings.from_env()
    typer.echo(f"earcheck on http://{host}:{port}/ (API docs at /docs); data in {settings.home}", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)
