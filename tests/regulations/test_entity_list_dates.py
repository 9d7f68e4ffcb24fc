"""Entity List entries as of a date: the dated facts at and around every boundary, the snapshot rules,
footnote parsing, and the strictness of the YAML loader."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode, ListEntry
from earcheck.regulations.entity_list import (
    entity_list_data,
    entry_status,
    load_entity_list,
    parse_footnotes,
    terms_in_force,
)

HUAWEI = "7cde91bc18e61c4d5749a009"  # Huawei Technologies Co., Ltd. (May 2019)
HUAWEI_UNDATED = "dd0ebdf93e30c810fb5a6621"  # Huawei Technologies Co., Ltd. (Huawei): no CSL start date
AUSTRALIA = "569eb7023d7b8e94b3db780a"  # Huawei Technologies (Australia) Pty Ltd. (August 2019)
CLOUD_CHILE = "baf4740d61491ee7db83e1d8"  # Huawei Cloud Chile (August 2020)
SWEDEN = "dfb18625dced2f852bdebe03"  # cites the May rule, but Sweden came in August 2019
MARINE = "c7cbf8d1a8cc8e06db33fea6"  # affiliate under the Huawei entry: batch not established
SMIC = "d94683a2c5182dc09332e43b"
SMIC_BEIJING = "0da142ee548b0ec2753dc1a7"
SMIC_TIANJIN = "589b898ec30ca36c88eaa42f"
TODAY_LR = "For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2"


def el_entry(list_id: str, **overrides: object) -> ListEntry:
    fields: dict[str, object] = {
        "list_id": list_id,
        "list_code": ListCode.EL,
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "name": "Some Entity",
        "snapshot": "csl-2026-07-31",
        "snapshot_date": date(2026, 7, 31),
        "line": 2,
        "license_requirement": TODAY_LR,
        "license_policy": "Presumption of denial",
    }
    fields.update(overrides)
    return ListEntry(**fields)  # type: ignore[arg-type]


def around(day: date) -> tuple[date, date, date]:
    return day - timedelta(days=1), day, day + timedelta(days=1)


@pytest.mark.parametrize(
    ("list_id", "listed"),
    [
        (HUAWEI, date(2019, 5, 16)),
        (HUAWEI_UNDATED, date(2019, 5, 16)),
        (AUSTRALIA, date(2019, 8, 19)),
        (SWEDEN, date(2019, 8, 19)),
        (CLOUD_CHILE, date(2020, 8, 17)),
        (SMIC, date(2020, 12, 18)),
        (SMIC_TIANJIN, date(2020, 12, 18)),
    ],
)
def test_listing_boundary(list_id: str, listed: date) -> None:
    before, day, after = around(listed)
    assert entry_status(el_entry(list_id), before).in_force is False
    status = entry_status(el_entry(list_id), day)
    assert status.in_force is True
    assert status.listed_from == listed
    assert status.dated_fact is not None
    assert list_id in status.dated_fact
    assert entry_status(el_entry(list_id), after).in_force is True


def test_dated_facts_override_the_snapshot_dates() -> None:
    # The row says "listed no later than 2019-05-21" and is on a 2026 snapshot; the facts still say no.
    entry = el_entry(HUAWEI, start_date=date(2019, 5, 21))
    status = entry_status(entry, date(2019, 5, 15))
    assert status.in_force is False
    assert "84 FR 22961" in status.reason
    assert status.license_requirement is None


def test_an_affiliate_whose_batch_is_not_established_is_possibly_listed_inside_its_window() -> None:
    entry = el_entry(MARINE)
    assert entry_status(entry, date(2019, 5, 15)).in_force is False
    for day in (date(2019, 5, 16), date(2019, 5, 17), date(2019, 8, 18)):
        status = entry_status(entry, day)
        assert status.in_force is None, day
        assert "possibly listed" in status.reason
    assert entry_status(entry, date(2019, 8, 19)).in_force is True
    assert entry_status(entry, date(2019, 8, 19)).listed_from is None


@pytest.mark.parametrize(
    ("day", "footnotes"),
    [
        (date(2020, 5, 14), frozenset()),
        (date(2020, 5, 15), frozenset({1})),
        (date(2020, 5, 16), frozenset({1})),
        (date(2022, 2, 2), frozenset({1})),
        (date(2022, 2, 3), frozenset({1})),
        (date(2022, 9, 8), frozenset({1})),
        (date(2022, 9, 9), frozenset({1, 2})),
    ],
)
def test_huawei_footnotes_over_time(day: date, footnotes: frozenset[int]) -> None:
    status = entry_status(el_entry(HUAWEI), day)
    assert status.in_force is True
    assert status.footnotes == footnotes


def test_huawei_terms_before_and_after_the_fdp_rule() -> None:
    may_2019 = entry_status(el_entry(HUAWEI), date(2019, 6, 1))
    assert may_2019.license_requirement == "For all items subject to the EAR."
    assert may_2019.license_policy == "Presumption of denial."
    aug_2020 = entry_status(el_entry(HUAWEI), date(2020, 9, 15))
    assert aug_2020.license_requirement is not None
    assert "736.2(b)(3)(vi)" in aug_2020.license_requirement
    assert "unverified (R)" in aug_2020.reason
    assert aug_2020.citation == "15 CFR part 744, Supplement No. 4"


def test_smic_policy_split_by_item_then_footnote_5() -> None:
    before, day, _after = around(date(2024, 12, 2))
    old = terms_in_force(SMIC, before)
    assert old is not None
    assert old.footnotes == ()
    [denial, case_by_case] = old.license_policy.rules
    assert denial.policy == "Presumption of denial"
    assert denial.when is not None
    assert denial.when.item_fact == "uniquely_required_for_advanced_node"
    assert denial.when.equals is True
    assert case_by_case.policy == "Case-by-case"
    new = entry_status(el_entry(SMIC), day)
    assert new.footnotes == frozenset({5})
    assert new.license_policy is not None
    assert "200mm" in new.license_policy
    beijing = entry_status(el_entry(SMIC_BEIJING), day)
    assert beijing.license_policy == "Presumption of denial"
    tianjin = terms_in_force(SMIC_TIANJIN, day)
    assert tianjin is not None
    assert tianjin.license_policy.rules[0].policy is None


def test_every_policy_condition_names_a_declared_item_fact() -> None:
    data = entity_list_data()
    declared = {fact.name for fact in data.item_facts}
    assert declared == {"uniquely_required_for_advanced_node", "for_200mm_wafer_production_facility"}


# -- entries without dated facts: the snapshot rules -------------------------------------------------


def other_entry(**overrides: object) -> ListEntry:
    return el_entry("not-a-dated-entry", **overrides)


def test_in_force_from_the_snapshot_date() -> None:
    entry = other_entry()
    assert entry_status(entry, date(2026, 7, 30)).in_force is None
    assert entry_status(entry, date(2026, 7, 31)).in_force is True
    assert entry_status(entry, date(2026, 8, 1)).in_force is True


def test_start_date_means_listed_no_later_than() -> None:
    entry = other_entry(start_date=date(2021, 3, 1))
    assert entry_status(entry, date(2021, 2, 28)).in_force is None  # possibly listed, never "no"
    status = entry_status(entry, date(2021, 3, 1))
    assert status.in_force is True
    assert "no later than 2021-03-01" in status.reason
    assert entry_status(entry, date(2021, 3, 2)).in_force is True


def test_end_date_ends_the_listing() -> None:
    entry = other_entry(start_date=date(2021, 3, 1), end_date=date(2023, 1, 1))
    assert entry_status(entry, date(2022, 12, 31)).in_force is True
    assert entry_status(entry, date(2023, 1, 1)).in_force is False


def test_governing_snapshot_decides_for_undated_entries() -> None:
    class Older:
        as_of = date(2021, 8, 18)

    entry = other_entry(list_code=ListCode.SDN, snapshot_date=date(2021, 8, 18), license_requirement=None)
    assert entry_status(entry, date(2021, 8, 17), Older()).in_force is None
    status = entry_status(entry, date(2021, 8, 18), Older())
    assert status.in_force is True
    assert status.citation is None  # not an EAR list
    assert status.footnotes == frozenset()


# -- footnotes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "footnotes"),
    [
        (TODAY_LR, {1, 2}),
        ("For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2", {1, 2}),
        ("For All Items Subject to the EAR (See §734.9(e)1, and §744.11 of the EAR)2.", {1, 2}),
        ("For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)", {3}),
        ("For all items subject to the EAR (See §§734.9(g)3, 746.8(a)(3), and 744.2l(b) of the EAR)", {3}),
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR) 4", {4}),
        ("For all items subject to the EAR (See §§734.4(a)(9), 734.9(e)(3), and 744.11 of the EAR)5", {5}),
        ("For all items subject to the EAR. (See §744.11 of the EAR)", set()),
        ("For all items subject to the EAR (See § 744.11 of the EAR) 2024 text", set()),
        (None, set()),
    ],
)
def test_parse_footnotes(text: str | None, footnotes: set[int]) -> None:
    assert parse_footnotes(text) == footnotes


# -- the YAML loader is strict -------------------------------------------------------------------------

GOOD = """
item_facts: []
families:
  - id: fam
    name: A family
    first_listed: 2020-01-01
    first_listed_basis: test
    batches:
      - {id: b1, description: first, effective: 2020-01-01, citation: c, sources: [{cite: 1 FR 1}],
         verification: VS, verified_how: test}
    terms:
      - track: t
        versions:
          - {effective: 2020-01-01, superseded: 2021-01-01, license_requirement: all, footnotes: [],
             license_policy: {text: p, rules: [{policy: p}]}, citation: c, sources: [{cite: 1 FR 1}],
             verification: VS, verified_how: test}
          - {effective: 2021-01-01, license_requirement: all, footnotes: [1],
             license_policy: {text: p, rules: [{policy: p}]}, citation: c, sources: [{cite: 1 FR 2}],
             verification: VS, verified_how: test}
    entries:
      - {id: abc, name: An entity, batch: b1}
