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
    GRAPH = "graph"
    SCENARIO = "scenario"


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="case, determination, graph or scenario")]) -> None:
    """Print the JSON Schema of a case file, a determination, a production graph or an impact scenario."""
    from earcheck.supplychain.graph import graph_schema
    from earcheck.supplychain.scenario import scenario_schema

    schemas = {
        SchemaName.CASE: case_schema,
        SchemaName.DETERMINATION: determination_schema,
        SchemaName.GRAPH: graph_schema,
        SchemaName.SCENARIO: scenario_schema,
    }
    document = schemas[name]()
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
