"""Importing the snapshot folder and reading the lists back, against plain ``csv``/``json`` reading.

The baseline reads every file of the folder with the standard library alone (``csv.reader`` over the
CSV files, ``json.loads`` per CCL line): the least any importer must do. The results are ratios to
that baseline, measured in the same run: parsing with the adapters, importing into a fresh SQLite
store, and ``list_entries`` from a fresh ``Store`` (decoding every entry) and again (cached).
``--smoke`` uses the few-row fixture folder instead of ../shared/data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from earcheck.settings import Settings
from earcheck.sources import ParseReport, detect, read
from earcheck.store import Store
from earcheck.store.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EARCHECK_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURE = ROOT / "tests" / "fixtures" / "sources" / "snapshot"
TODAY = date(2026, 11, 26)


def _baseline(folder: Path) -> int:
    rows = 0
    for entry in read_manifest(folder).files:
        text = entry.path.read_bytes().decode("utf-8", errors="replace")
        if entry.path.suffix == ".jsonl":
            rows += sum(1 for line in text.splitlines() if line.strip() and json.loads(line))
        elif entry.path.suffix == ".json":
            rows += len(json.loads(text))
        else:
            rows += sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    return rows


def _parse(folder: Path) -> int:
    rows = 0
    for entry in read_manifest(folder).files:
        kind = detect(entry.path)
        rows += sum(1 for _ in read(kind, entry.path, report=ParseReport(), as_of=entry.as_of))
    return rows


def _timed(function: object, *args: object) -> tuple[float, object]:
    assert callable(function)
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def run(smoke: bool) -> dict[str, object]:
    folder = FIXTURE if smoke or not (SHARED / "manifest.json").is_file() else SHARED
    baseline, _ = _timed(_baseline, folder)
    parse, parsed_rows = _timed(_parse, folder)
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), database_url=f"sqlite:///{Path(home) / 'earcheck.db'}")
        store = Store.open(settings)
        imported, report = _timed(lambda: store.import_path(folder, strict=False, today=TODAY))
        again, _ = _timed(lambda: store.import_path(folder, strict=False, today=TODAY))
        fresh = Store.open(settings)
        cold, entries = _timed(fresh.list_entries, date(2026, 8, 1))
        warm, _ = _timed(fresh.list_entries, date(2026, 8, 1))
        tables, _ = _timed(fresh.ear_tables)
    assert isinstance(entries, list)
    return {
        "data": str(folder),
        "rows_parsed": parsed_rows,
        "entries_2026_08_01": len(entries),
        "seconds": {
            "baseline_stdlib_read": round(baseline, 3),
            "parse_adapters": round(parse, 3),
            "import_sqlite": round(imported, 3),
            "reimport_noop": round(again, 3),
            "list_entries_cold": round(cold, 3),
            "list_entries_cached": round(warm, 4),
            "ear_tables_cold": round(tables, 3),
        },
        "ratio_to_baseline": {
            "parse_adapters": round(parse / baseline, 2),
            "import_sqlite": round(imported / baseline, 2),
            "list_entries_cold": round(cold / baseline, 2),
        },
        "new_files": getattr(report, "new_files", None),
    }
