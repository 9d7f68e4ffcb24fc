"""The fast impact run against re-evaluating every case, case for case.

``impact`` skips a case whose keys no change reaches, and decides a reached case once when the scenario's
context read nothing the scenario changes. Both shortcuts promise the answer of deciding the case twice,
with the real context and with the scenario's: here every case is decided twice anyway (a reference context
of its own per date, so nothing impact cached is reused) and the rows compared. The portfolio is generated
(``benchmarks.portfolio``) with, mixed in, parties named as the scenario's entries are named, by an alias, an
abbreviation, a misspelling or another case of letters -- names that the real screener matches fuzzily and
that must never be skipped when they match -- exporters headquartered in a moved country, items shipped
from one, and dates inside a moved rule's window.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from typing import Any

import pytest
from benchmarks.portfolio import portfolio

from earcheck.casefile import parse_cases
from earcheck.engine.context import Context
from earcheck.engine.determine import determine
from earcheck.model import Determination, Outcome
from earcheck.supplychain.impact import impact, summarise
from earcheck.supplychain.scenario import apply_scenario, parse_scenario
from earcheck.workspace import Workspace

TODAY = date(2026, 12, 1)
ADDED = "Osprey Harbor Precision 77 Pte. Ltd."
SMIC_BEIJING = "Semiconductor Manufacturing International (Beijing) Corporation"
SCENARIO = {
    "name": "every kind of change",
    "changes": [
        {"remove_entry": {"name": SMIC_BEIJING, "effective": "2021-01-01"}},
        {
            "modify_entry": {
                "name": "Huawei Technologies Co., Ltd.",
                "effective": "2021-06-01",
                "footnotes": [],
                "license_policy": "Case-by-case review.",
            }
        },
        {
            "add_entry": {
                "name": ADDED,
                "aliases": ["Osprey Alias Holdings"],
                "country": "SG",
                "effective": "2020-01-01",
                "footnotes": [1],
            }
        },
        {"move_country": {"country": "TH", "effective": "2022-01-01", "add_groups": ["D:5"]}},
        {"move_country": {"country": "VN", "effective": "2023-01-01", "add_groups": ["E:1"], "remove_groups": ["A:6"]}},
        {
            "rule_effective": {
                "rule": "fdp.entity_list_footnote_1",
                "version_from": "2020-05-15",
                "effective": "2020-05-01",
            }
        },
    ],
}
# Names the screener matches to the removed and changed entries fuzzily, and the added one's forms.
NAMES = [
    "SMIC Beijing",
    "Semiconductor Manufacturing Intl (Beijing) Corp",
    "Semiconducter Manufacturing International (Beijing) Corporation",
    "Shenzhen Huawei Technologies",
    "Huawei Technolgies Co Ltd",
    "HUAWEI TECHNOLOGIES CO., LTD.",
    ADDED.upper(),
    "Osprey Alias Holdings",
    "Osprey Harbour Precision 77 Pte Ltd",  # a misspelling: the added entry matches by its words only
]


def _documents() -> list[dict[str, Any]]:
    rng = random.Random(12)
    documents = portfolio(200, seed=41)
    for number, document in enumerate(documents):
        if number % 3 == 0:
            party = rng.choice(document["parties"])
            party["name"] = NAMES[(number // 3) % len(NAMES)]
        if number % 7 == 0:
            document["exporter"]["headquarters"] = rng.choice(["TH", "VN", "US"])
        if number % 5 == 0:
            for item in document["items"]:
                item["location"] = rng.choice(["TH", "VN", "SG"])
        if number % 11 == 0:
            document["as_of"] = rng.choice(["2020-05-05", "2020-05-14", "2020-05-15", "2020-04-30"])
    return documents


def _applies(answer: Determination) -> set[str]:
    # Not the "tables" provenance finding: the engine names the tables it read, fewer when its caches are warm.
    return {f"{f.rule}: {f.citation}" for f in answer.findings if f.outcome is Outcome.APPLIES and f.rule != "tables"}


@pytest.mark.shared_data
def test_fast_impact_equals_deciding_every_case_twice(supply_workspace: Workspace) -> None:
    scenario = parse_scenario(SCENARIO)
    cases = [parse_cases(document)[0] for document in _documents()]
    rows = list(impact(cases, scenario, supply_workspace.context, TODAY))
    assert [row.index for row in rows] == list(range(len(cases)))
    references: dict[int, tuple[Context, Context]] = {}
    for case, row in zip(cases, rows, strict=True):
        base = supply_workspace.context(row.as_of)
        pair = references.setdefault(id(base), (base, apply_scenario(base, scenario)))
        before, after = determine(case, base, TODAY), determine(case, pair[1], TODAY)
        was, now = _applies(before), _applies(after)
        expected = (
            (before.license_required, after.license_required),
            (before.subject_to_ear, after.subject_to_ear),
            (before.review_policy, after.review_policy),
        )
        if row.reevaluated:
            got = (
                (row.license_before, row.license_after),
                (row.subject_before, row.subject_after),
                (row.policy_before, row.policy_after),
            )
            assert got == expected, case.id
            assert (row.now_applies, row.no_longer_applies) == (tuple(sorted(now - was)), tuple(sorted(was - now)))
            assert row.changed == any(a != b for a, b in expected), case.id
        else:
            assert all(a == b for a, b in expected), f"{case.id} skipped ({row.skipped_because}) but changes"
            assert was == now, case.id
    # Every path was taken: skipped, decided once, decided twice, changed.
    paths = Counter(row.determinations for row in rows)
    assert paths[0], paths
    assert paths[1], paths
    assert paths[2], paths
    summary = summarise(rows)
    assert summary.changed > 0
    assert summary.determinations == paths[1] + 2 * paths[2]
    # The fuzzy forms of the removed and changed entries are among the re-evaluated cases.
    reached = {party.name for row in rows if row.reevaluated for party in cases[row.index].parties or ()}
    assert {"SMIC Beijing", "Shenzhen Huawei Technologies", "Osprey Alias Holdings"} <= reached
