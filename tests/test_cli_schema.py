from __future__ import annotations

import json

from typer.testing import CliRunner

from earcheck.cli import app


def test_schema_case_prints_json_schema() -> None:
    result = CliRunner().invoke(app, ["schema", "case"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["title"] == "earcheck case"


def test_schema_unknown_name_is_an_error() -> None:
    result = CliRunner().invoke(app, ["schema", "nonsense"])
    assert result.exit_code != 0
