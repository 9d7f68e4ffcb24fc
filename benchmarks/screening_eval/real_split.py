"""The real-variant sets on one split, with each miss listed: what tuning on ``dev`` looks at.

    python -m benchmarks.screening_eval.real_split --split dev [--misses misses.tsv] [--algorithm name-v5]

The same queries as ``bench_screening_eval`` (``real_variants.hold_out`` over the CSL with
``HELD_OUT`` entries, the SDN.CSV 2024 a.k.a.s and the 2021->2024 renames), kept to the queries whose
entry's party falls on ``--split`` (``parties.split_of``), screened by ``screen_earcheck`` and scored by
``report``: recall at the match band with the best hit the right party, and the right party among the
hits of either band. Queries whose name another entry still carries (``twin``/``shared``) are left out,
as the benchmark leaves them out. No naive baseline here: it is the benchmark's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_screening_eval import HELD_OUT, HELD_OUT_SDN
from benchmarks.screening_eval import real_variants as real
from benchmarks.screening_eval.evaluate import Outcome, report, screen_earcheck
from benchmarks.screening_eval.parties import SPLITS, Parties, load_csl, shared_data
from earcheck.lists import ListEntry
from earcheck.screening import Screener, ScreeningConfig


def _on_split(entries: Sequence[ListEntry], queries: Sequence[real.HeldOut], split: str) -> list[real.HeldOut]:
    parties = Parties.of(entries)
    return [q for q in queries if not q.note and parties.split(sorted(q.expected_ids)[0]) == split]


def _measure(
    label: str,
    entries: Sequence[ListEntry],
    queries: Sequence[real.HeldOut],
    as_of: date,
    misses: list[str],
    config: ScreeningConfig,
) -> dict[str, Any]:
    screener = Screener.build(entries, config=config)
    variants = [q for q in queries if q.kind.startswith("variant")]
    outcomes, _ = screen_earcheck(screener, variants, as_of)
    names = {e.list_id: e.name for e in entries}
    for query, outcome in zip(variants, outcomes, strict=True):
        if not _found(query, outcome):
            misses.append(_miss(label, query, outcome, names))
    others = [q for q in queries if not q.kind.startswith("variant")]
    other_outcomes, _ = screen_earcheck(screener, others, as_of)
    return {
        "variants": report(variants, outcomes, clean_kinds=(), hard_kinds=()),
        "other_classes": report(others, other_outcomes, clean_kinds=(), hard_kinds=()),
    }


def _found(query: real.HeldOut, outcome: Outcome) -> bool:
    return outcome.best_band == "match" and outcome.best_id in query.expected_ids


def _miss(label: str, query: real.HeldOut, outcome: Outcome, names: dict[str, str]) -> str:
    best = names.get(outcome.best_id or "", "")
    right = "right" if outcome.best_id in query.expected_ids else ("none" if outcome.best_id is None else "wrong")
    anywhere = "in-hits" if outcome.right_ids else "absent"
    fields = [label, query.kind, query.name, query.against, best, f"{outcome.best_score:.3f}"]
    return "\t".join([*fields, str(outcome.best_band), right, anywhere])


def run(split: str, config: ScreeningConfig) -> tuple[dict[str, Any], list[str]]:
    data = shared_data()
    csl = load_csl(data)
    csl_day, sdn_day = real.as_of(data)
    misses: list[str] = []
    reduced, held = real.hold_out(csl, "csl", HELD_OUT)
    result = {"csl": _measure("csl", reduced, _on_split(reduced, held, split), csl_day, misses, config)}
    sdn = real.sdn_queries(data, csl, HELD_OUT_SDN)
    queries = _on_split(sdn.index, [*sdn.held_out, *sdn.renamed], split)
    result["sdn_2024"] = _measure("sdn", sdn.index, queries, sdn_day, misses, config)
    return result, misses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, required=True)
    parser.add_argument("--misses", type=Path, help="write the variant-class misses here (TSV)")
    parser.add_argument("--algorithm", default=ScreeningConfig().algorithm, help="the released algorithm")
    args = parser.parse_args(argv)
    result, misses = run(args.split, ScreeningConfig(algorithm=args.algorithm))
    json.dump(result, sys.stdout, indent=1)
    print()
    if args.misses:
        header = "set\tclass\tquery\tagainst\tbest hit\tscore\tband\tbest is\tright party"
        args.misses.write_text("\n".join([header, *misses]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
