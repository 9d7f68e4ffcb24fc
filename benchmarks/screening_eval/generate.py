"""The labelled synthetic set: positives of every variant kind and negatives, split dev/test by party.

    python -m benchmarks.screening_eval.generate --split dev --out dev.csv    # what tuning may see
    python -m benchmarks.screening_eval.generate --check                     # hashes against the manifest

The set is built at run time from ``../shared/data`` (the lists) and the outside name sources (see
``negatives``), with a fixed seed: nothing generated is committed. ``manifest.json`` records, per split,
the number of queries of each kind and the SHA-256 of the generated rows, so that a change in the data,
the rules or the seed is seen (``--check``, and the benchmark report says whether the hashes match).

The split is by party (``parties.split_of``), decided before any variant is drawn: ``dev`` is for tuning,
``test`` is reported and must never be tuned on.

Each query is drawn with its own ``Random`` seeded by (seed, kind, party), so adding a rule or changing
one kind's count never changes the queries of another kind.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from benchmarks.screening_eval import negatives, variants
from benchmarks.screening_eval.fold import LEGAL_FORM_WORDS, STOP_WORDS, fold
from benchmarks.screening_eval.parties import SPLITS, Parties, load_csl, shared_data, split_of
from earcheck.lists import ListEntry

SEED = 20261207
MANIFEST = Path(__file__).parent / "manifest.json"
POSITIVE_KINDS = (
    "exact",
    "alias",
    "romanisation",
    "chinese",
    "parenthetical",
    "typo",
    "abbreviation",
    "legal_form",
    "reorder",
    "punctuation",
)
NEGATIVE_KINDS = ("clean_person", "clean_organisation", "hard_distinctive", "hard_namesake")


@dataclass(frozen=True, slots=True)
class Query:
    qid: str
    split: str
    kind: str  # a POSITIVE_KINDS or NEGATIVE_KINDS value
    subkind: str
    name: str
    country: str  # ISO alpha-2 or ""
    expected: str  # CSL _ids of the right party (``Parties.right_answers``), space-separated; "" for a negative
    source_id: str  # the entry a positive or a hard negative was made from; the outside id of a clean name
    # entries of other parties listed under the very name queried or varied (``Parties.listed_as``): the
    # name cannot tell them from the right party, so a hit on one of them is right too
    homonyms: str = ""

    @property
    def positive(self) -> bool:
        return bool(self.expected)

    @property
    def party_ids(self) -> frozenset[str]:
        return frozenset(self.expected.split())

    @property
    def expected_ids(self) -> frozenset[str]:
        return frozenset(self.expected.split()) | frozenset(self.homonyms.split())


@dataclass(frozen=True, slots=True)
class Sizes:
    per_kind: int = 300  # positives of each kind per split (fewer where fewer entries qualify)
    clean_per_kind: int = 1500  # clean people, clean organisations per split
    hard_distinctive: int = 300  # per split


SMOKE = Sizes(per_kind=12, clean_per_kind=40, hard_distinctive=12)


def _order(seed: int, kind: str, identity: str) -> str:
    return hashlib.sha256(f"{seed}:{kind}:{identity}".encode()).hexdigest()


def _rng(seed: int, kind: str, identity: str) -> random.Random:
    return random.Random(_order(seed, kind, identity))


def english_words(entries: Iterable[ListEntry]) -> frozenset[str]:
    """Words used in the names of entries with no Chinese address, twice or more: taken as not pinyin.

    (A word like "Mining" splits into pinyin syllables but is English; one listed in Moscow and Lagos
    is not a pinyin word.)"""
    counts: Counter[str] = Counter()
    for entry in entries:
        if "CN" in entry.countries or "TW" in entry.countries or "HK" in entry.countries:
            continue
        counts.update({w for name in entry.names for w in fold(name).split()})
    return frozenset(w for w, n in counts.items() if n >= 2)


def _rules(entries: Sequence[ListEntry]) -> dict[str, list[variants.Rule]]:
    english = english_words(entries)
    return {
        "exact": [variants.exact],
        "alias": [variants.alias],
        "romanisation": [partial(variants.wade_giles, english=english), variants.russian, variants.arabic],
        "parenthetical": [variants.parenthetical_dropped, variants.parenthetical_added],
        "typo": [variants.typo],
        "abbreviation": [variants.abbreviation],
        "legal_form": [variants.legal_form],
        "reorder": [variants.reorder],
        "punctuation": [variants.punctuation],
    }


def _positives(parties: Parties, seed: int, sizes: Sizes) -> list[Query]:
    entries = [e for e in parties.entries if variants.is_party(e)]
    found: list[Query] = []
    for kind, rules in _rules(parties.entries).items():
        for split in SPLITS:
            pool = sorted(
                (e for e in entries if parties.split(e.list_id) == split), key=lambda e: _order(seed, kind, e.list_id)
            )
            # a kind with several rules (romanisation's three families, parenthetical dropped / added) shares
            # its count evenly between them, so that no rule crowds out the others
            per_rule = [
                sizes.per_kind // len(rules) + (1 if i < sizes.per_kind % len(rules) else 0) for i in range(len(rules))
            ]
            used_parties: set[str] = set()  # one query per party and kind: no party dominates a kind
            for rule, wanted in zip(rules, per_rule, strict=True):
                taken = 0
                for entry in pool:
                    if taken >= wanted:
                        break
                    party = parties.party_of[entry.list_id]
                    if party in used_parties:
                        continue
                    variant = rule(entry, _rng(seed, kind, entry.list_id))
                    if variant is None:
                        continue
                    used_parties.add(party)
                    taken += 1
                    found.append(_query(parties, entry, variant, split))
    found.extend(_chinese(parties))
    return found


def _query(parties: Parties, entry: ListEntry, variant: variants.Variant, split: str) -> Query:
    qid = "p-" + hashlib.sha256(f"{variant.kind}:{entry.list_id}:{variant.name}".encode()).hexdigest()[:12]
    country = entry.countries[0] if len(set(entry.countries)) == 1 and int(qid[-1], 16) % 2 == 0 else ""
    party = parties.right_answers(entry.list_id)
    homonyms = parties.listed_as(variant.name, entry.name) - party
    return Query(
        qid,
        split,
        variant.kind,
        variant.subkind,
        variant.name,
        country,
        " ".join(sorted(party)),
        entry.list_id,
        " ".join(sorted(homonyms)),
    )


def chinese_rows() -> list[dict[str, str]]:
    path = Path(__file__).parent / "tables" / "chinese_names.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _chinese(parties: Parties) -> list[Query]:
    found = []
    for row in chinese_rows():
        entry = parties.by_id.get(row["list_id"])
        if entry is None:  # the entry left the lists since the table was written: reported by the tests
            continue
        variant = variants.Variant(row["chinese"], "chinese", f"{row['form']} {row['label']}")
        found.append(_query(parties, entry, variant, parties.split(entry.list_id)))
    return found


def _negatives(parties: Parties, seed: int, sizes: Sizes, positives_only: bool) -> tuple[list[Query], list[str]]:
    outside, notes = negatives.outside_names(positives_only)
    if positives_only:  # no negative of any kind: the summary says precision was not measured
        return [], notes
    listed = negatives.ListedNames(parties.entries)
    found: list[Query] = []
    dropped = Counter[str]()
    for kind, wanted in (("person", "clean_person"), ("organisation", "clean_organisation")):
        for split in SPLITS:
            pool = sorted(
                (o for o in outside if o.kind == kind and split_of(o.identity) == split),
                key=lambda o: _order(seed, wanted, o.identity),
            )
            taken = 0
            for item in pool:
                if taken >= sizes.clean_per_kind:
                    break
                if listed.listed(item.name):
                    dropped[wanted] += 1
                    continue
                taken += 1
                qid = "n-" + hashlib.sha256(f"{wanted}:{item.identity}".encode()).hexdigest()[:12]
                found.append(Query(qid, split, wanted, item.source, item.name, item.country or "", "", item.identity))
    found.extend(distinctive_negatives(parties, listed, outside, seed, sizes))
    for sake in negatives.namesakes():
        shared = shared_word(sake.name, listed)
        if listed.listed(sake.name) or not shared:
            dropped["hard_namesake"] += 1
            continue
        qid = "n-" + hashlib.sha256(f"namesake:{sake.name}".encode()).hexdigest()[:12]
        found.append(
            Query(
                qid,
                split_of("namesake:" + sake.name),
                "hard_namesake",
                f"shares '{shared}'",
                sake.name,
                sake.country or "",
                "",
                sake.name,
            )
        )
    notes.extend(f"{n} {k} candidates dropped as listed names" for k, n in sorted(dropped.items()))
    return found, notes


def shared_word(name: str, listed: negatives.ListedNames) -> str | None:
    """The rarest word (legal forms and stop words aside, three letters or more) that ``name`` shares
    with some listed name, or None: why a namesake is a hard negative."""
    frequency = listed.document_frequency
    words = [w for w in fold(name).split() if w not in LEGAL_FORM_WORDS and w not in STOP_WORDS]
    shared = [w for w in words if frequency.get(w, 0) > 0 and len(w) >= 3]
    return min(shared, key=lambda w: (frequency[w], w)) if shared else None


def distinctive_negatives(
    parties: Parties, listed: negatives.ListedNames, outside: Sequence[negatives.OutsideName], seed: int, sizes: Sizes
) -> list[Query]:
    """Per split, listed organisations' names with their distinctive word replaced by an outside word
    of about its length (``negatives.distinctive_word``, ``negatives.replacement_pool``), kept when the
    result is no listed name."""
    frequency = listed.document_frequency
    pool = negatives.replacement_pool(outside, frequency)
    if not pool:
        return []
    found = []
    organisations = [e for e in parties.entries if variants.is_organisation(e)]
    for split in SPLITS:
        ordered = sorted(
            (e for e in organisations if parties.split(e.list_id) == split),
            key=lambda e: _order(seed, "hard_distinctive", e.list_id),
        )
        taken = 0
        for entry in ordered:
            if taken >= sizes.hard_distinctive:
                break
            word = negatives.distinctive_word(entry.name, frequency)
            if word is None:
                continue
            rng = _rng(seed, "hard_distinctive", entry.list_id)
            lengths = [n for n in (len(word), len(word) + 1, len(word) - 1, len(word) + 2) if n in pool]
            if not lengths:
                continue
            new = rng.choice(pool[lengths[0]])
            new = new.upper() if word.isupper() else new
            name = entry.name.replace(word, new, 1)
            if listed.listed(name):
                continue
            taken += 1
            qid = "n-" + hashlib.sha256(f"distinctive:{entry.list_id}:{name}".encode()).hexdigest()[:12]
            found.append(Query(qid, split, "hard_distinctive", f"{word} -> {new}", name, "", "", entry.list_id))
    return found


@dataclass(frozen=True)
class Generated:
    queries: list[Query]
    notes: list[str]
    positives_only: bool = False  # no negatives: precision and false positives are not measured

    def split(self, name: str) -> list[Query]:
        return [q for q in self.queries if q.split == name]


def generate(
    seed: int = SEED, sizes: Sizes | None = None, parties: Parties | None = None, positives_only: bool | None = None
) -> Generated:
    """The whole labelled set, both splits, in a stable order. Raises ``negatives.MissingNegatives``
    when an outside name source is absent, unless ``positives_only`` (default: the
    ``EARCHECK_EVAL_POSITIVES_ONLY`` environment variable) says to leave every negative out."""
    sizes = sizes or Sizes()
    parties = parties or Parties.of(load_csl())
    if positives_only is None:
        positives_only = negatives.positives_only_requested()
    negative, notes = _negatives(parties, seed, sizes, positives_only)  # first: a missing source stops at once
    positives = _positives(parties, seed, sizes)
    queries = sorted({q.qid: q for q in positives + negative}.values(), key=lambda q: (q.split, q.kind, q.qid))
    return Generated(queries, notes, positives_only)


def digest(queries: Iterable[Query]) -> str:
    hasher = hashlib.sha256()
    for query in queries:
        hasher.update(json.dumps(asdict(query), sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
    return hasher.hexdigest()


def inputs(data: Path | None = None) -> dict[str, object]:
    """What the set was made from, so that a drift can be traced: the CSL file's hash, the outside sources."""
    csl_file = (data or shared_data()) / "csl" / "consolidated.csv"
    return {
        "csl/consolidated.csv sha256": hashlib.sha256(csl_file.read_bytes()).hexdigest(),
        "outside names": [
            {"repo": s.repo, "commit": s.commit, "licence": s.licence, "available": s.available()}
            for s in negatives.SOURCES
        ],
    }


