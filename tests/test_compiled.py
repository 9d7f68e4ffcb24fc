"""Compiled tables (``earcheck.compiled``): kept only where a face allows, named by what made them,
and rebuilt rather than trusted when damaged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from earcheck import compiled
from earcheck.regulations import entity_list


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    compiled.keep_in(tmp_path / "compiled")
    yield tmp_path / "compiled"
    compiled.keep_in(None)


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


def test_nothing_is_kept_unless_a_face_allows(tmp_path: Path) -> None:
    calls, build = _counting({"a": 1})
    assert compiled.compiled("t", (b"x",), (__name__,), build) == {"a": 1}
    assert compiled.compiled("t", (b"x",), (__name__,), build) == {"a": 1}
    assert len(calls) == 2
    assert not list(tmp_path.rglob("*.pickle"))


def test_kept_once_and_read_back(folder: Path) -> None:
    calls, build = _counting(("a", 1))
    assert compiled.compiled("t", (b"x",), (__name__,), build) == ("a", 1)
    assert compiled.compiled("t", (b"x",), (__name__,), build) == ("a", 1)
    assert len(calls) == 1
    # Another source text is another table.
    assert compiled.compiled("t", (b"y",), (__name__,), lambda: "other") == "other"
    assert len(list(folder.glob("t-*.pickle"))) == 2


def test_a_damaged_file_is_rebuilt(folder: Path) -> None:
    compiled.compiled("t", (b"x",), (__name__,), lambda: [1, 2, 3])
    (kept,) = folder.glob("t-*.pickle")
    kept.write_bytes(b"not a pickle")
    calls, build = _counting([1, 2, 3])
    assert compiled.compiled("t", (b"x",), (__name__,), build) == [1, 2, 3]
    assert calls == [1]
    assert compiled.compiled("t", (b"x",), (__name__,), build) == [1, 2, 3]
    assert calls == [1]


def test_an_error_is_not_kept(folder: Path) -> None:
    def broken() -> object:
        raise ValueError("bad table")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad table"):
            compiled.compiled("t", (b"x",), (__name__,), broken)
    assert not list(folder.glob("*.pickle"))


def test_the_entity_list_facts_read_back_equal(folder: Path) -> None:
    entity_list.entity_list_data.cache_clear()
    try:
        first = entity_list.entity_list_data()
        entity_list.entity_list_data.cache_clear()
        second = entity_list.entity_list_data()  # read from the folder
        assert list(folder.glob("rules-entity_list.yaml-*.pickle"))
        assert second == first
        assert second is not first
        assert second.families[0].entries[0].id == first.families[0].entries[0].id
    finally:
        entity_list.entity_list_data.cache_clear()
        entity_list._dated_entries.cache_clear()
