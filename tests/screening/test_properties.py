"""Properties that hold for any input."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.normalise import normalise
from earcheck.screening.screener import Screener, ScreeningConfig

from .conftest import LIST, entry

LEXICON = load_lexicon("v1")
SCREENER = Screener.build(LIST, config=ScreeningConfig(review_threshold=0.0, match_threshold=0.5))
names = st.text(st.characters(codec="utf-8"), max_size=60) | st.text(
    st.sampled_from("abcdefghij klmnop,.-&'()华为技术有限公司ООО"), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(names)
def test_scores_are_in_the_unit_interval_and_nothing_raises(name: str) -> None:
    for hit in SCREENER.screen(name, "CN", date(2026, 8, 1)):
        assert 0.0 <= hit.score <= 1.0
        assert all(-1.0 <= value <= 1.0 for value in hit.explanation.values())


@settings(max_examples=100, deadline=None)
@given(names)
def test_a_listed_name_screened_as_written_scores_1(name: str) -> None:
    if normalise(name, LEXICON).empty:
        return
    listed = entry(name, list_id="target")
    screener = Screener.build([*LIST, listed])
    matches = screener.match(name)
    assert matches
    assert matches[0].score == 1.0
    assert "target" in {m.entry.list_id for m in matches if m.score == 1.0}


@settings(max_examples=100, deadline=None)
@given(names)
def test_normalising_never_raises(name: str) -> None:
    result = normalise(name, LEXICON, known={"huawei"})
    assert len(result.words) == len(result.kinds)
