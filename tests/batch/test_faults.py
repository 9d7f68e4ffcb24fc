"""Faults: a worker killed mid-run, then the client killed mid-run; running the same command again
finishes the job without redoing the finished partitions, and the output has every row once, equal
to the single-process command's."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from earcheck.screening.batch import CSV_COLUMNS
from earcheck.settings import Settings
from tests.batch.conftest import AS_OF, BIN, Processes

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def _done(folder: Path) -> int:
    return len([p for p in folder.glob("part-*.json") if not p.name.startswith(".")])


def _wait(condition: object, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_killing_a_worker_and_the_client_loses_and_repeats_nothing(
    real_settings: Settings, names_csv: Path, single_screen: list[list[str]], tmp_path: Path
) -> None:
    cluster = Processes(tmp_path / "dask")
    try:
        output = tmp_path / "hits.csv"
        parts = output.with_name("hits.csv.parts")
        command = [
            str(BIN / "earcheck"), "batch", "screen", "--input", str(names_csv), "--output", str(output),
            "--scheduler", cluster.address, "--partition-rows", "40", "--as-of", AS_OF.isoformat(),
            "--summary", str(tmp_path / "summary.json"),
        ]  # fmt: skip
        env = {**os.environ, "EARCHECK_HOME": str(real_settings.home)}
        total = 0
        with names_csv.open(newline="", encoding="utf-8") as source:
            total = -(-(sum(1 for _ in csv.reader(source)) - 1) // 40)
        client = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: _done(parts) >= 3, "the first partitions")
            worker = psutil.Process(cluster.workers[0].pid).children(recursive=True)
            assert worker, "the nanny runs its worker in a child process"
            for process in worker:
                process.send_signal(signal.SIGKILL)  # the nanny starts another
            _wait(lambda: _done(parts) >= 12, "partitions after the worker was killed")
            client.send_signal(signal.SIGKILL)
            client.wait(timeout=30)
        finally:
            if client.poll() is None:
                client.kill()
        finished = _done(parts)
        assert finished < total, "the client was killed before the job finished"
        assert not output.exists()
        kept = {p.name: p.stat().st_mtime_ns for p in parts.glob("part-*")}

        cluster.wait_for_workers(2)
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert again.returncode == 0, again.stderr
        assert "Resuming" in again.stderr
        summary = json.loads((tmp_path / "summary.json").read_text())
        assert summary["resumed"] >= finished
        assert summary["partitions"] == total
        # The finished partitions were not done again.
        assert {name: parts.joinpath(name).stat().st_mtime_ns for name in kept} == kept

        with output.open(newline="", encoding="utf-8") as source:
            rows = list(csv.reader(source))
        ids = [row[0] for row in rows[1:]]
        lines = [row[1] for row in rows[1:]]
        assert len(lines) == len(set(lines)) == len(single_screen) - 1, "every row once"
        assert ids == [row[0] for row in single_screen[1:]]
        assert [row[: len(CSV_COLUMNS)] for row in rows] == single_screen
    finally:
        cluster.stop()
