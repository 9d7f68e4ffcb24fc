"""De minimis US content (15 CFR 734.4, Supplement No. 2 to part 734) as dated data.

``thresholds`` say which percentage applies to which destinations on a date; ``no_de_minimis`` lists
the cases of 734.4(a) in which qualifying US-origin content makes the item subject to the EAR whatever
its share. A condition a case cannot settle from its facts (is this 3A001 part a memory circuit? does the
exporting country control the item?) is asked, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.model import EndUse
from earcheck.regulations.dated import (
    DatedFact,
    Source,
    Verification,
    check_versions,
    in_force,
    load_packaged,
    parse_file,
)

__all__ = ["DeMinimisData", "Method", "NoDeMinimis", "SeriesPart", "Threshold", "de_minimis_data", "load_de_minimis"]

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


class SeriesPart(StrEnum):
    A_TO_X = "a_to_x"  # paragraphs .a through .x of a 9x515 or "600 series" ECCN
    Y = "y"  # the .y paragraph


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class NoDeMinimis:
    """A case of 734.4(a): an item for which there is no de minimis level. Every condition given must hold;
    within the item and content conditions, the classifications listed are alternatives."""

    id: str
    title: str
    effective: date
    superseded: date | None = None
    citation: str
    sources: tuple[Source, ...]
    verification: Verification
    verified_how: str
    # The foreign-made item.
    item_eccns: tuple[str, ...] = ()  # within one of these (entries or paragraphs) ...
    item_groups: tuple[str, ...] = ()  # ... or in one of these product groups ("5E": Category 5, group E) ...
    item_series: tuple[str, ...] = ()  # ... or in a "600 series" / 9x515 ECCN ...
    item_excluding: tuple[str, ...] = ()  # ... and not within these paragraphs
    # Its US-origin content (at least one piece must qualify).
    content_eccns: tuple[str, ...] = ()
    content_categories: tuple[int, ...] = ()  # "specified under Category 3, 4, or 5"
    content_series: tuple[str, ...] = ()  # "600", "9x515"
    content_series_part: SeriesPart | None = None
    content_integrated_circuit: bool = False  # the content must be an integrated circuit
    content_not_memory: tuple[str, ...] = ()  # content in these ECCNs counts only if not a memory circuit (asked)
    # Where it goes, to whom, for what.
    destination_countries: tuple[str, ...] = ()
    destination_groups: tuple[str, ...] = ()
    footnote: int | None = None  # destined for an entity with this Entity List footnote
    end_uses: tuple[EndUse, ...] = ()  # the exporter knows of one of these end uses
    # Broader end uses that may or may not be one of ``end_uses`` (advanced-node ICs of any kind, where the
    # rule wants logic ICs only): given one of these, the rule is unknown and the case is asked to narrow it.
    unsettled_end_uses: tuple[EndUse, ...] = ()
    # Exclusions.
    unless_controlled_where_first_exported: tuple[str, ...] = ()  # countries known to control it (and since when:
    controlled_since: date | None = None  # a country not listed is asked about)
    unless_excluded_from_sme_license: bool = False  # 734.4(a)(8): the item's excluded_from_sme_license fact


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
