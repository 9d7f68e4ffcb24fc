"""The shrink guard (``earcheck.store.shrinkage``): a list that disappears or loses more than a tenth of
its rows against the snapshot before it is refused; backfills and small changes are not."""

from __future__ import annotations

from datetime import date

from earcheck.lists import ListCode
from earcheck.store.shrinkage import ListCounts, shrinkages

EL, SDN = ListCode.EL, ListCode.SDN
JULY = ListCounts("csl-july.csv", date(2026, 7, 31), {EL: 3420, SDN: 19181})


def test_a_list_that_disappears_is_found() -> None:
    cut = ListCounts("cut.csv", date(2026, 9, 1), {EL: 0, SDN: 19181})
    [found] = shrinkages([cut], [JULY])
    assert found.list_code is EL
    assert found.disappeared
    assert found.describe() == "EL: no rows in cut.csv of 2026-09-01, against 3,420 in csl-july.csv of 2026-07-31"


def test_a_list_that_loses_more_than_a_tenth_is_found() -> None:
    cut = ListCounts("cut.csv", date(2026, 9, 1), {EL: 3070, SDN: 19181})  # 350 fewer: 10.2%
    [found] = shrinkages([cut], [JULY])
    assert found.list_code is EL
    assert not found.disappeared
    assert "10% fewer than 3,420" in found.describe()


def test_ordinary_changes_pass() -> None:
    august = ListCounts("csl-aug.csv", date(2026, 8, 31), {EL: 3100, SDN: 18000, ListCode.CAP: 0})
    assert shrinkages([august], [JULY]) == []  # 9.4% and 6.2% fewer; CAP had no rows before either


def test_small_lists_may_lose_a_few_rows() -> None:
    before = ListCounts("a.csv", date(2026, 7, 1), {ListCode.PLC: 20})
    assert shrinkages([ListCounts("b.csv", date(2026, 8, 1), {ListCode.PLC: 12})], [before]) == []  # 8 fewer
    assert len(shrinkages([ListCounts("b.csv", date(2026, 8, 1), {ListCode.PLC: 0})], [before])) == 1


def test_only_the_predecessor_in_date_is_compared() -> None:
    # An older file imported after a newer one is smaller by nature: lists grow.
    older = ListCounts("sdn-2021.csv", date(2021, 8, 18), {SDN: 9083})
    assert shrinkages([older], [JULY]) == []
    # ... but it is the predecessor of files dated after it.
    newer = ListCounts("sdn-2022.csv", date(2022, 1, 1), {SDN: 10})
    [found] = shrinkages([newer], [JULY, older])
    assert found.before is older


def test_files_of_one_import_are_compared_in_date_order() -> None:
    full = ListCounts("full.csv", date(2026, 8, 1), {EL: 3400})
    cut = ListCounts("cut.csv", date(2026, 8, 2), {EL: 100})
    [found] = shrinkages([cut, full], [])
    assert found.new is cut
    assert found.before is full


def test_a_later_import_of_the_same_date_is_the_predecessor() -> None:
    first = ListCounts("first.csv", date(2026, 8, 1), {EL: 100})
    again = ListCounts("again.csv", date(2026, 8, 1), {EL: 3400})
    assert len(shrinkages([ListCounts("next.csv", date(2026, 8, 2), {EL: 3300})], [first, again])) == 0
    assert len(shrinkages([ListCounts("next.csv", date(2026, 8, 2), {EL: 150})], [first, again])) == 1
