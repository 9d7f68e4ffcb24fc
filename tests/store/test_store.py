from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from earcheck.errors import NoData, NotFound, SourceFormatError
from earcheck.lists import ListCode
from earcheck.settings import Settings
from earcheck.sources import SourceKind, csl, ofac_sdn
from earcheck.store import Store, stale_lists

from .conftest import SNAPSHOT

TODAY = date(2026, 11, 26)


def test_folder_import_counts_and_second_import_is_a_no_op(store: Store) -> None:
    report = store.import_path(SNAPSHOT, today=TODAY)
    got = {f.file_name: (f.kind, f.as_of, f.as_of_source, f.rows, f.status) for f in report.files}
    assert got == {
        "csl/consolidated.csv": (SourceKind.CSL, date(2026, 7, 31), "manifest", 13, "imported"),
        "ofac/sdn-2021-08-18.csv": (SourceKind.OFAC_SDN, date(2021, 8, 18), "manifest", 8, "imported"),
        "ofac/sdn-2024-05-03.csv": (SourceKind.OFAC_SDN, date(2024, 5, 3), "manifest", 9, "imported"),
        "ear/country_chart.csv": (SourceKind.COUNTRY_CHART, date(2026, 7, 23), "manifest", 9, "imported"),
        "ear/country_chart_footnotes.json": (
            SourceKind.CHART_FOOTNOTES, date(2026, 7, 23), "manifest", 7, "imported"
        ),
        "ear/country_groups.csv": (SourceKind.COUNTRY_GROUPS, date(2026, 7, 23), "manifest", 5, "imported"),
        "ear/ccl.jsonl": (SourceKind.CCL, date(2026, 7, 23), "manifest", 5, "imported"),
        "ear/license_exceptions.csv": (
            SourceKind.LICENSE_EXCEPTIONS, date(2026, 7, 23), "manifest", 5, "imported"
        ),
    }  # fmt: skip
    assert (report.new_files, report.new_rows, report.skipped_rows) == (8, 61, 0)
    assert report.warnings == ()
    csl_import = report.files[0]
    assert csl_import.lists[ListCode.EL] == 3
    assert csl_import.lists[ListCode.SSI] == 0  # the CSL speaks for every list, empty or not

    again = store.import_path(SNAPSHOT, today=TODAY)
    assert again.new_files == 0
    assert {f.status for f in again.files} == {"already imported"}
    assert [f.snapshot_id for f in again.files] == [f.snapshot_id for f in report.files]
    assert len(store.snapshots()) == 8


def test_snapshots_record_checksum_dates_and_origin(store: Store) -> None:
    store.import_path(SNAPSHOT, today=TODAY)
    infos = store.snapshots()
    assert [i.as_of for i in infos] == sorted(i.as_of for i in infos)
    sdn = next(i for i in infos if i.file_name == "ofac/sdn-2021-08-18.csv")
    assert sdn.sha256 == hashlib.sha256((SNAPSHOT / sdn.file_name).read_bytes()).hexdigest()
    assert sdn.id == sdn.sha256[:16]
    assert sdn.lists == {ListCode.SDN: 8}
    assert sdn.source_path == str((SNAPSHOT / sdn.file_name).resolve())
    assert sdn.imported_at.tzinfo is not None


def test_stored_entries_are_the_parsed_entries(store: Store) -> None:
    store.import_path(SNAPSHOT, today=TODAY)
    for info in store.snapshots():
        if info.kind is SourceKind.CSL:
            parsed = list(csl.parse(SNAPSHOT / info.file_name, as_of=info.as_of))
        elif info.kind is SourceKind.OFAC_SDN:
            parsed = list(ofac_sdn.parse(SNAPSHOT / info.file_name, as_of=info.as_of))
        else:
            with pytest.raises(NotFound, match="not a list"):
                store.snapshot_entries(info.id)
            continue
        stored = store.snapshot_entries(info.id)
        assert [asdict(e) for e in stored] == [asdict(e) for e in parsed]  # raw included
    with pytest.raises(NotFound, match="no snapshot"):
        store.snapshot_entries("0123456789abcdef")


@pytest.mark.parametrize(
    ("as_of", "sdn_file"),
    [
        (date(2019, 5, 16), "ofac/sdn-2021-08-18.csv"),  # before every snapshot: the earliest
        (date(2021, 8, 18), "ofac/sdn-2021-08-18.csv"),
        (date(2024, 5, 2), "ofac/sdn-2021-08-18.csv"),
        (date(2024, 5, 3), "ofac/sdn-2024-05-03.csv"),
        (date(2026, 7, 30), "ofac/sdn-2024-05-03.csv"),
        (date(2026, 7, 31), "csl/consolidated.csv"),
        (date(2030, 1, 1), "csl/consolidated.csv"),
    ],
)
def test_governing_snapshot_per_list(store: Store, as_of: date, sdn_file: str) -> None:
    store.import_path(SNAPSHOT, today=TODAY)
    governing = store.governing_list_snapshots(as_of)
    assert governing[ListCode.SDN].file_name == sdn_file
    assert {code: info.file_name for code, info in governing.items() if code is not ListCode.SDN} == dict.fromkeys(
        [c for c in ListCode if c is not ListCode.SDN], "csl/consolidated.csv"
    )
    entries = store.list_entries(as_of)
    sdn = [e for e in entries if e.list_code is ListCode.SDN]
    assert {e.snapshot for e in sdn} == {governing[ListCode.SDN].id}
    others = [e for e in entries if e.list_code is not ListCode.SDN]
    assert len(others) == 11  # the CSL's non-SDN rows, whatever governs SDN
    assert len(sdn) == {"ofac/sdn-2021-08-18.csv": 8, "ofac/sdn-2024-05-03.csv": 9}.get(sdn_file, 2)


