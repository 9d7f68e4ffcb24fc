from __future__ import annotations

import itertools
import json

import pytest
import sqlalchemy as sa

from earcheck.db import write_transaction
from earcheck.errors import DataError
from earcheck.records import audit
from earcheck.records.schema import audit_head, audit_log


def _write(engine: sa.Engine, count: int) -> list[audit.AuditEntry]:
    written = []
    for n in range(count):
        with write_transaction(engine) as connection:
            written.append(
                audit.append(connection, "Andy Analyst (key 2)", "test.write", f"thing:{n}", {"n": n, "é": "ü"})
            )
    return written


def test_rows_chain_and_verify(engine: sa.Engine) -> None:
    written = _write(engine, 5)
    assert [e.seq for e in written] == [1, 2, 3, 4, 5]
    assert written[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(written))
    report = audit.verify(engine, batch=2)  # small batches exercise the keyset paging
    assert report.ok, report.problems
    assert (report.rows, report.head_seq, report.head_hash) == (5, 5, written[-1].hash)


def test_the_hash_covers_a_canonical_form() -> None:
    assert audit.canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    with pytest.raises(ValueError, match="Out of range float"):
        audit.canonical_json({"x": float("nan")})


def test_a_change_rolled_back_leaves_no_audit_row(engine: sa.Engine) -> None:
    _write(engine, 1)

    def failing_change() -> None:
        with write_transaction(engine) as connection:
            audit.append(connection, "a", "test.write", "thing:x", {})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    report = audit.verify(engine)
    assert report.ok
    assert report.rows == 1
    assert report.head_seq == 1


def _tamper(engine: sa.Engine, statement: sa.Executable) -> None:
    with engine.begin() as connection:
        connection.execute(statement)


def test_an_altered_payload_is_named(engine: sa.Engine) -> None:
    _write(engine, 4)
    forged = json.dumps({"n": 99, "é": "ü"}, separators=(",", ":"), ensure_ascii=False)
    _tamper(engine, sa.update(audit_log).where(audit_log.c.seq == 3).values(payload=forged))
    report = audit.verify(engine)
    assert not report.ok
    assert [(p.seq, "altered" in p.message) for p in report.problems] == [(3, True)]


def test_an_altered_row_with_a_recomputed_hash_breaks_the_next_link(engine: sa.Engine) -> None:
    written = _write(engine, 4)
    row = written[1]
    forged_hash = audit.row_hash(row.seq, row.at, "someone else", row.action, row.subject, row.payload, row.prev_hash)
    _tamper(
        engine,
        sa.update(audit_log).where(audit_log.c.seq == 2).values(actor="someone else", hash=forged_hash),
    )
    report = audit.verify(engine)
    assert [p.seq for p in report.problems] == [3]
    assert "does not link" in report.problems[0].message


def test_a_deleted_row_is_named(engine: sa.Engine) -> None:
    _write(engine, 5)
    _tamper(engine, sa.delete(audit_log).where(audit_log.c.seq == 3))
    report = audit.verify(engine)
    assert not report.ok
    assert str(report.problems[0]) == "row 3: missing: row(s) 3 deleted"
    assert {p.seq for p in report.problems} == {3, 4}


def test_reordered_rows_are_named(engine: sa.Engine) -> None:
    _write(engine, 5)
    # Swap rows 2 and 4 by renumbering them (through a free number, for the primary key).
    _tamper(engine, sa.update(audit_log).where(audit_log.c.seq == 2).values(seq=100))
    _tamper(engine, sa.update(audit_log).where(audit_log.c.seq == 4).values(seq=2))
    _tamper(engine, sa.update(audit_log).where(audit_log.c.seq == 100).values(seq=4))
    report = audit.verify(engine)
    assert {2, 4} <= {p.seq for p in report.problems}


def test_rows_cut_from_the_end_are_named(engine: sa.Engine) -> None:
    _write(engine, 5)
    _tamper(engine, sa.delete(audit_log).where(audit_log.c.seq >= 4))
    report = audit.verify(engine)
    assert [str(p) for p in report.problems] == ["row 4: missing: row(s) 4-5 cut from the end of the log"]


def test_a_replaced_last_row_is_named(engine: sa.Engine) -> None:
    written = _write(engine, 3)
    last = written[-1]
    forged_payload = '{"n":7}'
    forged = audit.row_hash(last.seq, last.at, last.actor, last.action, last.subject, forged_payload, last.prev_hash)
    _tamper(engine, sa.update(audit_log).where(audit_log.c.seq == 3).values(payload=forged_payload, hash=forged))
    report = audit.verify(engine)
    assert [p.seq for p in report.problems] == [3]
    assert "replaced" in report.problems[0].message


def test_appending_without_a_head_row_is_a_clear_error(engine: sa.Engine) -> None:
    _tamper(engine, sa.delete(audit_head))
    with pytest.raises(DataError, match="not migrated"), write_transaction(engine) as connection:
        audit.append(connection, "a", "test.write", "x", {})


def test_pages_of_the_log(engine: sa.Engine) -> None:
    _write(engine, 5)
    first = audit.entries(engine, limit=2)
    assert [e.seq for e in first.items] == [5, 4]
    second = audit.entries(engine, after=first.next_after, limit=2)
    assert [e.seq for e in second.items] == [3, 2]
    last = audit.entries(engine, after=second.next_after, limit=2)
    assert [e.seq for e in last.items] == [1]
    assert last.next_after is None
    oldest = audit.entries(engine, limit=3, newest_first=False)
    assert [e.seq for e in oldest.items] == [1, 2, 3]
    assert [e.seq for e in audit.entries(engine, subject="thing:2").items] == [3]
    assert audit.entries(engine, limit=1).items[0].data == {"n": 4, "é": "ü"}
