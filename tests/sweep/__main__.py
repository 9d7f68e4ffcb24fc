"""``python -m tests.sweep [--short]``: run the CCL-wide sweep on the real snapshots and print the report
(every wrong "no" and "yes" unless ``--short``). Imports the snapshots into a throwaway ``EARCHECK_HOME``."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from earcheck.settings import Settings
from earcheck.store import Store
from earcheck.workspace import Workspace
from tests.sweep.reader import Reader
from tests.sweep.run import TODAY, report, sweep

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("EARCHECK_SHARED_DATA", ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--short", action="store_true", help="list at most 40 disagreements of each kind")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="earcheck-sweep-") as home:
        settings = Settings.from_env({"EARCHECK_HOME": home})
        Store.open(settings).import_path(arguments.shared, today=TODAY)
        outcomes = sweep(Reader.load(arguments.shared / "ear"), Workspace.open(settings))
    print(report(outcomes, full=not arguments.short))


if __name__ == "__main__":
    main()
