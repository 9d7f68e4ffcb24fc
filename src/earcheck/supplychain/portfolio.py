"""Portfolios of cases: JSON Lines (one case per line) or Parquet (a ``case`` column of case JSON, or one
column per case field). Read lazily, line by line, so that 100,000 transactions never sit in memory as
text; a malformed line is reported with its line number, and nothing is decided from a broken file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from earcheck.casefile import parse_cases
from earcheck.errors import CaseError, FieldError
from earcheck.model import Case

__all__ = ["read_portfolio"]


def _documents(path: Path) -> Iterator[tuple[int, Any]]:
    if path.suffix.lower() == ".parquet":
        import polars as pl  # only when a Parquet portfolio is read

        try:
            frame = pl.read_parquet(path)
        except Exception as error:  # polars raises several kinds for a damaged file
            raise CaseError([FieldError("", f"not a readable Parquet file: {error}")], str(path)) from None
        if "case" in frame.columns and frame.schema["case"] == pl.Utf8:
            for number, text in enumerate(frame["case"], 1):
                yield number, _json(text, number, path)
        else:
            for number, row in enumerate(frame.iter_rows(named=True), 1):
                yield number, {k: v for k, v in row.items() if v is not None}
        return
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise CaseError([FieldError("", f"cannot read file: {error.strerror}")], str(path)) from None
    with handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, _json(line, number, path)


def _json(text: str, number: int, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseError([FieldError(f"line {number}", f"not JSON: {error.msg}")], str(path)) from None


def read_portfolio(path: Path) -> Iterator[Case]:
    """The cases of a portfolio, in order (a generator: a bad line raises ``CaseError`` naming it)."""
    for number, document in _documents(path):
        try:
            (case,) = parse_cases(document if isinstance(document, dict) else [], f"{path}, line {number}")
        except ValueError:
            raise CaseError([FieldError(f"line {number}", "each line holds one case (a mapping)")], str(path)) from None
        yield case
