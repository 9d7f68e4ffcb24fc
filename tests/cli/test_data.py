from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.errors import SourceFormatError

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_folder_then_again(tmp_path: Path) -> None:
    code, out, _ = run("data", "import", str(SNAPSHOT))
    assert code == 0
    assert "8 new, 0 already imported" in out
    assert "csl/consolidated.csv" in out
    assert "2021-08-18   manifest" in out
    assert "csl/consolidated.csv: EL 3 · DPL 2 · UVL 1 · MEU 1 · SDN 2 · CMIC 1 · CAP 1 · DTC 1 · ISN 1" in out
    assert "ofac/sdn-2024-05-03.csv: SDN 9" in out
    assert "cut short inside an alias" in out  # the report's warnings are shown
    code, out, _ = run("data", "import", str(SNAPSHOT))
    assert code == 0
    assert "0 new, 8 already imported" in out
    assert out.count("already imported") == 9


def test_import_single_file_with_and_without_as_of(tmp_path: Path) -> None:
    code, out, _ = run("data", "import", str(SNAPSHOT / "ofac" / "sdn-2021-08-18.csv"), "--as-of", "2021-08-18")
    assert code == 0
    assert "2021-08-18   option" in out
    code, out, _ = run("data", "import", str(SNAPSHOT / "csl" / "consolidated.csv"))
    assert code == 0
    assert f"{date.today()}   import date" in out
    assert "warning: consolidated.csv: no as-of date given" in out


def test_bad_as_of_option() -> None:
    code, _, err = run("data", "import", str(SNAPSHOT), "--as-of", "31/07/2026")
    assert code == 2
    assert "is not a date; expected YYYY-MM-DD" in err


def test_lenient_import_lists_skipped_rows(tmp_path: Path) -> None:
    bad = tmp_path / "consolidated.csv"
    bad.write_text(
        (SNAPSHOT / "csl" / "consolidated.csv").read_text(encoding="utf-8").replace('"2019-05-21"', '"2019-13-01"'),
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match="line 9, field 'start_date'"):
        run("data", "import", str(bad), "--as-of", "2026-07-31")
    code, out, _ = run("data", "import", str(bad), "--as-of", "2026-07-31", "--lenient")
    assert code == 0
    assert "1 row(s) skipped" in out
    assert "line 9, field 'start_date': not a date: '2019-13-01'" in out


