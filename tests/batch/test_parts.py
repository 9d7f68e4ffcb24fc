"""The parts of a batch job without a cluster: partitions, rows, cases, the checkpoint, list deltas."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from earcheck.batch.delta import EntryChange, hit_changes, list_change
from earcheck.batch.inputs import BadCase, CaseRow, case_rows, check_header, screening_rows
from earcheck.batch.job import Checkpoint, Job, JobKind, JobOptions, differences
from earcheck.batch.outputs import SCREEN_COLUMNS, OutputFormat, assemble, write_part
from earcheck.batch.partitions import InputFormat, Unreadable, plan, read_records
from earcheck.errors import CaseError, Conflict, InputError
from earcheck.lists import ListCode
from earcheck.screening.batch import BadRow, Row, read_rows
from earcheck.screening.screener import Screener
from tests.screening.conftest import entry


def _all_rows(path: Path, size: int) -> list[Row | BadRow]:
    job_plan = plan(path, size)
    return [row for p in job_plan.partitions for row in screening_rows(path, job_plan, p)]


def test_csv_partitions_hold_every_record_once_even_across_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    lines = ["\ufeffid,name,country"]
    for n in range(53):
        lines.append(f'{n},"Kestrel\n{n}, Ltd.",CN' if n % 7 == 0 else f"{n},Aster {n},")
    lines += ["bad,Acme,ZZ", ",No Id,", "x,y,z,surplus"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    with path.open("rb") as source:
        expected = list(read_rows(source, str(path)))  # the single-process reader, on the whole file
    for size in (1, 4, 10, 1000):
        assert _all_rows(path, size) == expected
    assert len(plan(path, 10).partitions) == 6
    assert plan(path, 10).rows == 56


def test_an_unterminated_quote_ends_as_the_single_process_reader_ends(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text('id,name\n1,Huawei\n2,"Acme\n3,SMIC\n')
    with path.open("rb") as source:
        expected = list(read_rows(source, str(path)))
    assert _all_rows(path, 1) == expected


def test_json_lines_records_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "names.jsonl"
    path.write_text(
        '{"id": 1, "name": "Huawei", "country": "cn"}\n\n[1, 2]\n{"id": "2", "name": ["Acme"]}\n{bad\n'
        '{"id": "3", "name": "SMIC"}\n{"id": "4", "name": "Acme", "country": "ZZ"}\n'
    )
    rows = _all_rows(path, 2)
    assert rows[0] == Row(1, "1", "Huawei", "CN")
    bad = {row.line: row.error for row in rows if isinstance(row, BadRow)}
    assert "expected a JSON object, got list" in bad[3]
    assert "the name must be text, not list" in bad[4]
    assert "not valid JSON" in bad[5]
    assert "unknown country code 'ZZ'" in bad[7]
    assert Row(6, "3", "SMIC", None) in rows
    assert len(rows) == 6  # the blank line is no row


def test_parquet_row_ranges_across_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "names.parquet"
    table = pa.table({"ID": [f"r{n}" for n in range(25)], "name": [f"Name {n}" if n != 3 else None for n in range(25)]})
    pq.write_table(table, path, row_group_size=7)
    job_plan = plan(path, 4)
    assert job_plan.format is InputFormat.PARQUET
    assert [p.rows for p in job_plan.partitions] == [4] * 6 + [1]
    rows = [row for p in job_plan.partitions for row in screening_rows(path, job_plan, p)]
    assert [row.line for row in rows] == list(range(1, 26))
    assert isinstance(rows[3], BadRow)
    assert "empty name" in rows[3].error  # a null name is no name
    assert rows[24] == Row(25, "r24", "Name 24", None)


def test_an_input_that_cannot_be_a_job_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"must be \.csv, \.jsonl"):
        plan(tmp_path / "names.txt", 10)
    path = tmp_path / "names.csv"
    path.write_text("identifier,name\n1,x\n")
    with pytest.raises(InputError, match=r"lacks the column\(s\) id"):
        check_header("screen", plan(path, 10), path)
    with pytest.raises(InputError, match="needs a column 'case'"):
        check_header("check", plan(path, 10), path)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        plan(broken, 10)


def test_cases_from_json_lines_and_csv(tmp_path: Path) -> None:
    case = {"id": "o-1", "destination": "CN", "items": [{"eccn": "EAR99"}]}
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(case),
                json.dumps({**case, "id": None}),
                json.dumps({**case, "destination": "XX"}),
                json.dumps({**case, "id": 17}),
            ]
        )
        + "\n"
    )
    job_plan = plan(path, 3)
    found = [c for p in job_plan.partitions for c in case_rows(path, job_plan, p)]
    assert isinstance(found[0], CaseRow)
    assert found[0].id == "o-1"
    assert found[0].case.destination == "CN"
    assert isinstance(found[1], BadCase)
    assert "has no id" in found[1].error
    assert isinstance(found[2], BadCase)
    assert found[2].id == "o-1"
    assert "unknown country code 'XX'" in found[2].error
    assert isinstance(found[3], CaseRow)
    assert found[3].id == "17"

    table = tmp_path / "cases.csv"
    text = json.dumps({**case, "id": "inner"}).replace('"', '""')
    table.write_text(f'id,case\no-2,"{text}"\n,"{text}"\no-3,"not json"\n')
    job_plan = plan(table, 10)
    found = list(case_rows(table, job_plan, job_plan.partitions[0]))
    assert isinstance(found[0], BadCase)
    assert "the id column says 'o-2', the case 'inner'" in found[0].error
    assert isinstance(found[1], CaseRow)
    assert found[1].id == "inner"
    assert isinstance(found[2], BadCase)
    assert "not valid JSON" in found[2].error


def test_a_parquet_null_is_a_field_not_given(tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"id": ["a"], "destination": ["CN"], "end_use": [None]}), path)
    job_plan = plan(path, 10)
    (record,) = read_records(path, job_plan, job_plan.partitions[0])
    assert not isinstance(record, Unreadable)
    assert record.fields == {"id": "a", "destination": "CN"}


def _job(tmp_path: Path, **changes: object) -> Job:
    source = tmp_path / "names.csv"
    if not source.exists():
        source.write_text("id,name\n1,Huawei\n")
    options = JobOptions(JobKind.SCREEN, str(source), str(tmp_path / "out.csv"), 10, as_of=date(2026, 8, 1))
    return Job(
        dataclasses.replace(options, **changes),  # type: ignore[arg-type]
        date(2026, 8, 1),
        None,
        "abc",
        17,
        {"engine": "0.1.0", "lists": "EL=consolidated.csv"},
        plan(source, 10),
        OutputFormat.CSV,
    )


def test_a_checkpoint_knows_its_job_and_refuses_another(tmp_path: Path) -> None:
    checkpoint = Checkpoint(tmp_path / "out.csv.parts")
    job = _job(tmp_path)
    checkpoint.start(job)
    stored = checkpoint.read_job()
    assert stored == job
    assert stored is not None
    assert stored.id == job.id
    assert differences(job, stored) == []
    other = _job(tmp_path, match_threshold=0.9)
    assert differences(other, stored) == ["match_threshold: None then, 0.9 now"]
    relisted = dataclasses.replace(job, basis={**job.basis, "lists": "EL=newer.csv"})
    assert differences(relisted, stored) == ["lists: 'EL=consolidated.csv' then, 'EL=newer.csv' now"]
    assert checkpoint.done(job) == {}
    with checkpoint.locked(), pytest.raises(Conflict, match="another earcheck batch is running this job"):
        checkpoint.locked().__enter__()
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff")
    with pytest.raises(InputError, match="is not a batch checkpoint"):
        Checkpoint(foreign).check_ours()


@pytest.mark.parametrize("form", list(OutputFormat))
def test_parts_assemble_in_order(tmp_path: Path, form: OutputFormat) -> None:
    width = len(SCREEN_COLUMNS.names)
    rows = [[("r", n, 0, *(None,) * (width - 3))] for n in range(3)]
    parts = [tmp_path / f"part-{n}.{form.value}" for n in range(3)]
    for part, part_rows in zip(reversed(parts), reversed(rows), strict=True):
        write_part(part, SCREEN_COLUMNS, part_rows, form)
    output = tmp_path / f"out.{form.value}"
    assemble(parts, SCREEN_COLUMNS, form, output)
    if form is OutputFormat.CSV:
        lines = output.read_text().splitlines()
        assert lines[0].split(",") == list(SCREEN_COLUMNS.names)
        assert [line.split(",")[1] for line in lines[1:]] == ["0", "1", "2"]
    else:
        assert pq.read_table(output).column("line").to_pylist() == [0, 1, 2]


def test_a_csv_part_writes_formula_text_as_text(tmp_path: Path) -> None:
    # OWASP's CSV-injection advice, as earcheck.spreadsheet follows it: a text cell starting with
    # = + - @ (or a tab or carriage return) gets a leading single quote; numbers stay numbers.
    width = len(SCREEN_COLUMNS.names)
    row = ('=HYPERLINK("http://x")', 2, 0, *(None,) * (width - 4), "@SUM(A1)")
    write_part(tmp_path / "part.csv", SCREEN_COLUMNS, [row], OutputFormat.CSV)
    [cells] = list(csv.reader(io.StringIO((tmp_path / "part.csv").read_text())))
    assert cells[0] == '\'=HYPERLINK("http://x")'
    assert cells[-1] == "'@SUM(A1)"
    assert cells[1:3] == ["2", "0"]


def test_what_a_list_update_changed_and_the_hits_it_changed() -> None:
    kept = entry("Zorbatron Industries GmbH", code=ListCode.DPL, list_id="zorbatron")
    renamed_old = entry("Kalashnikov Concern JSC", code=ListCode.SSI, list_id="k")
    renamed_new = dataclasses.replace(renamed_old, name="Kalashnikov Concern Group JSC", line=99)
    gone = entry("Mahan Air", code=ListCode.SDN, list_id="mahan")
    added = entry("Sunrise Global Trading LLC", code=ListCode.UVL, list_id="sunrise")
    change = list_change([kept, renamed_old, gone], [kept, renamed_new, added])
    assert change.added == (added,)
    assert change.removed == (gone,)
    assert change.changed == ((renamed_old, renamed_new),)
    before, after = Screener.build([kept, renamed_old, gone]), Screener.build([kept, renamed_new, added])
    day = date(2026, 8, 1)

    def changes(name: str) -> list[tuple[str, EntryChange, str]]:
        found = hit_changes(before.screen(name, None, day), after.screen(name, None, day), change)
        return [(c.change, c.entry, c.hit.entry.list_id) for c in found]

    assert changes("Sunrise Global Trading") == [("new", EntryChange.ADDED, "sunrise")]
    assert changes("Mahan Air") == [("cleared", EntryChange.REMOVED, "mahan")]
    assert changes("Kalashnikov Concern Group") == [("changed", EntryChange.CHANGED, "k")]
    assert changes("Zorbatron Industries") == []


def test_read_rows_of_a_part_keep_the_file_line_numbers() -> None:
    data = io.BytesIO(b'7,"two\nlines"\n8,SMIC\n')
    rows = list(read_rows(data, "names.csv", header=("id", "name"), first_line=40))
    assert rows == [Row(40, "7", "two\nlines", None), Row(42, "8", "SMIC", None)]


def test_the_command_refuses_what_it_cannot_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from earcheck.cli import app

    names = tmp_path / "names.txt"
    names.write_text("id,name\n1,Huawei\n")
    result = CliRunner().invoke(app, ["batch", "screen", "--input", str(names), "--output", str(tmp_path / "o.csv")])
    assert isinstance(result.exception, InputError)
    assert "must be .csv, .jsonl" in str(result.exception)
    csv_names = tmp_path / "names.csv"
    csv_names.write_text("id,name\n1,Huawei\n")
    result = CliRunner().invoke(
        app, ["batch", "screen", "--input", str(csv_names), "--output", str(tmp_path / "o.txt")]
    )
    assert isinstance(result.exception, InputError)
    assert "the output must be .csv or .parquet" in str(result.exception)

    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "c1", "destination": "DE", "items": [{"eccn": "EAR99"}]}\n')
    impact = ["batch", "impact", "--input", str(cases), "--output", str(tmp_path / "i.csv"), "--scenario"]
    result = CliRunner().invoke(app, [*impact, str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("name: nothing changes\nchanges: []\n")
    result = CliRunner().invoke(app, [*impact, str(scenario)])
    assert isinstance(result.exception, CaseError)  # refused before any cluster starts
    assert "changes" in str(result.exception)


def test_a_scheduler_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    from earcheck.batch.run import Cluster, _client

    with pytest.raises(InputError, match=r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:9'"):  # noqa: SIM117
        with _client(Cluster(scheduler="tcp://127.0.0.1:9", connect_seconds=1)):
            pass
