"""Real data for the batch tests: the snapshots of ../shared/data imported once, a few thousand real
names and generated cases, the single-process answers to compare with, and a Dask scheduler with two
workers started as separate processes on loopback."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from earcheck.settings import Settings
from earcheck.store import Store
from tests.conftest import SHARED_DATA

AS_OF = date(2026, 8, 1)
TODAY = date(2026, 11, 26)
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def real_settings(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("batch-home")
    settings = Settings(home, f"sqlite:///{home / 'earcheck.db'}")
    Store.open(settings).import_path(shared_data, today=TODAY)
    return settings


def earcheck(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``earcheck`` command in a process of its own, on ``settings``' home."""
    env = {**os.environ, "EARCHECK_HOME": str(settings.home)}
    env.pop("EARCHECK_DATABASE_URL", None)
    return subprocess.run(
        [str(BIN / "earcheck"), *args], env=env, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="session")
def names_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,400 rows: listed names of every list (as written, and with a word dropped), invented company
    names, Chinese and Cyrillic text, a quoted name holding a newline, and bad rows."""
    rng = random.Random(13)
    with (SHARED_DATA / "csl" / "consolidated.csv").open(encoding="utf-8") as source:
        listed = [row["name"] for row in csv.DictReader(source) if row["name"]]
    rng.shuffle(listed)
    path = tmp_path_factory.mktemp("batch-input") / "names.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "country"])
        for number, name in enumerate(listed[:1000]):
            writer.writerow([f"listed-{number}", name, rng.choice(["", "", "CN", "RU", "IR", "DE"])])
        for number, name in enumerate(listed[1000:1400]):
            words = name.split()
            writer.writerow([f"dropped-{number}", " ".join(words[:-1]) if len(words) > 2 else name, ""])
        for number in range(950):
            form = rng.choice(["GmbH", "Co., Ltd.", "LLC", "S.A."])
            writer.writerow([f"clean-{number}", f"{rng.choice(['Kestrel', 'Aster', 'Lumen'])} {number} {form}", ""])
        writer.writerows(
            [
                ["zh-1", "华为技术有限公司", "CN"],
                ["ru-1", "Концерн Калашников", "RU"],
                ["multi-line", "Semiconductor Manufacturing\nInternational Corporation", "CN"],
                ["bad-country", "Acme Widgets", "ZZ"],
                ["", "No Id Trading", ""],
                ["empty-name", "", "CN"],
                ["too-long", "x" * 1200, ""],
                ["extra-field", "Acme", "US", "surplus"],
            ]
        )
        writer.writerows([[f"tail-{n}", listed[2000 + n], ""] for n in range(42)])
    return path


@pytest.fixture(scope="session")
def single_screen(real_settings: Settings, names_csv: Path) -> list[list[str]]:
    """``earcheck screen --input names.csv --format csv``: the single-process answer, header first."""
    done = earcheck(real_settings, "screen", "--input", str(names_csv), "--format", "csv", "--as-of", str(AS_OF))
    assert done.returncode == 0, done.stderr
    return list(csv.reader(done.stdout.splitlines(keepends=True)))


@pytest.fixture(scope="session")
def cases_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated cases (benchmarks/portfolio.py: real listed parties among invented ones), one per
    line, and two bad lines."""
    from benchmarks.portfolio import portfolio

    path = tmp_path_factory.mktemp("batch-cases") / "cases.jsonl"
    lines = [json.dumps(case) for case in portfolio(300, seed=11)]
    lines.insert(100, "{not json")
    lines.insert(300, json.dumps({"id": "bad-destination", "destination": "XX", "items": [{"eccn": "EAR99"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def single_check(
    real_settings: Settings, cases_jsonl: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    """``earcheck check --json`` on the good cases in one process, by case id."""
    cases = []
    for line in cases_jsonl.read_text().splitlines():
        try:
            case = json.loads(line)
        except json.JSONDecodeError:
            continue
        if case.get("id") != "bad-destination":
            cases.append(case)
    path = tmp_path_factory.mktemp("batch-check") / "cases.json"
    path.write_text(json.dumps(cases))
    done = earcheck(real_settings, "check", str(path), "--json")
    assert done.returncode == 0, done.stderr
    return {answer["case_id"]: answer for answer in json.loads(done.stdout)}


class Processes:
    """A Dask scheduler and workers started as separate processes (``dask scheduler``/``dask worker``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard")
        deadline = time.monotonic() + 60
        while not self.file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            assert self.scheduler.poll() is None, "the scheduler exited"
            time.sleep(0.2)
        self.address: str = json.loads(self.file.read_text())["address"]
        self.workers = [
            self._start("worker", self.address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                        "--no-dashboard", "--local-directory", str(folder / f"worker-{n}"))
            for n in range(2)
        ]  # fmt: skip
        self.wait_for_workers(2)

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        extra = ("--scheduler-file", str(self.file)) if args[0] == "scheduler" else ()
        log = self.folder / f"{args[0]}-{len(list(self.folder.glob(args[0] + '*.log')))}.log"
        # No EARCHECK_HOME: a worker must take the job's home from the work it is given.
        env = {k: v for k, v in os.environ.items() if not k.startswith("EARCHECK_")}
        with log.open("wb") as out:
            return subprocess.Popen([str(BIN / "dask"), *args, *extra], stdout=out, stderr=subprocess.STDOUT, env=env)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=60)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Processes]:
    started = Processes(tmp_path_factory.mktemp("dask"))
    try:
        yield started
    finally:
        started.stop()