def manifest(generated: Generated, seed: int, sizes: Sizes, data: Path | None = None) -> dict[str, object]:
    return {
        "seed": seed,
        "sizes": asdict(sizes),
        "inputs": inputs(data),
        "splits": {
            split: {
                "queries": len(generated.split(split)),
                "by_kind": dict(sorted(Counter(q.kind for q in generated.split(split)).items())),
                "sha256": digest(generated.split(split)),
            }
            for split in SPLITS
        },
        "notes": generated.notes,
    }


def drift(current: dict[str, object], path: Path = MANIFEST) -> list[str]:
    """What differs from the committed manifest ([] when the set is the one recorded)."""
    if not path.exists():
        return [f"no manifest at {path}"]
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if recorded.get("sizes") != current.get("sizes") or recorded.get("seed") != current.get("seed"):
        return ["the manifest records other sizes or another seed"]
    problems = []
    for split in SPLITS:
        then, now = recorded["splits"][split], current["splits"][split]  # type: ignore[index]
        if then["sha256"] != now["sha256"]:
            problems.append(f"{split}: generated set differs from the manifest ({then['by_kind']} -> {now['by_kind']})")
    if problems and recorded.get("inputs") != current.get("inputs"):
        problems.append(f"the inputs differ too: {recorded.get('inputs')} -> {current.get('inputs')}")
    return problems