"""


def test_a_good_file_loads(tmp_path: Path) -> None:
    data = load_entity_list(tmp_path / "el.yaml", GOOD)
    assert data.families[0].entries[0].batch == "b1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "- {id: abc, name: An entity, batch: b1}",
                "- {id: abc, name: An entity, batch: b1, colour: red}",
            ),
            "colour",
        ),
        (
            ("first_listed: 2020-01-01", "first_listed: 2020-01-01\n    first_listed: 2020-02-01"),
            "duplicate key",
        ),
        (("first_listed: 2020-01-01", "first_listed: 2020-13-01"), "line 6: bad date"),
        (("superseded: 2021-01-01", "superseded: 2021-06-01"), "overlaps"),
        (("batch: b1}", "batch: b2}"), "unknown batch"),
        (
            ("batch: b1}", "batch: b1, listed_between: {earliest: 2020-01-01, latest: 2020-02-01}}"),
            "exactly one",
        ),
        (
            (
                "rules: [{policy: p}]}, citation: c, sources: [{cite: 1 FR 1}]",
                (
                    "rules: [{policy: p, when: {item_fact: mystery, equals: true}}]}, "
                    "citation: c, sources: [{cite: 1 FR 1}]"
                ),
            ),
            "unknown item fact",
        ),
        (
            (
                "verification: VS, verified_how: test}\n    terms",
                "verification: XX, verified_how: test}\n    terms",
            ),
            "verification",
        ),
    ],
)
def test_the_loader_names_the_file_and_the_problem(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD
    path = tmp_path / "entity_list.yaml"
    with pytest.raises(SourceFormatError) as raised:
        load_entity_list(path, GOOD.replace(old, new, 1))
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


# -- the packaged facts join the real list --------------------------------------------------------------


@pytest.mark.shared_data
def test_every_dated_entry_is_an_entity_list_row_of_the_real_csl(shared_data: Path) -> None:
    with (shared_data / "csl" / "consolidated.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["_id"]: row for row in csv.DictReader(handle)}
    for family in entity_list_data().families:
        for fact in family.entries:
            row = rows.get(fact.id)
            assert row is not None, fact.id
            assert row["source"].startswith("Entity List"), fact.id
            assert row["name"] == fact.name, fact.id
    # Every footnote 1 row of the real list has a dated fact: the Huawei family is complete.
    footnote_1 = {i for i, row in rows.items() if 1 in parse_footnotes(row["license_requirement"])}
    huawei = {fact.id for fact in entity_list_data().families[0].entries}
    assert footnote_1 == huawei
