"""Issue 14, item 2 end to end: a list file cut at a row boundary must not become the governing list.

``head -n 101 consolidated.csv`` parses cleanly; imported as the newest CSL it would make every party it
no longer holds -- the Islamic Revolutionary Guard Corps, Huawei -- screen clean. The import is refused
(non-zero exit, nothing stored) unless the operator accepts the shrink with a reason, which is audited;
a wrong snapshot can be retired; and every screening says which lists it used and when they are stale.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck.cli import app
from earcheck.errors import EarcheckError
from earcheck.records import audit
from earcheck.settings import Settings
from earcheck.store import Store

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


def run(*args: str) -> tuple[int, str, str]:
    """Run the command as ``earcheck`` does: an ``EarcheckError`` is exit status 2 with its message."""
    result = CliRunner().invoke(app, list(args))
    if isinstance(result.exception, EarcheckError):
        return 2, result.stdout, str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def listed(name: str, as_of: str = "2026-09-15") -> set[str]:
    code, out, _ = run("screen", name, "--as-of", as_of, "--json")
    assert code == 0, out
    return {m["list_code"] for m in json.loads(out)["matches"] if m["band"] == "match"}


def test_a_truncated_csl_is_refused_then_accepted_then_retired(shared_data: Path, tmp_path: Path) -> None:
    code, _, _ = run("data", "import", str(shared_data))
    assert code == 0
    assert {"SDN"} <= listed("Islamic Revolutionary Guard Corps")
    assert "EL" in listed("Huawei Technologies Co., Ltd.")
    before = json.loads(run("data", "status", "--json")[1])["snapshots"]

    truncated = tmp_path / "trunc.csv"
    lines = (shared_data / "csl" / "consolidated.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    truncated.write_text("".join(lines[:101]), encoding="utf-8")
    code, _, err = run("data", "import", str(truncated), "--as-of", "2026-09-01")
    assert code == 2
    assert "refused" in err
    assert "Nothing was imported" in err
    assert "EL: no rows in trunc.csv of 2026-09-01, against 3,420 in csl/consolidated.csv of 2026-07-31" in err
    assert json.loads(run("data", "status", "--json")[1])["snapshots"] == before
    assert {"SDN"} <= listed("Islamic Revolutionary Guard Corps")
    assert "EL" in listed("Huawei Technologies Co., Ltd.")

    code, _, err = run("data", "import", str(truncated), "--as-of", "2026-09-01", "--accept-shrink", "  ")
    assert code == 2
    assert "say why" in err
    reason = "BIS confirmed the delistings (test)"
    code, out, _ = run("data", "import", str(truncated), "--as-of", "2026-09-01", "--accept-shrink", reason)
    assert code == 0, out
    status = json.loads(run("data", "status", "--json")[1])
    [cut] = [s for s in status["snapshots"] if s["file_name"] == "trunc.csv"]
    assert cut["import_note"].startswith(f"shrink accepted: {reason}")
    assert listed("Islamic Revolutionary Guard Corps") == set()  # what the guard stood in the way of

    code, out, _ = run("data", "retire", cut["id"][:8], "--reason", "imported by mistake: a cut download")
    assert code == 0
    assert "SDN is now governed by csl/consolidated.csv of 2026-07-31" in out
    assert {"SDN"} <= listed("Islamic Revolutionary Guard Corps")
    status = json.loads(run("data", "status", "--json")[1])
    [cut] = [s for s in status["snapshots"] if s["file_name"] == "trunc.csv"]
    assert cut["retired"]["reason"] == "imported by mistake: a cut download"  # kept, not deleted
    code, _, err = run("data", "retire", cut["id"], "--reason", "again")
    assert code == 2
    assert "already retired" in err

    rows = audit.entries(Store.open(Settings.from_env()).engine, limit=500).items
    actions = [(row.action, row.data) for row in rows]
    imports = [data for action, data in actions if action == "data.import"]
    assert any(data["accepted_shrink"] and reason in data["accepted_shrink"] for data in imports)
    assert any(action == "data.retire" and data["snapshot"] == cut["id"] for action, data in actions)


def test_screening_names_its_lists_and_warns_when_they_are_stale(shared_data: Path) -> None:
    assert run("data", "import", str(shared_data))[0] == 0
    _, out, _ = run("screen", "Nobody In Particular Trading", "--as-of", "2026-12-07", "--json")
    result = json.loads(out)
    assert {s["list"] for s in result["lists"]} >= {"EL", "SDN", "DPL"}
    assert {s["as_of"] for s in result["lists"]} == {"2026-07-31"}
    assert any("129 days older than that date" in w for w in result["warnings"])
    _code, out, _ = run("screen", "Nobody In Particular Trading", "--as-of", "2026-08-10")
    assert "Lists: EL,DPL" in out
    assert "warning" not in out
    # 2023: the SDN of the 2021-08-18 file governs, 500-odd days old by then.
    result = json.loads(run("screen", "Nobody In Particular Trading", "--as-of", "2023-01-01", "--json")[1])
    assert any(w.startswith("SDN: the list used for 2023-01-01 is of 2021-08-18") for w in result["warnings"])


def test_data_update_is_guarded_too(server: str, tmp_path: Path) -> None:
    urls = ["--csl-url", f"{server}/consolidated.csv", "--sdn-url", f"{server}/sdn.csv"]
    assert run("data", "update", "--dest", str(tmp_path / "a"), *urls)[0] == 0
    Store.open(Settings.from_env()).snapshots()  # the full files are in
    cut = ["--csl-url", f"{server}/rowcut/consolidated.csv", "--sdn-url", f"{server}/rowcut/sdn.csv"]
    code, _, err = run("data", "update", "--dest", str(tmp_path / "b"), *cut)
    assert code == 2
    assert "refused" in err
    infos = Store.open(Settings.from_env()).snapshots()
    assert {info.file_name for info in infos} == {"consolidated.csv", "sdn.csv"}
    assert all(info.as_of == date.today() for info in infos)
