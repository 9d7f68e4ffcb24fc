"""The Country Groups (15 CFR part 740, Supplement No. 1): one row per destination, ``X`` per group.

Groups A:1 to E:2 decide, among other things, which licence exceptions a destination may use. A group
column this module does not know (BIS adds groups from time to time) fails in strict mode, so that a
new group is noticed, and is kept in ``raw`` in lenient mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from earcheck.country import normalise_country
from earcheck.errors import SourceFormatError, UnknownCountry
from earcheck.sources.files import BadRows, headed_csv
from earcheck.sources.report import ParseReport
from earcheck.tables import CountryGroupRow

__all__ = ["COLUMNS", "GROUPS", "parse"]

GROUPS = (
    "A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B",
    "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2",
)  # fmt: skip
COLUMNS = ("code", "name", *GROUPS)
WHAT = "Country Groups CSV (code, name, A:1 ... E:2)"


def parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[CountryGroupRow]:
    """Read the Country Groups CSV into ``CountryGroupRow`` values, in file order."""
    bad = BadRows(strict, report)
    seen: dict[str, int] = {}

    def convert(row: dict[str, str], line: int) -> tuple[CountryGroupRow]:
        try:
            code = normalise_country(row["code"])
        except UnknownCountry as error:
            raise SourceFormatError(path, str(error), line=line, field="code") from None
        if code in seen:
            raise SourceFormatError(path, f"{code} already has a row (line {seen[code]})", line=line, field="code")
        groups = set()
        for group in GROUPS:
            value = row.get(group, "").strip().upper()
            if value == "X":
                groups.add(group)
            elif value:
                raise SourceFormatError(path, f"expected X or nothing, not {value!r}", line=line, field=group)
        seen[code] = line
        return (CountryGroupRow(code, row["name"].strip(), frozenset(groups), line, row),)

    return headed_csv(
        path, known=COLUMNS, required=("code", "name"), what=WHAT, bad=bad, report=report, convert=convert
    )
