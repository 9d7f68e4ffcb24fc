"""The case table covers every modelled rule three ways.

Each foreign-direct-product rule (734.9 and its 736.2(b)(3) predecessors), each 734.4(a) case with no de
minimis level and each Part 744 end-use rule must have, in ``cases/``, a case it decides ``applies``, one it
decides ``does not apply`` and one it leaves ``indeterminate`` -- each on a date the rule was in force (a
rule not yet in force "does not apply" trivially), and each naming the regulation text it was written from.
The cases' own ``applies_rules`` / ``not_applies_rules`` / ``indeterminate_rules`` expectations are what
count here; ``test_cases.py`` checks that the engine meets them.

A rule that reaches every item subject to the EAR, anywhere (744.3(a)(2), 744.4), leaves nothing of its own
open: its unknown case is one where the rule reaches the item and the licence is ``null`` because whether the
item is subject to the EAR is (such a case lists the rule in ``applies_rules`` and expects
``license_required: null``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from earcheck.regulations.de_minimis import de_minimis_data
from earcheck.regulations.end_use import end_use_data
from earcheck.regulations.fdp import fdp_rules
from tests.engine.test_cases import CASES, load

KINDS = {"applies_rules": "applies", "not_applies_rules": "does not apply", "indeterminate_rules": "indeterminate"}


def _between(effective: date, superseded: date | None) -> Callable[[date], bool]:
    return lambda day: effective <= day and (superseded is None or day < superseded)


def _rules() -> dict[str, Callable[[date], bool]]:
    """Every rule id the coverage is asked of, with whether it is in force on a date."""
    rules: dict[str, Callable[[date], bool]] = {}
    for rule in fdp_rules():
        rules[rule.id] = partial(lambda rule, day: rule.version(day) is not None, rule)
    for case in de_minimis_data().no_de_minimis:
        rules[case.id] = _between(case.effective, case.superseded)
    data = end_use_data()
    for end_use in data.rules:
        rules[end_use.id] = partial(lambda end_use, day: data.version(end_use, day) is not None, end_use)
    first = min(flag.effective for flag in data.us_person_support)
    rules["end_use.us_person_support"] = _between(first, None)
    return rules


RULES = _rules()


def _covered() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for param in load():
        document, expect = param.values
        assert isinstance(document, dict)
        assert isinstance(expect, dict)
        day = _as_of(document)
        for key in KINDS:
            for rule_id in expect.get(key, []):
                if rule_id in RULES and RULES[rule_id](day):
                    found.setdefault((rule_id, key), []).append(str(param.id))
                    if key == "applies_rules" and "license_required" in expect and expect["license_required"] is None:
                        found.setdefault((rule_id, "indeterminate_rules"), []).append(str(param.id))
    return found


def _as_of(document: dict[str, Any]) -> date:
    value = document["as_of"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


COVERED = _covered()


@pytest.mark.parametrize("rule_id", sorted(RULES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_rule_has_a_case_of_each_outcome_while_in_force(rule_id: str, kind: str) -> None:
    assert COVERED.get((rule_id, kind)), (
        f"no case in tests/engine/cases expects {rule_id} to be '{KINDS[kind]}' on a date it was in force"
    )


def test_every_case_names_its_source() -> None:
    for path in sorted(Path(CASES).glob("[!_]*.yaml")):
        for entry in yaml.safe_load(path.read_text()):
            assert str(entry.get("source") or "").strip(), f"{path.name}: {entry['name']!r} names no source"
