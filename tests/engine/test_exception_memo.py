"""The licence-exception memo (``Context.exception_memo``) gives the answers the plain evaluation gives.

The memo keeps an item's licence exceptions by the inputs they are worked out from, without the case
date unless their words name it. Each case of the case table is decided on a context whose memo was
filled first by the same case on other dates (where a date-free entry could be wrongly reused) and
once already (replay), and on a context that keeps nothing; the two answers must be equal in full.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from earcheck.casefile import parse_cases
from earcheck.engine.context import Context
from earcheck.engine.determine import determine
from earcheck.errors import EarcheckError
from earcheck.workspace import Workspace
from tests.engine.test_cases import load

TODAY = date(2026, 11, 26)
SHIFTS = (timedelta(days=1), timedelta(days=-200))


class _Forgetful(Context):
    """A context that keeps no licence exceptions: every item's are worked out afresh."""

    def keep_exceptions(self, key: tuple[object, ...], value: object) -> None:
        return None


def _documents() -> list[Any]:
    return [pytest.param(case.values[0], id=case.id) for case in load()]


@pytest.mark.parametrize("document", _documents())
def test_memo_answers_as_the_plain_evaluation(real_workspace: Workspace, document: Any) -> None:
    try:
        cases = parse_cases(document)
    except EarcheckError:
        pytest.skip("a case written to be refused")
    for case in cases:
        as_of = case.as_of or TODAY
        base = real_workspace.context(as_of)
        memo = Context(base.tables, base.screener, base.lists_version, base.rules)
        plain = _Forgetful(base.tables, base.screener, base.lists_version, base.rules)
        for shift in SHIFTS:
            try:
                determine(dataclasses.replace(case, as_of=as_of + shift), memo, TODAY)
            except EarcheckError:
                continue  # a date the data does not cover: nothing kept
        try:
            expected = determine(case, plain, TODAY)
        except EarcheckError as error:
            with pytest.raises(type(error)):
                determine(case, memo, TODAY)
            continue
        assert determine(case, memo, TODAY) == expected
        assert memo.exception_memo or not expected.license_exceptions  # the memo was used
        assert determine(case, memo, TODAY) == expected  # replayed from the memo
