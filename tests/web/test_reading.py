"""How a determination reads (issue 16 item 6), on determination JSON written here by hand in the
shape ``earcheck schema determination`` gives, and on its page."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from earcheck.records.keys import Role
from earcheck.web.charts import _citation
from earcheck.web.reading import is_ear_citation, read
from tests.web.conftest import sign_in


def _finding(
    rule: str, outcome: str, effect: str = "license_required", because: str = "x", **kw: Any
) -> dict[str, Any]:
    return {"rule": rule, "citation": "15 CFR 744.11", "outcome": outcome, "effect": effect, "because": because} | kw


def _match(list_id: str, matched: str, score: float, band: str | None = None) -> dict[str, Any]:
    return {
        "list_id": list_id,
        "name": "Huawei Technologies Co., Ltd.",
        "matched_name": matched,
        "source": "EL",
        "score": score,
        "band": band,
        "in_force": True,
    }


def test_decisive_findings_first_repeats_folded_questions_once() -> None:
    result = {
        "license_required": True,
        "findings": [
            _finding("entity_list", "applies", because="Huawei is on the Entity List"),
            _finding("entity_list", "applies", because="Huawei is on the Entity List"),  # a second entry's copy
            _finding("chart", "does_not_apply", because="no chart control"),
            _finding("fdp", "indeterminate", because="production facts missing"),
        ],
        "missing_facts": [{"field": "items[0].production", "question": "Where was it made?"}] * 2,
        "screening": [],
    }
    reading = read(result)
    assert [(g.finding["rule"], g.count) for g in reading.decisive] == [("entity_list", 2), ("fdp", 1)]
    assert [g.finding["rule"] for g in reading.not_applied] == ["chart"]
    assert len(reading.questions) == 1
    assert reading.no_licence_reasons == ()  # a licence is required: no "why not" box


def test_a_no_licence_answer_says_why_and_lists_every_party() -> None:
    result = {
        "license_required": False,
        "findings": [
            _finding("chart", "does_not_apply", because="EAR99: no Commerce Country Chart control"),
            _finding("entity_list", "does_not_apply", because="no party is on the Entity List"),
            _finding("eo_flag", "does_not_apply", effect="flag", because="not a Chinese military company"),
        ],
        "screening": [
            {"party": "Acme GmbH", "role": "ultimate_consignee", "matches": []},
            {"party": "Bob AG", "role": "end_user", "matches": []},
        ],
    }
    reading = read(result)
    assert [g.finding["rule"] for g in reading.no_licence_reasons] == ["chart", "entity_list"]  # not the flag
    assert reading.no_party_listed
    assert [p.party for p in reading.parties] == ["Acme GmbH", "Bob AG"]


def test_one_entry_matched_by_several_names_is_one_row_and_a_review_hit_may_be() -> None:
    result = {
        "license_required": None,
        "findings": [],
        "screening": [
            {
                "party": "Huawei Tech",
                "role": "end_user",
                "matches": [
                    _match("EL-1", "Huawei Technologies", 0.83, "review"),
                    _match("EL-1", "Huawei Tech. Co.", 0.88, "review"),
                    _match("EL-2", "Huawei Tech", 1.0, "match"),
                ],
            }
        ],
    }
    (party,) = read(result).parties
    assert [(m.match["list_id"], m.wording, m.matched_names) for m in party.matches] == [
        ("EL-1", "may be", ("Huawei Technologies", "Huawei Tech. Co.")),
        ("EL-2", "matches", ("Huawei Tech",)),
    ]
    assert party.matches[0].match["score"] == 0.88  # the strongest of the entry's matches
    assert not read(result).no_party_listed


def test_only_ear_provisions_govern_the_timeline() -> None:
    assert is_ear_citation("15 CFR 744.11(b)")
    assert is_ear_citation("15 CFR part 744, Supplement No. 4")
    assert is_ear_citation("Supplement No. 1 to part 738")
    assert not is_ear_citation("E.O. 14032")
    assert not is_ear_citation("31 CFR part 589")
    assert not is_ear_citation("15 CFR 800.2")  # Title 15, but not the EAR
    row = {
        "governing": [
            {"citation": "E.O. 14032", "outcome": "applies"},
            {"citation": "15 CFR 744.11", "outcome": "applies"},
        ]
    }
    assert _citation(row) == "15 CFR 744.11"


def test_the_page_reads_that_way(web: TestClient, app_keys: dict[Role, str]) -> None:
    header = {"Authorization": f"Bearer {app_keys[Role.ANALYST]}"}
    case = {
        "destination": "DE",
        "items": [{"eccn": "EAR99"}],
        "parties": [{"name": "Acme GmbH", "role": "ultimate_consignee"}, {"name": "Bob AG", "role": "end_user"}],
    }
    number = web.post("/api/determinations", json=case, headers=header).json()["id"]
    sign_in(web, app_keys[Role.VIEWER])
    text = web.get(f"/determinations/{number}").text
    # The test double answers "no licence required" because no footnote 1 entity takes part.
    why = text[text.index('id="why-no-licence"') : text.index("<h2>Findings</h2>")]
    assert "no footnote 1 entity takes part" in why
    assert 'id="no-party-listed"' in why
    screened = text[text.index('id="parties-screened"') :]
    assert "Acme GmbH" in screened
    assert "Bob AG" in screened
    assert screened.count("No list entry matched.") == 2
