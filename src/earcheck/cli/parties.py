"""``earcheck parties list|export|add`` (the parties register) and ``earcheck parties queue|decide|
acknowledge`` (the review queue of ongoing screening), the same as the web pages and the API."""

from __future__ import annotations

from typing import Annotated

import typer

from earcheck.cli import app
from earcheck.cli.records import local_actor
from earcheck.cli.register import FormatOption, Output, _write
from earcheck.db import migrate
from earcheck.exports import Format
from earcheck.records.counterparties import COUNTERPARTY_COLUMNS, add_counterparty, counterparty_row, parties_register
from earcheck.records.review_queue import acknowledge, decide, waiting
from earcheck.records.screening import Verdict
from earcheck.settings import Settings

parties_app = typer.Typer(help="The parties register and the screening review queue.", no_args_is_help=True)
app.add_typer(parties_app, name="parties")

Search = Annotated[str | None, typer.Option("--search", help="part of a party's name, any case or punctuation")]


@parties_app.command("list")
def parties_list(search: Search = None) -> None:
    """Print every stored counterparty: name, country, where it is named, its latest screening."""
    for party in parties_register(migrate(Settings.from_env()), search):
        latest = party.latest
        screened = "never screened" if latest is None else f"screened {latest.at[:16]}: {len(latest.hits)} hit(s)"
        typer.echo(f"{party.name}\t{party.country or '—'}\t{'; '.join(party.named_in)}\t{screened}")


@parties_app.command("export")
def parties_export(fmt: FormatOption = Format.CSV, output: Output = None, search: Search = None) -> None:
    """Write the parties register as CSV or XLSX."""
    rows = [counterparty_row(p) for p in parties_register(migrate(Settings.from_env()), search)]
    _write(fmt, "parties", COUNTERPARTY_COLUMNS, rows, output)


@parties_app.command("add")
def parties_add(
    name: Annotated[str, typer.Argument(help="the counterparty's name")],
    country: Annotated[str | None, typer.Option(help="ISO 3166 code of its country")] = None,
    address: Annotated[str | None, typer.Option(help="its address")] = None,
) -> None:
    """Enter a counterparty in the register directly; it is re-screened with every list import."""
    party = add_counterparty(migrate(Settings.from_env()), local_actor(), name, country, address)
    typer.echo(f"added {party.name} ({party.country or 'no country'}) as {party.named_in[0]}")


@parties_app.command("queue")
def parties_queue() -> None:
    """Print the hits that wait for a person, oldest first."""
    rows = waiting(migrate(Settings.from_env()))
    for row in rows:
        score = "—" if row.score is None else f"{row.score:.2f}"
        typer.echo(
            f"{row.id}\t{row.change}\t{row.party_name}\t{row.country or '—'}\t{row.entry_name}\t{row.list_code}"
            f"\t{row.list_id}\t{row.band}\t{score}"
        )
    typer.echo(f"{len(rows)} hit(s) waiting", err=True)


@parties_app.command("decide")
def parties_decide(
    review_id: Annotated[int, typer.Argument(min=1, help="the queued hit's number")],
    verdict: Annotated[Verdict, typer.Option(help="false_positive or true_match")],
    reason: Annotated[str, typer.Option(help="why (a clearance needs at least 20 characters)")],
) -> None:
    """Decide a queued hit (a clearance of a match-level hit still needs a second person's confirmation)."""
    decision = decide(migrate(Settings.from_env()), local_actor(), review_id, verdict, reason)
    typer.echo(f"decision {decision.id} recorded: {decision.verdict} ({decision.entry_name})")


@parties_app.command("acknowledge")
def parties_acknowledge(
    review_id: Annotated[int, typer.Argument(min=1, help="the queued hit's number")],
    note: Annotated[str, typer.Option(help="what was done about it")],
) -> None:
    """Acknowledge a hit that is gone (its entry was removed from the list or no longer matches)."""
    row = acknowledge(migrate(Settings.from_env()), local_actor(), review_id, note)
    typer.echo(f"queued hit {row.id} acknowledged")
