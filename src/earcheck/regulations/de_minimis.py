"""De minimis US content (15 CFR 734.4, Supplement No. 2 to part 734) as dated data.

``thresholds`` say which percentage applies to which destinations on a date; ``no_de_minimis`` lists
the cases of 734.4(a) in which any US-origin content makes the item subject to the EAR. The latter
are written like the FDP envelopes: ``modelled: false`` means the conditions given are necessary but
not sufficient, so an item inside them gets "may apply", never a silent "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.regulations.dated import (
    DatedFact,
    Source,
    Verification,
    check_versions,
    in_force,
    load_packaged,
    parse_file,
)

__all__ = ["DeMinimisData", "Method", "NoDeMinimis", "Threshold", "de_minimis_data", "load_de_minimis"]

STRICT = ConfigDict(extra="forbid", frozen=True)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Method:
    citation: str
    verification: Verification
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Threshold(DatedFact):
    low_percent: int
    low_citation: str
    low_groups: tuple[str, ...]
    high_percent: int
    high_citation: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class NoDeMinimis:
    id: str
    title: str
    effective: date
    superseded: date | None = None
    citation: str
    sources: tuple[Source, ...]
    verification: Verification
    verified_how: str
    modelled: bool
    item_eccns: tuple[str, ...] = ()
    item_groups: tuple[str, ...] = ()  # "5E": Category 5, product group E
    content_eccns: tuple[str, ...] = ()
    content_groups: tuple[str, ...] = ()
    content_series: tuple[str, ...] = ()  # "600", "9x515"
    destination_countries: tuple[str, ...] = ()
    destination_groups: tuple[str, ...] = ()
    footnote: int | None = None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DeMinimisData:
    id: str
    covers_from: date
    method: Method
    thresholds: tuple[Threshold, ...]
    no_de_minimis: tuple[NoDeMinimis, ...]

    def threshold(self, as_of: date) -> Threshold | None:
        return in_force(self.thresholds, as_of, self.covers_from, "de minimis")

    def exclusions(self, as_of: date) -> tuple[NoDeMinimis, ...]:
        return tuple(
            rule
            for rule in self.no_de_minimis
            if rule.effective <= as_of and (rule.superseded is None or as_of < rule.superseded)
        )


def load_de_minimis(path: Path, text: str | None = None) -> DeMinimisData:
    data = parse_file(path, DeMinimisData, text)
    try:
        check_versions(data.thresholds, "thresholds")
    except ValueError as error:
        raise SourceFormatError(path, str(error), field="thresholds") from None
    ids = [rule.id for rule in data.no_de_minimis]
    if len(ids) != len(set(ids)):
        raise SourceFormatError(path, "duplicate no_de_minimis id", field="no_de_minimis")
    return data


@cache
def de_minimis_data() -> DeMinimisData:
    return load_packaged("de_minimis.yaml", load_de_minimis)
