"""The catalogue of list periods that lets ``earcheck screen`` answer one name without the store.

Its answers must be the store's answers, and it must step aside whenever it could be out of date:
a snapshot imported or retired since it was written (by any means, not only the CLI), another
database, a missing pack."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from earcheck.screening.screener import ScreeningConfig
from earcheck.screening.snapshots import (
    _stored_state,
    cached_screener,
    catalogue_path,
    prepare_periods,
    screener_for,
    snapshot_state,
)
from earcheck.settings import Settings
from earcheck.store import Store

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"
TODAY = date(2026, 8, 1)


@pytest.fixture
def store(settings: Settings) -> Store:
    store = Store.open(settings)
    store.import_path(SNAPSHOT / "csl" / "consolidated.csv", date(2026, 7, 31), today=TODAY)
    store.import_path(SNAPSHOT / "ofac" / "sdn-2021-08-18.csv", date(2021, 8, 18), today=TODAY)
    prepare_periods(store, settings.ensure_home(), settings.database_url)
    return store


def _answers(screener: object, name: str, day: date) -> list[tuple[str, float, str, object]]:
    hits = screener.screen(name, "CN", day)  # type: ignore[attr-defined]
    return [(h.entry.list_id, h.score, h.band.value, h.status.in_force) for h in hits]


@pytest.mark.parametrize("day", [date(2019, 1, 1), date(2021, 8, 18), date(2024, 1, 1), date(2026, 8, 1)])
@pytest.mark.parametrize("name", ["Huawei Technologies Co Ltd", "华为技术有限公司", "Rosoboronexport"])
def test_the_catalogue_answers_as_the_store_does(store: Store, settings: Settings, day: date, name: str) -> None:
    found = cached_screener(settings.home, settings.database_url, day)
    assert found is not None
    screener, basis = found
    assert basis == store.list_basis(day)
    through_store = screener_for(store, settings.home, day)
    assert _answers(screener, name, day) == _answers(through_store, name, day)


def test_the_stored_state_is_read_as_the_store_reads_it(store: Store, settings: Settings) -> None:
    assert _stored_state(settings.database_url) == snapshot_state(store.snapshots())
    assert _stored_state(settings.database_url)  # not trivially equal: there are snapshots


def test_an_import_behind_the_catalogues_back_makes_it_step_aside(store: Store, settings: Settings) -> None:
    store.import_path(SNAPSHOT / "ofac" / "sdn-2024-05-03.csv", date(2024, 5, 3), today=TODAY)
    assert cached_screener(settings.home, settings.database_url, TODAY) is None
    prepare_periods(store, settings.home, settings.database_url)
    # The CSL of 2026-07-31 governs SDN from its date on; the new SDN file governs the dates before it.
    day = date(2025, 1, 1)
    found = cached_screener(settings.home, settings.database_url, day)
    assert found is not None
    assert [s.as_of for s in found[1].snapshots if s.list_code == "SDN"] == [date(2024, 5, 3)]
    assert found[1] == store.list_basis(day)


def test_a_retirement_behind_its_back_too(store: Store, settings: Settings) -> None:
    (sdn,) = [info for info in store.snapshots() if info.file_name.endswith("sdn-2021-08-18.csv")]
    store.retire(sdn.id, reason="imported by mistake in a test", by="tester")
    assert cached_screener(settings.home, settings.database_url, TODAY) is None


def test_another_database_a_missing_pack_or_a_server_database_fall_back(store: Store, settings: Settings) -> None:
    other = f"sqlite:///{settings.home / 'other.db'}"
    assert cached_screener(settings.home, other, TODAY) is None
    assert cached_screener(settings.home, "postgresql://localhost/earcheck", TODAY) is None
    for pack in (settings.home / "screening").glob("index-*.pack"):
        pack.unlink()
    assert cached_screener(settings.home, settings.database_url, TODAY) is None


def test_a_damaged_catalogue_falls_back(store: Store, settings: Settings) -> None:
    path = catalogue_path(settings.home, ScreeningConfig().algorithm)
    document = json.loads(path.read_text())
    document["periods"][0]["lists"] = "nonsense"
    path.write_text(json.dumps(document))
    assert cached_screener(settings.home, settings.database_url, date(2019, 1, 1)) is None
    path.write_text("{not json")
    assert cached_screener(settings.home, settings.database_url, TODAY) is None
