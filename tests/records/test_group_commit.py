"""Screenings and determinations written through the group commit (``earcheck.group_commit``): many
threads at once, and two engines on one database (two servers), never lose an acknowledged row, never
repeat a sequence number, keep the chain verifiable, and hand each caller its own row."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from earcheck import db, group_commit
from earcheck.casefile import parse_cases
from earcheck.records import audit
from earcheck.records.determinations import get_determination, record_determination
from earcheck.records.keys import Actor
from earcheck.records.schema import audit_log, determinations
from earcheck.records.screening import record_screening
from earcheck.settings import Settings
from tests.doubles import FakeWorkspace

THREADS = 16
EACH = 15


def _second_engine(settings: Settings) -> sa.Engine:
    """Another engine on the same database, as a second server process would have (its own pool and
    its own writer thread: the group commit is per engine)."""
    engine = sa.create_engine(settings.database_url, pool_size=THREADS, max_overflow=0)
    if settings.is_sqlite:
        sa.event.listen(engine, "connect", db._sqlite_pragmas)
        sa.event.listen(engine, "begin", db._sqlite_begin)
    return engine


def _case(name: str) -> Any:
    (case,) = parse_cases(
        {"id": name, "destination": "CN", "items": [{"eccn": "EAR99"}], "parties": [{"name": name, "country": "CN"}]}
    )
    return case


def _hammer(engines: list[sa.Engine], analyst: Actor) -> tuple[dict[int, str], dict[int, str], list[BaseException]]:
    """THREADS threads per engine, each recording EACH screenings and EACH determinations, all started at once.
    Returns the acknowledged screenings (audit seq -> name), determinations (id -> case id) and errors."""
    screened: dict[int, str] = {}
    determined: dict[int, str] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS * len(engines))
    workspace = FakeWorkspace()

    def worker(engine: sa.Engine, tag: str) -> None:
        start.wait()
        try:
            for n in range(EACH):
                name = f"party {tag}-{n}"
                entry = record_screening(engine, analyst, name, "CN", date(2026, 8, 1), [])
                case = _case(f"case {tag}-{n}")
                stored = record_determination(engine, analyst, case, workspace.determine(case))
                with lock:
                    assert entry.seq not in screened  # no two callers handed the same row
                    assert stored.id not in determined
                    screened[entry.seq] = name
                    determined[stored.id] = f"case {tag}-{n}"
        except BaseException as error:  # reported by the test, not lost in a thread
            with lock:
                errors.append(error)

    threads = [
        threading.Thread(target=worker, args=(engine, f"e{e}t{t}"))
        for e, engine in enumerate(engines)
        for t in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return screened, determined, errors


def _check(engine: sa.Engine, screened: dict[int, str], determined: dict[int, str]) -> None:
    expected = len(screened) + len(determined)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(audit_log).order_by(audit_log.c.seq)).all()
        stored_ids = set(connection.execute(sa.select(determinations.c.id)).scalars())
    assert [r.seq for r in rows] == list(range(1, expected + 1))  # no gap, no repeat
    by_seq = {int(r.seq): r for r in rows}
    for seq, name in screened.items():  # each caller got the row that records *its* screening
        assert by_seq[seq].action == "screening.run"
        assert json.loads(by_seq[seq].payload)["name"] == name
    assert stored_ids == set(determined)
    for determination_id, case_id in list(determined.items())[:20]:
        assert get_determination(engine, determination_id).case_id == case_id
    report = audit.verify(engine)
    assert report.ok, report.problems
    assert report.rows == report.head_seq == expected


@pytest.mark.slow
def test_many_threads_at_once_lose_nothing_and_keep_the_chain(engine: sa.Engine, analyst: Actor) -> None:
    screened, determined, errors = _hammer([engine], analyst)
    assert errors == []
    assert len(screened) == len(determined) == THREADS * EACH
    _check(engine, screened, determined)


@pytest.mark.slow
def test_two_servers_on_one_database_never_fork_the_chain(
    database_settings: Settings, engine: sa.Engine, analyst: Actor
) -> None:
    other = _second_engine(database_settings)
    try:
        screened, determined, errors = _hammer([engine, other], analyst)
    finally:
        other.dispose()
    assert errors == []
    assert len(screened) == len(determined) == 2 * THREADS * EACH
    _check(engine, screened, determined)


def _blocked_writer(engine: sa.Engine) -> tuple[threading.Event, threading.Thread]:
    """Occupy the engine's writer with a write that waits, so that what is submitted next queues up
    and commits together, as one batch."""
    release, running = threading.Event(), threading.Event()

    def hold(connection: sa.Connection) -> None:
        running.set()
        release.wait(30)

    holder = threading.Thread(target=group_commit.submit, args=(engine, hold))
    holder.start()
    assert running.wait(30)
    return release, holder


def _queued(engine: sa.Engine, count: int) -> None:
    writer = group_commit._writers[engine]
    for _ in range(3000):
        with writer._condition:
            if len(writer._pending) == count:
                return
        threading.Event().wait(0.01)
    raise AssertionError(f"{count} writes never queued")


def test_a_failing_write_is_rolled_back_alone_in_its_batch(engine: sa.Engine, analyst: Actor) -> None:
    release, holder = _blocked_writer(engine)
    results: dict[str, Any] = {}

    def submit(tag: str, work: Callable[[sa.Connection], Any]) -> None:
        try:
            results[tag] = group_commit.submit(engine, work)
        except Exception as error:
            results[tag] = error

    def append(tag: str) -> Callable[[sa.Connection], audit.AuditEntry]:
        return lambda c: audit.append(c, analyst.label, "screening.run", f"party:{tag}", {"name": tag})

    def fails(connection: sa.Connection) -> None:
        audit.append(connection, analyst.label, "screening.run", "party:doomed", {"name": "doomed"})
        raise ValueError("this write fails after appending")

    threads = [threading.Thread(target=submit, args=("a", append("a")))]
    threads[0].start()
    _queued(engine, 1)
    threads.append(threading.Thread(target=submit, args=("doomed", fails)))
    threads[1].start()
    _queued(engine, 2)
    threads.append(threading.Thread(target=submit, args=("b", append("b"))))
    threads[2].start()
    _queued(engine, 3)
    release.set()
    holder.join()
    for thread in threads:
        thread.join()

    assert isinstance(results["doomed"], ValueError)  # the caller gets its own exception
    first, second = results["a"], results["b"]
    assert (first.seq, second.seq) == (1, 2)  # the failed write's number is not used up: no gap
    assert second.prev_hash == first.hash
    rows = audit.entries(engine, newest_first=False).items
    assert [r.subject for r in rows] == ["party:a", "party:b"]
    assert audit.verify(engine).ok


def test_a_write_cannot_wait_on_another_from_the_writer(engine: sa.Engine) -> None:
    def nested(connection: sa.Connection) -> None:
        group_commit.submit(engine, lambda c: None)

    with pytest.raises(RuntimeError, match="wait on itself"):
        group_commit.submit(engine, nested)


def test_the_writer_thread_ends_when_idle_and_comes_back(
    engine: sa.Engine, analyst: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(group_commit, "IDLE_SECONDS", 0.05)
    first = record_screening(engine, analyst, "first", None, date(2026, 8, 1), [])
    writer = group_commit._writers[engine]
    for _ in range(500):
        with writer._condition:
            if not writer._running:
                break
        threading.Event().wait(0.01)
    assert not writer._running
    second = record_screening(engine, analyst, "second", None, date(2026, 8, 1), [])
    assert (first.seq, second.seq) == (1, 2)
    assert audit.verify(engine).ok
