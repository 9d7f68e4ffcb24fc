"""``earcheck keys``, ``earcheck audit`` and ``earcheck serve``: the records' command line.

The command line acts with the database's own authority (whoever can run it can open the database
file or holds the database URL), so it acts as an admin, recorded in the audit log as
``cli:<user>``.
"""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path
from typing import Annotated

import typer

from earcheck.cli import app
from earcheck.db import migrate
from earcheck.errors import Unauthorized
from earcheck.records import audit
from earcheck.records.keys import Actor, Role, authenticate, create_key, list_keys, revoke_key
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


@keys.command("local")
def keys_local(
    file: Annotated[
        Path | None, typer.Option(help="where the key is kept (default: local-admin.key in EARCHECK_HOME)")
    ] = None,
) -> None:
    """Print the admin key of the person at this machine, making it only when there is none.

    Keys are stored hashed, so the one copy of this key is a file only its owner can read (mode 0600)
    in the state folder: `make run` reuses it instead of adding a key each run. A key that was revoked
    or belongs to another database is replaced, and the replacement is audited like any new key."""
    settings = Settings.from_env()
    engine = migrate(settings)
    path = file or settings.ensure_home() / "local-admin.key"
    if path.is_file():
        secret = path.read_text(encoding="utf-8").strip()
        try:
            actor = authenticate(engine, secret)
        except Unauthorized:
            typer.echo(f"the key in {path} is unknown or revoked here; making a new one", err=True)
        else:
            if actor.role is Role.ADMIN:
                typer.echo(f"API key {actor.key_id} for {actor.name!r}, role admin (kept in {path}):", err=True)
                typer.echo(secret)
                return
            typer.echo(f"the key in {path} is not an admin key; making a new one", err=True)
    key, secret = create_key(engine, local_actor(), Role.ADMIN, "local user (make run)")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created with owner-only permissions before the secret is written, so it is never readable by others.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    os.chmod(path, 0o600)
    typer.echo(f"API key {key.id} for {key.name!r}, role admin (new; kept in {path}):", err=True)
    typer.echo(secret)


@audit_app.command("head")
def audit_head() -> None:
    """Print the head of the audit log as SEQ:HASH. Keep it outside earcheck (a ticket, an e-mail):
    `audit verify --expect SEQ:HASH` then detects a log cut back or rewritten since."""
    seq, digest = audit.head(migrate(Settings.from_env()))
    typer.echo(f"{seq}:{digest}")


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    try:
        return audit.parse_anchor(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--expect") from None


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    expect: Annotated[
        str | None, typer.Option("--expect", metavar="SEQ:HASH", help="a head printed earlier by `audit head`")
    ] = None,
) -> None:
    """Re-derive the audit log's hash chain and name every altered, deleted or reordered row; check the
    record tables (licences, lines, shipments, applications) against the state the log re-derives.

    Exits 0 when all is intact, 1 when not. With --expect SEQ:HASH (from `audit head`, kept elsewhere),
    also fails when that row is gone or has another hash: a log cut back or rewritten and re-hashed."""
    report = audit.verify(migrate(Settings.from_env()), expect=_anchor(expect))
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
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="server processes (a file screening's progress lives in one: see README)")
    ] = 1,
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /docs), in ``workers`` processes (default one).

    Each worker process has its own database connections, group commit (one audit writer per
    process) and screener; the audit chain stays in order across them because each append takes the
    database's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL's row lock on the audit head)."""
    import uvicorn

    settings = Settings.from_env()
    # One process by default: a web file screening keeps its progress and result in the process that
    # took the upload, and the page polling it may reach another worker. The API's screenings and
    # determinations are stateless per request and scale over workers (bench_load runs them so).
    count = workers
    # Migrated once here, before any worker starts: workers starting together would each run the
    # migrations on a fresh database at the same moment.
    migrate(settings).dispose()
    typer.echo(
        f"earcheck on http://{host}:{port}/ (API docs at /docs); data in {settings.home}; {count} worker(s)", err=True
    )
    uvicorn.run(
        "earcheck.api.app:served_app",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
        access_log=False,
    )
