"""One split of the synthetic set screened with the evaluation's own functions, without the slow naive
baseline: the figures the README's per-algorithm rows give, and every query's outcome for reading misses.

    python -m benchmarks.screening_eval.split_run dev out.json [--kinds chinese,romanisation]

Tune on ``dev`` only; ``test`` is run once, when the tuning is over. ``out.json`` holds the
``evaluate.report`` of the split (plus the CPU seconds taken) and one row per query: its kind, name,
whether it was answered right (a positive found as a match of the right party; a negative not a match),
and the best hit's name, score and band.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.screening_eval import generate as gen
from benchmarks.screening_eval import real_variants as real
from benchmarks.screening_eval.evaluate import default_screener, report, screen_earcheck
from benchmarks.screening_eval.parties import SPLITS, Parties, load_csl, shared_data

CLEAN = ("clean_person", "clean_organisation")
HARD = ("hard_distinctive", "hard_namesake")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", choices=SPLITS)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kinds", default="", help="comma-separated kinds to screen (default: all)")
    args = parser.parse_args(argv)
    data = shared_data()
    csl = load_csl(data)
    queries = gen.generate(gen.SEED, gen.Sizes(), Parties.of(csl)).split(args.split)
    if args.kinds:
        queries = [q for q in queries if q.kind in set(args.kinds.split(","))]
    started = time.process_time()
    outcomes, _ = screen_earcheck(default_screener(csl), queries, real.as_of(data)[0])
    result = report(queries, outcomes, clean_kinds=CLEAN, hard_kinds=HARD)
    result["cpu_seconds"] = round(time.process_time() - started, 1)
    names = {e.list_id: e.name for e in csl}
    rows = [
        {
            "qid": q.qid,
            "kind": q.kind,
            "subkind": q.subkind,
            "name": q.name,
            "right": (o.best_band == "match" and o.best_id in q.expected_ids)
            if q.expected_ids
            else o.best_band != "match",
            "best": names.get(o.best_id or ""),
            "score": round(o.best_score, 3),
            "band": o.best_band,
        }
        for q, o in zip(queries, outcomes, strict=True)
    ]
    args.out.write_text(json.dumps({"report": result, "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
