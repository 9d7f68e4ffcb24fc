"""De minimis rollup of a bill of materials: each pitfall with a hand-computed expectation and its source.

Sources (quoted in docs/research/de-minimis.md and ear-notes §2):
- Supp. No. 2 to part 734, (a)(1) (VS): count each US-origin item "in the form in which you received" it
  that "would require a license ... to the foreign-made product's country of destination" under "the
  Commerce Country Chart ... and controls described in part 746"; "Part 744 of the EAR should not be used";
  "do not take account of" NLR or GBS content. (a)(2): value is the fair market price.
- 734.4(c)/(d) (R wording, VS/VX levels): 10% for E:1 (and Cuba from 2019-10-21), 25% elsewhere; subject
  only if controlled content *exceeds* the level.
- Second incorporation (BIS advisory opinion 2009-09-14, VX Pillsbury/Arent Fox): US-origin components of a
  foreign-made discrete product are not counted once it is incorporated into a further foreign-made item.
- Chart rows (VD, ../shared/data CCL 2026-07-23): 3A001 NS2 (China has NS2 X); 3A991 and 5A991 AT1 only
  (China has no AT1 X); EAR99 is NLR to China.

The phone (value 400 USD, to China on 2026-08-01):
  radio-ic   2 x 25 USD, US 3A001.a.1, inside own board        -> counts 50
  rf-front   1 x 40 USD, US 3A001.a.1                          -> counts 40
  soc        1 x 60 USD, US 3A991.a, inside own board          -> AT only: not counted
  modem      1 x 30 USD, US 5A991                              -> AT only: not counted
  driver-ic  1 x 10 USD, US 3A001.a.1, inside discrete display -> second incorporation: not counted
  charger    1 x 20 USD, US EAR99 (holding a 9 USD 3A001 IC)   -> counted as received: EAR99, NLR
  screws    10 x 0.1 USD, origin not given, EAR99              -> NLR whatever its origin
Controlled: 90 of 400 = 22.5% (margin 2.5 points to 25%); removing radio-ic: 40/400 = 10%.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from earcheck.casefile import parse_cases
from earcheck.model import Determination, Outcome
from earcheck.supplychain.bom import read_bom
from earcheck.workspace import Workspace

pytestmark = pytest.mark.shared_data

HEADER = "part,parent,quantity,unit_value,currency,origin,eccn,supplier,discrete_product"
PHONE = [
    "phone,,1,400,USD,CN,5A992.c,,",
    "board,phone,1,150,USD,CN,,Foxconn,no",
    "radio-ic,board,2,25,USD,US,3A001.a.1,Skyworks,",
    "soc,board,1,60,USD,US,3A991.a,Qualcomm,",
    "rf-front,phone,1,40,USD,US,3A001.a.1,Qorvo,",
    "modem,phone,1,30,USD,US,5A991,Qualcomm,",
    "display,phone,1,80,USD,KR,,Samsung Display,yes",
    "driver-ic,display,1,10,USD,US,3A001.a.1,TI,",
    "charger,phone,1,20,USD,US,EAR99,Anker US,",
    "power-ic,charger,1,9,USD,US,3A001.a.1,TI,",
    "screws,phone,10,0.1,USD,,EAR99,",
]
AS_OF = date(2026, 8, 1)


def _import(workspace: Workspace, tmp_path: Path, rows: list[str], name: str = "bom.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return workspace.bom_store().save(read_bom(path))


def _decide(workspace: Workspace, bom_id: str, destination: str, as_of: date = AS_OF, **case: object) -> Determination:
    document = {"as_of": as_of, "destination": destination, "items": [{"id": "phone", "bom": bom_id}], **case}
    return workspace.determine(parse_cases(document)[0])


def _lines(answer: Determination) -> dict[str, bool | None]:
    return {line.part: line.counts for line in answer.rollups[0].lines}


def test_phone_to_china_near_the_25_percent_line(supply_workspace: Workspace, tmp_path: Path) -> None:
    answer = _decide(supply_workspace, _import(supply_workspace, tmp_path, PHONE), "CN")
    result = answer.rollups[0]
    assert _lines(answer) == {
        "board": False,
        "radio-ic": True,
        "soc": False,
        "rf-front": True,
        "modem": False,
        "display": False,
        "driver-ic": False,
        "charger": False,
        "power-ic": False,
        "screws": False,
    }
    assert result.controlled_value == pytest.approx(90)
    assert result.item_value == pytest.approx(400)
    assert result.share_percent == pytest.approx(22.5)
    assert result.level_percent == 25
    assert result.margin_percent == pytest.approx(2.5)
    assert result.subject is False
    assert any(w.startswith("removing part radio-ic (row 4) puts it at 10.00%") for w in result.what_if)
    # The engine's own de minimis finding agrees (it decided the same content).
    (finding,) = [f for f in answer.findings if f.rule == "de_minimis"]
    assert finding.outcome is Outcome.DOES_NOT_APPLY
    assert "22.50%" in finding.because
    by_part = {line.part: line for line in result.lines}
    assert "second incorporation" in by_part["driver-ic"].because
    assert "inside US-origin part 'charger'" in by_part["power-ic"].because
    assert "Supplement No. 2" in by_part["radio-ic"].citation


def test_part_744_does_not_make_content_controlled(supply_workspace: Workspace, tmp_path: Path) -> None:
    """Huawei (Entity List) as consignee: the share stays 22.5% (Supp. No. 2 (a)(1): Part 744 not used)."""
    bom_id = _import(supply_workspace, tmp_path, PHONE)
    parties = [{"name": "Huawei Technologies Co., Ltd.", "country": "CN", "role": "ultimate_consignee"}]
    result = _decide(supply_workspace, bom_id, "CN", parties=parties).rollups[0]
    assert result.share_percent == pytest.approx(22.5)
    assert result.subject is False


def test_exactly_at_the_level_is_within(supply_workspace: Workspace, tmp_path: Path) -> None:
    """The display made the producer's own sub-assembly: driver-ic counts, 100/400 = 25.0%, not above 25%."""
    rows = [r.replace("Samsung Display,yes", "Samsung Display,no") for r in PHONE]
    result = _decide(supply_workspace, _import(supply_workspace, tmp_path, rows), "CN").rollups[0]
    assert result.share_percent == pytest.approx(25.0)
    assert result.subject is False
    rows = [r.replace("rf-front,phone,1,40", "rf-front,phone,1,40.04") for r in rows]
    result = _decide(supply_workspace, _import(supply_workspace, tmp_path, rows, "over.csv"), "CN").rollups[0]
    assert result.share_percent > 25
    assert result.subject is True