def test_strict_error_exits_2_with_file_line_and_field(tmp_path: Path, earcheck_home: Path) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_bytes((SNAPSHOT / "ofac" / "sdn-2021-08-18.csv").read_bytes().replace(b'306,"BANCO', b'3o6,"BANCO'))
    env = {**os.environ, "EARCHECK_HOME": str(earcheck_home)}
    done = subprocess.run(
        [sys.executable, "-m", "earcheck", "data", "import", str(bad), "--as-of", "2021-08-18"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert f"error: {bad}, line 3, field 'ent_num': ent_num is not a number" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_status_empty_then_loaded() -> None:
    code, out, _ = run("data", "status")
    assert code == 0
    assert "Nothing imported yet" in out
    run("data", "import", str(SNAPSHOT))
    code, out, _ = run("data", "status")
    assert code == 0
    for name in ("csl/consolidated.csv", "ofac/sdn-2021-08-18.csv", "ear/ccl.jsonl"):
        assert name in out
    assert "EAR tables: edition 2026-07-23" in out


def test_status_warns_about_lists_older_than_30_days() -> None:
    today = date.today()
    sdn = SNAPSHOT / "ofac" / "sdn-2024-05-03.csv"
    run("data", "import", str(sdn), "--as-of", str(today - timedelta(days=30)))
    _, out, _ = run("data", "status")
    assert "newest list is of" not in out
    run(
        "data",
        "import",
        str(SNAPSHOT / "csl" / "consolidated.csv"),
        "--as-of",
        str(today - timedelta(days=31)),
    )
    code, out, _ = run("data", "status")
    assert code == 0
    warning = " ".join(out.split())
    assert "warning: EL, DPL, UVL, MEU, SSI, CMIC, NS-MBS, CAP, PLC, DTC, ISN: the newest list is of" in warning
    assert "31 days old (more than 30)" in warning
    assert "SDN:" not in warning  # SDN's newest snapshot is 30 days old


def test_status_json() -> None:
    run("data", "import", str(SNAPSHOT))
    code, out, _ = run("data", "status", "--json")
    assert code == 0
    document = json.loads(out)
    assert len(document["snapshots"]) == 8
    csl = next(s for s in document["snapshots"] if s["kind"] == "csl")
    assert (csl["as_of"], csl["rows"], csl["as_of_source"]) == ("2026-07-31", 13, "manifest")
    assert len(csl["sha256"]) == 64
    assert csl["lists"]["EL"] == 3
    stale = {s["list"] for s in document["stale_lists"]}
    every_list = {"EL", "DPL", "UVL", "MEU", "SDN", "SSI", "CMIC", "NS-MBS", "CAP", "PLC", "DTC", "ISN"}
    assert stale == (every_list if (date.today() - date(2026, 7, 31)).days > 30 else set())


def test_update_downloads_and_imports(server: str, tmp_path: Path) -> None:
    dest = tmp_path / "downloads"
    args = ["data", "update", "--dest", str(dest), "--csl-url", f"{server}/consolidated.csv"]
    code, out, err = run(*args, "--sdn-url", f"{server}/sdn.csv")
    assert (code, err) == (0, "")
    assert "2 new, 0 already imported" in out
    assert sorted(p.name for p in dest.iterdir()) == ["consolidated.csv", "manifest.json", "sdn.csv"]
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["files"]["sdn.csv"]["as_of"] == str(date.today())
    assert manifest["files"]["sdn.csv"]["url"] == f"{server}/sdn.csv"
    _, status, _ = run("data", "status", "--json")
    kinds = {(s["kind"], s["as_of"], s["as_of_source"]) for s in json.loads(status)["snapshots"]}
    assert kinds == {("csl", str(date.today()), "manifest"), ("ofac_sdn", str(date.today()), "manifest")}
    code, out, _ = run(*args, "--sdn-url", f"{server}/sdn.csv")
    assert code == 0
    assert "0 new, 2 already imported" in out


def test_update_default_destination_is_under_home(server: str, earcheck_home: Path) -> None:
    code, _, _ = run("data", "update", "--csl-url", f"{server}/consolidated.csv", "--sdn-url", f"{server}/sdn.csv")
    assert code == 0
    assert (earcheck_home / "downloads" / str(date.today()) / "consolidated.csv").is_file()


@pytest.mark.parametrize(
    ("sdn_path", "message"),
    [
        ("/fail", "the server answered 503"),
        ("/truncated/sdn.csv", "before the file was complete"),
        ("/html", "expected the OFAC SDN.CSV, got not a format earcheck reads: is the URL right?"),
        ("/consolidated.csv", "expected the OFAC SDN.CSV, got trade.gov Consolidated Screening List"),
    ],
)
def test_update_failure_imports_what_arrived_and_exits_2(
    server: str, tmp_path: Path, sdn_path: str, message: str
) -> None:
    dest = tmp_path / "downloads"
    code, out, err = run(
        "data", "update", "--dest", str(dest), "--csl-url", f"{server}/consolidated.csv",
        "--sdn-url", f"{server}{sdn_path}",
    )  # fmt: skip
    assert code == 2
    assert message in " ".join(err.split())
    assert "1 download(s) failed" in err
    assert "1 new, 0 already imported" in out
    assert not (dest / "sdn.csv").exists()


def test_update_without_network_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run(
        "data", "update", "--dest", str(tmp_path), "--csl-url", "http://127.0.0.1:9/c.csv",
        "--sdn-url", "http://127.0.0.1:9/s.csv", "--timeout", "2",
    )  # fmt: skip
    assert code == 2
    text = " ".join(err.split())
    assert "could not connect" in text
    assert "earcheck data import FILE --as-of DATE" in text
    assert "2 download(s) failed" in text


def test_status_warns_about_rows_skipped_in_the_governing_snapshot(tmp_path: Path) -> None:
    bad = tmp_path / "consolidated.csv"
    bad.write_text(
        (SNAPSHOT / "csl" / "consolidated.csv").read_text(encoding="utf-8").replace('"2019-05-21"', '"May 2019"'),
        encoding="utf-8",
    )
    run("data", "import", str(bad), "--as-of", str(date.today()), "--lenient")
    _, out, _ = run("data", "status")
    assert "consolidated.csv: 1 row(s) were skipped at import and are not screened" in " ".join(out.split())


def test_names_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    odd = tmp_path / "sdn [copy] [b].csv"
    odd.write_bytes((SNAPSHOT / "ofac" / "sdn-2021-08-18.csv").read_bytes())
    code, out, _ = run("data", "import", str(odd), "--as-of", "2021-08-18")
    assert code == 0
    assert "sdn [copy] [b].csv" in out
