"""Delta mode on the two real SDN snapshots (2021-08-18 and 2024-05-03) and the Consolidated Screening
List: the hits it reports against a full re-screen of every name on both dates, row for row.

The reference is read here, independently of ``earcheck.batch.delta``: each name screened in full on
both dates, its hits keyed by list and entry number (the SDN's ``ent_num``; the CSL's ``_id`` when there
is no number), and a hit reported when it appears, disappears, or reads otherwise (score, band,
in-force status, the name matched, the entry's text)."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from earcheck.batch.job import JobKind, JobOptions
from earcheck.batch.run import Cluster, resolve_since, run_job
from earcheck.errors import InputError
from earcheck.lists import Hit, ListEntry
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
def delta_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Names written in either SDN file (so that many are near an added, changed or removed entry),
    names of the Consolidated Screening List's other lists (entries the update left alone, whose
    scores still move with the SDN's word weights), and invented ones."""
    names = []
    for file in ("sdn-2021-08-18.csv", "sdn-2024-05-03.csv"):
        with (SHARED_DATA / "ofac" / file).open(encoding="latin-1", newline="") as source:
            names += [row[1] for row in csv.reader(source) if len(row) > 1]
    with (SHARED_DATA / "csl" / "consolidated.csv").open(encoding="utf-8", newline="") as source:
        listed = [row["name"] for row in csv.DictReader(source) if row["name"] and "SDN" not in row["source"]]
    rng = random.Random(5)
    rng.shuffle(names)
    rng.shuffle(listed)
    path = tmp_path_factory.mktemp("delta") / "names.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name"])
        writer.writerows([f"sdn-{n}", name] for n, name in enumerate(names[:900]))
        writer.writerows([f"csl-{n}", name] for n, name in enumerate(listed[:400]))
        writer.writerows([f"clean-{n}", f"Juniper Logistics {n} Ltd."] for n in range(200))
        writer.writerow(["bad", ""])
    return path


def _same_entry(entry: ListEntry) -> tuple[str, str]:
    return entry.list_code.value, entry.entity_number or entry.list_id


def _text(entry: ListEntry) -> tuple[Any, ...]:
    # What a reader of the report would see differ; not where the entry sits in its file.
    return (
        entry.name, entry.aliases, entry.entity_type, entry.programs, entry.addresses, entry.countries,
        entry.federal_register, entry.start_date, entry.end_date, entry.license_requirement,
        entry.license_policy, entry.remarks, entry.source,
    )  # fmt: skip


def _reference(old: list[Hit], new: list[Hit]) -> list[tuple[Any, ...]]:
    """(change, list_id, old score, old band, old in force, new score, new band, new in force) of each
    hit that differs; an entry's best hit stands for it (hits come best first)."""
    before: dict[tuple[str, str], Hit] = {}
    after: dict[tuple[str, str], Hit] = {}
    for hits, into in ((old, before), (new, after)):
        for hit in hits:
            into.setdefault(_same_entry(hit.entry), hit)

    def side(hit: Hit | None) -> tuple[Any, ...]:
        return (None, None, None) if hit is None else (hit.score, hit.band.value, hit.status.in_force)

    found = []
    for key in before.keys() | after.keys():
        was, now = before.get(key), after.get(key)
        if was is not None and now is not None:
            reads = [(h.score, h.band, h.status.in_force, h.matched_name, _text(h.entry)) for h in (was, now)]
            if reads[0] == reads[1]:
                continue
        change = "new" if was is None else "cleared" if now is None else "changed"
        shown = now or was
        assert shown is not None
        found.append((change, shown.entry.list_id, *side(was), *side(now)))
    return found


def _cell(value: str, kind: type) -> Any:
    if value == "":
        return None
    if kind is bool:
        return value == "true"
    return kind(value)


def test_delta_equals_a_full_rescreen_on_both_dates_row_for_row(
    real_settings: Settings, delta_names: Path, processes: Processes, tmp_path: Path
) -> None:
    output = tmp_path / "changes.csv"
    options = JobOptions(JobKind.DELTA, str(delta_names), str(output), 300, as_of=DAY, since=SINCE.isoformat())
    summary = run_job(options, real_settings, Cluster(scheduler=processes.address))
    with output.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    assert [r["id"] for r in rows if r["error"]] == ["bad"]
    assert {r["since_lists"] for r in rows} == {summary.basis["since_lists"]}
    assert "sdn-2021-08-18.csv" in summary.basis["since_lists"]
    assert "sdn-2024-05-03.csv" in summary.basis["lists"]
    kinds = (str, str, float, str, bool, float, str, bool)
    fields = ("change", "list_id", "old_score", "old_band", "old_in_force", "new_score", "new_band", "new_in_force")
    reported = sorted(
        (r["id"], *(_cell(r[f], k) for f, k in zip(fields, kinds, strict=True))) for r in rows if not r["error"]
    )
    by_entry = {(r["id"], r["change"], r["list_id"]): r["entry"] for r in rows if not r["error"]}

    # The reference: every name screened in full against both dates' lists, in this process.
    store = Store.open(real_settings)
    config = ScreeningConfig()
    old = screener_for(store, real_settings.home, SINCE, config)
    new = screener_for(store, real_settings.home, DAY, config)
    sdn_before = {e.entity_number for e in old.entries if e.list_code.value == "SDN"}
    sdn_after = {e.entity_number for e in new.entries if e.list_code.value == "SDN"}
    assert len(sdn_after - sdn_before) > 4000  # the SDN grew from 9,083 to 14,965 entries
    assert sdn_before - sdn_after  # and lost some
    full = []
    with delta_names.open("rb") as source:
        for row in read_rows(source, str(delta_names)):
            if isinstance(row, BadRow):
                continue
            before, after = old.screen(row.name, row.country, SINCE), new.screen(row.name, row.country, DAY)
            full += [(row.id, *found) for found in _reference(before, after)]
    assert reported == sorted(full), (sorted(set(full) - set(reported))[:5], sorted(set(reported) - set(full))[:5])
    # The test reaches what the earlier shortcut missed: changes on entries the update left alone
    # (here, CSL names whose hits moved with the SDN's word weights), and all three kinds of change.
    assert sum(1 for kind in by_entry.values() if kind == "unchanged") > 50
    assert any(row_id.startswith("csl-") for row_id, _, _ in by_entry)
    assert {change for _, change, _ in by_entry} == {"new", "changed", "cleared"}
    assert summary.counts["rescreened"] == summary.rows - 1  # every name but the bad one, on both dates


def test_since_takes_a_date_or_a_list_snapshot(real_settings: Settings) -> None:
    store = Store.open(real_settings)
    (sdn_2021,) = [info for info in store.snapshots() if info.file_name.endswith("sdn-2021-08-18.csv")]
    assert resolve_since(store, sdn_2021.id[:8]) == date(2021, 8, 18)
    assert resolve_since(store, "2023-02-01") == date(2023, 2, 1)
    with pytest.raises(InputError, match="not a date"):
        resolve_since(store, "yesterday")
