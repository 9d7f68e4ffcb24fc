"""``earcheck shipments``: record a shipment under a licence exception, and list the shipments.

Shipments under a licence are drawn down from its lines in the API and the web UI; a shipment under a
licence exception has no licence to draw from, and is as easily recorded here. The command line acts as
the local admin (see ``earcheck.cli.records``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from earcheck.cli import app
from earcheck.cli.records import local_actor
from earcheck.db import migrate
from earcheck.errors import FieldError, RecordError
from earcheck.records.parties import ItemLine
from earcheck.records.shipments import Shipment, list_shipments, record_exception_shipment
from earcheck.settings import Settings

shipments_app = typer.Typer(help="Record shipments under licence exceptions; list shipments.", no_args_is_help=True)
app.add_typer(shipments_app, name="shipments")

ITEM_FORMAT = "ECCN,QUANTITY,UNIT,VALUE,DESCRIPTION"


def _item(text: str, index: int) -> ItemLine:
    parts = [p.strip() for p in text.split(",", 4)]
    if len(parts) != 5:
        raise RecordError("invalid shipment", [FieldError(f"items[{index}]", f"give {ITEM_FORMAT}, not {text!r}")])
    eccn, quantity, unit, value, description = parts
    try:
        return ItemLine(eccn, description, Decimal(quantity), unit, Decimal(value))
    except InvalidOperation:
        raise RecordError(
            "invalid shipment", [FieldError(f"items[{index}]", f"quantity and value must be numbers in {text!r}")]
        ) from None


def _show(shipment: Shipment) -> str:
    items = "; ".join(f"{x.eccn} {x.quantity} {x.unit} ${x.value:,.2f}" for x in shipment.lines)
    where = f" to {shipment.destination}" if shipment.destination else ""
    based = f", determination {shipment.determination_id}" if shipment.determination_id else ""
    return f"{shipment.id}\t{shipment.shipped_on}\t{shipment.authority}{where}{based}\t{items}\t{shipment.reference}"


@shipments_app.command("record")
def shipments_record(
    exception: Annotated[str, typer.Option("--exception", help="the licence exception's symbol, e.g. LVS")],
    destination: Annotated[str, typer.Option(help="country of ultimate destination, ISO 3166-1 alpha-2")],
    item: Annotated[list[str], typer.Option("--item", help=f"{ITEM_FORMAT}; repeat for each item")],
    shipped_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None,
    determination: Annotated[
        int | None, typer.Option(help="the stored determination it rests on; it must show the exception available")
    ] = None,
    reference: Annotated[str, typer.Option(help="your own reference: invoice, AES ITN, ...")] = "",
) -> None:
    """Record a shipment made under a licence exception; refused with the reason when the exception was
    not in force on the date or the determination does not show it available."""
    try:
        day = date.fromisoformat(shipped_on) if shipped_on else date.today()
    except ValueError:
        raise RecordError("invalid shipment", [FieldError("shipped_on", "not a date (YYYY-MM-DD)")]) from None
    items = [_item(text, index) for index, text in enumerate(item)]
    engine = migrate(Settings.from_env())
    shipment = record_exception_shipment(
        engine, local_actor(), exception, day, destination, items, reference, determination
    )
    typer.echo(_show(shipment))


@shipments_app.command("list")
def shipments_list(
    exceptions_only: Annotated[
        bool, typer.Option("--exceptions", help="only shipments under licence exceptions")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """Shipments, newest first: what each was made under, items, reference."""
    engine = migrate(Settings.from_env())
    page = list_shipments(engine, None, limit, under_exception=True if exceptions_only else None)
    for shipment in page.items:
        typer.echo(_show(shipment))
