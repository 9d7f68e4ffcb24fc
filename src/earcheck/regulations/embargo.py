"""Part 746 embargoes and special controls (General Prohibition Six), by destination and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.model import Activity
from earcheck.regulations.ccl import Savings
from earcheck.regulations.dated import DatedFact, check_versions, in_force, load_packaged, parse_file

__all__ = [
    "Ear99Rule",
    "Embargo",
    "EmbargoData",
    "EmbargoScope",
    "EmbargoVersion",
    "embargo_data",
    "load_embargoes",
]

STRICT = ConfigDict(extra="forbid", frozen=True)


class EmbargoScope(StrEnum):
    ALL_ITEMS = "all_items"
    ALL_BUT_FOOD_MEDICINE = "all_but_food_medicine"
    CCL_ITEMS = "ccl_items"


class Ear99Rule(StrEnum):
    """For ``ccl_items`` embargoes: what happens to an EAR99 item."""

    NONE = "none"  # no licence under this section
    OFAC = "ofac"  # no BIS licence by this section, but OFAC's prohibition is an EAR violation too
    LISTED = "listed"  # a licence only for EAR99 items listed by HTS code in a supplement to part 746
    LISTED_OR_OFAC = "listed_or_ofac"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EmbargoVersion(DatedFact):
    policy: str
    policy_citation: str
    scope: EmbargoScope
    activities: tuple[Activity, ...]
    exceptions: tuple[str, ...]  # licence exceptions the section leaves open
    ear99: Ear99Rule = Ear99Rule.NONE
    regions: tuple[str, ...] = ()  # for a region of a country (746.6): which regions
    categories: tuple[int, ...] | None = None  # for ccl_items: the CCL categories reached (None: all)
    savings: tuple[Savings, ...] = ()  # items en route when this version took effect


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Embargo:
    code: str
    name: str
    versions: tuple[EmbargoVersion, ...]
    region: str | None = None  # set when the embargo covers only regions of the country


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EmbargoData:
    covers_from: date
    embargoes: tuple[Embargo, ...]

    def in_force(self, code: str, as_of: date, shipped_on: date | None = None) -> tuple[Embargo, EmbargoVersion] | None:
        """The embargo of ``code`` in force on ``as_of``; for an item ``shipped_on`` a day it was en route
        when a new version took effect, the version its savings clause keeps."""
        for embargo in self.embargoes:
            if embargo.code == code:
                version = in_force(embargo.versions, as_of, self.covers_from, f"Part 746 ({embargo.name})")
                if version is not None and shipped_on is not None:
                    for clause in version.savings:
                        if shipped_on <= clause.en_route_on and as_of <= clause.until:
                            earlier = version.effective - timedelta(days=1)
                            version = in_force(embargo.versions, earlier, self.covers_from, embargo.name)
                            break
                return (embargo, version) if version is not None else None
        return None


def load_embargoes(path: Path, text: str | None = None) -> EmbargoData:
    data = parse_file(path, EmbargoData, text)
    for index, embargo in enumerate(data.embargoes):
        try:
            check_versions(embargo.versions, embargo.code)
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=f"embargoes.{index}.versions") from None
        for v, version in enumerate(embargo.versions):
            if version.categories is not None and version.scope is not EmbargoScope.CCL_ITEMS:
                raise SourceFormatError(
                    path, "categories apply to a ccl_items scope only", field=f"embargoes.{index}.versions.{v}"
                )
            for clause in version.savings:
                if clause.en_route_on != version.effective or clause.until < clause.en_route_on:
                    raise SourceFormatError(
                        path,
                        "a savings clause runs from the version's effective date to its 'until'",
                        field=f"embargoes.{index}.versions.{v}.savings",
                    )
    return data


@cache
def embargo_data() -> EmbargoData:
    return load_packaged("embargoes.yaml", load_embargoes)
