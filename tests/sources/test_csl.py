from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.lists import ListCode
from earcheck.sources import ParseReport
from earcheck.sources.csl import list_code, parse, split_federal_register

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"
CSL = SNAPSHOT / "csl" / "consolidated.csv"
AS_OF = date(2026, 7, 31)


def test_fixture_rows_become_entries_with_line_and_raw() -> None:
    read = list(parse(CSL, as_of=AS_OF, snapshot="s1"))
    assert len(read) == 13
    huawei = next(e for e in read if e.name == "Huawei Technologies Co., Ltd.")
    assert huawei.list_code is ListCode.EL
    assert huawei.list_id == "7cde91bc18e61c4d5749a009"
    assert huawei.snapshot == "s1"
    assert huawei.snapshot_date == AS_OF
    assert huawei.line == 9
    assert huawei.start_date == date(2019, 5, 21)
    assert huawei.end_date is None
    # footnote marks stay in the text as written: the engine reads them
    assert huawei.license_requirement == "For All Items Subject to the EAR (See §734.9(e)1, and §744.11 of the EAR)2."
    assert huawei.license_policy == "Presumption of denial"
    assert huawei.federal_register[:2] == ("84 FR 22963", "85 FR 29853")
    assert len(huawei.federal_register) == 7
    assert huawei.raw["_id"] == huawei.list_id
    assert set(huawei.raw) >= {"alt_names", "ids", "source_list_url"}


def test_entity_list_addresses_split_and_countries_read() -> None:
    huawei = next(e for e in parse(CSL, as_of=AS_OF) if e.name == "Huawei Technologies Co., Ltd.")
    # "...Shenzhen, 518129, China; and No. 1899 Xi Yuan Road ..." ending "..., HK"
    assert huawei.addresses[0].startswith("Addresses for Huawei Technologies Co., Ltd.: Bantian Huawei Base")
    assert huawei.addresses[1].startswith("No. 1899 Xi Yuan Road")  # the "and " is dropped
    assert huawei.countries == ("CN", "HK")


def test_country_code_only_addresses_become_countries() -> None:
    smic = next(e for e in parse(CSL, as_of=AS_OF) if e.list_code is ListCode.CMIC)
    assert smic.addresses == ()
    assert smic.countries == ("CN", "KY")
    assert smic.aliases[-1] == "SMIC"
    assert smic.entity_type == "Entity"
    assert smic.entity_number == "30951"
    assert smic.programs == ("CMIC-EO13959",)


def test_csl_spellings_of_countries() -> None:
    by_name = {e.name: e for e in parse(CSL, as_of=AS_OF)}
    assert by_name["JOHN EDWARD MEADOWS"].countries == ("GB",)  # written "UK"
    holy_land = by_name["HOLY LAND FOUNDATION FOR RELIEF AND DEVELOPMENT"]
    assert holy_land.countries == ("US", "PS")  # "US; REGION: WEST BANK; PS"


def test_federal_register_citations_split_on_any_separator() -> None:
    assert split_federal_register("85 FR 83420; 89 FR 96837") == ("85 FR 83420", "89 FR 96837")
    assert split_federal_register("63 FR 64322 (11/19/98), 65 FR 14444 (03/17/00)") == (
        "63 FR 64322 (11/19/98)",
        "65 FR 14444 (03/17/00)",
    )
    assert split_federal_register("73 F.R. 43208 7/24/08 and 74 F.R. 12836 03/25/09") == (
        "73 F.R. 43208 7/24/08",
        "74 F.R. 12836 03/25/09",
    )
    assert split_federal_register("Vol. 89, No. 177, 09/12/2024") == ("Vol. 89, No. 177, 09/12/2024",)
    assert split_federal_register("") == ()


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", ListCode.EL),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", ListCode.NS_MBS),
        ("Military End User (MEU) List - Bureau of Industry and Security", ListCode.MEU),
        ("Capta List (CAP) - Treasury Department", ListCode.CAP),
        ("Foreign Sanctions Evaders (FSE) - Treasury Department", None),
    ],
)
def test_list_code_from_source(source: str, code: ListCode | None) -> None:
    assert list_code(source) == code


def test_without_as_of_today_is_used_and_reported() -> None:
    report = ParseReport()
    first = next(iter(parse(CSL, report=report)))
    assert first.snapshot_date == date.today()
    assert "no as-of date" in report.warnings[0]
    assert len(first.snapshot) == 16  # the file's SHA-256 prefix, as the store names it


@pytest.mark.shared_data
def test_real_file(shared_data: Path) -> None:
    report = ParseReport()
    read = list(parse(shared_data / "csl" / "consolidated.csv", as_of=AS_OF, report=report))
    assert len(read) == 25_921 == report.records
    assert report.skipped == []
    assert report.warnings == []
    counts: dict[ListCode, int] = {}
    for entry in read:
        counts[entry.list_code] = counts.get(entry.list_code, 0) + 1
    assert counts[ListCode.EL] == 3420
    assert counts[ListCode.SDN] == 19181
    assert len(counts) == 12
    assert len({e.list_id for e in read}) == 25_921
    assert sum(1 for e in read if e.list_code is ListCode.EL and e.start_date is not None) == 3269
