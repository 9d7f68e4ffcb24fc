"""The foreign-direct-product rules (15 CFR 734.9; before 2022-02-03, 736.2(b)(3)), as dated data.

Every FDP rule makes a foreign-produced item subject to the EAR when it meets both a *product scope*
and a *destination, end-user or end-use scope*. The files in ``data/fdp`` hold each rule's versions,
written from the text in force on each date; ``earcheck.engine.fdp`` evaluates them.

A version's product scope is made of

- ``direct``: the technology or software the item may be a direct product of (``origin`` says whether
  it must be US-origin or merely subject to the EAR);
- ``plant``: the US-origin technology or software a plant (or major component) that produced the item
  must be a direct product of -- or, for 734.9(l), the classification the plant itself must have;
- ``item``: what the foreign item itself must be (an NS-controlled item, a 3B commodity, any CCL item).

An input ECCN written ``"3D001 (for 3B)"`` counts only for items whose ECCN starts with ``3B``, as in the
regulation's "3D001 (for 3B commodities)". Its scope is a set of alternatives (``scope``); any one
suffices. ``license`` holds the licence requirement the rule carries itself, where it has one; the
others take theirs from the Country Chart and Part 746 under General Prohibition Three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.model import EndUse, PartyRole
from earcheck.regulations.dated import DatedFact, Verification, check_versions, in_force, parse_file

__all__ = [
    "SUPPLEMENT_3_TO_PART_746",
    "SUPPLEMENT_4_TO_PART_742",
    "FdpRule",
    "FdpVersion",
    "Inputs",
    "ItemScope",
    "LicenseTerms",
    "SavingsClause",
    "SavingsKind",
    "Scope",
    "TechnologyOrigin",
    "fdp_rules",
    "load_fdp_rule",
    "split_qualifier",
]

STRICT = ConfigDict(extra="forbid", frozen=True)

# Supplement No. 3 to part 746 (countries with controls on Russia, Belarus and Iran substantially similar to
# the US's), whose exports the 734.9(f), (g) and (j) licence requirements exclude (746.7(a)(1)(iv)(A),
# 746.8(a)(12)(iii)(A)). R: the supplement itself was not read (its amendment list was, VS). Being on this list
# therefore only makes earcheck ask; a country missing from it can only make earcheck stricter.
SUPPLEMENT_3_TO_PART_746 = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("AU", "CA", "IS", "JP", "LI", "NZ", "NO", "KR", "CH", "TW", "GB"),
    }
)
# Supplement No. 4 to part 742, named by the footnote 5 licence terms of 744.11(a)(2)(v). R: not read.
SUPPLEMENT_4_TO_PART_742 = frozenset({"JP", "NL"})

_QUALIFIED = re.compile(r"^(?P<eccn>[0-9][A-E][0-9]{3})(?: \(for (?P<items>[0-9A-Z., ]+)\))?$")


def split_qualifier(text: str) -> tuple[str, tuple[str, ...]]:
    """``"3D001 (for 3B)"`` -> ``("3D001", ("3B",))``; an unqualified ECCN counts for every item.

    >>> split_qualifier("3D991 (for 3B991, 3B992)")
    ('3D991', ('3B991', '3B992'))
    """
    match = _QUALIFIED.match(text)
    if match is None:
        raise ValueError(f"not an input ECCN: {text!r} (write 3D001 or '3D001 (for 3B)')")
    items = tuple(i.strip() for i in (match["items"] or "").split(",") if i.strip())
    return match["eccn"], items


class TechnologyOrigin(StrEnum):
    US_ORIGIN = "us_origin"  # "U.S.-origin technology or software"
    SUBJECT_TO_EAR = "subject_to_ear"  # "technology or software subject to the EAR" (wider)


class SavingsKind(StrEnum):
    PRODUCTION_STARTED_BEFORE = "production_started_before"
    EN_ROUTE_ON = "en_route_on"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Inputs:
    """Technology or software a rule names: listed ECCNs, whole product groups, a reason for control, a series."""

    eccns: tuple[str, ...] = ()  # "3E001", or "3D001 (for 3B)"
    groups: tuple[str, ...] = ()  # "3D" = any ECCN in Category 3, product group D
    reason: str | None = None  # technology or software controlled for this reason ("requires a written assurance")
    series: tuple[str, ...] = ()  # "600" (a "600 series" ECCN), "9x515"
    technology_only: bool = False  # "technology" alone: software does not count (plant routes of 734.9(b)-(d))
    later: tuple[str, ...] = ()  # named by a later text; whether the rule named them on the date is unknown

    @property
    def empty(self) -> bool:
        return not (self.eccns or self.groups or self.reason or self.series)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ItemScope:
    """What the foreign item itself must be.

    The classifications (``eccns``, ``qualified``, ``series``, ``categories``, ``any_ccl``) are
    alternatives, as in "specified in a '600 series' ECCN or ECCN 0A919"; ``reason``, ``not_ear99`` and
    ``designed_by_footnote_entity`` must hold as well."""

    eccns: tuple[str, ...] = ()  # the item is specified in one of these (entry or paragraph) ...
    excluding: tuple[str, ...] = ()  # ... but not in these paragraphs ("3B001 (except 3B001.c)")
    qualified: tuple[str, ...] = ()  # "3E001 (for 3A090)": such items count only if they are for those (asked)
    series: tuple[str, ...] = ()  # "600" (a "600 series" ECCN), "9x515"
    categories: tuple[int, ...] = ()  # "specified in any ECCN in Categories ..."
    any_ccl: bool = False  # "specified in any ECCN on the CCL"
    listed_by_hts: bool = False  # with categories / any_ccl: "or identified in supplement no. 6 or 7 to part 746"
    reason: str | None = None  # the item is controlled for this reason (734.9(b)(1)(i)(B))
    not_ear99: bool = False  # "not designated EAR99"
    designed_by_footnote_entity: bool = False  # May 2020: made from a footnote 1 entity's technology

    @property
    def classified(self) -> bool:
        """Does the scope name classifications the item must fall in?"""
        return bool(self.eccns or self.qualified or self.series or self.categories or self.any_ccl)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """The destination, end-user or end-use prong: any one of the conditions given suffices."""

    worldwide: bool = False
    countries: tuple[str, ...] = ()  # destined to one of these
    regions: tuple[str, ...] = ()  # or to one of these regions of Ukraine (Region values: crimea, dnr, lnr)
    groups: tuple[str, ...] = ()  # or to a destination in one of these Country Groups ...
    excluding_groups: tuple[str, ...] = ()  # ... that is not also in one of these
    onward: bool = False  # or will be incorporated into something produced in or bound for such a destination
    headquartered_in: tuple[str, ...] = ()  # or a party is headquartered (ultimate parent) in these countries
    headquartered_in_groups: tuple[str, ...] = ()  # ... or in a destination of these groups
    destined_roles: tuple[PartyRole, ...] = ()  # or a footnoted entity is a party in one of these roles
    unclear_roles: tuple[PartyRole, ...] = ()  # roles whose status the text leaves open (asked about)
    knowledge_incorporation: bool = False  # or the item is for a footnoted entity's parts, components, equipment
    government_of: tuple[str, ...] = ()  # or the government of one of these countries is a party
    end_uses: tuple[EndUse, ...] = ()  # or one of these end uses ...
    end_use_countries: tuple[str, ...] = ()  # ... located in or destined to one of these (empty: anywhere)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseTerms:
    """A licence requirement the rule carries for the items it makes subject to the EAR."""

    citation: str
    verification: Verification
    verified_how: str
    destinations: tuple[str, ...] = ()  # only when destined to (or located in) these; empty = any destination
    exported_from_supplement_3_excluded: bool = False  # exports from Supp. No. 3 to part 746 countries excluded
    exclusion_citation: str | None = None
    ear99_food_medicine_excluded: bool = False
    ofac_general_license_excluded: bool = False  # no licence for what an OFAC general licence would authorise
    footnote_5_terms: bool = False  # the exporter-dependent terms of 744.11(a)(2)(v)
    policy: str | None = None  # review policy of the requirement (the entries' own when None)
    policy_citation: str | None = None
    policy_verification: Verification | None = None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class SavingsClause:
    """Items that started production before ``cutoff`` (or were en route on it) may ship until ``until``.

    They are subject to the EAR, but need no licence for it in that window: the clause lifts the
    licence requirements that reach the item only because this rule made it subject."""

    kind: SavingsKind
    cutoff: date  # production started before it, or en route on it
    until: date  # last day included
    citation: str
    verification: Verification
    verified_how: str
    only_if_caught_by_previous: bool = False  # the clause protects only what the previous version caught
    only_if_newly_caught: bool = False  # the clause protects only what this version newly caught


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class FdpVersion(DatedFact):
    product_citation: str
    scope_citation: str
    origin: TechnologyOrigin = TechnologyOrigin.US_ORIGIN  # of the direct-product route's inputs
    direct: Inputs = field(default_factory=Inputs)
    plant: Inputs = field(default_factory=Inputs)
    plant_in_content: bool = False  # "or contains [an integrated circuit] produced by" such a plant
    plant_items: tuple[str, ...] = ()  # 734.9(l): the plant itself is subject to the EAR and in these ECCNs
    item: ItemScope = field(default_factory=ItemScope)
    scope: Scope = field(default_factory=Scope)
    license: LicenseTerms | None = None  # None: the Country Chart and Part 746 decide (General Prohibition 3)
    certain_from: date | None = None  # the text was read in force only from this day; before it: unknown
    savings: tuple[SavingsClause, ...] = ()


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class FdpRule:
    id: str
    title: str
    covers_from: date
    versions: tuple[FdpVersion, ...]
    footnote: int | None = None  # the Entity List footnote whose entities the rule reaches

    def version(self, as_of: date) -> FdpVersion | None:
        return in_force(self.versions, as_of, self.covers_from, self.title)


def _check(version: FdpVersion) -> str | None:
    """What is wrong with a version, if anything: every rule needs a product scope and a scope."""
    if version.direct.empty and version.plant.empty and not version.plant_items:
        return "a version without any product scope"
    for text in (*version.direct.eccns, *version.plant.eccns, *version.direct.later, *version.plant.later):
        try:
            split_qualifier(text)
        except ValueError as error:
            return str(error)
    scope = version.scope
    if not (
        scope.worldwide
        or scope.countries
        or scope.regions
        or scope.groups
        or scope.destined_roles
        or scope.knowledge_incorporation
        or scope.end_uses
    ):
        return "a version without any destination, end-user or end-use scope"
    return None


def load_fdp_rule(path: Path, text: str | None = None) -> FdpRule:
    rule = parse_file(path, FdpRule, text)
    try:
        check_versions(rule.versions, rule.id)
    except ValueError as error:
        raise SourceFormatError(path, str(error), field="versions") from None
    for index, version in enumerate(rule.versions):
        problem = _check(version)
        if problem is not None:
            raise SourceFormatError(path, problem, field=f"versions.{index}")
    return rule


# Evaluation order of issue 3: the footnote 1 and national-security rules, then the semiconductor,
# advanced-computing and supercomputer rules and footnotes 4 and 5, then the rest.
ORDER = (
    "fdp.entity_list_footnote_1",
    "fdp.national_security",
    "fdp.semiconductor_manufacturing_equipment",
    "fdp.advanced_computing",
    "fdp.supercomputer",
    "fdp.entity_list_footnote_4",
    "fdp.entity_list_footnote_5",
    "fdp.russia_belarus",
    "fdp.russia_belarus_military_end_user",
    "fdp.iran",
    "fdp.9x515",
    "fdp.600_series",
    "fdp.ai_model_weights",
)


@cache
def fdp_rules() -> tuple[FdpRule, ...]:
    """Every packaged FDP rule, in the order the engine evaluates them."""
    folder = resources.files("earcheck.regulations") / "data" / "fdp"
    rules = {}
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".yaml"):
            rule = load_fdp_rule(Path(str(resource)), resource.read_text(encoding="utf-8"))
            rules[rule.id] = rule
    unknown = set(rules) - set(ORDER)
    if unknown:
        missing = ", ".join(sorted(unknown))
        raise SourceFormatError(str(folder), f"FDP rules missing from the evaluation order: {missing}")
    return tuple(rules[rule_id] for rule_id in ORDER if rule_id in rules)
