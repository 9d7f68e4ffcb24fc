"""The ``earcheck`` command. Each command group lives in its own module and only parses, calls the
core, and formats; errors raised on purpose (``EarcheckError``) are shown as one clear message."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from earcheck.errors import EarcheckError

__all__ = ["app", "main"]

app = typer.Typer(
    name="earcheck",
    help="US export-control compliance: screen parties, decide licence requirements, keep records.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """US export-control compliance: screen parties, decide licence requirements, keep records."""


# Command modules register themselves on ``app`` when imported.
from earcheck.cli import bom as _bom  # noqa: E402,F401
from earcheck.cli import check as _check  # noqa: E402,F401
from earcheck.cli import data as _data  # noqa: E402,F401
from earcheck.cli import impact as _impact  # noqa: E402,F401
from earcheck.cli import lookup as _lookup  # noqa: E402,F401
from earcheck.cli import records as _records  # noqa: E402,F401
from earcheck.cli import register as _register  # noqa: E402,F401
from earcheck.cli import rules as _rules  # noqa: E402,F401
from earcheck.cli import schema as _schema  # noqa: E402,F401
from earcheck.cli import screen as _screen  # noqa: E402,F401
from earcheck.cli import shipments as _shipments  # noqa: E402,F401


def main() -> None:
    try:
        app()
    except EarcheckError as error:
        message = escape(str(error))
        Console(stderr=True).print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(2)