COLUMNS = ("id", "name", "country", "kind", "subkind", "expected", "split", "homonyms")


def write_csv(queries: Iterable[Query], out: Path | None) -> None:
    stream = sys.stdout if out is None else out.open("w", encoding="utf-8", newline="")
    try:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for q in queries:
            writer.writerow((q.qid, q.name, q.country, q.kind, q.subkind, q.expected, q.split, q.homonyms))
    finally:
        if out is not None:
            stream.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.screening_eval.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--split", choices=SPLITS, help="write this split as CSV (" + ",".join(COLUMNS) + ")")
    parser.add_argument("--out", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="compare with manifest.json; exit 1 on drift")
    parser.add_argument("--write-manifest", action="store_true", help="record the current counts and hashes")
    parser.add_argument(
        "--positives-only",
        action="store_true",
        help="leave every negative out (no outside name sources needed; precision is not measured)",
    )
    args = parser.parse_args(argv)
    sizes = Sizes()
    try:
        generated = generate(args.seed, sizes, positives_only=args.positives_only or None)
    except negatives.MissingNegatives as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    if generated.positives_only and (args.write_manifest or args.check):
        print("error: the manifest records the set with its negatives; not with --positives-only", file=sys.stderr)
        return 2
    current = manifest(generated, args.seed, sizes)
    for note in generated.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.write_manifest:
        MANIFEST.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.split:
        write_csv(generated.split(args.split), args.out)
    if args.check:
        problems = drift(current)
        for problem in problems:
            print(f"drift: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
