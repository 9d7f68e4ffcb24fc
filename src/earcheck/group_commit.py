"""Group commit: concurrent writers of one process share a transaction and a commit.

Every screening and determination appends a row to the hash-chained audit log, and the chain has
one head, so those writes are serial by nature: each must see the hash its predecessor committed.
Taken one transaction per request, the requests queue on the database's write lock (SQLite's
``BEGIN IMMEDIATE``, PostgreSQL's row lock on ``audit_head``), each pays its own commit, and on
SQLite the losers poll the lock with growing sleeps: at 200 connections throughput halved and p99
reached seconds.

Here a request hands its write (a function of a connection) to the engine's one writer thread and
waits. The writer takes every write waiting, runs them in order in one transaction, each in its own
savepoint (a write that fails is rolled back alone and its caller gets its exception), commits once
and only then wakes the callers. So:

- *acknowledged means committed*: ``submit`` returns only after the commit that contains the write
  returned; if the commit fails, every caller in the batch gets the error and none is answered as done.
  (Committed is as durable as the database makes it: PostgreSQL with its default ``synchronous_commit``
  survives a crash of the machine; SQLite in WAL mode with ``synchronous=NORMAL``, as ``earcheck.db``
  sets it, survives the server being killed but may lose the last commits on a power cut.)
- *the chain order is the commit order*: the writes of a batch append in the order they ran, and the
  batch holds the head's lock from its first append to its commit, so another process (a second server
  on the same PostgreSQL database) appends before or after the whole batch, never inside it.
- *reads stay off the write path*: callers do their reading (screening the lists, looking up decisions)
  before they submit; only the writes themselves run on the writer.

Writes that read and then decide (a shipment drawing on a licence line) keep their own transactions:
they gain nothing from sharing a commit and their failure modes are their own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa

from earcheck.db import write_transaction

__all__ = ["MAX_BATCH", "submit"]

T = TypeVar("T")

MAX_BATCH = 500  # writes per transaction: bounds how long one commit keeps the head locked
IDLE_SECONDS = 2.0  # the writer thread ends after this long without work (a new one starts on demand)
_THREAD_NAME = "earcheck-group-commit"


@dataclass(eq=False, slots=True)
class _Write:
    work: Callable[[sa.Connection], Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class _Writer:
    """The queue and thread of one engine."""

    def __init__(self, engine: sa.Engine) -> None:
        # Weak: the registry below is keyed weakly on the engine, and a value holding its key alive
        # would keep every engine (and its pool) for ever.
        self._engine = weakref.ref(engine)
        self._pending: list[_Write] = []
        self._condition = threading.Condition()
        self._running = False

    def submit(self, work: Callable[[sa.Connection], T]) -> T:
        if threading.current_thread().name == _THREAD_NAME:
            raise RuntimeError("a grouped write cannot submit another one: it would wait on itself")
        write = _Write(work)
        with self._condition:
            self._pending.append(write)
            if self._running:
                self._condition.notify()
            else:
                self._running = True
                threading.Thread(target=self._loop, name=_THREAD_NAME, daemon=True).start()
        write.done.wait()
        if write.error is not None:
            raise write.error
        return write.result  # type: ignore[no-any-return]

    def _take(self) -> list[_Write]:
        with self._condition:
            if not self._pending:
                self._condition.wait(IDLE_SECONDS)
            if not self._pending:
                self._running = False  # under the lock: a submit after this starts a new thread
                return []
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            return batch

    def _loop(self) -> None:
        try:
            while batch := self._take():
                self._commit(batch)
        except BaseException:
            # The thread is going down (interpreter exit): fail whoever still waits rather than leave
            # them hanging, and let the next submit start a new thread.
            with self._condition:
                self._running = False
                stranded, self._pending = self._pending, []
            for write in stranded:
                write.error = RuntimeError("the audit writer stopped before this write ran")
                write.done.set()
            raise

    def _commit(self, batch: list[_Write]) -> None:
        engine = self._engine()
        try:
            if engine is None:  # cannot happen while a caller waits (it holds the engine), but say so if it does
                raise RuntimeError("the engine of these writes was disposed of")
            with write_transaction(engine) as connection:
                if len(batch) == 1:  # alone, its failure rolls back the transaction: no savepoint needed
                    (write,) = batch
                    write.result = write.work(connection)
                else:
                    for write in batch:
                        try:
                            with connection.begin_nested():
                                write.result = write.work(connection)
                        except Exception as error:
                            write.error = error
        except BaseException as error:  # the write (alone) or the commit failed: nothing in the batch is acknowledged
            for write in batch:
                if write.error is None:
                    write.result, write.error = None, error
            if not isinstance(error, Exception):
                raise
        finally:
            for write in batch:
                write.done.set()


_writers: weakref.WeakKeyDictionary[sa.Engine, _Writer] = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def submit(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """Run ``work(connection)`` in a transaction shared with the other writes waiting on ``engine`` and
    return its result once that transaction has committed; its exception if it or the commit failed.

    ``work`` must only write (and read what it just wrote): it runs on the writer thread, inside a
    savepoint, and must neither commit nor wait on another request."""
    with _writers_lock:
        writer = _writers.get(engine)
        if writer is None:
            writer = _writers[engine] = _Writer(engine)
    return writer.submit(work)
