"""Part 744 licence requirements triggered by a known end use or end user, as dated data.

Each rule version says which items it reaches (``items``, with ``eccns`` / ``eccn_groups`` for a listed
item scope), where the end use must be (``countries`` / ``groups``, or anywhere but ``excluded_countries``;
``located_by`` says whether only the destination counts or also where the item is known to go on to), and
its review policy with the paragraph that states it. A rule with no end uses of its own is triggered by the
parties instead: a party headquartered in the places it names (744.23(a)(3)).
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
from earcheck.regulations.dated import DatedFact, Verification, check_versions, in_force, load_packaged, parse_file

__all__ = [
    "EndUseData",
    "EndUseItems",
    "EndUseRule",
    "EndUseVersion",
    "Location",
    "UsPersonSupport",
    "end_use_data",
    "load_end_uses",
]

STRICT = ConfigDict(extra="forbid", frozen=True)


class EndUseItems(StrEnum):
    ALL = "all"  # every item subject to the EAR, EAR99 included
    ALL_BUT_FOOD_MEDICINE = "all_but_food_medicine"
    SUPPLEMENT_2 = "supplement_2"  # the items of Supplement No. 2 to part 744
    LISTED = "listed"  # items in ``eccns`` or ``eccn_groups``
    CCL = "ccl"  # any item specified on the CCL (not EAR99)
    ECAD_TCAD = "ecad_tcad"  # ECAD or TCAD software and technology (asked about)


class Location(StrEnum):
    DESTINATION = "destination"  # only the destination counts ("to China")
    END_USE = "end_use"  # where the end use is: the destination, or where the item is known to go on to


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseVersion(DatedFact):
    items: EndUseItems
    policy: str
    policy_citation: str
    policy_verification: Verification
    countries: tuple[str, ...] = ()  # the end use must be in one of these (with groups: or in these groups)
    groups: tuple[str, ...] = ()
    excluded_countries: tuple[str, ...] = ()  # anywhere except these (744.2: Supp. No. 3 to part 744) ...
    excluded_countries_verification: Verification = Verification.VS  # ... read (VS) or from memory (R: asked)
    located_by: Location = Location.DESTINATION
    military_end_user_countries: tuple[str, ...] | None = None  # where the end-USER prong reaches, if narrower
    all_items_countries: tuple[str, ...] = ()  # where every item but EAR99 food and medicine is reached
    eccns: tuple[str, ...] = ()  # the listed item scope: entries or paragraphs
    eccn_groups: tuple[str, ...] = ()  # "3B" = any ECCN in Category 3, product group B
    headquartered_in: tuple[str, ...] = ()  # party-triggered rules: a party headquartered here ...
    headquartered_in_groups: tuple[str, ...] = ()  # ... or in these Country Groups
    outside_countries: tuple[str, ...] = ()  # ... and the destination is not one of these countries ...
    outside_groups: tuple[str, ...] = ()  # ... nor in these groups ...
    outside_excluding: tuple[str, ...] = ()  # ... unless it is also in these
    excluded_footnote: int | None = None  # not when an entity with this Entity List footnote is the end user


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseRule:
    id: str
    title: str
    end_uses: tuple[EndUse, ...]  # empty: triggered by the parties' headquarters, not a declared end use
    versions: tuple[EndUseVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class UsPersonSupport:
    """744.6: a "U.S. person" may not 'support' this end use without a licence, even with items not subject
    to the EAR. Reported as a flag: earcheck does not model the services involved."""

    end_use: EndUse
    citation: str
    effective: date
    verification: Verification
    verified_how: str
    countries: tuple[str, ...] = ()  # in or by these (with groups); none: anywhere (less excluded_countries)
    groups: tuple[str, ...] = ()
    excluded_countries: tuple[str, ...] = ()
    excluded_countries_verification: Verification = Verification.VS
    located_by: Location = Location.END_USE


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseData:
    covers_from: date
    rules: tuple[EndUseRule, ...]
    us_person_support: tuple[UsPersonSupport, ...] = ()

    def version(self, rule: EndUseRule, as_of: date) -> EndUseVersion | None:
        return in_force(rule.versions, as_of, self.covers_from, rule.title)


def load_end_uses(path: Path, text: str | None = None) -> EndUseData:
    data = parse_file(path, EndUseData, text)
    for index, rule in enumerate(data.rules):
        try:
            check_versions(rule.versions, rule.id)
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=f"rules.{index}.versions") from None
        for number, version in enumerate(rule.versions):
            if version.items is EndUseItems.LISTED and not (version.eccns or version.eccn_groups):
                raise SourceFormatError(
                    path, "a listed item scope without ECCNs", field=f"rules.{index}.versions.{number}"
                )
        if not rule.end_uses and not any(v.headquartered_in or v.headquartered_in_groups for v in rule.versions):
            raise SourceFormatError(path, "a rule with neither end uses nor a party trigger", field=f"rules.{index}")
    covered = {use for rule in data.rules for use in rule.end_uses}
    # advanced_logic_production is read as advanced_ic_production by Part 744 (Case.known_end_uses).
    missing = set(EndUse) - covered - {EndUse.ADVANCED_LOGIC_PRODUCTION}
    if missing:
        raise SourceFormatError(path, f"no rule for the end uses {sorted(missing)}", field="rules")
    return data


@cache
def end_use_data() -> EndUseData:
    return load_packaged("end_uses.yaml", load_end_uses)
