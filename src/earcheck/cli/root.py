"""The typer application behind ``earcheck``: the top-level group, whose commands are registered by
their modules on first use (``_Commands``). ``earcheck screen NAME`` then loads what screening needs
and not the store, the engine or the web stack; listing the commands (help, an unknown name) imports
them all. ``earcheck.cli.main`` screens one well-formed name without it (``earcheck.cli.one_name``).
"""

from __future__ import annotations

import importlib

import typer
from typer._click import Command, Context  # typer vendors click: its command and context types
from typer.core import TyperGroup

__all__ = ["COMMAND_MODULES", "app"]

COMMAND_MODULES = {
    "check": "check", "timeline": "check", "data": "data", "lookup": "lookup", "keys": "records",
    "audit": "register", "serve": "records", "rules": "rules", "schema": "schema", "screen": "screen",
    "determinations": "register", "report": "register", "shipments": "shipments", "bom": "bom",
    "trace": "bom", "impact": "impact", "batch": "batch", "parties": "parties",
}  # fmt: skip
"""Which module of ``earcheck.cli`` registers each command (a test checks that none is missing).
``audit`` loads ``register``, which adds ``audit export`` to the group ``records`` defines."""


class _Commands(TyperGroup):
    """The top-level group, whose commands are registered on ``app`` by their modules on first use."""

    def _load(self, modules: set[str]) -> None:
        for module in sorted(modules):
            importlib.import_module(f"earcheck.cli.{module}")
        built = typer.main.get_command(app)
        assert isinstance(built, TyperGroup)
        # Replaced, not kept: a group another module added a subcommand to is built anew.
        for name, command in built.commands.items():
            self.commands[name] = command

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands:
            module = COMMAND_MODULES.get(cmd_name)
            # An unknown name loads every command, so that the error can suggest the right one.
            self._load({module} if module else set(COMMAND_MODULES.values()))
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Context) -> list[str]:
        self._load(set(COMMAND_MODULES.values()))
        # Alphabetical: the order modules happened to load in means nothing to a reader of --help.
        return sorted(super().list_commands(ctx))


app = typer.Typer(
    name="earcheck",
    cls=_Commands,
    help="US export-control compliance: screen parties, decide licence requirements, keep records.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """US export-control compliance: screen parties, decide licence requirements, keep records."""
