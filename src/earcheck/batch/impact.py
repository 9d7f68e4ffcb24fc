"""``batch impact``: the supply-chain impact analysis (``earcheck.supplychain.impact``) over the
partitions of a portfolio.

The library function is pure over an iterable of cases and one scenario; here each partition's cases
are handed to it in order, and its rows are written keyed by the case's id and line. The scenario file
is part of the job's basis by its SHA-256, so a rerun or a worker that reads another scenario refuses
rather than mix answers of two scenarios. A case the engine cannot decide costs that one case an error
row: the rest of the partition is handed to the function again, from the case after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from earcheck.batch.inputs import BadCase, CaseRow
from earcheck.batch.job import file_sha256
from earcheck.engine.context import Context
from earcheck.errors import EarcheckError
from earcheck.model import Case
from earcheck.supplychain.impact import Derived, ImpactRow, impact
from earcheck.supplychain.rollup import with_boms
from earcheck.supplychain.scenario import Scenario, read_scenario
from earcheck.workspace import Workspace

__all__ = ["impact_rows", "prepare_case", "scenario_basis"]


def scenario_basis(path: Path) -> str:
    """The scenario a job rests on: its name and the SHA-256 of its file (read and validated here)."""
    scenario = read_scenario(path)
    sha, _ = file_sha256(path)
    return f"{scenario.name}#{sha[:16]}"


def prepare_case(workspace: Workspace, case: Case) -> Case:
    """The case as the impact analysis takes it: items given as bills of materials (``bom: ID``) read
    from the workspace's BOM store, as ``Workspace.determine`` reads them."""
    if not any(item.bom is not None for item in case.items):
        return case
    return with_boms(case, workspace.bom_store().load)


# The scenario's contexts a worker process derived for the last scenario it ran (a worker keeps one job's
# state): the partitions of a job share them, and with them what they cached, as one process's run does.
_DERIVED: list[tuple[Scenario, Derived]] = []


def _derived(scenario: Scenario) -> Derived:
    if not _DERIVED or _DERIVED[0][0] is not scenario:
        _DERIVED[:] = [(scenario, {})]
    return _DERIVED[0][1]


def impact_rows(
    source: Path,
    items: Sequence[CaseRow | BadCase],
    scenario: Scenario,
    context_for: Callable[[date], Context],
    prepare: Callable[[Case], Case],
    today: date,
    tail: tuple[Any, ...],
    counts: dict[str, int],
) -> list[tuple[Any, ...]]:
    """One output row per item, in order: the impact row of each case, or an error row."""
    out: dict[int, tuple[Any, ...]] = {}
    good: list[tuple[int, CaseRow, Case]] = []
    for position, item in enumerate(items):
        if isinstance(item, BadCase):
            out[position] = _error(item.id, item.line, item.error, tail)
            continue
        try:
            good.append((position, item, prepare(item.case)))
        except EarcheckError as error:
            out[position] = _error(item.id, item.line, f"{source}, line {item.line}: {error}", tail)
    start = 0
    while start < len(good):
        rows = impact((case for _, _, case in good[start:]), scenario, context_for, today, _derived(scenario))
        done = start
        try:
            for row in rows:
                position, item, _ = good[done]
                out[position] = _row(item, row, tail, counts)
                done += 1
        except Exception as error:  # a case the engine cannot decide costs that case, never the partition
            position, item, _ = good[done]
            reason = str(error) if isinstance(error, EarcheckError) else f"could not be decided ({error!r})"
            out[position] = _error(item.id, item.line, f"{source}, line {item.line}: {reason}", tail)
            done += 1
        start = done
    return [out[position] for position in range(len(items))]


def _row(item: CaseRow, row: ImpactRow, tail: tuple[Any, ...], counts: dict[str, int]) -> tuple[Any, ...]:
    for word, counted in (("reevaluated", row.reevaluated), ("skipped", not row.reevaluated), ("changed", row.changed)):
        if counted:
            counts[word] = counts.get(word, 0) + 1
    counts["determinations"] = counts.get("determinations", 0) + row.determinations
    return (
        item.id, item.line, row.as_of.isoformat(), row.reevaluated, row.skipped_because, row.changed,
        row.license_before, row.license_after, row.subject_before, row.subject_after, row.policy_before,
        row.policy_after, json.dumps(list(row.now_applies), ensure_ascii=False),
        json.dumps(list(row.no_longer_applies), ensure_ascii=False), row.value, None, *tail,
    )  # fmt: skip


def _error(case_id: str | None, line: int, error: str, tail: tuple[Any, ...]) -> tuple[Any, ...]:
    return (case_id or "", line, *(None,) * 13, error, *tail)
