"""One way to write a list entry in the evaluation's tests (benchmarks/screening_eval)."""

from __future__ import annotations

from datetime import date

from earcheck.lists import ListCode, ListEntry


def entry(
    name: str,
    *aliases: str,
    list_id: str | None = None,
    countries: tuple[str, ...] = (),
    kind: str | None = "Entity",
    code: ListCode = ListCode.EL,
) -> ListEntry:
    return ListEntry(
        list_id=list_id or f"id-{name}",
        list_code=code,
        source=f"{code.value} (test)",
        name=name,
        snapshot="test",
        snapshot_date=date(2026, 7, 31),
        line=2,
        aliases=aliases,
        entity_type=kind,
        countries=countries,
    )
