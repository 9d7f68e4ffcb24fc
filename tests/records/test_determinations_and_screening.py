from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa

from earcheck.casefile import case_sha256, parse_cases
from earcheck.errors import Forbidden, NotFound, RecordError
from earcheck.lists import Band, EntryStatus, Hit, ListCode, ListEntry
from earcheck.model import Determination, Effect, Finding, Outcome, Provenance
from earcheck.records import audit
from earcheck.records.determinations import get_determination, list_determinations, record_determination
from earcheck.records.keys import Actor
from earcheck.records.screening import (
    Verdict,
    entry_fingerprint,
    list_decisions,
    party_key,
    record_decision,
    record_screening,
    review,
)

CASE = {
    "id": "smic-huawei-2020-09-20",
    "as_of": "2020-09-20",
    "exporter": {"name": "Semiconductor Manufacturing International Corporation", "country": "CN"},
    "parties": [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}],
    "destination": "CN",
    "items": [{"id": "wafers", "eccn": "EAR99", "origin": "CN", "value": 1000000}],
}


def _determination() -> Determination:
    (case,) = parse_cases(CASE)
    return Determination(
        as_of=date(2020, 9, 20),
        license_required=True,
        subject_to_ear=True,
        case_id=case.id,
        review_policy="Presumption of denial",
        findings=(
            Finding(
                "fdp.entity_list_footnote_1",
                "15 CFR 736.2(b)(3)(vi)",
                Outcome.APPLIES,
                Effect.LICENSE_REQUIRED,
                "made on US-technology tools, for a footnote 1 entity",
                item="wafers",
            ),
        ),
        provenance=Provenance("0.1.0", "rules-test", "lists-test", case_sha256(case)),
    )


def test_a_determination_is_stored_with_its_case_result_and_provenance(engine: sa.Engine, analyst: Actor) -> None:
    (case,) = parse_cases(CASE)
    stored = record_determination(engine, analyst, case, _determination())
    assert stored.case_id == "smic-huawei-2020-09-20"
    assert stored.license_required is True
    assert stored.case["parties"][0]["name"] == "Huawei Technologies Co., Ltd."
    assert stored.result["findings"][0]["citation"] == "15 CFR 736.2(b)(3)(vi)"
    assert stored.provenance == {
        "engine": "0.1.0",
        "rules": "rules-test",
        "lists": "lists-test",
        "case_sha256": case_sha256(case),
        "list_snapshots": [],
    }
    assert get_determination(engine, stored.id) == stored
    assert list_determinations(engine).items == (stored,)
    entry = audit.entries(engine).items[0]
    assert entry.action == "determination.record"
    assert entry.subject == f"determination:{stored.id}"
    result_text = audit.canonical_json(stored.result)
    assert entry.data["result_sha256"] == hashlib.sha256(result_text.encode()).hexdigest() == stored.result_sha256
    with pytest.raises(NotFound):
        get_determination(engine, 999)


def test_a_viewer_cannot_record_determinations(engine: sa.Engine, viewer: Actor) -> None:
    (case,) = parse_cases(CASE)
    with pytest.raises(Forbidden):
        record_determination(engine, viewer, case, _determination())


HUAWEI = ListEntry(
    list_id="b0f5a3c7",
    list_code=ListCode.EL,
    source="Entity List (EL) - Bureau of Industry and Security",
    name="Huawei Technologies Co., Ltd.",
    snapshot="csl-2026-07-31",
    snapshot_date=date(2026, 7, 31),
    line=1234,
    aliases=("Huawei",),
    addresses=("Bantian, Longgang District, Shenzhen, CN",),
    countries=("CN",),
    license_requirement="For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR).",
    license_policy="Presumption of denial.",
)


def _hit(entry: ListEntry, score: float = 0.91) -> Hit:
    return Hit(EntryStatus(entry, date(2026, 8, 1), True, "listed"), entry.name, score, Band.REVIEW)


