"""Golden output of the engine: every case-table case and a generated portfolio, as canonical JSON.

Used to check that a speed change leaves every answer unchanged: write the output before the change,
write it again after, and compare the two files (any difference is a bug of the change, never a reason
to rewrite the "before" file). The files live outside the repository; nothing here judges an answer.

    .venv/bin/python -m benchmarks.golden OUT.jsonl [PORTFOLIO_SIZE]
    cmp BEFORE.jsonl AFTER.jsonl
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from tests.engine.test_cases import load

from benchmarks.portfolio import SHARED, portfolio
from earcheck.casefile import parse_cases
from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace

TODAY = date(2026, 11, 26)
# Keys whose values say when or how fast, not what: the only things the comparison leaves out.
VOLATILE = {"timestamp", "timings", "elapsed", "computed_at", "generated_at", "created_at", "duration"}


def table_documents() -> list[tuple[str, Any]]:
    """Every case of the case table, merged onto its base as the case-table test reads it."""
    return [(str(case.id), case.values[0]) for case in load()]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in VOLATILE}
    if hasattr(value, "model_dump"):
        return {k: _plain(v) for k, v in value.model_dump().items() if k not in VOLATILE}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def canonical(answer: Any) -> str:
    return json.dumps(_plain(answer), sort_keys=True, ensure_ascii=False)


def main(out: Path, size: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="earcheck-golden-"))
    settings = Settings.from_env({"EARCHECK_HOME": str(home)})
    Store.open(settings).import_path(SHARED, today=TODAY)
    workspace = Workspace.open(settings)
    named = table_documents() + [(f"portfolio {i}", d) for i, d in enumerate(portfolio(size))]
    started = time.process_time()
    with out.open("w", encoding="utf-8") as handle:
        for name, document in named:
            try:
                cases = parse_cases(document)
            except Exception as error:  # a table case written to be refused: its refusal is its output
                handle.write(json.dumps({"case": name, "refused": repr(error)}) + "\n")
                continue
            for case in cases:
                try:
                    line = canonical(workspace.determine(case, TODAY))
                except Exception as error:
                    line = json.dumps({"raised": repr(error)})
                handle.write(f'{{"case": {json.dumps(name)}, "answer": {line}}}\n')
    cpu = time.process_time() - started
    print(f"{len(named)} documents, {cpu:.1f} s CPU, written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
