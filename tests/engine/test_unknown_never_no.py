"""The property of issue 3: unknown is never read as "no" -- and its converse (issue 10).

For any case whose answer is ``true``, replacing any one fact with "unknown" (omitting it) must give
``true`` or ``null``, never ``false``. Checked exhaustively over every fact of every licence-requiring
case in the case table, and on cases Hypothesis generates. Conversely, where every completion of the
omitted finite-domain facts (yes/no facts, the region, the ECCN paragraph) gives the same answer, the
engine must give that answer: checked by brute force over small generated fact spaces.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from earcheck.casefile import parse_cases
from earcheck.engine.agreement import COMPLETION_LIMIT
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


# --- the converse: an answer every completion agrees on is the answer -----------------------------------
#
# For each omitted fact with a small, finite set of values, the test fills it in every way and asks the
# engine about each completed case. Where all completions give the same answer, the engine must give it
# for the case with the facts omitted. The paragraph completions of an entry-level ECCN are written here
# from the rows' own words: every paragraph a row names, and one it does not.
PARAGRAPHS = {
    # 9A610: NS/RS "entire entry except: 9A610.b; ... 9A610.x if ...; and 9A610.y"; "MT applies to 9A610.t,
    # .u, .v, and .w"; "RS applies to 9A610.y"; "UN applies to entire entry except 9A610.y". Unnamed: .a.
    "9A610": ["9A610.a", "9A610.b", "9A610.t", "9A610.u", "9A610.v", "9A610.w", "9A610.x", "9A610.y"],
    # 5A001: "NS applies to 5A001.a, b.5, ..." (NS1) and "NS applies to 5A001.b (except .b.5), ..." (NS2).
    "5A001.b": ["5A001.b.1", "5A001.b.5"],
    # 3A001: "MT applies to 3A001.a.1.a when usable in “missiles”; ..."
    "3A001.a.1": ["3A001.a.1.a", "3A001.a.1.b"],
    # 1C351: "CB applies to items controlled by 1C351.d.15 and .16" (CB1), "CB applies to entire entry" (CB2).
    "1C351": ["1C351.a", "1C351.d.15", "1C351.d.16"],
}
FLAGS = ["food_or_medicine", "listed_by_hts_in_part_746", "in_supplement_2_to_part_744"]

converse_case = st.fixed_dictionaries(
    {
        "as_of": st.just("2026-08-15"),
        "destination": st.sampled_from(["DE", "CN", "KP", "IR", "UA", "SY", "CA", "GB", "RU"]),
        "exporter": st.just({"name": "Blue Heron Instruments Inc.", "country": "US"}),
        "parties": st.just([]),
        "end_uses": st.sampled_from([[], ["military"]]),
        "region": st.sampled_from([None, "crimea", "other"]),
        "ofac_authorized": st.sampled_from([None, True, False]),
        "items": st.lists(
            st.fixed_dictionaries(
                {
                    "eccn": st.sampled_from(["EAR99", "9A610", "9A610.a", "5A001.b", "3A001.a.1", "1C351", "0A983"]),
                    "origin": st.just("US"),
                    "value": st.just(100),
                    **{flag: st.sampled_from([None, True, False]) for flag in FLAGS},
                }
            ),
            min_size=1,
            max_size=1,
        ),
    }
)


def completions(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every way of filling in the document's omitted finite facts."""
    choices: list[list[tuple[tuple[Any, ...], Any]]] = []
    item = document["items"][0]
    for flag in FLAGS:
        if item[flag] is None:
            choices.append([(("items", 0, flag), value) for value in (True, False)])
    if document["ofac_authorized"] is None:
        choices.append([(("ofac_authorized",), value) for value in (True, False)])
    if document["region"] is None:
        choices.append([(("region",), value) for value in ("crimea", "dnr", "lnr", "other")])
    if item["eccn"] in PARAGRAPHS:
        choices.append([(("items", 0, "eccn"), eccn) for eccn in PARAGRAPHS[item["eccn"]]])
    for picked in itertools.product(*choices):
        completed = copy.deepcopy(document)
        for path, value in picked:
            target: Any = completed
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        yield completed


def _example(destination: str, eccn: str, **facts: Any) -> dict[str, Any]:
    """A case with every finite fact given (False, "other") but those in ``facts`` (None: omitted)."""
    item = {"eccn": eccn, "origin": "US", "value": 100, **dict.fromkeys(FLAGS, False)}
    item.update({k: v for k, v in facts.items() if k in FLAGS})
    return {
        "as_of": "2026-08-15",
        "destination": destination,
        "exporter": {"name": "Blue Heron Instruments Inc.", "country": "US"},
        "parties": [],
        "end_uses": [],
        "region": facts.get("region", "other"),
        "ofac_authorized": facts.get("ofac_authorized", False),
        "items": [item],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=converse_case)
@example(document=_example("CN", "5A001.b"))  # NS1 for b.5, NS2 for the rest of .b: China has both
@example(document=_example("CN", "1C351"))  # CB1 for d.15/.16, CB2 for the rest: China has both
@example(document=_example("DE", "9A610"))  # .b, .y: no; .a, .t-.w: yes -- no agreement
@example(document=_example("KP", "EAR99", food_or_medicine=None))  # food or medicine decides 746.4(a)
@example(document=_example("UA", "9A610", region=None))
def test_an_answer_every_completion_agrees_on_is_given(real_workspace: Workspace, document: dict[str, Any]) -> None:
    filled = [answer(real_workspace, completed) for completed in completions(document)]
    if len(filled) > COMPLETION_LIMIT or None in filled or len(set(filled)) != 1:
        return  # the completions disagree (or some stay open): nothing to check
    assert answer(real_workspace, document) is filled[0], f"every completion gives {filled[0]} for {document}"
