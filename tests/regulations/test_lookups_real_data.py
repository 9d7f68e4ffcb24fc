"""The as-of lookups on the real snapshots (../shared/data), read with the source adapters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from earcheck.lists import ListCode, ListEntry
from earcheck.parties import ExactScreener
from earcheck.regulations.ccl import eccn_status
from earcheck.regulations.country_chart import country_status
from earcheck.sources import ccl, country_chart, country_groups, csl
from earcheck.tables import EarTables

pytestmark = pytest.mark.shared_data

EDITION = date(2026, 7, 23)
FOOTNOTE_1_ECCNS = [
    "3D001",
    "3D991",
    "3E001",
    "3E002",
    "3E003",
    "3E991",
    "4D001",
    "4D993",
    "4D994",
    "4E001",
    "4E992",
    "4E993",
    "5D001",
    "5D991",
    "5E001",
    "5E991",
]


@pytest.fixture(scope="module")
def tables(shared_data: Path) -> EarTables:
    ear = shared_data / "ear"
    notes = list(country_chart.parse_footnotes(ear / "country_chart_footnotes.json"))
    return EarTables(
        edition=EDITION,
        country_chart={row.code: row for row in country_chart.parse(ear / "country_chart.csv")},
        chart_footnotes={n.number: n.text for n in notes if isinstance(n, country_chart.ChartFootnote)},
        territory_inheritance={
            t.territory: t.governed_by for t in notes if isinstance(t, country_chart.TerritoryInheritance)
        },
        country_groups={row.code: row for row in country_groups.parse(ear / "country_groups.csv")},
        ccl={entry.eccn: entry for entry in ccl.parse(ear / "ccl.jsonl")},
        license_exceptions={},
    )


def test_every_footnote_1_eccn_is_known_with_reasons(tables: EarTables) -> None:
    for code in FOOTNOTE_1_ECCNS:
        status = eccn_status(code, date(2020, 9, 15), tables)
        assert status.known, code
        assert status.reasons, code
        assert status.controls, code


def test_3e001_on_the_real_table_is_corrected(tables: EarTables) -> None:
    assert tables.ccl["3E001"].reasons == ("NS", "AT")  # what the extraction says
    assert eccn_status("3E001", EDITION, tables).reasons == ("NS", "MT", "NP", "RS", "AT")
    assert "3E002" not in tables.ccl
    assert eccn_status("3E002", EDITION, tables).source == "supplement"


def test_3b001_paragraph_controls_as_written(tables: EarTables) -> None:
    status = eccn_status("3B001.c.1.a", EDITION, tables)
    assert status.reasons == ("NS", "RS", "AT")
    assert status.controls is not None
    assert any("Macau" in c.country_chart for c in status.controls)


def test_china_and_hong_kong_on_the_real_chart(tables: EarTables) -> None:
    cn = country_status("CN", EDITION, tables)
    assert cn.marks is not None
    assert {"NP2", "NS1", "RS1"} <= cn.marks
    assert cn.groups == frozenset({"D:1", "D:3", "D:4", "D:5"})
    assert country_status("HK", date(2020, 12, 22), tables).marks is None
    hk = country_status("HK", date(2020, 12, 23), tables)
    assert hk.marks == cn.marks
    liechtenstein = country_status("LI", EDITION, tables)
    assert liechtenstein.marks == country_status("CH", EDITION, tables).marks
    assert any("row of CH" in w for w in liechtenstein.warnings)


def test_embargoed_rows_point_to_part_746(tables: EarTables) -> None:
    for code in ("CU", "IR", "KP", "SY"):
        status = country_status(code, EDITION, tables)
        assert status.marks == frozenset(), code
        assert status.embargo is not None, code


@dataclass
class Snap:
    as_of: date
    id: str = "csl"


class CslOnly:
    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = entries

    def list_entries(self, as_of: date) -> Sequence[ListEntry]:
        return self.entries

    def governing_list_snapshots(self, as_of: date) -> Mapping[ListCode, Snap]:
        return {code: Snap(date(2026, 7, 31)) for code in ListCode}


@pytest.fixture(scope="module")
def screener(shared_data: Path) -> ExactScreener:
    entries = list(csl.parse(shared_data / "csl" / "consolidated.csv", as_of=date(2026, 7, 31)))
    return ExactScreener(CslOnly(entries))


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Huawei Technologies Co., Ltd.", date(2019, 5, 16)),
        ("Semiconductor Manufacturing International Corporation", date(2020, 12, 18)),
    ],
)
def test_flagship_parties_around_their_listing(screener: ExactScreener, name: str, listed: date) -> None:
    for day, expected in ((date.fromordinal(listed.toordinal() - 1), False), (listed, True)):
        hits = [h for h in screener.screen(name, "CN", day) if h.entry.list_code is ListCode.EL]
        assert hits, (name, day)
        assert {h.status.in_force for h in hits} == {expected}, (name, day)
