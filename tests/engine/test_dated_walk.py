"""Every month from 2019-01-01 to 2026-12-07, over the flagship case and a 3A090 case: each answer names the
table texts it read, carries the warning exactly where a text is only believed or not known, and a 3A090 item
never gets a firm answer from 3A090 before the entry existed (87 FR 62186, instruction 25 effective
2022-10-07)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from earcheck.casefile import parse_cases
from earcheck.model import Case, Determination, Outcome
from earcheck.regulations.editions import Trust
from earcheck.workspace import Workspace

pytestmark = pytest.mark.shared_data

TODAY = date(2026, 12, 7)
CREATED = date(2022, 10, 7)


def months() -> list[date]:
    days = [date(year, month, 1) for year in range(2019, 2027) for month in range(1, 13)]
    return [d for d in days if d <= TODAY] + [TODAY]


def chip_case(eccn: str = "3A090.a") -> Case:
    return parse_cases(
        {
            "id": f"{eccn.split('.')[0].lower()}-to-china",
            "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
            "parties": [],
            "destination": "CN",
            "items": [{"id": "gpu", "eccn": eccn, "origin": "US", "location": "US", "value": 50000}],
        },
        f"{eccn.split('.')[0].lower()} case",
    )[0]


def flagship() -> Case:
    from importlib import resources

    text = (resources.files("earcheck.examples") / "smic-huawei.yaml").read_text(encoding="utf-8")
    import yaml

    return parse_cases(yaml.safe_load(text), "smic-huawei.yaml")[0]


def decide(workspace: Workspace, case: Case, day: date) -> tuple[Determination, set[Trust]]:
    """The answer on ``day`` and the trust of every table text it names (read from the labels)."""
    answer = workspace.determine(dataclasses.replace(case, as_of=day), TODAY)
    labels = {t for f in answer.findings if f.rule == "tables" for t in f.tables}
    trusts = {trust for trust in Trust for label in labels if f"[{trust.value}" in label}
    return answer, trusts


@pytest.mark.parametrize("make", [flagship, chip_case], ids=["flagship", "3a090"])
def test_every_month_names_its_tables_and_warns_outside_them(real_workspace: Workspace, make: object) -> None:
    case = make()  # type: ignore[operator]
    for day in months():
        answer, trusts = decide(real_workspace, case, day)
        named = [f for f in answer.findings if f.rule == "tables"]
        assert named, f"{day}: no finding names the tables read"
        assert all(f.tables for f in named), f"{day}: a tables finding without its texts"
        doubtful = trusts - {Trust.VOUCHED}
        assert bool(answer.warnings) == bool(doubtful), f"{day}: warnings {answer.warnings} for trusts {trusts}"
        flagged = any(f.outcome is Outcome.APPLIES for f in named)
        assert flagged == bool(doubtful), f"{day}: the tables finding does not say what the warnings say"


def test_3a090_never_firm_before_it_existed(real_workspace: Workspace) -> None:
    case = chip_case()
    for day in months():
        answer, _ = decide(real_workspace, case, day)
        chart = next(f for f in answer.findings if f.rule == "country_chart")
        if day < CREATED:
            assert answer.license_required is None, day
            assert chart.outcome is Outcome.INDETERMINATE, day
            assert any("did not exist" in q.question for q in answer.missing_facts), day
        else:
            # To China: 3A090.a is RS-controlled to China in every text from 2022-10-07 on.
            assert answer.license_required is True, day
            assert any("3A090" in t for t in chart.tables), day


def test_the_timeline_breaks_where_3a090_changed(real_workspace: Workspace) -> None:
    timeline = real_workspace.timeline(chip_case(), date(2019, 1, 1), TODAY)
    starts = {interval.start for interval in timeline.intervals}
    # Each text of 3A090 in ccl_supplement.yaml begins an interval: its findings name another version.
    for change in (date(2022, 10, 7), date(2023, 1, 17), date(2023, 11, 17), date(2024, 12, 2), date(2025, 5, 15)):
        assert change in starts, f"no interval starts on {change}: {sorted(starts)}"
    before = next(i for i in timeline.intervals if i.start == date(2019, 1, 1))
    assert before.license_required is None


def test_the_timeline_breaks_where_9a515_changed(real_workspace: Workspace) -> None:
    # 9A515.y to China: AT only until 85 FR 23459 added the .y row of 742.6(a)(7) ("China, Russia, or
    # Venezuela"), effective June 29, 2020; the space rules (89 FR 84766, 89 FR 84770) took effect October 23, 2024.
    timeline = real_workspace.timeline(chip_case("9A515.y.1"), date(2019, 1, 1), TODAY)
    starts = {interval.start for interval in timeline.intervals}
    for change in (date(2020, 6, 29), date(2024, 10, 23)):
        assert change in starts, f"no interval starts on {change}: {sorted(starts)}"
    after = next(i for i in timeline.intervals if i.start == date(2020, 6, 29))
    assert after.license_required is True
