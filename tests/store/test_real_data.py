"""The store on the real snapshots in ../shared/data (imported once per module on SQLite; once on
PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from earcheck.lists import ListCode
from earcheck.settings import Settings
from earcheck.sources import SourceKind
from earcheck.store import ImportReport, Store

pytestmark = pytest.mark.shared_data

TODAY = date(2026, 11, 26)
EXPECTED_ROWS = {
    "csl/consolidated.csv": 25_921,
    "ofac/sdn-2021-08-18.csv": 9_083,
    "ofac/sdn-2024-05-03.csv": 14_965,
    "ear/country_chart.csv": 200,
    "ear/country_chart_footnotes.json": 13,  # 10 footnotes, 3 territories
    "ear/country_groups.csv": 201,
    "ear/ccl.jsonl": 633,
    "ear/license_exceptions.csv": 28,  # 27 rows, "NAC ACA" being two
}


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, ImportReport]:
    home = tmp_path_factory.mktemp("real-home")
    store = Store.open(Settings(home=home, database_url=f"sqlite:///{home / 'earcheck.db'}"))
    return store, store.import_path(shared_data, today=TODAY)


def check_import(report: ImportReport) -> None:
    assert {f.file_name: f.rows for f in report.files} == EXPECTED_ROWS
    assert report.new_files == 8
    assert report.skipped_rows == 0
    csl = next(f for f in report.files if f.kind is SourceKind.CSL)
    assert sum(csl.lists.values()) == 25_921
    assert csl.lists[ListCode.EL] == 3_420


def test_import(imported: tuple[Store, ImportReport]) -> None:
    check_import(imported[1])


def test_second_import_is_a_no_op(imported: tuple[Store, ImportReport], shared_data: Path) -> None:
    store, _ = imported
    again = store.import_path(shared_data, today=TODAY)
    assert again.new_files == 0
    assert {f.status for f in again.files} == {"already imported"}


@pytest.mark.parametrize(
    ("as_of", "sdn_rows", "sdn_file"),
    [
        (date(2020, 9, 15), 9_083, "ofac/sdn-2021-08-18.csv"),
        (date(2024, 5, 3), 14_965, "ofac/sdn-2024-05-03.csv"),
        (date(2026, 7, 31), 19_181, "csl/consolidated.csv"),
    ],
)
def test_list_entries_by_date(imported: tuple[Store, ImportReport], as_of: date, sdn_rows: int, sdn_file: str) -> None:
    store, _ = imported
    assert store.governing_list_snapshots(as_of)[ListCode.SDN].file_name == sdn_file
    counts = Counter(entry.list_code for entry in store.list_entries(as_of))
    assert counts[ListCode.SDN] == sdn_rows
    assert counts[ListCode.EL] == 3_420
    assert sum(counts.values()) == 25_921 - 19_181 + sdn_rows


def test_huawei_entries_as_stored(imported: tuple[Store, ImportReport]) -> None:
    store, _ = imported
    huawei = [e for e in store.list_entries(TODAY) if e.name == "Huawei Technologies Co., Ltd."]
    assert [e.list_id for e in huawei] == ["7cde91bc18e61c4d5749a009"]
    assert huawei[0].start_date == date(2019, 5, 21)
    assert huawei[0].raw["_id"] == "7cde91bc18e61c4d5749a009"


def test_ear_tables(imported: tuple[Store, ImportReport]) -> None:
    tables = imported[0].ear_tables(date(2020, 9, 15))
    assert tables.edition == date(2026, 7, 23)
    assert (len(tables.country_chart), len(tables.ccl), len(tables.license_exceptions)) == (200, 633, 28)
    assert len(tables.country_groups) == 201
    assert len(tables.chart_footnotes) == 10
    assert tables.territory_inheritance["HK"] == "CN"


@pytest.mark.postgres
@pytest.mark.slow
def test_import_on_postgres(shared_data: Path, postgres_url: str, settings: Settings) -> None:
    store = Store.open(Settings(home=settings.home, database_url=postgres_url))
    check_import(store.import_path(shared_data, today=TODAY))
    assert store.import_path(shared_data, today=TODAY).new_files == 0
    fresh = Store(store.engine)  # no cache
    assert len(fresh.list_entries(date(2022, 1, 1))) == 25_921 - 19_181 + 9_083
    assert len(fresh.ear_tables().ccl) == 633
