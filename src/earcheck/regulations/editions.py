"""How far an edition of the EAR tables may be trusted on a date.

earcheck loads the Country Chart, Country Groups, CCL and Part 740 catalogue of one eCFR edition.
``data/country_chart.yaml`` says, per table, from which date that edition is known to be the law; a
lookup for any other date gets a warning saying so. The lookups never silently apply a table to a date
it cannot speak for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import ConfigDict, with_config

from earcheck.regulations.dated import DatedFact

__all__ = ["EditionTrust", "Table", "edition_warnings"]

STRICT = ConfigDict(extra="forbid", frozen=True)


class Table(StrEnum):
    COUNTRY_CHART = "country_chart"
    COUNTRY_GROUPS = "country_groups"
    CCL = "ccl"
    LICENSE_EXCEPTIONS = "license_exceptions"


TABLE_NAMES = {
    Table.COUNTRY_CHART: "Country Chart",
    Table.COUNTRY_GROUPS: "Country Groups",
    Table.CCL: "Commerce Control List",
    Table.LICENSE_EXCEPTIONS: "Part 740 catalogue",
}


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EditionTrust(DatedFact):
    """``effective``: the first day on which this edition of ``table`` is known to be the law."""

    table: Table
    edition: date


def edition_warnings(trust: tuple[EditionTrust, ...], table: Table, edition: date, as_of: date) -> list[str]:
    """Warnings for applying ``table`` of the ``edition`` loaded to ``as_of``; empty when it is trusted."""
    name = TABLE_NAMES[table]
    known = next((t for t in trust if t.table is table and t.edition == edition), None)
    if known is None:
        return [
            (
                f"earcheck has no record of how far the {name} table of {edition.isoformat()} may be "
                f"applied: treat it as unverified for {as_of.isoformat()}"
            )
        ]
    if as_of < known.effective:
        return [
            (
                f"the {name} table of {edition.isoformat()} is applied to {as_of.isoformat()}; it is only "
                f"known to be the law from {known.effective.isoformat()}, so rows may have differed then"
            )
        ]
    if as_of > edition:
        return [
            (
                f"the {name} table is the edition of {edition.isoformat()}; amendments after that date are "
                "not in earcheck's data"
            )
        ]
    return []
