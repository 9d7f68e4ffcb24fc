"""Adapters for the official list and table files, one module per format, all of the same shape::

    parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[Record]

==========================  ======================================================  =======================
module                      reads                                                   into
==========================  ======================================================  =======================
``csl``                     trade.gov Consolidated Screening List CSV               ``ListEntry``
``ofac_sdn``                OFAC SDN.CSV (legacy 12 columns, Latin-1, ``-0-``)      ``ListEntry``
``country_chart``           Country Chart CSV; ``parse_footnotes``: its JSON        ``CountryChartRow``
``country_groups``          Country Groups CSV                                      ``CountryGroupRow``
``ccl``                     Commerce Control List, JSON lines                       ``CclEntry``
``license_exceptions``      Part 740 catalogue CSV                                  ``LicenseExceptionInfo``
==========================  ======================================================  =======================

Each keeps what it read as written (``raw``, and the 1-based ``line``). A problem with the file as a
whole (missing, a folder, empty, a header without the official columns) raises
``SourceFormatError`` when ``parse`` is called. A bad row raises it while iterating in strict mode;
in lenient mode (``strict=False``, with a ``ParseReport``) the row is skipped and listed in the
report with its file, line, field, reason and text: a bad row never silently vanishes.

``formats.detect`` tells the formats apart by content; ``formats.read`` dispatches to the adapter.
"""

from earcheck.sources import ccl, country_chart, country_groups, csl, license_exceptions, ofac_sdn
from earcheck.sources.formats import Record, SourceKind, detect, read
from earcheck.sources.report import ParseReport, SkippedRow

__all__ = [
    "ParseReport",
    "Record",
    "SkippedRow",
    "SourceKind",
    "ccl",
    "country_chart",
    "country_groups",
    "csl",
    "detect",
    "license_exceptions",
    "ofac_sdn",
    "read",
]
