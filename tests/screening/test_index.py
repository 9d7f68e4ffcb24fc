from __future__ import annotations

from pathlib import Path

from earcheck.screening.index import NameIndex, index_key, index_path, load_or_build
from earcheck.screening.screener import Screener, ScreeningConfig

from .conftest import LIST, entry


def test_saved_and_loaded_index_answers_the_same(tmp_path: Path) -> None:
    built, entries = load_or_build(tmp_path, LIST, "name-v1", ("s1",))
    path = index_path(tmp_path, ("s1",), "name-v1")
    assert path.is_file()
    loaded = NameIndex.load(path)
    assert loaded is not None
    assert loaded.size == built.size
    again, ordered = load_or_build(tmp_path, list(reversed(LIST)), "name-v1", ("s1",))
    assert ordered == list(LIST)  # entries come back in the index's order, whatever order they came in
    v1 = ScreeningConfig(algorithm="name-v1")
    fresh = Screener(built, entries, config=v1)
    cached = Screener(again, ordered, config=v1)
    for name in ("Huawei Technologies", "SMIC", "Qi Gao", "華為技術有限公司"):
        assert [(m.entry.list_id, m.score) for m in fresh.match(name)] == [
            (m.entry.list_id, m.score) for m in cached.match(name)
        ]


def test_a_damaged_or_stale_index_is_rebuilt(tmp_path: Path) -> None:
    load_or_build(tmp_path, LIST, "name-v1", ("s1",))
    path = index_path(tmp_path, ("s1",), "name-v1")
    path.write_bytes(b"not an index")
    assert NameIndex.load(path) is None
    index, _ = load_or_build(tmp_path, LIST, "name-v1", ("s1",))
    assert index.size > 0
    assert NameIndex.load(path) is not None
    # Entries the index does not know (a changed snapshot under the same id) rebuild it too.
    changed = [*LIST, entry("Brand New Entity Ltd")]
    index, ordered = load_or_build(tmp_path, changed, "name-v1", ("s1",))
    assert len(ordered) == len(changed) == len(index.entry_keys)


def test_the_key_follows_snapshots_and_algorithm() -> None:
    assert index_key(("a", "b"), "name-v1") == index_key(("b", "a"), "name-v1")
    assert index_key(("a",), "name-v1") != index_key(("b",), "name-v1")


def test_missing_file_loads_as_none(tmp_path: Path) -> None:
    assert NameIndex.load(tmp_path / "absent.pack") is None


def test_blocking_finds_typos_spacing_and_sound(tmp_path: Path) -> None:
    screener = Screener.build(
        [entry("Mohammed Al Rashid Trading"), entry("Huawei Technologies"), entry("Zhongke Shuguang")]
    )
    assert screener.match("Muhammad Al Rashid Trading")[0].entry.name == "Mohammed Al Rashid Trading"
    assert screener.match("Huawai Technologies")[0].entry.name == "Huawei Technologies"
    assert screener.match("Zhong Ke Shu Guang")[0].entry.name == "Zhongke Shuguang"
    assert screener.match("ZhongkeShuguang")[0].entry.name == "Zhongke Shuguang"
