"""Delta mode on the two real SDN snapshots (2021-08-18 and 2024-05-03): the hits it reports against a
full re-screen of every name on both dates."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest

from earcheck.batch.delta import EntryChange, hit_changes, list_change
from earcheck.batch.job import JobKind, JobOptions
from earcheck.batch.run import Cluster, resolve_since, run_job
from earcheck.errors import InputError
from earcheck.screening.batch import BadRow, read_rows
from earcheck.screening.screener import ScreeningConfig
from earcheck.screening.snapshots import screener_for
from earcheck.settings import Settings
from earcheck.store import Store
from tests.batch.conftest import Processes
from tests.conftest import SHARED_DATA

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

SINCE = date(2022, 1, 1)  # governed by the 2021 SDN file
DAY = date(2024, 6, 1)  # governed by the 2024 one


@pytest.fixture(scope="module")
def sdn_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Names written in either SDN file (so that many are near an added, changed or removed entry),
    and invented ones."""
    names = []
    for file in ("sdn-2021-08-18.csv", "sdn-2024-05-03.csv"):
        with (SHARED_DATA / "ofac" / file).open(encoding="latin-1", newline="") as source:
            names += [row[1] for row in csv.reader(source) if len(row) > 1]
    rng = random.Random(5)
    rng.shuffle(names)
    path = tmp_path_factory.mktemp("delta") / "names.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name"])
        writer.writerows([f"sdn-{n}", name] for n, name in enumerate(names[:900]))
        writer.writerows([f"clean-{n}", f"Juniper Logistics {n} Ltd."] for n in range(200))
        writer.writerow(["bad", ""])
    return path


def test_delta_reports_what_a_full_rescreen_finds_near_the_changed_entries(
    real_settings: Settings, sdn_names: Path, processes: Processes, tmp_path: Path
) -> None:
    output = tmp_path / "changes.csv"
    options = JobOptions(JobKind.DELTA, str(sdn_names), str(output), 500, as_of=DAY, since=SINCE.isoformat())
    summary = run_job(options, real_settings, Cluster(scheduler=processes.address))
    with output.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    reported = {(r["id"], r["change"], r["list_id"]) for r in rows if not r["error"]}
    assert [r["id"] for r in rows if r["error"]] == ["bad"]
    assert len(reported) == len(rows) - 1, "one row per changed hit"
    assert {r["since_lists"] for r in rows} == {summary.basis["since_lists"]}
    assert "sdn-2021-08-18.csv" in summary.basis["since_lists"]
    assert "sdn-2024-05-03.csv" in summary.basis["lists"]

    # The reference: every name screened in full against both dates' lists, in this process.
    store = Store.open(real_settings)
    config = ScreeningConfig()
    old = screener_for(store, real_settings.home, SINCE, config)
    new = screener_for(store, real_settings.home, DAY, config)
    change = list_change(old.entries, new.entries)
    assert len(change.added) > 4000  # the SDN grew from 9,083 to 14,965 entries
    assert change.removed
    assert change.changed
    full: set[tuple[str, str, str]] = set()
    touching: set[tuple[str, str, str]] = set()
    with sdn_names.open("rb") as source:
        for row in read_rows(source, str(sdn_names)):
            if isinstance(row, BadRow):
                continue
            before, after = old.screen(row.name, row.country, SINCE), new.screen(row.name, row.country, DAY)
            for found in hit_changes(before, after, change):
                key = (row.id, found.change, found.hit.entry.list_id)
                full.add(key)
                if found.entry is not EntryChange.UNCHANGED:
                    touching.add(key)
    assert reported <= full, "delta reports only true changes"
    # Every change that concerns an entry the update added, removed or changed is found.
    assert touching <= reported, sorted(touching - reported)[:5]
    assert len(reported) > 150
    assert summary.counts["rescreened"] < summary.rows / 2  # most names were not screened again


def test_since_takes_a_date_or_a_list_snapshot(real_settings: Settings) -> None:
    store = Store.open(real_settings)
    (sdn_2021,) = [info for info in store.snapshots() if info.file_name.endswith("sdn-2021-08-18.csv")]
    assert resolve_since(store, sdn_2021.id[:8]) == date(2021, 8, 18)
    assert resolve_since(store, "2023-02-01") == date(2023, 2, 1)
    with pytest.raises(InputError, match="not a date"):
        resolve_since(store, "yesterday")
