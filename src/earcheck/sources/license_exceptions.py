"""The catalogue of licence exceptions (15 CFR part 740): section, symbol, title.

The section is written ``15 C.F.R. § 740.3`` in the file and ``15 CFR 740.3`` here, as earcheck cites.
One row holds two exceptions, ``NAC ACA`` (740.8: Notified Advanced Computing and Advanced Computing
Authorized); it is read as one record per symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from earcheck.errors import SourceFormatError
from earcheck.sources.files import BadRows, headed_csv
from earcheck.sources.report import ParseReport
from earcheck.tables import LicenseExceptionInfo

__all__ = ["COLUMNS", "parse"]

COLUMNS = ("section", "symbol", "title")
WHAT = "Part 740 catalogue CSV (section, symbol, title)"

_SECTION = re.compile(r"^15\s*C\.?\s?F\.?\s?R\.?\s*(?:§+\s*)?(740\.\d+[a-z]?)$")
_SYMBOL = re.compile(r"^[A-Z]{3}$")


def parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[LicenseExceptionInfo]:
    """Read the catalogue into ``LicenseExceptionInfo`` values, one per symbol, in file order."""
    bad = BadRows(strict, report)
    seen: dict[str, int] = {}

    def convert(row: dict[str, str], line: int) -> list[LicenseExceptionInfo]:
        match = _SECTION.match(row["section"].strip())
        if match is None:
            raise SourceFormatError(
                path, f"expected a Part 740 section such as '15 C.F.R. § 740.3', not {row['section']!r}",
                line=line, field="section",
            )  # fmt: skip
        symbols = row["symbol"].split()
        if not symbols or not all(_SYMBOL.match(symbol) for symbol in symbols):
            raise SourceFormatError(
                path,
                f"expected three-letter symbols such as LVS, not {row['symbol']!r}",
                line=line,
                field="symbol",
            )
        for symbol in symbols:
            if symbol in seen:
                raise SourceFormatError(path, f"{symbol} is already on line {seen[symbol]}", line=line, field="symbol")
            seen[symbol] = line
        section = f"15 CFR {match.group(1)}"
        return [LicenseExceptionInfo(symbol, section, row["title"].strip()) for symbol in symbols]

    return headed_csv(path, known=COLUMNS, required=COLUMNS, what=WHAT, bad=bad, report=report, convert=convert)
