"""The speed-ups of screening change no result: the join filter never drops a pairing that could
reach the join floor, and what a screener keeps between screenings never leaks into another name's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from earcheck.screening.algorithms import NAME_V1, NAME_V2
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.scoring import join_filter, word_credit
from earcheck.screening.screener import Screener

from .conftest import LIST

ROMANISATION = load_lexicon("v2").romanisation
JOINABLE = join_filter(NAME_V2, ROMANISATION)
letters = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=16)
# Pinyin, Wade-Giles, Cyrillic and Arabic spellings, so that the romanisation keys are often shared.
pieces = st.sampled_from(
    ["pao", "bao", "tou", "hsi", "xi", "an", "chung", "zhong", "kuo", "guo", "dmitr", "ii", "iy", "y", "hus",
     "sayn", "sein", "mohamm", "muhamm", "ed", "ad", "ov", "off", "ich", "ovich", "al", "abdul", "abd", "ullah"]
)  # fmt: skip
syllables = st.lists(pieces, min_size=1, max_size=5).map("".join)
words = letters | syllables


@settings(max_examples=3000, deadline=None)
@given(words, words)
def test_a_pair_the_join_filter_drops_is_below_the_join_floor(a: str, b: str) -> None:
    assert JOINABLE is not None
    if not JOINABLE(a, b):
        assert word_credit(a, b, NAME_V2, ROMANISATION) < NAME_V2.join_floor


def test_the_join_filter_keeps_pairs_a_table_or_a_spelling_joins() -> None:
    assert JOINABLE is not None
    # "paotou" and "baotou": Wade-Giles and pinyin of one name, lengths equal; "hsian" / "xian": one
    # Wade-Giles syllable in pinyin, lengths apart; one letter missing of ten.
    for a, b in (("paotou", "baotou"), ("hsian", "xian"), ("huaweitech", "huaweitec"), ("same", "same")):
        assert word_credit(a, b, NAME_V2, ROMANISATION) >= NAME_V2.join_floor
        assert JOINABLE(a, b)
    assert not JOINABLE("johnsmith", "smith")


def test_without_romanisation_the_filter_reads_spelling_alone() -> None:
    joinable = join_filter(NAME_V1, None)
    assert joinable is not None
    assert not joinable("paotou", "pao")
    assert word_credit("paotou", "pao", NAME_V1) < NAME_V1.join_floor


NAMES = [
    "Huawei Technologies Co Ltd", "Huawie Technologies", "Hua Wei Technologies", "John Smith",
    "Pao-tou Steel", "Acme Trading LLC", "Rosoboronexport", "Rosoboron Export", "Mohammed Hussein",
]  # fmt: skip


def test_what_a_screener_keeps_between_names_changes_no_result() -> None:
    # One screener, names in one order and then in the reverse order, against a fresh screener for each
    # name: every hit, score and explanation the same.
    kept = Screener.build(LIST)
    first = {name: kept.match(name) for name in NAMES}
    again = {name: kept.match(name) for name in reversed(NAMES)}
    for name in NAMES:
        fresh = Screener.build(LIST).match(name)
        assert first[name] == fresh
        assert again[name] == fresh
