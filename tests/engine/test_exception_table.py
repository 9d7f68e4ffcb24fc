"""The licence-exception case table is complete, and unknown facts never open an exception.

Issue 17's bar for the table: for every exception (and authorisation) earcheck models, at least one case
where it is available, one where it is not and one where it is unknown, on dates it was in force, and one
case on a date it did not exist whenever such a date falls inside earcheck's coverage. The second test
is the exception side of "unknown is never no": omitting a fact the case gave may leave an exception
unknown, but never makes one available that was not.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from earcheck.casefile import parse_cases
from earcheck.regulations.exceptions import exception_data
from earcheck.sources import license_exceptions
from earcheck.workspace import Workspace
from tests.engine.test_cases import load

COVERS_FROM = date(2019, 1, 1)
TODAY = date(2026, 11, 26)


def _expectations() -> list[tuple[dict[str, Any], str, bool | None]]:
    found = []
    for param in load():
        document, expect = param.values
        for symbol, value in (expect.get("exceptions") or {}).items():
            found.append((document, symbol, value))
    return found


def _as_of(document: dict[str, Any]) -> date:
    value = document.get("as_of")
    return value if isinstance(value, date) else date.fromisoformat(str(value)) if value else TODAY


def test_every_exception_has_available_unavailable_unknown_and_not_in_force_cases() -> None:
    data = exception_data()
    seen: dict[str, set[str]] = defaultdict(set)
    for document, symbol, value in _expectations():
        rule = next(r for r in data.exceptions if r.symbol == symbol)
        in_force = rule.version_on(_as_of(document)) is not None
        if in_force:
            seen[symbol].add({True: "available", False: "unavailable", None: "unknown"}[value])
        else:
            assert value is False, f"{symbol} expected {value} on a date it was not in force"
            seen[symbol].add("not in force")
    missing = {}
    for rule in data.exceptions:
        wanted = {"available", "unavailable", "unknown"}
        if rule.first > COVERS_FROM or rule.versions[-1].superseded is not None:
            wanted.add("not in force")
        if wanted - seen[rule.symbol]:
            missing[rule.symbol] = sorted(wanted - seen[rule.symbol])
    assert not missing, f"cases missing: {missing}"


def _exception_fact_paths(document: dict[str, Any]) -> list[tuple[int, str]]:
    return [
        (index, key)
        for index, item in enumerate(document.get("items") or [])
        for key, value in (item.get("exception_facts") or {}).items()
        if value is not None
    ]


CASES = [
    pytest.param(param.values[0], param.values[1], id=param.id)
    for param in load()
    if any(v is not True for v in (param.values[1].get("exceptions") or {}).values())
]


@pytest.mark.parametrize(("document", "expect"), CASES)
def test_omitting_an_exception_fact_never_opens_an_exception(
    real_workspace: Workspace, document: dict[str, Any], expect: dict[str, Any]
) -> None:
    def available(doc: dict[str, Any]) -> dict[str, bool | None]:
        [case] = parse_cases(doc)
        answer = real_workspace.determine(case, today=TODAY)
        first = answer.items[0].id
        return {e.symbol: e.available for e in answer.license_exceptions if e.item == first}

    before = available(document)
    for index, key in _exception_fact_paths(document):
        changed = copy.deepcopy(document)
        changed["items"][index]["exception_facts"][key] = None
        after = available(changed)
        opened = [s for s, v in after.items() if v is True and before.get(s) is not True]
        assert not opened, f"omitting items[{index}].exception_facts.{key} opened {opened}"


@pytest.mark.shared_data
def test_the_2026_catalogue_is_modelled_section_for_section(shared_data: Path) -> None:
    # Every row of the eCFR's Part 740 catalogue of 2026-07-23 is an exception earcheck models in force on
    # that date, at the same section (VD); CIV, removed in 2020, is absent from the catalogue.
    catalogue = {
        info.symbol: info.section for info in license_exceptions.parse(shared_data / "ear" / "license_exceptions.csv")
    }
    data = exception_data()
    edition = date(2026, 7, 23)
    modelled = {r.symbol: r for r in data.exceptions if r.kind.value == "license_exception"}
    for symbol, section in catalogue.items():
        assert symbol in modelled, f"{symbol} ({section}) is not modelled"
        version = modelled[symbol].version_on(edition)
        assert version is not None, f"{symbol} is not in force on {edition}"
        assert version.citation == section
    assert set(modelled) - set(catalogue) == {"CIV"}
