"""The case table: cases written from the regulation text and BIS guidance, each with its answer.

Each file in ``cases/`` is a list of ``{name, source, base, with, expect}``. ``base`` names a case in
``cases/_bases.yaml``; ``with`` is merged into it (mappings key by key, ``items`` item by item).
``expect`` may give ``license_required``, ``subject_to_ear`` (``null`` checked as unknown),
``review_policy`` or ``review_policy_contains``, ``applies`` (citations of findings that apply),
``applies_rules`` / ``not_applies_rules`` / ``indeterminate_rules`` (rule ids), ``missing`` (fields the
questions must name, by prefix), ``asks`` (words a question must contain), ``exceptions`` (symbol ->
availability of the first item) and ``items`` (item id -> licence).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from earcheck.casefile import parse_cases
from earcheck.model import Determination, Outcome
from earcheck.workspace import Workspace

CASES = Path(__file__).parent / "cases"
BASES: dict[str, Any] = yaml.safe_load((CASES / "_bases.yaml").read_text())


def merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = merge(base[key], value) if key in base and value is not None else value
        return out
    if isinstance(base, list) and isinstance(patch, list) and all(isinstance(p, dict) for p in patch):
        merged = [merge(b, p) for b, p in zip(base, patch, strict=False)]
        return merged + [copy.deepcopy(p) for p in patch[len(base) :]]
    return copy.deepcopy(patch)


def load() -> list[Any]:
    cases = []
    for path in sorted(CASES.glob("[!_]*.yaml")):
        for entry in yaml.safe_load(path.read_text()):
            document = (
                merge(copy.deepcopy(BASES[entry["base"]]), entry.get("with") or {})
                if "base" in entry
                else entry["case"]
            )
            cases.append(pytest.param(document, entry["expect"], id=f"{path.stem}: {entry['name']}"))
    return cases


def check(answer: Determination, expect: dict[str, Any]) -> None:
    for key in ("license_required", "subject_to_ear"):
        if key in expect:
            assert getattr(answer, key) is expect[key], f"{key}: {getattr(answer, key)} (expected {expect[key]})"
    if "review_policy" in expect:
        assert answer.review_policy == expect["review_policy"]
    if "review_policy_contains" in expect:
        assert expect["review_policy_contains"] in (answer.review_policy or "")
    applying = [f for f in answer.findings if f.outcome is Outcome.APPLIES]
    for citation in expect.get("applies", []):
        assert citation in {f.citation for f in applying}, f"no finding under {citation} applies"
    for rule in expect.get("applies_rules", []):
        assert rule in {f.rule for f in applying}, f"rule {rule} does not apply"
    for rule in expect.get("not_applies_rules", []):
        assert rule not in {f.rule for f in applying}, f"rule {rule} applies"
    for rule in expect.get("does_not_apply_rules", []):
        outcomes = {f.outcome for f in answer.findings if f.rule == rule}
        assert outcomes == {Outcome.DOES_NOT_APPLY}, f"rule {rule}: {sorted(o.value for o in outcomes)}"
    for rule in expect.get("indeterminate_rules", []):
        assert rule in {f.rule for f in answer.findings if f.outcome is Outcome.INDETERMINATE}
    fields = [m.field for m in answer.missing_facts]
    for field in expect.get("missing", []):
        assert any(f.startswith(field) for f in fields), f"no question about {field}; asked: {fields}"
    questions = " ".join(m.question for m in answer.missing_facts)
    for words in expect.get("asks", []):
        assert words in questions, f"no question says {words!r}; asked: {questions}"
    available = {e.symbol: e.available for e in answer.license_exceptions if e.item == answer.items[0].id}
    for symbol, value in (expect.get("exceptions") or {}).items():
        assert available.get(symbol, "missing") is value, (
            f"{symbol}: {available.get(symbol, 'missing')} (expected {value})"
        )
    for item_id, value in (expect.get("items") or {}).items():
        assert next(i for i in answer.items if i.id == item_id).license_required is value


@pytest.mark.parametrize(("document", "expect"), load())
def test_case(real_workspace: Workspace, document: dict[str, Any], expect: dict[str, Any]) -> None:
    [case] = parse_cases(document)
    answer = real_workspace.determine(case)
    # Every determination must explain a null answer.
    if answer.license_required is None:
        assert answer.missing_facts, "a null answer without questions"
    check(answer, expect)


def test_case_table_is_large_enough() -> None:
    assert len(load()) >= 250
