"""A test double of ``earcheck.workspace.Workspace`` for the API and web tests.

It is not the engine or the screener (those are tested in their own suites): it answers from a few
real Entity List entries with simple, predictable rules, so that the faces can be tested on their
own. The real Workspace is the default of ``create_app``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from rapidfuzz import fuzz

from earcheck.api.workspace import ListSummary
from earcheck.casefile import case_sha256
from earcheck.lists import Band, EntryStatus, Hit, ListCode, ListEntry
from earcheck.model import (
    Case,
    Determination,
    Effect,
    Finding,
    ItemResult,
    MissingFact,
    Outcome,
    PartyScreening,
    Provenance,
    ScreeningMatch,
)
from earcheck.sources import SourceKind
from earcheck.store import ListBasis, SnapshotInfo, list_basis

EL = "Entity List (EL) - Bureau of Industry and Security"


def _entry(list_id: str, name: str, aliases: tuple[str, ...], listed: date, line: int, **kw: object) -> ListEntry:
    return ListEntry(
        list_id=list_id,
        list_code=ListCode.EL,
        source=EL,
        name=name,
        snapshot="csl-2026-07-31",
        snapshot_date=date(2026, 7, 31),
        line=line,
        aliases=aliases,
        countries=("CN",),
        start_date=listed,
        **kw,  # type: ignore[arg-type]
    )


HUAWEI = _entry(
    "el-huawei",
    "Huawei Technologies Co., Ltd.",
    ("Huawei",),
    date(2019, 5, 16),
    101,
    addresses=("Bantian, Longgang District, Shenzhen, 518129, CN",),
    license_requirement="For all items subject to the EAR, see §§ 734.9(e), 744.11 of the EAR.",
    license_policy="Presumption of denial.",
    federal_register=("84 FR 22963, 5/21/19",),
)
SMIC = _entry(
    "el-smic",
    "Semiconductor Manufacturing International Corporation",
    ("SMIC",),
    date(2020, 12, 18),
    202,
    addresses=("18 Zhangjiang Road, Pudong New Area, Shanghai, CN",),
    license_requirement="For all items subject to the EAR.",
    license_policy=("Case-by-case review; presumption of denial for items uniquely required at 10 nm and below."),
    federal_register=("85 FR 83420, 12/22/20",),
)
ENTRIES = (HUAWEI, SMIC)


FAKE_SNAPSHOT = SnapshotInfo(
    id="fake0000snapshot",
    kind=SourceKind.CSL,
    file_name="fake.csv",
    sha256="0" * 64,
    as_of=date(2026, 8, 1),
    as_of_source="option",
    imported_at=datetime(2026, 8, 1, tzinfo=UTC),
    rows=len(ENTRIES),
    skipped=0,
    lists={ListCode.EL: len(ENTRIES)},
)


@dataclass(frozen=True, slots=True)
class Interval:
    start: date
    end: date | None
    license_required: bool | None
    review_policy: str | None
    citation: str
    because: str


@dataclass(frozen=True, slots=True)
class Timeline:
    case_id: str | None
    intervals: tuple[Interval, ...]


class FakeWorkspace:
    """Screens by fuzzy ratio over names and aliases; decides by whether Huawei is a party."""

    def __init__(self, entries: Sequence[ListEntry] = ENTRIES) -> None:
        self.entries = list(entries)
        self.screened: list[tuple[str, str | None, date | None]] = []

    def screen(self, name: str, country: str | None = None, as_of: date | None = None) -> list[Hit]:
        self.screened.append((name, country, as_of))
        day = as_of or date.today()
        hits = []
        for entry in self.entries:
            scored = [(fuzz.token_sort_ratio(name.casefold(), n.casefold()) / 100, n) for n in entry.names]
            score, matched = max(scored)
            if score < 0.8:
                continue
            listed = entry.start_date or day
            status = EntryStatus(
                entry=entry,
                as_of=day,
                in_force=day >= listed,
                reason=f"listed from {listed}" if day >= listed else f"not listed until {listed}",
                footnotes=frozenset({1}) if entry is HUAWEI and day >= date(2020, 5, 15) else frozenset(),
                license_requirement=entry.license_requirement,
                license_policy=entry.license_policy,
                listed_from=listed,
                citation="15 CFR part 744, Supplement No. 4",
            )
            band = Band.MATCH if score >= 0.92 else Band.REVIEW
            hits.append(Hit(status, matched, score, band, {"name": score, "country": 1.0 if country == "CN" else 0.0}))
        return sorted(hits, key=lambda h: -h.score)

    def eccn_headings(self, as_of: date) -> dict[str, str]:
        """A few CCL headings (worded as in the CCL), whatever the date."""
        return {
            "3A001": "Electronic items as follows (see List of Items Controlled).",
            "3A090": "Integrated circuits as follows (see List of Items Controlled).",
            "3A991": 'Electronic devices, and "components" not controlled by 3A001.',
            "5A992": "Equipment not controlled by 5A002 (see List of Items Controlled).",
        }

    def list_basis(self, as_of: date | None = None) -> ListBasis:
        """The fake lists are one snapshot of 2026-08-01, stale for dates a month after it."""
        return list_basis({ListCode.EL: FAKE_SNAPSHOT}, as_of or date.today())

    def determine(self, case: Case) -> Determination:
        day = case.as_of or date.today()
        parties = case.parties or ()
        huawei = any("huawei" in p.name.casefold() for p in parties)
        findings = []
        missing = []
        if case.parties is None:
            required: bool | None = None
            missing.append(MissingFact("parties", "Who are the parties to the transaction?"))
        elif huawei and day >= date(2020, 8, 17):
            required = True
            findings.append(
                Finding(
                    "fdp.entity_list_footnote_1",
                    "15 CFR 736.2(b)(3)(vi)",
                    Outcome.APPLIES,
                    Effect.LICENSE_REQUIRED,
                    "a footnote 1 entity is a party, and the item is a direct product of US technology",
                    item=case.items[0].id,
                    review_policy="Presumption of denial",
                )
            )
        else:
            required = False
            findings.append(
                Finding(
                    "fdp.entity_list_footnote_1",
                    "15 CFR 736.2(b)(3)(vi)",
                    Outcome.DOES_NOT_APPLY,
                    Effect.LICENSE_REQUIRED,
                    "no footnote 1 entity takes part",
                )
            )
        screening = tuple(
            PartyScreening(
                p.name,
                p.role,
                tuple(
                    ScreeningMatch(
                        h.entry.list_id,
                        h.entry.name,
                        h.matched_name,
                        h.entry.source,
                        h.score,
                        h.status.in_force,
                    )
                    for h in self.screen(p.name, p.country, day)
                ),
            )
            for p in parties
        )
        return Determination(
            as_of=day,
            license_required=required,
            subject_to_ear=required,
            case_id=case.id,
            review_policy="Presumption of denial" if required else None,
            items=tuple(ItemResult(i.id or f"item-{n}", required, required) for n, i in enumerate(case.items)),
            findings=tuple(findings),
            missing_facts=tuple(missing),
            screening=screening,
            provenance=Provenance("test-double", "rules-double", "lists-double", case_sha256(case)),
        )

    def timeline(self, case: Case, start: date | None = None, end: date | None = None) -> Timeline:
        return Timeline(
            case.id,
            (
                Interval(
                    date(2019, 5, 16),
                    date(2020, 8, 16),
                    False,
                    None,
                    "15 CFR 744.11",
                    "not subject to the EAR",
                ),
                Interval(
                    date(2020, 8, 17),
                    None,
                    True,
                    "Presumption of denial",
                    "15 CFR 736.2(b)(3)(vi)",
                    "the August 2020 rule reaches the wafers",
                ),
            ),
        )

    def list_summaries(self) -> Sequence[ListSummary]:
        return [ListSummary(ListCode.EL, EL, len(self.entries), "csl-2026-07-31", date(2026, 7, 31))]

    def list_entries(self, code: ListCode, offset: int, limit: int) -> Sequence[ListEntry]:
        return [e for e in self.entries if e.list_code is code][offset : offset + limit]

    def get_entry(self, list_id: str) -> ListEntry | None:
        return next((e for e in self.entries if e.list_id == list_id), None)


def decide_every_queued_hit(client: Any, headers: dict[str, str]) -> int:
    """Record a true-match decision for every hit waiting in the review queue (the fake lists' SMIC and
    Huawei entries are the parties themselves), so that a workflow test can go on. Returns how many."""
    queue = client.get("/api/screening-reviews", headers=headers).json()
    for hit in queue:
        body = {"verdict": "true_match", "reason": "the party is the listed entry (test)"}
        response = client.post(f"/api/screening-reviews/{hit['id']}/decision", json=body, headers=headers)
        assert response.status_code == 201, response.text
    return len(queue)
