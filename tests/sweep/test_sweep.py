"""Issue 10, item 6: the CCL-wide sweep. Every entry of the snapshot, at the bare ECCN and at every paragraph its
control texts name, exported from the US (US origin) to CN, RU, DE, CA, IN, AE, GB, VN, IR, KP and CU, checked
against the independent reading in ``tests/sweep/reader.py``. ``python -m tests.sweep`` prints the full report.

Done when (issue 10): "The sweep finds no wrong "no", and `null` in at most 1% of the sweep cases that the
table text decides." All of it holds since the ccl-reading work (the sweep found 51 wrong "no" before it).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.sweep.reader import Reader, Verdict
from tests.sweep.run import DESTINATIONS, NULL_SHARE_LIMIT, Outcome, null_share, report

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]  # the sweep: ~10,000 determinations


def _listing(title: str, found: list[Outcome]) -> str:
    return f"{len(found)} {title}:\n" + "\n".join(o.describe() for o in found)


def test_the_sweep_covers_the_whole_ccl(reader: Reader, outcomes: list[Outcome]) -> None:
    assert {o.eccn for o in outcomes} == set(reader.entries)
    assert len(reader.entries) == 633
    assert {o.destination for o in outcomes} == set(DESTINATIONS)
    named = sum(len(e.paragraphs) + 1 + bool(e.elsewhere) for e in reader.entries.values())
    assert len(outcomes) == named * len(DESTINATIONS)
    assert all(o.screened_clean for o in outcomes), "the sweep's consignee must screen clean"
    decided = Counter(o.reading.verdict for o in outcomes)
    assert decided[Verdict.REQUIRED] > 5000  # the text decides most cases; a reader gone blind would not
    assert decided[Verdict.NOT_REQUIRED] > 1000


def test_never_no_licence_where_the_text_requires_one(outcomes: list[Outcome]) -> None:
    wrong = [o for o in outcomes if o.wrong_no]
    assert not wrong, _listing("wrong 'no' (the text requires a licence, the engine says false)", wrong)


def test_never_a_licence_where_the_text_requires_none(outcomes: list[Outcome]) -> None:
    wrong = [o for o in outcomes if o.wrong_yes]
    assert not wrong, _listing("wrong 'yes' (the text requires no licence, the engine says true)", wrong)


def test_null_is_rare_where_the_text_decides(outcomes: list[Outcome]) -> None:
    share = null_share(outcomes)
    print(report(outcomes, full=False, limit=10))
    nulls = [o for o in outcomes if o.null_where_decided]
    assert share <= NULL_SHARE_LIMIT, f"{share:.2%} null where the text decides\n" + report(outcomes, full=False)
    assert len(nulls) <= NULL_SHARE_LIMIT * sum(o.reading.decided for o in outcomes)


def test_never_no_licence_without_ground_in_the_text(outcomes: list[Outcome]) -> None:
    """Where the text decides nothing but gives no ground for "no" either (an entry whose rows the snapshot
    lacks while its reasons could reach the destination; Iran, where 746.7(a)(1)(ii) turns on an HTS listing
    the case leaves unknown), "no licence required" would be reading absence as "none"."""
    wrong = [o for o in outcomes if o.unfounded_no]
    assert not wrong, _listing("'no' without ground in the text", wrong)


def test_itar_placeholders_are_not_subject_to_the_ear(outcomes: list[Outcome]) -> None:
    """15 CFR 734.3(b)(1): items subject to the ITAR are not subject to the EAR; 31 CCL entries are only
    placeholders saying so ("These items are “subject to the ITAR.” See 22 CFR parts 120 through 130."), and
    0E001 is technology for two of them only."""
    wrong = [o for o in outcomes if o.placeholder_subject]
    assert not wrong, _listing("ITAR placeholders not answered subject_to_ear: false", wrong)
