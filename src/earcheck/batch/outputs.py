"""The output of a batch job: its columns, the part each partition writes, and the file made of them.

Each finished partition is written by the worker as one *part* in the job's checkpoint folder, in the
output's own format (CSV text without a header, or a Parquet file), under a temporary name renamed
into place when complete: a part is either whole or absent, and writing it twice (a task run again
after its worker was lost) writes the same bytes. The output file is the parts in partition order.

CSV cells are written as ``earcheck screen --format csv`` writes them (an empty cell for a value not
there, ``true``/``false``, text a spreadsheet would run as a formula behind a leading quote:
``earcheck.spreadsheet``), so the columns the two share read the same, character for character.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from earcheck.errors import InputError
from earcheck.screening.batch import CSV_COLUMNS, csv_cell
from earcheck.spreadsheet import write_row

__all__ = [
    "CHECK_COLUMNS",
    "DELTA_COLUMNS",
    "IMPACT_COLUMNS",
    "SCREEN_COLUMNS",
    "Columns",
    "OutputFormat",
    "assemble",
    "output_format",
    "part_path",
    "replace_atomically",
    "write_part",
]


class OutputFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"


def output_format(path: Path) -> OutputFormat:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return OutputFormat.CSV
    if suffix in (".parquet", ".pq"):
        return OutputFormat.PARQUET
    raise InputError(f"{path}: the output must be .csv or .parquet, by its extension")


@dataclass(frozen=True, slots=True)
class Columns:
    """Column names with their types: ``string``, ``int64``, ``float64`` or ``bool``."""

    names: tuple[str, ...]
    types: tuple[str, ...]

    @classmethod
    def of(cls, *columns: tuple[str, str]) -> Columns:
        return cls(tuple(name for name, _ in columns), tuple(kind for _, kind in columns))

    def __add__(self, other: Columns) -> Columns:
        return Columns(self.names + other.names, self.types + other.types)

    def schema(self) -> Any:
        import pyarrow as pa

        kinds = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
        return pa.schema([(name, kinds[kind]) for name, kind in zip(self.names, self.types, strict=True)])


_SCREEN_TYPES = {"line": "int64", "hits": "int64", "score": "float64", "in_force": "bool"}
SCREEN_COLUMNS = Columns(CSV_COLUMNS, tuple(_SCREEN_TYPES.get(c, "string") for c in CSV_COLUMNS)) + Columns.of(
    ("as_of", "string"),
    ("algorithm", "string"),
    ("match_threshold", "float64"),
    ("review_threshold", "float64"),
    ("engine", "string"),
    ("rules", "string"),
    ("lists", "string"),
)
"""``batch screen``: the columns of ``earcheck screen --format csv``, then what the row was screened
with (so that it can be screened again the same way)."""

CHECK_COLUMNS = Columns.of(
    ("id", "string"),
    ("line", "int64"),
    ("as_of", "string"),
    ("license_required", "bool"),
    ("subject_to_ear", "bool"),
    ("review_policy", "string"),
    ("applies", "string"),  # the rules that apply, ";"-separated
    ("indeterminate", "string"),  # the rules that may apply
    ("missing_facts", "string"),  # the fields whose facts would settle the unknowns
    ("party_matches", "int64"),  # list hits in the match band (or confirmed) on the case's parties
    ("party_reviews", "int64"),  # hits in the review band: a person must decide
    ("warnings", "string"),  # a JSON array
    ("error", "string"),
    ("engine", "string"),
    ("rules", "string"),
    ("lists", "string"),
    ("case_sha256", "string"),
)
"""``batch check``: the answer of each case, with its provenance; ``--full`` adds ``determination``."""

DETERMINATION_COLUMN = Columns.of(("determination", "string"))

DELTA_COLUMNS = Columns.of(
    ("id", "string"),
    ("line", "int64"),
    ("change", "string"),  # new, changed, cleared
    ("entry", "string"),  # what the list update did to the entry: added, changed, removed, unchanged
    ("list_code", "string"),
    ("list_id", "string"),
    ("name", "string"),
    ("matched_name", "string"),
    ("old_score", "float64"),
    ("old_band", "string"),
    ("old_in_force", "bool"),
    ("new_score", "float64"),
    ("new_band", "string"),
    ("new_in_force", "bool"),
    ("error", "string"),
    ("since", "string"),
    ("since_lists", "string"),
    ("as_of", "string"),
    ("lists", "string"),
    ("algorithm", "string"),
    ("match_threshold", "float64"),
    ("review_threshold", "float64"),
    ("engine", "string"),
    ("rules", "string"),
)
"""``batch screen --since``: one row per hit that the list update made new, changed or cleared."""


IMPACT_COLUMNS = Columns.of(
    ("id", "string"),
    ("line", "int64"),
    ("as_of", "string"),
    ("reevaluated", "bool"),
    ("skipped_because", "string"),  # why the scenario cannot touch the case (not re-evaluated)
    ("changed", "bool"),  # the licence answer, subjection or review policy differs under the scenario
    ("license_before", "bool"),
    ("license_after", "bool"),
    ("subject_before", "bool"),
    ("subject_after", "bool"),
    ("policy_before", "string"),
    ("policy_after", "string"),
    ("now_applies", "string"),  # a JSON array of "rule: citation" that apply only under the scenario
    ("no_longer_applies", "string"),  # ... that applied only without it
    ("value", "float64"),  # the items' fair market value, USD (empty when any is not given)
    ("error", "string"),
    ("engine", "string"),
    ("rules", "string"),
    ("lists", "string"),
    ("scenario", "string"),  # the scenario's name and the SHA-256 of its file
)
"""``batch impact``: one row per case of the portfolio, as ``earcheck.supplychain.impact`` gives it."""


def part_path(folder: Path, number: int, form: OutputFormat) -> Path:
    return folder / f"part-{number:06d}.{form.value}"


def replace_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one, never a part."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_part(path: Path, columns: Columns, rows: Sequence[Sequence[Any]], form: OutputFormat) -> None:
    """Write one partition's rows as a part (atomically)."""
    if form is OutputFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in rows:  # cells a spreadsheet would run as formulas are written as text, as everywhere
            write_row(writer, [csv_cell(value) for value in row])
        replace_atomically(path, out.getvalue().encode("utf-8", "surrogateescape"))
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = columns.schema()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns.names]
    table = pa.Table.from_arrays(
        [pa.array(list(column), type=field.type) for column, field in zip(values, schema, strict=True)],
        schema=schema,
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    replace_atomically(path, sink.getvalue().to_pybytes())


def assemble(parts: Iterable[Path], columns: Columns, form: OutputFormat, output: Path) -> None:
    """The output file made of ``parts`` in the order given (written atomically)."""
    tmp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.tmp")
    try:
        if form is OutputFormat.CSV:
            with tmp.open("wb") as out:
                out.write((",".join(columns.names) + "\n").encode())
                for part in parts:
                    with part.open("rb") as source:
                        while block := source.read(1 << 20):
                            out.write(block)
        else:
            import pyarrow.parquet as pq

            with pq.ParquetWriter(tmp, columns.schema()) as writer:
                for part in parts:
                    writer.write_table(pq.read_table(part))
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