def test_party_keys_ignore_case_punctuation_and_width() -> None:
    assert party_key("  ACME Co., Ltd. ") == party_key("acme co ltd") == "acme co ltd"
    assert party_key("ＡＣＭＥ") == "acme"  # full-width letters, as in East Asian text
    assert party_key("华为技术有限公司") == "华为技术有限公司"


def test_the_fingerprint_follows_content_not_where_it_was_read() -> None:
    moved = dataclasses.replace(HUAWEI, snapshot="csl-2026-09-01", line=99, raw={"x": "y"})
    assert entry_fingerprint(moved) == entry_fingerprint(HUAWEI)
    changed = dataclasses.replace(HUAWEI, aliases=("Huawei", "Huawei Tech"))
    assert entry_fingerprint(changed) != entry_fingerprint(HUAWEI)


def test_a_false_positive_is_remembered_and_raised_again_when_the_entry_changes(
    engine: sa.Engine, analyst: Actor
) -> None:
    name = "Huawei Technologies Trading (UK) Ltd"
    fingerprint = entry_fingerprint(HUAWEI)
    assert review(engine, name, [(HUAWEI.list_id, fingerprint)])[HUAWEI.list_id].current is None
    decision = record_decision(
        engine,
        analyst,
        party_name=name,
        list_id=HUAWEI.list_id,
        entry_sha256=fingerprint,
        entry_name=HUAWEI.name,
        verdict=Verdict.FALSE_POSITIVE,
        reason="UK reseller, Companies House 01234567; not the listed Shenzhen entity.",
    )
    seen = review(engine, "huawei technologies trading uk ltd", [(HUAWEI.list_id, fingerprint)])[HUAWEI.list_id]
    assert seen.current == decision
    assert not seen.reraised
    assert decision.actor == "Andy Analyst"
    assert decision.decided_at.tzinfo is not None

    changed = dataclasses.replace(HUAWEI, addresses=(*HUAWEI.addresses, "London, GB"))
    again = review(engine, name, [(HUAWEI.list_id, entry_fingerprint(changed))])[HUAWEI.list_id]
    assert again.current is None
    assert again.outdated == decision
    assert again.reraised

    newer = record_decision(
        engine,
        analyst,
        party_name=name,
        list_id=HUAWEI.list_id,
        entry_sha256=entry_fingerprint(changed),
        entry_name=HUAWEI.name,
        verdict=Verdict.TRUE_MATCH,
        reason="The new London address is our customer's.",
    )
    settled = review(engine, name, [(HUAWEI.list_id, entry_fingerprint(changed))])[HUAWEI.list_id]
    assert settled.current == newer
    assert settled.outdated is None
    assert not settled.reraised
    assert [d.id for d in list_decisions(engine, party_name=name).items] == [newer.id, decision.id]
    assert [e.action for e in audit.entries(engine).items] == ["screening.decision", "screening.decision"]


def test_a_decision_must_say_why(engine: sa.Engine, analyst: Actor) -> None:
    with pytest.raises(RecordError) as caught:
        record_decision(
            engine,
            analyst,
            party_name="!!!",
            list_id="",
            entry_sha256="abc",
            entry_name=HUAWEI.name,
            verdict=Verdict.FALSE_POSITIVE,
            reason=" ",
        )
    assert [e.field for e in caught.value.errors] == ["party_name", "list_id", "entry_sha256", "reason"]


def test_a_screening_is_audited_with_what_it_found(engine: sa.Engine, analyst: Actor, viewer: Actor) -> None:
    entry = record_screening(engine, analyst, "Huawei", "CN", date(2026, 8, 1), [_hit(HUAWEI)])
    data = json.loads(entry.payload)
    assert data["hits"][0]["list_id"] == HUAWEI.list_id
    assert data["hits"][0]["entry_sha256"] == entry_fingerprint(HUAWEI)
    assert entry.action == "screening.run"
    assert entry.subject == "party:huawei"
    with pytest.raises(Forbidden):
        record_screening(engine, viewer, "Huawei", None, date(2026, 8, 1), [])
