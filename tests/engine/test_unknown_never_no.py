"""The property of issue 3: unknown is never read as "no".

For any case whose answer is ``true``, replacing any one fact with "unknown" (omitting it) must give
``true`` or ``null``, never ``false``. Checked exhaustively over every fact of every licence-requiring
case in the case table, and on cases Hypothesis generates.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earcheck.casefile import parse_cases
from earcheck.workspace import Workspace
from tests.engine.test_cases import load

# Fields whose omission means a default rather than "unknown", or that are required: not knocked out.
DEFAULTED = {"activity", "location", "as_of", "end_uses", "role", "id", "description", "country", "name"}


def fact_paths(document: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of every fact that may be omitted (set to null) in a case document."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in DEFAULTED or (not prefix and key in ("destination", "items")):
                if key == "items":
                    yield from fact_paths(value, (*prefix, key))
                continue
            if value is not None:
                yield (*prefix, key)
            yield from fact_paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from fact_paths(value, (*prefix, index))


def knocked_out(document: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    out = copy.deepcopy(document)
    target: Any = out
    for part in path[:-1]:
        target = target[part]
    if isinstance(target, list):
        target.pop(path[-1])  # an omitted list element: one fewer known fact (e.g. a known-US plant)
    else:
        target[path[-1]] = None
    return out


def answer(workspace: Workspace, document: dict[str, Any]) -> bool | None:
    [case] = parse_cases(document)
    return workspace.determine(case, today=date(2026, 11, 26)).license_required


TRUE_CASES = [p for p in load() if p.values[1].get("license_required") is True]


@pytest.mark.parametrize(("document", "expect"), TRUE_CASES)
def test_omitting_any_fact_of_a_true_case_never_gives_false(
    real_workspace: Workspace, document: dict[str, Any], expect: dict[str, Any]
) -> None:
    assert answer(real_workspace, document) is True
    for path in fact_paths(document):
        if path[-1] == "items" or (isinstance(path[-1], int) and path[-2] == "items"):
            continue
        result = answer(real_workspace, knocked_out(document, path))
        assert result is not False, f"omitting {'.'.join(map(str, path))} turned a required licence into 'no'"


NAMES = [
    "Huawei Technologies Co., Ltd.",
    "Semiconductor Manufacturing International Corporation",
    "HiSilicon Technologies Co., Ltd.",
    "SCIENTIFIC DATA SYSTEMS, LTD.",
    "Arctic Star Co., Ltd.",
    "ABU SAYYAF GROUP",
    "AECC Aviation Power Co. Ltd.",
    "Kestrel Fieldworks Ltd.",
]
ECCNS = ["EAR99", "3A001.a.1.b", "3A991.a", "3B001.a.1", "3B001.d", "5A002.a", "3C005", "3A090.a", "9A999", None]
COUNTRIES = ["CN", "DE", "TH", "IR", "CU", "RU", "KP", "TW", "US"]
DATES = [date(2019, 5, 15), date(2019, 5, 16), date(2020, 6, 1), date(2020, 9, 20), date(2021, 6, 1), date(2023, 3, 1)]

party = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "role": st.sampled_from(["purchaser", "ultimate_consignee", "end_user", "intermediate_consignee", "other"]),
    }
)
content = st.fixed_dictionaries(
    {"eccn": st.sampled_from(["3A001.a.1.b", "EAR99", "5E002.a", "3C005"]), "value": st.integers(0, 200)}
)
production = st.fixed_dictionaries(
    {
        "us_technology": st.sampled_from([[], ["3E001"], ["3D991"], None]),
        "plant": st.sampled_from([[], [{"us_technology": ["3E001"]}], [{"us_technology": []}], None]),
        "designed_by": st.sampled_from([None, "HiSilicon Technologies Co., Ltd.", "Osprey Microsystems Co."]),
        "production_started": st.sampled_from([None, "2020-04-01", "2020-06-01"]),
    }
)
item = st.fixed_dictionaries(
    {
        "eccn": st.sampled_from(ECCNS),
        "origin": st.sampled_from(COUNTRIES),
        "value": st.integers(1, 1000),
        "us_content": st.one_of(st.none(), st.lists(content, max_size=2)),
        "production": st.one_of(st.none(), production),
        "food_or_medicine": st.sampled_from([None, True, False]),
        "in_supplement_2_to_part_744": st.sampled_from([None, True, False]),
        "exception_facts": st.sampled_from([None, {"temporary": True}, {"temporary": False}]),
    }
)
case = st.fixed_dictionaries(
    {
        "as_of": st.sampled_from([d.isoformat() for d in DATES]),
        "destination": st.sampled_from(COUNTRIES[:-1]),
        "exporter": st.fixed_dictionaries({"name": st.sampled_from(["Osprey Microsystems Co.", *NAMES[:2]])}),
        "parties": st.one_of(st.none(), st.lists(party, max_size=2)),
        "end_uses": st.lists(st.sampled_from(["military", "nuclear", "supercomputer"]), max_size=1),
        "items": st.lists(item, min_size=1, max_size=1),
        "knowledge": st.one_of(st.none(), st.fixed_dictionaries({"for_products_of": st.sampled_from([[], NAMES[:1]])})),
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=case)
def test_generated_cases_never_turn_false_when_a_fact_is_unknown(
    real_workspace: Workspace, document: dict[str, Any]
) -> None:
    if answer(real_workspace, document) is not True:
        return
    for path in fact_paths(document):
        if path[-1] == "items" or (isinstance(path[-1], int) and path[-2] == "items"):
            continue
        result = answer(real_workspace, knocked_out(document, path))
        assert result is not False, f"omitting {'.'.join(map(str, path))} gave 'no' for {document}"
