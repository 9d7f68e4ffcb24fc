"""A batch job and its checkpoint: what was asked, what it rests on, and which partitions are done.

The checkpoint is a folder beside the output (``OUTPUT.parts`` unless another is given) holding

- ``job.json``: the options as given, the dates they resolved to (today's date is fixed when the job
  first starts, so that a run resumed after midnight still answers for the same day), the input's
  SHA-256, the *basis* (engine version, rule data revision, the list snapshots, the screening
  algorithm) and the partition plan;
- one part per finished partition, and beside it ``part-NNNNNN.json`` with the partition's counts
  and cost, written last: a partition is done when its ``.json`` is there;
- ``job.lock``, held by the client running the job (one client per job at a time).

Running the same command again reads ``job.json``: with the same options, input and basis it goes on
from the partitions done; with anything else it refuses (``--restart`` starts over), so that an
output never mixes rows of two inputs, two list versions or two engine versions.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from earcheck.batch.outputs import OutputFormat, part_path, replace_atomically
from earcheck.batch.partitions import InputFormat, Partition, Plan
from earcheck.errors import Conflict, InputError

__all__ = ["Checkpoint", "Job", "JobKind", "JobOptions", "PartStats", "file_sha256"]

FORMAT = 1


class JobKind(StrEnum):
    SCREEN = "screen"
    DELTA = "delta"  # batch screen --since
    CHECK = "check"
    IMPACT = "impact"  # a portfolio of cases under a scenario (earcheck.supplychain.impact)


@dataclass(frozen=True, slots=True)
class JobOptions:
    """The options of a job as the user gave them (``None``: not given)."""

    kind: JobKind
    input: str  # absolute path
    output: str  # absolute path
    partition_rows: int
    as_of: date | None = None  # screen: the lists of this date
    since: str | None = None  # delta: a date, or a list snapshot id whose date is taken
    today: date | None = None  # check: the date a case without ``as_of`` is decided for
    match_threshold: float | None = None
    review_threshold: float | None = None
    algorithm: str | None = None
    full: bool = False  # check: keep each whole determination
    scenario: str | None = None  # impact: the scenario file (absolute path)

    def document(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}

    @classmethod
    def read(cls, document: Mapping[str, Any]) -> JobOptions:
        values = dict(document)
        for key in ("as_of", "today"):
            if values.get(key) is not None:
                values[key] = date.fromisoformat(values[key])
        values["kind"] = JobKind(values["kind"])
        if "margin" in values:
            # Delta jobs of earlier releases screened only the names near the touched entries (their
            # --margin), which missed hits: their finished parts must not be mixed with this release's.
            raise InputError("the checkpoint holds a delta job of an earlier earcheck (with --margin): give --restart")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Job:
    """A job as planned: options, the dates resolved, the input's identity, the basis, the plan."""

    options: JobOptions
    day: date  # screen: the date screened (lists and statuses); check: "today"
    since: date | None
    input_sha256: str
    input_size: int
    basis: Mapping[str, str]
    plan: Plan
    output_format: OutputFormat

    @property
    def id(self) -> str:
        """A short hash of everything that decides the job's output."""
        document = self.document()
        document.pop("plan")
        return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:16]

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "options": self.options.document(),
            "day": self.day.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "input": {"sha256": self.input_sha256, "size": self.input_size},
            "basis": dict(self.basis),
            "output_format": self.output_format.value,
            "plan": {
                "format": self.plan.format.value,
                "header": list(self.plan.header),
                "partitions": [[p.number, p.start, p.end, p.first_line, p.rows] for p in self.plan.partitions],
            },
        }

    @classmethod
    def read(cls, document: Mapping[str, Any]) -> Job:
        if document.get("format") != FORMAT:
            raise InputError("the checkpoint was written by another version of earcheck: give --restart")
        plan = document["plan"]
        return cls(
            options=JobOptions.read(document["options"]),
            day=date.fromisoformat(document["day"]),
            since=date.fromisoformat(document["since"]) if document["since"] else None,
            input_sha256=document["input"]["sha256"],
            input_size=document["input"]["size"],
            basis=dict(document["basis"]),
            plan=Plan(
                InputFormat(plan["format"]),
                tuple(plan["header"]),
                tuple(Partition(*values) for values in plan["partitions"]),
            ),
            output_format=OutputFormat(document["output_format"]),
        )


