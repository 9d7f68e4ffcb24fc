"""name-v5's consonant skeletons (``earcheck.screening.skeleton``): pairs that romanisation systems
spell apart, read from the systems' own conventions, not from the matcher:

- BGN/PCGN Persian writes qaf and ghayn alike as "gh" (Persian pronounces them alike), BGN/PCGN Arabic
  writes qaf "q": "MOQADDAM" and "MOGHADDAM" are one surname.
- tha is "th" in Arabic romanisations and "s" in Persian ones (ALA-LC Persian), waw "w" and "v":
  "THARWAT" (Arabic) and "SARVAT" (Persian) are one word.
- dhal is "dh" or "d" (or "z" in Persian): "RIDHWAN" and "RADWAN"; the final ta marbuta is written
  "-ah" or "-a": "ZUBAYDAH" and "ZUBAIDA".
"""

from __future__ import annotations

import pytest

from earcheck.errors import DataError
from earcheck.screening.algorithms import algorithm
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.romanisation import for_algorithm
from earcheck.screening.scoring import word_credit
from earcheck.screening.skeleton import load_skeletons, parse_skeletons

BEFORE, SKELETONS = algorithm("name-v4"), algorithm("name-v5")


@pytest.mark.parametrize(
    ("a", "b"),
    [("moqaddam", "moghaddam"), ("tharwat", "sarvat"), ("ridhwan", "radwan"), ("zubaydah", "zubaida")],
)
def test_one_name_in_two_systems_shares_a_skeleton(a: str, b: str) -> None:
    table = load_skeletons("v1")
    assert set(table.keys(a)) & set(table.keys(b))


def test_digraphs_are_read_before_their_letters() -> None:
    # "gh" is one consonant (ghayn), not g then h; "kh" likewise (kha).
    assert load_skeletons("v1").keys("ghalib") == ("sk:GLB",)
    assert load_skeletons("v1").keys("khalid") == ("sk:HLD",)


def test_words_too_short_or_not_letters_have_no_skeleton() -> None:
    table = load_skeletons("v1")
    assert table.keys("ali") == ()  # two symbols: shared by chance by too many words
    assert table.keys("sky17") == ()


def test_name_v4_credits_the_skeleton_and_name_v3_does_not() -> None:
    tables = load_lexicon("v2").romanisation
    v3, v4 = for_algorithm(tables, BEFORE), for_algorithm(tables, SKELETONS)
    assert word_credit("tharwat", "sarvat", BEFORE, v3) == 0.0
    assert word_credit("tharwat", "sarvat", SKELETONS, v4) == pytest.approx(SKELETONS.loose_similarity)
    assert v3 is tables  # name-v3 keeps its tables (and their key cache) unchanged


def test_a_shared_skeleton_with_far_spellings_is_chance() -> None:
    # "Sitime" (a company) and "System" share S-T-M; their spellings are far apart: no credit.
    v4 = for_algorithm(load_lexicon("v2").romanisation, SKELETONS)
    assert word_credit("sitime", "system", SKELETONS, v4) < SKELETONS.loose_similarity


def test_a_malformed_table_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="letters"):
        parse_skeletons({"vowels": "aeiou"})
    with pytest.raises(DataError, match="vowels"):
        parse_skeletons({"letters": {"b": ["B"], "a": ["A"]}, "vowels": "a"})
