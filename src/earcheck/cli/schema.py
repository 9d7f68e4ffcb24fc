"""``earcheck schema case|determination``: the JSON Schemas of the contract, generated from the models."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from earcheck.casefile import case_schema, determination_schema
from earcheck.cli import app


class SchemaName(StrEnum):
    CASE = "case"
    DETERMINATION = "determination"


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="case or determination")]) -> None:
    """Print the JSON Schema of a case file or of a determination."""
    document = case_schema() if name is SchemaName.CASE else determination_schema()
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
