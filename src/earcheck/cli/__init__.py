"""The ``earcheck`` command. Each command group lives in its own module and only parses, calls the
core, and formats; errors raised on purpose (``EarcheckError``) are shown as one clear message.

The typer application (``app``, in ``earcheck.cli.root``) is imported only when it is needed:
importing typer (which loads pydantic) costs more than the 0.5 s a single screening may take, so
``main`` first offers the command line to ``earcheck.cli.one_name``, which screens one well-formed
name (``earcheck screen NAME [--country ..] [--json] ...``) with the same output, and leaves anything
else (help, a file of names, any option or value it does not accept as typer would) to typer.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from earcheck.errors import EarcheckError

if TYPE_CHECKING:
    from earcheck.cli.root import COMMAND_MODULES, app

__all__ = ["COMMAND_MODULES", "app", "main"]


def __getattr__(name: str) -> Any:
    # ``from earcheck.cli import app`` (every command module, the tests) imports typer then.
    if name in ("app", "COMMAND_MODULES"):
        from earcheck.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from earcheck.cli.one_name import screen_one_name

    try:
        if screen_one_name(sys.argv[1:]):
            return
        from earcheck.cli.root import app

        app()
    except EarcheckError as error:
        from rich.console import Console
        from rich.markup import escape

        message = escape(str(error))
        Console(stderr=True).print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(2)
