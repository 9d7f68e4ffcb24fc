"""The column-wise rollup gives what the row-wise one gave, line for line (issue 12: a million-line BOM).

The oracle is the rollup as it was on main before the rewrite (``rowwise_rollup.py``: ``Bom.placements()``
and the tree rules read line by line). Generated trees (Hypothesis) cover every tree rule of the rollup --
inside a US-origin part, second incorporation, looked-through own sub-assemblies, unknown origins and
discrete-product facts at any depth, a part used under two parents, foreign currencies -- for destinations
with the 25% and the 10% level and Part 746 controls; the phone cases of test_rollup.py are checked too.
Equality is exact: every field of every line, the sums, the margin, the what-ifs and the questions in order.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from earcheck.casefile import determination_json, parse_cases
from earcheck.model import Rollup
from earcheck.supplychain.bom import Bom, BomLine, parse_bom
from earcheck.supplychain.rollup import RollupLines, rollup, with_boms
from earcheck.workspace import Workspace
from tests.supplychain.rowwise_rollup import bom_contents as rowwise_contents
from tests.supplychain.rowwise_rollup import rowwise_rollup
from tests.supplychain.test_rollup import HEADER, PHONE

pytestmark = pytest.mark.shared_data

TODAY = date(2026, 11, 26)
ECCNS = [None, "EAR99", "3A001.a.1", "3A991.a", "5A991", "3A001.b.2", "4A994.b", "5A992.c"]
ORIGINS = ["US", None, "CN", "KR"]
TRI = [True, False, None]
QUANTITIES = [Decimal(1), Decimal(2), Decimal(3), Decimal("0.5"), Decimal("1.25")]
VALUES = [Decimal(0), Decimal("0.01"), Decimal("1.5"), Decimal(10), Decimal(25)]
# No shrinking: a failing tree is small already, and shrinking one on this engine takes minutes.
SEARCH = [Phase.explicit, Phase.reuse, Phase.generate]


def _both(workspace: Workspace, bom: Bom, destination: str, as_of: date) -> tuple[Rollup, Rollup]:
    document = {"as_of": as_of, "destination": destination, "parties": [], "items": [{"id": "top", "bom": "b"}]}
    case = with_boms(parse_cases(document)[0], lambda _: bom)
    assert case.items[0].us_content == rowwise_contents(bom, "items[0].bom")
    context = workspace.context(as_of)
    return rollup(case, 0, bom, context, TODAY), rowwise_rollup(case, 0, bom, context, TODAY)


def _same(new: Rollup, old: Rollup) -> None:
    assert isinstance(new.lines, RollupLines)
    assert tuple(new.lines) == old.lines  # every field of every line, in the same order
    for name in Rollup.__dataclass_fields__:
        if name != "lines":
            assert getattr(new, name) == getattr(old, name), name


@st.composite
def trees(draw: st.DrawFn) -> Bom:
    """A top item and up to 24 lines below it; each new part goes under an earlier one, and a few parts are
    used again under a second, earlier parent (never a descendant of their own, so there is no cycle)."""
    count = draw(st.integers(1, 24))
    names = ["top"]
    pairs: set[tuple[str, str]] = set()
    specs: list[tuple[str, str]] = []
    for index in range(count):
        parent = names[draw(st.integers(0, len(names) - 1))]
        name = f"p{index}"
        names.append(name)
        specs.append((name, parent))
        pairs.add((name, parent))
    for _ in range(draw(st.integers(0, 3))):
        again = draw(st.integers(1, len(names) - 1))
        parent = names[draw(st.integers(0, again - 1))]
        if (names[again], parent) not in pairs:
            pairs.add((names[again], parent))
            specs.append((names[again], parent))
    lines = [
        BomLine(2, "top", None, Decimal(1), draw(st.sampled_from([Decimal(100), Decimal("999.99")])), "USD", "CN", None)
    ]
    for row, (name, parent) in enumerate(specs, start=3):
        lines.append(
            BomLine(
                row=row,
                part=name,
                parent=parent,
                quantity=draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(3), Decimal("0.5"), Decimal("1.25")])),
                unit_value=draw(
                    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("1.5"), Decimal(10), Decimal(25)])
                ),
                currency=draw(st.sampled_from(["USD", "USD", "EUR"])),
                origin=draw(st.sampled_from(ORIGINS)),
                eccn=draw(st.sampled_from(ECCNS)),
                supplier=draw(st.sampled_from([None, "Acme"])),
                integrated_circuit=draw(st.sampled_from(TRI)),
                discrete_product=draw(st.sampled_from(TRI)),
            )
        )
    return Bom(tuple(lines), "generated", {"EUR": Decimal("1.08")})


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    bom=trees(),
    destination=st.sampled_from(["CN", "KP", "CU", "RU", "DE"]),
    as_of=st.sampled_from([date(2019, 10, 20), date(2023, 6, 1), date(2026, 8, 1)]),
)
def test_generated_trees_roll_up_as_line_by_line(
    supply_workspace: Workspace, bom: Bom, destination: str, as_of: date
) -> None:
    _same(*_both(supply_workspace, bom, destination, as_of))


def _phone(rows: list[str]) -> Bom:
    return parse_bom(HEADER.split(","), [row.split(",") for row in rows])


@pytest.mark.parametrize(
    "rows",
    [
        PHONE,
        [r.replace("Samsung Display,yes", "Samsung Display,no") for r in PHONE],
        [r.replace("Samsung Display,yes", "Samsung Display,") for r in PHONE],
        [*PHONE, "amp,phone,1,30,USD,,3A001.a.1,Acme,", "ic,amp,2,3,USD,US,,TI,"],
    ],
    ids=["phone", "own-display", "display-open", "origin-open"],
)
@pytest.mark.parametrize("destination", ["CN", "KP"])
def test_phone_cases_roll_up_as_line_by_line(supply_workspace: Workspace, rows: list[str], destination: str) -> None:
    _same(*_both(supply_workspace, _phone(rows), destination, date(2026, 8, 1)))


def test_benchmark_tree_rolls_up_as_line_by_line(supply_workspace: Workspace) -> None:
    from benchmarks.bench_supplychain import generated_bom

    _same(*_both(supply_workspace, generated_bom(6_000), "CN", date(2026, 8, 1)))


def test_lines_read_as_a_sequence_and_as_json(supply_workspace: Workspace) -> None:
    bom = _phone(PHONE)
    new, old = _both(supply_workspace, bom, "CN", date(2026, 8, 1))
    assert len(new.lines) == len(old.lines) == 10
    assert new.lines[-1] == old.lines[-1]
    assert new.lines[2:4] == old.lines[2:4]
    with pytest.raises(IndexError):
        new.lines[10]
    # Through the workspace and out as JSON (the CLI's --json, the API): every line, written out in full.
    document = {"as_of": date(2026, 8, 1), "destination": "CN", "items": [{"id": "phone", "bom": ""}]}
    document["items"][0]["bom"] = supply_workspace.bom_store().save(bom)
    shown: dict[str, Any] = determination_json(supply_workspace.determine(parse_cases(document)[0]))
    lines = shown["rollups"][0]["lines"]
    assert [line["part"] for line in lines] == [line.part for line in old.lines]
    assert lines[1]["because"] == old.lines[1].because
    assert lines[1]["path"] == list(old.lines[1].path)
