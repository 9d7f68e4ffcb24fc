"""Do two versions of the matcher give the same results? For changes meant only to make screening
faster: every hit (entry, matched name, score, band, explanation, variants) of every name of the
evaluation's ``dev`` split, of the throughput benchmark's labelled queries (its positives, hard and clean
negatives) and of the throughput run's generated names, up to ``--sample`` names besides the split
(default 3,000), written by one version and compared by the other.

    python -m benchmarks.screening_same --write before.jsonl     # on the version before the change
    python -m benchmarks.screening_same --compare before.jsonl   # after it: exits 1 on any difference

``--home DIR`` keeps the index built over the CSL there between the two runs (default: a temporary
folder, built each time). ``--compiled DIR`` reads (or writes) the compiled word tables there, as the
CLI does (``earcheck.compiled``): with a folder an earlier run wrote, the matcher runs on the tables
read back from it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.bench_screening import SEED, SHARED, Lists, labelled_set, million_names
from benchmarks.screening_eval import generate as gen
from earcheck import compiled
from earcheck.screening.screener import Screener, ScreeningConfig

SAMPLE = 3000


def _names(sample: int) -> Iterator[tuple[str, str | None]]:
    for query in gen.generate().split("dev"):
        yield query.name, query.country or None
    # The throughput benchmark's labelled set (as ``bench_screening.run`` draws it), then its
    # generated names: most of a real batch is names on no list, whose cheap path matters most.
    labelled = [q.text for q in labelled_set(Lists.read(SHARED / "csl" / "consolidated.csv"), 600, 4600, SEED)]
    taken = labelled[: sample // 2]
    for name in taken:
        yield name, None
    for name in million_names(sample - len(taken), SEED, ()):
        yield name, None


def results(home: Path, sample: int = SAMPLE) -> Iterator[str]:
    entries = gen.load_csl()
    screener = Screener.load(home, entries, config=ScreeningConfig()).in_memory()
    for name, country in _names(sample):
        hits = [
            [m.entry.list_id, m.matched_name, m.score, m.band.value, dict(m.explanation), list(m.variants)]
            for m in screener.match(name, country)
        ]
        yield json.dumps([name, country, hits], ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening_same")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path)
    action.add_argument("--compare", type=Path)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--compiled", type=Path)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="names besides the dev split")
    args = parser.parse_args()
    if args.compiled:
        compiled.keep_in(args.compiled)
    with tempfile.TemporaryDirectory() as scratch:
        lines = results(args.home or Path(scratch), args.sample)
        if args.write:
            with args.write.open("w", encoding="utf-8") as out:
                count = sum(out.write(line + "\n") > 0 for line in lines)
            print(f"{count} names written to {args.write}")
            return 0
        with args.compare.open(encoding="utf-8") as before:
            expected = [line.rstrip("\n") for line in before]
        got = list(lines)
    differ = [i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b]
    if len(expected) != len(got):
        print(f"{len(expected)} names before, {len(got)} now")
        return 1
    for i in differ[:10]:
        print(f"differs: {expected[i]}\n    now: {got[i]}")
    print(f"{len(got)} names compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
