"""What the rows of a batch input mean: names to screen, or cases to decide.

- ``batch screen``: the columns (or JSON fields) ``id``, ``name`` and optionally ``country``, as for
  ``earcheck screen --input``. A CSV file is read by the very reader of that command, so both report
  a bad row with the same words; a JSON Lines or Parquet record is checked the same way.
- ``batch check``: one case per row, as in a case file. A JSON Lines line is the case document itself;
  a CSV file has a ``case`` column holding the document as JSON (and optionally an ``id`` column); a
  Parquet file has either a ``case`` column of JSON text or the case's fields as columns (nested
  structs and lists), where a null is a field not given (unknown), never "none".

Every output row is keyed by the input's ``id``: a case without one gets an error row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from earcheck.batch.partitions import InputFormat, Partition, Plan, Unreadable, read_bytes, read_records
from earcheck.casefile import parse_cases
from earcheck.errors import CaseError, InputError
from earcheck.model import Case
from earcheck.screening.batch import BadRow, Row, header_columns, make_row, read_rows

__all__ = ["BadCase", "CaseRow", "case_rows", "check_header", "screening_rows"]


@dataclass(frozen=True, slots=True)
class CaseRow:
    line: int
    id: str
    case: Case


@dataclass(frozen=True, slots=True)
class BadCase:
    line: int
    id: str | None
    error: str


def check_header(kind: str, plan: Plan, path: Path) -> None:
    """Refuse, before any work, a file whose columns cannot hold the job's rows."""
    if plan.format is InputFormat.JSONL:
        return  # each line says for itself
    columns = [c.strip().lower() for c in plan.header]
    if kind == "check":
        if plan.format is InputFormat.CSV and "case" not in columns:
            raise InputError(
                f"{path}, line 1: a CSV file of cases needs a column 'case' holding each case as JSON "
                f"(and optionally 'id'); got {','.join(plan.header)!r}"
            )
        return
    header_columns(plan.header, str(path))


def screening_rows(path: Path, plan: Plan, partition: Partition) -> Iterator[Row | BadRow]:
    """The names of one partition, as ``earcheck screen --input`` reads them."""
    if plan.format is InputFormat.CSV:
        data = io.BytesIO(read_bytes(path, partition))
        yield from read_rows(data, str(path), header=plan.header, first_line=partition.first_line)
        return
    for record in read_records(path, plan, partition):
        if isinstance(record, Unreadable):
            yield BadRow(record.line, record.id, record.error)
            continue
        fields = _lower(record.fields)
        row_id, problem = _text(fields.get("id"), "id")
        name, name_problem = _text(fields.get("name"), "name")
        country, country_problem = _text(fields.get("country"), "country")
        problem = problem or name_problem or country_problem
        if problem:
            yield BadRow(record.line, row_id, f"{path}, line {record.line}: {problem}")
            continue
        yield make_row(record.line, row_id, name, country, str(path))


def case_rows(path: Path, plan: Plan, partition: Partition) -> Iterator[CaseRow | BadCase]:
    """The cases of one partition, each validated as a case file's would be."""
    for record in read_records(path, plan, partition):
        if isinstance(record, Unreadable):
            yield BadCase(record.line, record.id, record.error)
            continue
        where = f"{path}, line {record.line}"
        fields = record.fields
        document: Any = fields
        given_id: str | None = None
        if "case" in _lower(fields):
            lowered = _lower(fields)
            given_id, _ = _text(lowered.get("id"), "id")
            text = lowered["case"]
            if not isinstance(text, str):
                yield BadCase(record.line, given_id, f"{where}: the 'case' column must hold the case as JSON text")
                continue
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                yield BadCase(record.line, given_id, f"{where}: the case is not valid JSON ({error.msg})")
                continue
            if not isinstance(document, dict):
                yield BadCase(record.line, given_id, f"{where}: the case must be a JSON object")
                continue
        own_id, problem = _text(document.get("id"), "id")
        if problem:
            yield BadCase(record.line, given_id, f"{where}: {problem}")
            continue
        if own_id and given_id and own_id != given_id:
            yield BadCase(record.line, given_id, f"{where}: the id column says {given_id!r}, the case {own_id!r}")
            continue
        key = own_id or given_id
        if not key:
            yield BadCase(record.line, None, f"{where}: the case has no id (every output row is keyed by it)")
            continue
        try:
            (case,) = parse_cases({**document, "id": key}, where)
        except CaseError as error:
            yield BadCase(record.line, key, str(error))
            continue
        yield CaseRow(record.line, key, case)


def _lower(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in fields.items()}


def _text(value: Any, field: str) -> tuple[str | None, str | None]:
    """A field as text (a whole number is taken as its digits), or what is wrong with it."""
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    return None, f"the {field} must be text, not {type(value).__name__}"
