"""The screening bodies read list entries from their attributes."""

from __future__ import annotations

from datetime import date

from earcheck.api.screening import EntryOut
from earcheck.lists import ListCode, ListEntry


def test_a_list_entry_gives_its_list_code_as_text() -> None:
    entry = ListEntry("L1", ListCode.EL, "Entity List", "Huawei", "csl", date(2026, 7, 1), 12, aliases=("HW",))
    out = EntryOut.model_validate(entry).model_dump(mode="json")
    assert (out["list_code"], out["aliases"], out["line"]) == ("EL", ["HW"], 12)