def test_newer_list_keeps_the_older_snapshot(store: Store, tmp_path: Path) -> None:
    old = SNAPSHOT / "ofac" / "sdn-2021-08-18.csv"
    store.import_path(old, date(2021, 8, 18), today=TODAY)
    store.import_path(SNAPSHOT / "ofac" / "sdn-2024-05-03.csv", date(2024, 5, 3), today=TODAY)
    assert [i.as_of for i in store.snapshots()] == [date(2021, 8, 18), date(2024, 5, 3)]
    assert {e.list_id for e in store.list_entries(date(2022, 1, 1))} == {
        e.list_id for e in ofac_sdn.parse(old, as_of=date(2021, 8, 18))
    }


def test_single_file_without_as_of_is_dated_today_with_a_warning(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "download.csv"  # detected by content, not by name
    path.write_bytes((SNAPSHOT / "csl" / "consolidated.csv").read_bytes())
    report = store.import_path(path, today=TODAY)
    (file,) = report.files
    assert (file.kind, file.as_of, file.as_of_source) == (SourceKind.CSL, TODAY, "import date")
    assert "no as-of date" in report.warnings[0]
    with_option = store.import_path(SNAPSHOT / "ofac" / "sdn-2024-05-03.csv", date(2024, 5, 3), today=TODAY)
    assert with_option.files[0].as_of_source == "option"
    assert with_option.warnings == ()


def test_ear_tables(store: Store) -> None:
    with pytest.raises(NoData, match="earcheck data import"):
        store.ear_tables()
    store.import_path(SNAPSHOT, today=TODAY)
    tables = store.ear_tables(date(2020, 1, 1))  # before the only edition: the earliest
    assert tables.edition == date(2026, 7, 23)
    assert set(tables.country_chart) == {"AL", "CN", "DE", "GB", "LI", "RU", "CH", "IR", "KP"}
    assert "NP2" in tables.country_chart["CN"].marks
    assert tables.territory_inheritance == {"HK": "CN", "LI": "CH", "KY": "GB"}
    assert set(tables.chart_footnotes) == {"1", "2", "3", "5"}
    assert tables.country_groups["CN"].groups == frozenset({"D:1", "D:3", "D:4", "D:5"})
    assert tables.ccl["3B001"].reasons == ("NS", "RS", "AT")
    assert tables.ccl["3B001"].paragraphs[1].paragraph == "a.1"
    assert tables.ccl["3B001"].raw["productGroup"] == "B"
    assert set(tables.license_exceptions) == {"LVS", "GBS", "SPP", "NAC", "ACA"}
    assert tables.snapshot.count("+") == 4
    assert store.ear_tables() is store.ear_tables()  # cached


def test_incomplete_ear_tables_name_what_is_missing(store: Store) -> None:
    store.import_path(SNAPSHOT / "ear" / "ccl.jsonl", date(2026, 7, 23), today=TODAY)
    with pytest.raises(NoData, match=r"incomplete.*Country Chart \(15 CFR 738 Supp. 1\), Country Chart footnotes"):
        store.ear_tables()


def test_nothing_loaded_is_no_data_not_an_empty_list(store: Store) -> None:
    assert store.snapshots() == []
    assert store.governing_list_snapshots(TODAY) == {}
    with pytest.raises(NoData, match="earcheck data import"):
        store.list_entries(TODAY)


def test_strict_error_imports_nothing(store: Store, snapshot_folder: Path) -> None:
    chart = snapshot_folder / "ear" / "country_chart.csv"
    chart.write_text(chart.read_text(encoding="utf-8").replace("CN,China,X", "CN,China,Q"), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"country_chart.csv, line 3, field 'CB1'"):
        store.import_path(snapshot_folder, today=TODAY)
    assert store.snapshots() == []


def test_lenient_import_keeps_the_skipped_rows(store: Store, snapshot_folder: Path) -> None:
    chart = snapshot_folder / "ear" / "country_chart.csv"
    chart.write_text(chart.read_text(encoding="utf-8").replace("CN,China,X", "CN,China,Q"), encoding="utf-8")
    report = store.import_path(snapshot_folder, strict=False, today=TODAY)
    file = next(f for f in report.files if f.kind is SourceKind.COUNTRY_CHART)
    assert (file.rows, len(file.skipped)) == (8, 1)
    assert report.skipped_rows == 1
    info = next(i for i in store.snapshots() if i.kind is SourceKind.COUNTRY_CHART)
    assert info.skipped == 1
    (row,) = store.skipped(info.id)
    assert (row.file, row.line, row.field) == ("ear/country_chart.csv", 3, "CB1")
    assert row.text is not None
    assert row.text.startswith("CN,China,Q")


def test_manifest_problems(store: Store, snapshot_folder: Path) -> None:
    manifest = snapshot_folder / "manifest.json"
    document = json.loads(manifest.read_text())
    document["files"]["ear/ccl.jsonl"]["as_of"] = "23 July 2026"
    manifest.write_text(json.dumps(document))
    with pytest.raises(SourceFormatError, match=r"manifest.json, field 'files.ear/ccl.jsonl.as_of'"):
        store.import_path(snapshot_folder, today=TODAY)
    document["files"]["ear/ccl.jsonl"] = {"as_of": "2026-07-23", "sha256": "0" * 64}
    manifest.write_text(json.dumps(document))
    with pytest.raises(SourceFormatError, match="does not match"):
        store.import_path(snapshot_folder, today=TODAY)
    document["files"]["ear/ccl.jsonl"] = {"as_of": "2026-07-23"}
    document["files"]["ear/missing.csv"] = {"as_of": "2026-07-23"}
    manifest.write_text(json.dumps(document))
    with pytest.raises(SourceFormatError, match=r"missing\.csv: no such file"):
        store.import_path(snapshot_folder, today=TODAY)
    manifest.unlink()
    with pytest.raises(SourceFormatError, match=r"no manifest\.json"):
        store.import_path(snapshot_folder, today=TODAY)
    assert store.snapshots() == []


def test_files_outside_the_manifest_and_duplicates_are_reported(store: Store, snapshot_folder: Path) -> None:
    (snapshot_folder / "ofac" / "sdn-copy.csv").write_bytes(
        (snapshot_folder / "ofac" / "sdn-2021-08-18.csv").read_bytes()
    )
    manifest = snapshot_folder / "manifest.json"
    document = json.loads(manifest.read_text())
    document["files"]["ofac/again.csv"] = {"as_of": "2021-08-18"}
    (snapshot_folder / "ofac" / "again.csv").write_bytes((snapshot_folder / "ofac" / "sdn-2021-08-18.csv").read_bytes())
    manifest.write_text(json.dumps(document))
    report = store.import_path(snapshot_folder, today=TODAY)
    assert report.new_files == 8
    assert "ofac/sdn-copy.csv is not in manifest.json: not imported" in report.warnings
    assert "ofac/again.csv is the same file as ofac/sdn-2021-08-18.csv: imported once" in report.warnings


def test_missing_path(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="no such file or folder"):
        store.import_path(tmp_path / "nope", today=TODAY)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="empty file"):
        store.import_path(empty, today=TODAY)


