"""``earcheck`` imports a command's module only when the command runs: each command must be mapped to
the module that registers it, or it would be missing from ``earcheck NAME`` (though shown by help)."""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup

from earcheck.cli import COMMAND_MODULES, app


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"earcheck.cli.{module}")
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    assert set(group.commands) == set(COMMAND_MODULES)
    for name, command in group.commands.items():
        callback = command.callback
        module = callback.__module__ if callback is not None else ""
        if isinstance(command, TyperGroup):
            # A group's callback may be typer's own; its commands tell where they were written. The
            # mapped module writes some of them (and imports the module that defines the group).
            writers = {c.callback.__module__ for c in command.commands.values() if c.callback}
            assert f"earcheck.cli.{COMMAND_MODULES[name]}" in writers, name
            continue
        assert module == f"earcheck.cli.{COMMAND_MODULES[name]}", name