def test_unknown_discrete_product_is_asked_when_it_matters(supply_workspace: Workspace, tmp_path: Path) -> None:
    """Display discrete status not given and its IC worth 20: at most (90+20)/400 = 27.5% > 25% -> unknown."""
    rows = [r.replace("Samsung Display,yes", "Samsung Display,") for r in PHONE]
    rows = [r.replace("driver-ic,display,1,10", "driver-ic,display,1,20") for r in rows]
    answer = _decide(supply_workspace, _import(supply_workspace, tmp_path, rows), "CN")
    result = answer.rollups[0]
    assert _lines(answer)["driver-ic"] is None
    assert result.open_value == pytest.approx(20)
    assert result.subject is None
    assert answer.subject_to_ear is None or answer.subject_to_ear is True  # never a silent "not subject"
    assert any(q.field.endswith("row[8].discrete_product") for q in answer.missing_facts)


def test_unknown_origin_is_asked_not_assumed_foreign(supply_workspace: Workspace, tmp_path: Path) -> None:
    """A 3A001 part of unknown origin worth 30: at most 120/400 = 30% > 25% -> unknown, origin asked."""
    rows = [*PHONE, "amp,phone,1,30,USD,,3A001.a.1,Acme,"]
    answer = _decide(supply_workspace, _import(supply_workspace, tmp_path, rows), "CN")
    assert _lines(answer)["amp"] is None
    assert answer.rollups[0].subject is None
    assert any(q.field.endswith("row[13].origin") and "Acme" in q.question for q in answer.missing_facts)


def test_ten_percent_for_country_group_e1(supply_workspace: Workspace, tmp_path: Path) -> None:
    """To North Korea (E:1) the level is 10% (734.4(c)); 22.5% of 3A001 content alone exceeds it."""
    result = _decide(supply_workspace, _import(supply_workspace, tmp_path, PHONE), "KP").rollups[0]
    assert result.level_percent == 10
    assert result.share_percent >= 22.5
    assert result.subject is True


@pytest.mark.parametrize(
    ("as_of", "level", "subject"), [(date(2019, 10, 20), 25, False), (date(2019, 10, 21), 10, True)]
)
def test_cuba_level_changes_on_2019_10_21(
    supply_workspace: Workspace, tmp_path: Path, as_of: date, level: int, subject: bool
) -> None:
    """EAR99 US content is controlled to Cuba (746.2: a licence for all items subject to the EAR). 20 of 100 =
    20%: within 25% until 2019-10-20 (80 FR 43314 gave Cuba the 25% level), above 10% from 2019-10-21 (VX)."""
    rows = ["widget,,1,100,USD,ES,EAR99,,", "pump,widget,1,20,USD,US,EAR99,,"]
    result = _decide(supply_workspace, _import(supply_workspace, tmp_path, rows), "CU", as_of=as_of).rollups[0]
    assert result.level_percent == level
    assert result.share_percent == pytest.approx(20)
    assert result.subject is subject


def test_case_file_with_bom_path(supply_workspace: Workspace, tmp_path: Path) -> None:
    """`bom: PATH` relative to the case file stands in for us_content; both at once is refused."""
    from earcheck.cli.check import with_bom_files

    (tmp_path / "boms").mkdir()
    (tmp_path / "boms" / "phone.csv").write_text("\n".join([HEADER, *PHONE]) + "\n", encoding="utf-8")
    case = parse_cases({"as_of": AS_OF, "destination": "CN", "items": [{"id": "phone", "bom": "boms/phone.csv"}]})[0]
    case = with_bom_files(supply_workspace, case, tmp_path)
    assert case.items[0].bom is not None
    assert case.items[0].bom.startswith("bom-")
    answer = supply_workspace.determine(case)
    assert answer.rollups[0].share_percent == pytest.approx(22.5)
    from earcheck.errors import CaseError

    both = parse_cases({"destination": "CN", "items": [{"bom": case.items[0].bom, "us_content": []}]})[0]
    with pytest.raises(CaseError, match="bom or us_content"):
        supply_workspace.determine(both)