@dataclass(frozen=True, slots=True)
class PartStats:
    """What one partition's task did: counts for the summary, cost for the estimates."""

    number: int
    rows: int  # input rows
    output_rows: int
    matches: int  # screen: best hit a match; check: cases with a party match; delta: changes; impact: changed
    reviews: int  # rows whose best hit is in the review band (check: cases with a review hit)
    errors: int
    seconds: float  # the task's own time, on its worker
    worker: str
    memory_mib: float  # the worker's resident memory when the task ended
    counts: Mapping[str, int] = field(default_factory=dict)  # per kind: licence answers, delta changes
    setup_seconds: float = 0.0  # loading earcheck's state on the worker (0: already loaded for this job)
    cpu_seconds: float = 0.0  # the task's CPU time: what it costs on a core of its own, however busy the machine

    def document(self) -> dict[str, Any]:
        return asdict(self)


def file_sha256(path: Path) -> tuple[str, int]:
    with path.open("rb") as source:
        digest = hashlib.file_digest(source, "sha256")
    return digest.hexdigest(), path.stat().st_size


class Checkpoint:
    """The checkpoint folder of one job (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def manifest(self) -> Path:
        return self.folder / "job.json"

    def read_job(self) -> Job | None:
        try:
            document = json.loads(self.manifest.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise InputError(f"{self.manifest}: unreadable ({error}); give --restart to start over") from None
        return Job.read(document)

    def start(self, job: Job) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(self.manifest, json.dumps(job.document(), indent=1).encode())

    def check_ours(self) -> None:
        """Refuse a folder that exists and holds files but is no batch checkpoint (nothing is written there)."""
        if self.folder.is_dir() and not (self.manifest.exists() or (self.folder / "job.lock").exists()):
            if any(self.folder.iterdir()):
                raise InputError(f"{self.folder} is not a batch checkpoint (no job.json): choose another --output")
        elif self.folder.exists() and not self.folder.is_dir():
            raise InputError(f"{self.folder} is a file, not a batch checkpoint folder: choose another --output")

    def clear_parts(self) -> None:
        """Remove the manifest and every part (a job started over); the lock stays, held by us."""
        for pattern in ("job.json", "part-*.csv", "part-*.parquet", "part-*.json", ".part-*.tmp", ".job.json.*.tmp"):
            for path in self.folder.glob(pattern):
                path.unlink()

    def stats_path(self, number: int) -> Path:
        return self.folder / f"part-{number:06d}.json"

    def part(self, number: int, form: OutputFormat) -> Path:
        return part_path(self.folder, number, form)

    def finished(self, number: int, form: OutputFormat) -> PartStats | None:
        """The counts of partition ``number`` if it is finished (a part without its counts is not)."""
        try:
            document = json.loads(self.stats_path(number).read_text())
        except (OSError, ValueError):
            return None
        return PartStats(**document) if self.part(number, form).is_file() else None

    def done(self, job: Job) -> dict[int, PartStats]:
        """The partitions finished, by number."""
        found = {}
        for partition in job.plan.partitions:
            if (stats := self.finished(partition.number, job.output_format)) is not None:
                found[partition.number] = stats
        return found

    def write_stats(self, stats: PartStats) -> None:
        replace_atomically(self.stats_path(stats.number), json.dumps(stats.document()).encode())

    def sweep(self) -> None:
        """Remove the temporary files of writes cut short (a worker or client killed mid-write)."""
        for path in [*self.folder.glob(".part-*.tmp"), *self.folder.glob(".job.json.*.tmp")]:
            with contextlib.suppress(OSError):
                path.unlink()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the job's lock: a second client running the same job at once is refused."""
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.folder / "job.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Conflict(f"{self.folder}: another earcheck batch is running this job") from None
            yield
        finally:
            os.close(descriptor)


def differences(given: Job, stored: Job) -> list[str]:
    """What differs between a job as now asked and the one a checkpoint holds."""
    out = []
    ours, theirs = given.options.document(), stored.options.document()
    out += [f"{k}: {theirs.get(k)!r} then, {v!r} now" for k, v in ours.items() if theirs.get(k) != v]
    if (given.input_sha256, given.input_size) != (stored.input_sha256, stored.input_size):
        out.append("the input file's content changed")
    out += [f"{k}: {stored.basis.get(k)!r} then, {v!r} now" for k, v in given.basis.items() if stored.basis.get(k) != v]
    return out
