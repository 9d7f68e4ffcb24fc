"""Run the benchmarks: ``python -m benchmarks [--smoke] [NAME ...]``.

Every ``bench_*.py`` module here exposes ``run(smoke: bool) -> dict``: it measures earcheck against a
baseline in the same process and run (machines here are noisy, so ratios, not absolute times, are the
result) and returns what it measured. The full reports are written to ``benchmarks/out/NAME.json``.
``--smoke`` runs each for seconds, as CI does, to prove the benchmarks still work.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--smoke", action="store_true", help="seconds-long run that only proves the code works")
    parser.add_argument("names", nargs="*", help="benchmark names (default: all)")
    args = parser.parse_args()
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if args.names:
        names = [n for n in names if n.removeprefix("bench_") in args.names or n in args.names]
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}{' (smoke)' if args.smoke else ''}", flush=True)
        started = time.perf_counter()
        report = module.run(smoke=args.smoke)
        report["wall_seconds"] = round(time.perf_counter() - started, 2)
        (out / f"{name}{'-smoke' if args.smoke else ''}.json").write_text(json.dumps(report, indent=2, default=str))
        print(json.dumps(report, indent=2, default=str), flush=True)
    if not names:
        print("no benchmarks matched", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
