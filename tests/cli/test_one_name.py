"""``earcheck screen NAME`` screened without typer (``earcheck.cli.one_name``): the same output as the
typer command for every command line it accepts, and every other command line left to typer."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earcheck import compiled
from earcheck.cli import app, main
from earcheck.cli.one_name import screen_one_name

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


@pytest.fixture
def imported(earcheck_home: Path) -> Iterator[Path]:
    result = CliRunner().invoke(app, ["data", "import", str(SNAPSHOT)])
    assert result.exit_code == 0, result.output
    # The import's write-ahead log is checkpointed: the next process need not read it all again.
    log = earcheck_home / "earcheck.db-wal"
    assert not log.exists() or log.stat().st_size == 0
    yield earcheck_home
    compiled.keep_in(None)  # main() keeps compiled tables for the rest of this process otherwise


def _typer(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout


def _fast(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str | None:
    """What ``earcheck ARGS`` prints when the fast path takes it; None when it declines."""
    monkeypatch.setattr(sys, "argv", ["earcheck", *args])
    capsys.readouterr()
    if not screen_one_name(args):
        return None
    return capsys.readouterr().out


ACCEPTED = [
    ["screen", "华为技术有限公司", "--country", "cn", "--json", "--as-of", "2020-09-20"],
    ["screen", "--json", "Huawei Technologies Co., Ltd.", "--as-of=2019-05-15"],
    ["screen", "Huawie Technologies", "--json", "--match-threshold", "0.99", "--review-threshold", "0.5"],
    ["screen", "Semiconductor Mfg Intl Corp", "--as-of", "2026-08-01"],
    ["screen", "Nobody At All", "--as-of", "2026-08-01"],
    ["screen", "Huawei", "--address", "Shenzhen", "--country", "cn", "--json", "--as-of", "2021-01-01"],
    ["screen", "Huawei", "--jobs", "3", "--format", "csv", "--json", "--as-of", "2021-01-01"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=[" ".join(a) for a in ACCEPTED])
def test_the_same_output_as_the_typer_command(
    imported: Path, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # rich's table width, the same for both
    code, expected = _typer(args)
    assert code == 0
    assert _fast(args, capsys, monkeypatch) == expected


DECLINED = [
    ["screen"],
    ["screen", "--help"],
    ["screen", "a", "b"],
    ["screen", "a", "--as-of", "2020-13-01"],
    ["screen", "a", "--as-of"],
    ["screen", "a", "--country", "Atlantis"],
    ["screen", "a", "--match-threshold", "0.5", "--review-threshold", "0.9"],
    ["screen", "a", "--match-threshold", "high"],
    ["screen", "a", "--country", "CN", "--country", "US"],
    ["screen", "a", "--json", "--json"],
    ["screen", "a", "--json=yes"],
    ["screen", "a", "--jobs", "0"],
    ["screen", "a", "--format", "xml"],
    ["screen", "a", "--input", "names.csv"],
    ["screen", "a", "--country", "-x"],
    ["screen", "-x"],
    ["screen", "--", "-x"],
    ["screen", "a", "--unknown", "1"],
    ["check", "case.yaml"],
    ["--help"],
]


@pytest.mark.parametrize("args", DECLINED, ids=[" ".join(a) for a in DECLINED])
def test_anything_else_is_left_to_typer(imported: Path, args: list[str]) -> None:
    assert screen_one_name(args) is False


def test_main_takes_the_fast_path_without_typer(
    imported: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["screen", "Huawei Technologies Co., Ltd.", "--json", "--as-of", "2021-01-01"]
    _, expected = _typer(args)
    monkeypatch.setattr(sys, "argv", ["earcheck", *args])
    # Were main to hand this command line to typer, the application would be looked up: it must not.
    monkeypatch.setattr("earcheck.cli.root.app", None)
    capsys.readouterr()
    main()
    assert capsys.readouterr().out == expected


def test_as_a_user_runs_it(imported: Path) -> None:
    """A fresh process, twice: the first compiles the tables it reads into the home, the second reads
    them from there; both print what typer prints."""
    args = ["screen", "华为技术有限公司", "--json", "--as-of", "2021-01-01"]
    _, expected = _typer(args)
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "earcheck", *args], capture_output=True, text=True, encoding="utf-8", check=False
        )
        assert (done.returncode, done.stdout) == (0, expected), done.stderr
    kept = sorted(p.name.split("-")[0] for p in (imported / "compiled").glob("*.pickle"))
    assert kept == ["lexicon", "rules"]


def test_a_usage_error_is_typers(
    imported: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["earcheck", "screen", "x", "--as-of", "2020-13-01"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_the_option_table_is_the_typer_commands() -> None:
    """The fast path keeps its own list of ``earcheck screen``'s options (it must not import typer to read
    them); read from the typer command itself here, so that an option added there and not here fails."""
    import typer.main
    from typer._click import Context  # typer vendors click
    from typer.core import TyperGroup

    from earcheck.cli import one_name

    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    command = group.get_command(Context(group), "screen")  # the commands are loaded on first use
    assert command is not None
    valued: set[str] = set()
    flags: set[str] = set()
    for parameter in command.params:
        if parameter.param_type_name != "option":
            continue
        longest = max(parameter.opts, key=len)
        if longest == "--help":
            continue
        (flags if getattr(parameter, "is_flag", False) else valued).add(longest)
    assert valued == set(one_name._VALUED)
    assert flags == {one_name._FLAG}
