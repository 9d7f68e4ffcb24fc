"""The evaluation's generator: deterministic, split by party, its curated tables still joined to the lists."""

from __future__ import annotations

from collections import Counter

import pytest
from benchmarks.screening_eval import generate as gen
from benchmarks.screening_eval import negatives
from benchmarks.screening_eval.parties import SPLITS, Parties, load_csl, split_of

from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def parties() -> Parties:
    if not (SHARED_DATA / "csl" / "consolidated.csv").exists():
        pytest.skip("../shared/data is not here")
    return Parties.of(load_csl(SHARED_DATA))


@pytest.fixture(scope="module")
def smoke(parties: Parties) -> gen.Generated:
    fetched = all(source.available() for source in negatives.SOURCES)
    return gen.generate(gen.SEED, gen.SMOKE, parties, positives_only=not fetched)


def test_same_seed_same_set(parties: Parties, smoke: gen.Generated) -> None:
    again = gen.generate(gen.SEED, gen.SMOKE, parties, positives_only=smoke.positives_only)
    for split in SPLITS:
        assert gen.digest(again.split(split)) == gen.digest(smoke.split(split))


def test_another_seed_another_set(parties: Parties, smoke: gen.Generated) -> None:
    other = gen.generate(gen.SEED + 1, gen.SMOKE, parties, positives_only=smoke.positives_only)
    assert gen.digest(other.split("dev")) != gen.digest(smoke.split("dev"))


def test_split_is_disjoint_by_party(parties: Parties, smoke: gen.Generated) -> None:
    made_from = [q for q in smoke.queries if q.source_id in parties.by_id]
    assert made_from
    side: dict[str, set[str]] = {}
    for query in made_from:
        side.setdefault(parties.party_of[query.source_id], set()).add(query.split)
        assert query.split == parties.split(query.source_id)
    assert all(len(splits) == 1 for splits in side.values())
    for query in smoke.queries:
        if query.expected:  # the right party lies on the query's own side (homonyms may not)
            assert {parties.split(i) for i in query.party_ids} == {query.split}


def test_split_by_entry_hash_is_balanced(parties: Parties) -> None:
    counts = Counter(split_of(party) for party in parties.members)
    assert abs(counts["dev"] - counts["test"]) < 0.05 * len(parties.members)


def test_one_party_one_side_even_across_lists(parties: Parties) -> None:
    # Hikvision is on the Entity List and on the CMIC list: one party, so one side of the split
    hikvision = [e.list_id for e in parties.entries if e.name == "Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert len(hikvision) == 2
    assert parties.party_of[hikvision[0]] == parties.party_of[hikvision[1]]


def test_chinese_table_rows_name_their_listed_entry(parties: Parties) -> None:
    rows = gen.chinese_rows()
    assert rows
    for row in rows:
        entry = parties.by_id.get(row["list_id"])
        assert entry is not None, f"{row['list_id']} ({row['listed_name']}) has left the lists"
        assert entry.name == row["listed_name"]
        assert row["label"] in ("OWN", "REG", "PRESS", "PRESS-PY")


def test_every_kind_is_generated(smoke: gen.Generated) -> None:
    kinds = {q.kind for q in smoke.queries}
    assert set(gen.POSITIVE_KINDS) <= kinds
    if all(source.available() for source in negatives.SOURCES):
        assert set(gen.NEGATIVE_KINDS) <= kinds


def test_negatives_are_not_listed(parties: Parties, smoke: gen.Generated) -> None:
    listed = negatives.ListedNames(parties.entries)
    for query in smoke.queries:
        if not query.expected:
            assert not listed.listed(query.name), query


def test_committed_manifest_matches_the_generated_set(parties: Parties) -> None:
    if not all(source.available() for source in negatives.SOURCES):
        pytest.skip("the outside name sources are not fetched here")
    generated = gen.generate(gen.SEED, gen.Sizes(), parties)
    assert gen.drift(gen.manifest(generated, gen.SEED, gen.Sizes(), SHARED_DATA)) == []
