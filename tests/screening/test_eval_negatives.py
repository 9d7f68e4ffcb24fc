"""The evaluation refuses to run without its outside negatives unless told to measure positives only.

Without the negatives, precision and false positives per 1,000 cannot be measured; before this, the
missing sources were dropped with a note and the report still printed a precision (over positives
alone), which read like a measured one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.screening_eval import negatives


def test_a_missing_source_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(negatives, "MIRRORS", tmp_path)
    monkeypatch.delenv(negatives.POSITIVES_ONLY_ENV, raising=False)
    with pytest.raises(negatives.MissingNegatives) as raised:
        negatives.outside_names()
    message = str(raised.value)
    for source in negatives.SOURCES:
        assert source.repo in message
        assert f"github:{source.repo}" in message  # how to fetch it
        assert str(tmp_path / source.repo.replace("/", "+") / "repo") in message
    assert negatives.POSITIVES_ONLY_ENV in message  # and how to say "positives only"


def test_a_mirror_without_the_pinned_commit_counts_as_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(negatives, "MIRRORS", tmp_path)
    (tmp_path / "openfootball+worldcup" / "repo").mkdir(parents=True)  # a directory, but no such commit
    assert not negatives.WORLDCUP.available()


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_positives_only_reads_no_source_and_says_so(how: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(negatives, "MIRRORS", tmp_path)
    if how == "environment":
        monkeypatch.setenv(negatives.POSITIVES_ONLY_ENV, "1")
        names, notes = negatives.outside_names()
    else:
        monkeypatch.delenv(negatives.POSITIVES_ONLY_ENV, raising=False)
        names, notes = negatives.outside_names(positives_only=True)
    assert names == []
    assert any("positives only" in note for note in notes)


def test_an_explicit_false_overrides_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(negatives, "MIRRORS", tmp_path)
    monkeypatch.setenv(negatives.POSITIVES_ONLY_ENV, "1")
    with pytest.raises(negatives.MissingNegatives):
        negatives.outside_names(positives_only=False)
