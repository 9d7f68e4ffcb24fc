"""Reading bills of materials: every malformed BOM is refused whole, each problem naming its row and column.

Rows are numbered as a spreadsheet shows them (header = row 1). The expectations are the BOM format's
contract (src/earcheck/supplychain/bom.py, docs/supply-chains.md), written here by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.supplychain.bom import Bom, BomError, BomProblem, load_mapping, read_bom

HEADER = "part,parent,quantity,unit_value,currency,origin,eccn,supplier"
GOOD = [
    "phone,,1,400,USD,CN,5A992.c,",
    "board,phone,1,150,USD,CN,,Foxconn",
    "soc,board,1,60,USD,US,3A991.a,Qualcomm",
    "screws,phone,10,0.1,USD,CN,EAR99,",
]


def _csv(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "bom.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _problems(path: Path, **kw: object) -> list[BomProblem]:
    with pytest.raises(BomError) as caught:
        read_bom(path, **kw)  # type: ignore[arg-type]
    return list(caught.value.problems)


def test_good_bom_reads_with_quantities_and_values(tmp_path: Path) -> None:
    bom = read_bom(_csv(tmp_path, GOOD))
    assert bom.top.part == "phone"
    assert bom.value == Decimal(400)
    placements = {p.line.part: p for p in bom.placements()}
    # screws: 10 per phone at 0.10 = 1.00; soc: 1 per board, 1 board per phone = 60.
    assert placements["screws"].value == Decimal("1.0")
    assert placements["soc"].path == ("board", "soc")
    assert placements["soc"].ancestors[0].part == "board"
    assert bom.id.startswith("bom-")
    assert read_bom(_csv(tmp_path, GOOD, name="again.csv")).id == bom.id  # content address


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        ([*GOOD[:2], "soc,board,-1,60,USD,US,3A991.a,Q"], 4, "quantity", "negative quantity"),
        ([*GOOD[:2], "soc,board,,60,USD,US,3A991.a,Q"], 4, "quantity", "missing value"),
        ([*GOOD[:2], "soc,board,1,,USD,US,3A991.a,Q"], 4, "unit_value", "missing value"),
        ([*GOOD[:2], "soc,board,1,60,,US,3A991.a,Q"], 4, "currency", "missing value"),
        ([*GOOD[:2], ",board,1,60,USD,US,3A991.a,Q"], 4, "part", "missing value"),
        ([*GOOD[:2], "soc,board,one,60,USD,US,3A991.a,Q"], 4, "quantity", "not a number"),
        ([*GOOD[:2], "soc,board,1,-5,USD,US,3A991.a,Q"], 4, "unit_value", "negative value"),
        ([*GOOD[:2], "soc,board,1,60,USD,XX,3A991.a,Q"], 4, "origin", "not an ISO 3166-1"),
        ([*GOOD[:2], "soc,board,1,60,USD,US,3A99,Q"], 4, "eccn", "not an ECCN"),
        ([*GOOD[:2], "soc,tray,1,60,USD,US,3A991.a,Q"], 4, "parent", "orphan"),
        ([*GOOD[:2], "soc,board,1,60,EUR,US,3A991.a,Q"], 4, "currency", "no exchange rate"),
        ([*GOOD[:2], "soc,board,0,60,USD,US,3A991.a,Q"], 4, "quantity", "quantity 0"),
        ([*GOOD, "case,,1,400,USD,CN,,"], 6, "parent", "a second top item"),
        ([*GOOD, "soc,board,1,60,USD,US,3A991.a,Q"], 6, "part", "again (row 4)"),
    ],
)
def test_each_malformed_row_is_named(tmp_path: Path, rows: list[str], row: int, column: str, words: str) -> None:
    problems = _problems(_csv(tmp_path, rows))
    assert any(p.row == row and p.column == column and words in p.message for p in problems), problems


def test_cycle_is_named(tmp_path: Path) -> None:
    rows = ["phone,,1,400,USD,CN,,", "a,phone,1,1,USD,CN,,", "b,c,1,1,USD,CN,,", "c,b,1,1,USD,CN,,"]
    problems = _problems(_csv(tmp_path, rows))
    assert [p.column for p in problems] == ["parent"]
    assert "cycle" in problems[0].message
    assert "b" in problems[0].message
    assert "c" in problems[0].message


def test_no_top_item(tmp_path: Path) -> None:
    problems = _problems(_csv(tmp_path, ["a,b,1,1,USD,CN,,", "b,a,1,1,USD,CN,,"]))
    assert any("no top item" in p.message for p in problems)


def test_unknown_eccn_against_the_ccl(tmp_path: Path) -> None:
    rows = [*GOOD[:2], "soc,board,1,60,USD,US,3A999,Q"]
    problems = _problems(_csv(tmp_path, rows), known_eccn=lambda e: e.startswith(("3A991", "5A992", "EAR99")))
    assert [(p.row, p.column) for p in problems] == [(4, "eccn")]
    assert "unknown ECCN 3A999" in problems[0].message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = ["phone,,1,400,USD,CN,,", "a,phone,-1,1,USD,CN,,", "b,phone,1,,USD,CN,,", "c,phone,1,1,USD,ZZ,,"]
    problems = _problems(_csv(tmp_path, rows))
    assert [(p.row, p.column) for p in problems] == [(3, "quantity"), (4, "unit_value"), (5, "origin")]


def test_header_problems(tmp_path: Path) -> None:
    problems = _problems(_csv(tmp_path, GOOD, header=HEADER.replace("eccn", "ECCN code")))
    assert {(p.row, p.column) for p in problems} == {(1, "ECCN code"), (1, "eccn")}


def test_rates_convert_to_us_dollars(tmp_path: Path) -> None:
    rows = ["phone,,1,400,USD,CN,,", "soc,phone,2,50,EUR,US,3A991.a,"]
    bom = read_bom(_csv(tmp_path, rows), rates={"EUR": Decimal("1.10")})
    (soc,) = list(bom.placements())
    assert soc.value == Decimal("110.00")  # 2 x 50 EUR x 1.10 USD/EUR


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in GOOD:
        sheet.append([_number(cell) for cell in row.split(",")])
    path = tmp_path / "bom.xlsx"
    book.save(path)
    assert read_bom(path).id == read_bom(_csv(tmp_path, GOOD)).id


def _number(cell: str) -> object:
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell or None


def test_xlsx_errors_name_the_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["phone", None, 1, 400, "USD", "CN", None, None])
    sheet.append(["soc", "phone", -3, 60, "USD", "US", "3A991.a", None])
    path = tmp_path / "bom.xlsx"
    book.save(path)
    problems = _problems(path)
    assert [(p.row, p.column) for p in problems] == [(3, "quantity")]


def test_erp_indented_mapping(tmp_path: Path) -> None:
    header = "Level,Item,Component,Description,Quantity,Unit,Unit Price,Currency,Country of Origin,ECCN,Vendor"
    rows = [
        "0,10,phone,Phone,1,EA,400,USD,CN,5A992.c,",
        "1,20,board,Main board,1,EA,150,USD,CN,,Foxconn",
        "..2,30,soc,SoC,1,EA,60,USD,US,3A991.a,Qualcomm",
        "1,40,screws,Screws,10,EA,0.1,USD,CN,EAR99,",
    ]
    bom = read_bom(_csv(tmp_path, rows, header=header), load_mapping("erp-indented"))
    native = read_bom(_csv(tmp_path, GOOD, name="native.csv"))

    def shape(b: Bom) -> list[tuple[object, ...]]:
        return [(x.part, x.parent, x.quantity, x.unit_value, x.origin, x.eccn, x.supplier) for x in b.lines]

    assert shape(bom) == shape(native)
    assert bom.lines[2].description == "SoC"
    bad = [*rows[:1], "3,20,board,Main board,1,EA,150,USD,CN,,Foxconn"]
    problems = _problems(_csv(tmp_path, bad, header=header, name="bad.csv"), mapping=load_mapping("erp-indented"))
    assert [(p.row, p.column) for p in problems] == [(3, "Level")]


def test_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(
        "columns: {part: PN, parent: Parent PN, quantity: Qty, unit_value: Price, currency: Cur, origin: COO,"
        " eccn: ECCN, supplier: Vendor}\n",
        encoding="utf-8",
    )
    header = "PN,Parent PN,Qty,Price,Cur,COO,ECCN,Vendor"
    assert read_bom(_csv(tmp_path, GOOD, header=header), load_mapping(str(mapping))).top.part == "phone"


def test_cli_import_refuses_whole_and_keeps_nothing(tmp_path: Path, earcheck_home: Path) -> None:
    runner = CliRunner()
    bad = _csv(tmp_path, [*GOOD, "x,nowhere,1,1,USD,CN,,"], name="bad.csv")
    result = runner.invoke(app, ["bom", "import", str(bad)])
    assert result.exit_code != 0
    assert "row 6, column parent: orphan" in str(result.exception)
    assert not list((earcheck_home / "boms").glob("*.json")) if (earcheck_home / "boms").exists() else True
    good = runner.invoke(app, ["bom", "import", str(_csv(tmp_path, GOOD))])
    assert good.exit_code == 0, good.output
    bom_id = good.stdout.strip().splitlines()[0]
    assert (earcheck_home / "boms" / f"{bom_id}.json").is_file()
    shown = runner.invoke(app, ["bom", "show", bom_id])
    assert shown.exit_code == 0
    assert "soc" in shown.stdout
