"""The score ceiling (``Screener._ceiling``) bounds every score, and passing over the listed names whose
ceiling is below the review threshold changes no result.

Each test runs the screener's own scoring (``Screener._raw_score``, where every rule that changes a score
lives) on every candidate the index finds, without the floor and the limit, so a rule added there later
is covered without being named here. The names screened are listed names as written and changed (a
typo, a word dropped, two words joined, a word added, the words reversed), invented names, with and
without a country and an address, over the small test list and over the real Consolidated Screening
List.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earcheck.screening.chinese import person_shaped
from earcheck.screening.lexicon import GENERIC
from earcheck.screening.normalise import screened_forms
from earcheck.screening.scoring import address_words, coverage
from earcheck.screening.screener import Screener, ScreeningConfig, _unromanised
from earcheck.sources import csl

from .conftest import LIST

COUNTRIES = (None, "CN", "RU", "DE", "IR", "US", "HK")
ADDRESSES = (None, "Hauptstrasse 5, 10115 Berlin", "1 Main Street, Springfield")


def _changed(name: str, how: int, rng: random.Random) -> str:
    words = name.split()
    if how == 1 and words:  # a typo in one word
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 2:
            j = rng.randrange(len(word))
            words[i] = word[:j] + rng.choice("aeioukstr") + word[j + 1 :]
    elif how == 2 and len(words) > 1:  # a word dropped
        del words[rng.randrange(len(words))]
    elif how == 3 and len(words) > 1:  # two words written together
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [words[i] + words[i + 1]]
    elif how == 4:  # a word added
        words.insert(rng.randrange(len(words) + 1), rng.choice(["Trading", "Group", "Ltd", "Zhongxin", "Petrov"]))
    elif how == 5:
        words.reverse()
    return " ".join(words)


def _ceiling_holds(screener: Screener, name: str, country: str | None, address: str | None) -> int:
    """Check every candidate of every form of ``name``; how many were checked."""
    algo, index = screener.algorithm, screener.index
    given_address = address_words(address) if address else frozenset()
    forms = screened_forms(name, screener._lexicon, algo.parenthesis_penalty, unverified=algo.unverified_name_cost)
    checked = 0
    for form, cost in forms or ((name, 0.0),):
        query = index.query(form, screener._lexicon, algo)
        organisation = (bool(query.name.legal) or GENERIC in query.name.kinds) if screener._typed else None
        unromanised = algo.simplify_han and _unromanised(form)
        person = unromanised and person_shaped(form, screener._lexicon)
        found = index.candidates(query, algo, 0.0, 10_000) + index.acronym_candidates(form, algo, 10_000)
        for candidate in found:
            known = screener._known_evidence(query, candidate.name_id, country, given_address, organisation)
            raw, _ = screener._raw_score(candidate, query, form, cost, known, unromanised, person)
            score = round(min(1.0, max(0.0, raw)), 4)
            ceiling = screener._ceiling(candidate.name_score, known, candidate.name_id, cost)
            assert score <= ceiling, (name, form, candidate.listed, score, ceiling)
            checked += 1
    return checked


class _Unpruned(Screener):
    """The same scoring with no ceiling asked: every rule worked out for every scored name."""

    def _ceiling(self, name_bound: float, evidence: Mapping[str, float], name_id: int, cost: float) -> float:
        return 1.0


def _unpruned(screener: Screener) -> Screener:
    return _Unpruned(screener.index, screener.entries, config=screener.config)


SMALL = Screener.build(LIST)
SMALL_PLAIN = _unpruned(SMALL)
SMALL_NAMES = [n for e in LIST for n in e.names]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SMALL_NAMES) | st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz -"), max_size=30),
    st.integers(0, 5),
    st.randoms(use_true_random=False),
    st.sampled_from(COUNTRIES),
    st.sampled_from(ADDRESSES),
)
def test_no_score_exceeds_its_ceiling_on_the_test_list(
    listed: str, how: int, rng: random.Random, country: str | None, address: str | None
) -> None:
    name = _changed(listed, how, rng)
    _ceiling_holds(SMALL, name, country, address)
    assert SMALL.match(name, country, address=address) == SMALL_PLAIN.match(name, country, address=address)


def test_the_ceiling_is_the_score_where_nothing_is_left_unknown() -> None:
    # A listed name as written (name score 1, the bound 1) with a country that agrees and one that does
    # not: the score is the ceiling itself, so a ceiling lowered by anything would fall below it. The
    # other_words evidence (unknown before scoring) is 0 here and counted at most 0 since its weight
    # only lowers a score.
    screener = SMALL
    for name, country in (("Zorbatron Industries GmbH", "DE"), ("Zorbatron Industries GmbH", "FR")):
        query = screener.index.query(name, screener._lexicon, screener.algorithm)
        (candidate, *_) = screener.index.candidates(query, screener.algorithm, 0.0, 50)
        assert candidate.listed == name
        assert candidate.name_score == 1.0
        known = screener._known_evidence(query, candidate.name_id, country, frozenset(), True)
        raw, _ = screener._raw_score(candidate, query, name, 0.0, known, False, False)
        ceiling = screener._ceiling(candidate.name_score, known, candidate.name_id, 0.0)
        assert ceiling == round(min(1.0, max(0.0, raw)), 4)
    [german, french] = [screener.match("Zorbatron Industries GmbH", c)[0].score for c in ("DE", "FR")]
    assert german == 1.0
    assert french < 1.0  # the country evidence is counted in the ceiling: the score is not 1 here


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[Screener, Screener, list[str]]:
    entries = list(csl.parse(shared_data / "csl" / "consolidated.csv", as_of=date(2026, 7, 31)))
    screener = Screener.build(entries, config=ScreeningConfig())
    return screener, _unpruned(screener), [n for e in entries for n in e.names]


@pytest.mark.shared_data
@pytest.mark.slow
def test_no_score_exceeds_its_ceiling_on_the_real_lists(real: tuple[Screener, Screener, list[str]]) -> None:
    screener, plain, names = real

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        st.sampled_from(names),
        st.integers(0, 5),
        st.randoms(use_true_random=False),
        st.sampled_from(COUNTRIES),
    )
    def check(listed: str, how: int, rng: random.Random, country: str | None) -> None:
        name = _changed(listed, how, rng)
        _ceiling_holds(screener, name, country, None)
        assert screener.match(name, country) == plain.match(name, country)

    check()


@pytest.mark.shared_data
@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="index.candidates' name bound misses pairs two or three edits apart")
@pytest.mark.parametrize(
    ("screened", "listed"),
    [
        # What ``benchmarks.screening_same`` showed when the ceiling was tried on that bound before
        # scoring (10 of 12,041 names changed): real listed names whose name score is above the
        # bound ``index.bounds`` gives them.
        ("COMPANY INGOSSTRAKH INSURANCE", "ROSGOSSTRAKH INSURANCE COMPANY GROUP"),
        ("SOLOJENTSEVA, Natalia Vladimirovna", "SOLOZHENTSEVA, Natalia Vladimirovna"),
    ],
)
def test_the_name_bound_is_not_yet_a_bound(
    real: tuple[Screener, Screener, list[str]], screened: str, listed: str
) -> None:
    # Until the lookups reach every pair ``coverage`` credits, the bound of ``index.candidates`` may be
    # below the name score, so the ceiling is applied after scoring, not before. When the bound becomes
    # one, this passes and (strict) fails: then the ceiling can pass over names before ``coverage``.
    screener = real[0]
    algo, index = screener.algorithm, screener.index
    query = index.query(screened, screener._lexicon, algo)
    floor = screener.config.review_threshold - algo.max_bonus
    [name_id] = [i for i, record in enumerate(index.names) if record.listed == listed and record.cost == 0][:1]
    record = index.names[name_id]
    strict = index.name_strict[name_id]
    cover = coverage(
        query.name.words,
        query.raw_weights if strict else query.weights,
        query.name.weak,
        record.words,
        record.weights,
        record.weak,
        index._similarity(algo),
        algo,
    )
    score = cover.entry ** algo.feature("entry_coverage").weight * cover.query ** algo.feature("query_coverage").weight
    assert score >= floor
    bound = {name_id: bound for bound, _, name_id in index.bounds(query, algo, 0.0)}.get(name_id, 0.0)
    assert bound >= score - 1e-9