def test_stale_lists(store: Store) -> None:
    store.import_path(SNAPSHOT, today=TODAY)
    infos = store.snapshots()
    assert stale_lists(infos, date(2026, 8, 30)) == []
    stale = stale_lists(infos, date(2026, 8, 31))
    assert [s.list_code for s in stale] == list(ListCode)
    assert {s.age_days for s in stale} == {31}
    assert {s.snapshot.kind for s in stale} == {SourceKind.CSL}


def test_open_twice_and_sqlite_file_under_home(settings: Settings) -> None:
    first = Store.open(settings)
    first.import_path(SNAPSHOT / "ear" / "ccl.jsonl", date(2026, 7, 23), today=TODAY)
    second = Store.open(settings)
    assert len(second.snapshots()) == 1
    database = settings.home / "earcheck.db"
    assert database.is_file()
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("select count(*) from snapshot_records").fetchone()
    assert count == 5


def test_a_list_file_without_records_is_refused(store: Store, tmp_path: Path) -> None:
    header_only = tmp_path / "consolidated.csv"
    header_only.write_bytes((SNAPSHOT / "csl" / "consolidated.csv").read_bytes().split(b"\n")[0] + b"\n")
    with pytest.raises(SourceFormatError, match=r"no records read: a trade\.gov Consolidated Screening List file"):
        store.import_path(header_only, date(2026, 8, 1), today=TODAY)
    all_bad = tmp_path / "sdn.csv"
    all_bad.write_bytes(b'1,"A",-0- \r\n2,"B"\r\n\x1a')  # rows too short
    with pytest.raises(SourceFormatError, match=r"no records read \(2 rows skipped\)"):
        store.import_path(all_bad, date(2026, 8, 1), strict=False, today=TODAY)
    assert store.snapshots() == []


def test_lists_a_csl_lacks_are_taken_as_empty_with_a_warning(store: Store) -> None:
    report = store.import_path(SNAPSHOT / "csl" / "consolidated.csv", date(2026, 7, 31), today=TODAY)
    warnings = report.files[0].warnings
    assert [w.split(" rows:")[0] for w in warnings] == [
        "consolidated.csv has no NS-MBS",
        "consolidated.csv has no PLC",
        "consolidated.csv has no SSI",
    ]
    assert "earcheck takes that list as empty" in warnings[0]
