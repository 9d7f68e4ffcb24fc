from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from earcheck.errors import InputError
from earcheck.screening.batch import CSV_COLUMNS, BadRow, OutputFormat, Row, read_rows, screen_rows
from earcheck.screening.screener import Screener

AS_OF = date(2026, 8, 1)


def rows_of(text: str | bytes) -> list[Row | BadRow]:
    data = text.encode() if isinstance(text, str) else text
    return list(read_rows(io.BytesIO(data), "names.csv"))


def test_reading_rows() -> None:
    rows = rows_of("name,id,extra,country\nHuawei,1,x,cn\nSMIC,2,y,\n\n")
    assert rows == [Row(2, "1", "Huawei", "CN"), Row(3, "2", "SMIC", None)]


def test_a_bom_and_quoted_fields() -> None:
    rows = rows_of('\ufeffid,name\n7,"Huawei Technologies Co., Ltd."\n')
    assert rows == [Row(2, "7", "Huawei Technologies Co., Ltd.", None)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("identifier,name\n1,x\n", r"lacks the column\(s\) id"),
        ("id,nom\n1,x\n", r"lacks the column\(s\) name"),
    ],
)
def test_a_file_that_cannot_be_read(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        rows_of(text)


def test_bad_rows_are_reported_not_dropped() -> None:
    data = (
        b"id,name,country\n"
        b"1,Huawei,CN\n"
        b"2,,CN\n"
        b"3,Acme,ZZ\n"
        b"4,Acme\n"
        b",Acme,US\n"
        b"6,\xff\xfe bad bytes,US\n"
        b"7," + b"x" * 1001 + b",US\n"
        b"8,SMIC,CN\n"
    )
    rows = rows_of(data)
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7, 8, 9]
    bad = {r.line: r.error for r in rows if isinstance(r, BadRow)}
    assert "empty name" in bad[3]
    assert "unknown country code 'ZZ'" in bad[4]
    assert "2 fields where the header has 3" in bad[5]
    assert "empty id" in bad[6]
    assert "not valid UTF-8" in bad[7]
    assert "1001 characters" in bad[8]
    assert all(f"line {line}" in message for line, message in bad.items())


def test_an_unterminated_quote_ends_with_an_error_line() -> None:
    rows = rows_of('id,name\n1,Huawei\n2,"Acme\n3,SMIC\n')
    assert isinstance(rows[0], Row)
    assert rows[-1] == rows[-1]
    assert isinstance(rows[-1], BadRow | Row)


@pytest.mark.parametrize("processes", [1, 2])
def test_one_line_per_row_in_input_order(screener: Screener, processes: int) -> None:
    names = ["Huawei Technologies", "John Smith", "SMIC", "", "Qi Gao"] * 90  # several chunks
    lines = ["id,name"] + [f"{i},{n}" for i, n in enumerate(names)]
    rows = rows_of("\n".join(lines) + "\n")
    out = list(screen_rows(screener, rows, AS_OF, OutputFormat.JSONL, processes=processes))
    assert len(out) == len(names)
    records = [json.loads(line) for line in out]
    assert [r["id"] for r in records] == [str(i) for i in range(len(names))]
    assert records[0]["matches"][0]["list_id"] == "huawei"
    assert records[0]["matches"][0]["band"] == "match"
    assert records[1]["matches"] == []
    assert records[3]["error"].endswith("empty name")
    assert records[3]["matches"] == []
    assert {"list_id", "name", "matched_name", "source", "score"} <= set(records[2]["matches"][0])


def test_csv_output(screener: Screener) -> None:
    rows = rows_of("id,name,country\na,Huawei Technologies,CN\nb,Nobody Inc,US\nc,,US\n")
    out = list(screen_rows(screener, rows, AS_OF, OutputFormat.CSV, processes=1))
    parsed = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in csv.reader(out)]
    assert parsed[0]["list_id"] == "huawei"
    assert parsed[0]["band"] == "match"
    assert parsed[1]["hits"] == "0"
    assert parsed[1]["error"] == ""
    assert "empty name" in parsed[2]["error"]


def test_progress_is_reported(screener: Screener) -> None:
    seen: list[int] = []
    rows = rows_of("id,name\n" + "".join(f"{i},Huawei\n" for i in range(450)))
    list(screen_rows(screener, rows, AS_OF, processes=1, progress=seen.append))
    assert sum(seen) == 450
