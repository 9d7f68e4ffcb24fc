"""Issue 10, item 6: the CCL-wide sweep. Every entry of the snapshot, at the bare ECCN and at every paragraph its
control texts name, exported from the US (US origin) to CN, RU, DE, CA, IN, AE, GB, VN, IR, KP and CU, checked
against the independent reading in ``tests/sweep/reader.py``. ``python -m tests.sweep`` prints the full report.

Done when (issue 10): "The sweep finds no wrong "no", and `null` in at most 1% of the sweep cases that the
table text decides." The assertions that fail on main carry ``xfail(strict=True)``; the ``ccl-reading``
branch removes each marker when its fix makes the assertion pass (strict: an unexpected pass fails too).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.sweep.reader import Reader, Verdict
from tests.sweep.run import DESTINATIONS, NULL_SHARE_LIMIT, Outcome, null_share, report

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]  # the sweep: ~10,000 determinations

ON_MAIN = "fails on main (issue 10); the ccl-reading branch removes this xfail when it fixes the engine"


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


@pytest.mark.xfail(
    strict=True, reason=ON_MAIN + ": 51 wrong 'no' (footnote 10, 5A001, 5D002.z, 6A002, 3A090.b to AE ...)"
)
def test_never_no_licence_where_the_text_requires_one(outcomes: list[Outcome]) -> None:
    wrong = [o for o in outcomes if o.wrong_no]
    assert not wrong, _listing("wrong 'no' (the text requires a licence, the engine says false)", wrong)


@pytest.mark.xfail(strict=True, reason=ON_MAIN + ": 4, 0D606.y read from the extraction's simplified rows")
def test_never_a_licence_where_the_text_requires_none(outcomes: list[Outcome]) -> None:
    wrong = [o for o in outcomes if o.wrong_yes]
    assert not wrong, _listing("wrong 'yes' (the text requires no licence, the engine says true)", wrong)


@pytest.mark.xfail(strict=True, reason=ON_MAIN + ": 123 null among 9,490 decided cases (1.30%)")
def test_null_is_rare_where_the_text_decides(outcomes: list[Outcome]) -> None:
    share = null_share(outcomes)
    print(report(outcomes, full=False, limit=10))
    nulls = [o for o in outcomes if o.null_where_decided]
    assert share <= NULL_SHARE_LIMIT, f"{share:.2%} null where the text decides\n" + report(outcomes, full=False)
    assert len(nulls) <= NULL_SHARE_LIMIT * sum(o.reading.decided for o in outcomes)


@pytest.mark.xfail(strict=True, reason=ON_MAIN + ": 221, entries without rows (0A983, 5A980, ...) answered false")
def test_never_no_licence_without_ground_in_the_text(outcomes: list[Outcome]) -> None:
    """Where the text decides nothing but gives no ground for "no" either (an entry whose rows the snapshot
    lacks while its reasons could reach the destination; Iran, where 746.7(a)(1)(ii) turns on an HTS listing
    the case leaves unknown), "no licence required" would be reading absence as "none"."""
    wrong = [o for o in outcomes if o.unfounded_no]
    assert not wrong, _listing("'no' without ground in the text", wrong)


@pytest.mark.xfail(strict=True, reason=ON_MAIN + ": 341, the ITAR placeholders answered subject_to_ear true")
def test_itar_placeholders_are_not_subject_to_the_ear(outcomes: list[Outcome]) -> None:
    """15 CFR 734.3(b)(1): items subject to the ITAR are not subject to the EAR; 31 CCL entries are only
    placeholders saying so ("These items are “subject to the ITAR.” See 22 CFR parts 120 through 130.")."""
    wrong = [o for o in outcomes if o.placeholder_subject]
    assert not wrong, _listing("ITAR placeholders not answered subject_to_ear: false", wrong)
