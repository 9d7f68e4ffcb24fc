"""The foreign-direct-product rules (15 CFR 734.9; before 2022-02-03, 736.2(b)(3)), as dated data.

Every FDP rule makes a foreign-produced item subject to the EAR when it meets both a *product scope*
(the item is the direct product of specified technology or software, or was made by a plant or major
component of a plant that is itself such a direct product) and a *destination or end-user scope*. The
files in ``data/fdp`` hold each rule's versions; ``earcheck.engine.fdp`` evaluates them.

``kind`` says how far a rule is modelled:

- ``entity_list`` and ``national_security`` are evaluated prong by prong, with their savings clauses;
- ``envelope`` rules are described only by conditions that are *necessary* for them to apply. Outside
  that envelope the rule certainly does not apply; inside it, earcheck says the rule *may* apply and
  names it, rather than guessing either way.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    "FdpKind",
    "FdpRule",
    "FdpVersion",
    "SavingsClause",
    "SavingsKind",
    "TechnologyOrigin",
    "fdp_rules",
    "load_fdp_rule",
]

STRICT = ConfigDict(extra="forbid", frozen=True)


class FdpKind(StrEnum):
    ENTITY_LIST = "entity_list"
    NATIONAL_SECURITY = "national_security"
    ENVELOPE = "envelope"


class TechnologyOrigin(StrEnum):
    US_ORIGIN = "us_origin"  # "U.S.-origin technology or software"
    SUBJECT_TO_EAR = "subject_to_ear"  # "technology or software subject to the EAR" (wider)


class SavingsKind(StrEnum):
    PRODUCTION_STARTED_BEFORE = "production_started_before"
    EN_ROUTE_ON = "en_route_on"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class SavingsClause:
    """Items that started production before ``cutoff`` (or were en route on it) may ship until ``until``."""

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
    license_citation: str | None = None  # None: the licence requirement comes from the Country Chart
    # Product scope: direct-product route.
    technology_eccns: tuple[str, ...] = ()
    technology_groups: tuple[str, ...] = ()  # "3D" = any ECCN in Category 3, product group D
    technology_reason: str | None = None  # any technology or software controlled for this reason
    technology_series_600: bool = False
    technology_origin: TechnologyOrigin = TechnologyOrigin.US_ORIGIN
    possible_later_eccns: tuple[str, ...] = ()  # on the list by 2026, date of addition unknown
    # Product scope: plant route (the plant is always a direct product of *U.S.-origin* inputs).
    plant_eccns: tuple[str, ...] = ()
    plant_groups: tuple[str, ...] = ()
    plant_reason: str | None = None
    plant_series_600: bool = False
    plant_may_be_in_content: bool = False  # "or contains an integrated circuit produced by" such a plant
    # Product scope: what the foreign item itself must be.
    item_eccns: tuple[str, ...] | None = None
    item_reason: str | None = None
    item_series_600: bool = False
    designed_by_footnote_entity: bool = False
    # Destination / end-user scope (any one of these suffices).
    worldwide: bool = False
    destination_countries: tuple[str, ...] = ()
    destination_groups: tuple[str, ...] = ()
    destined_roles: tuple[PartyRole, ...] = ()
    unclear_roles: tuple[PartyRole, ...] = ()
    knowledge_incorporation: bool = False
    end_uses: tuple[EndUse, ...] = ()
    savings: tuple[SavingsClause, ...] = ()


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class FdpRule:
    id: str
    title: str
    kind: FdpKind
    covers_from: date
    versions: tuple[FdpVersion, ...]
    footnote: int | None = None  # the Entity List footnote whose entities the rule reaches

    def version(self, as_of: date) -> FdpVersion | None:
        return in_force(self.versions, as_of, self.covers_from, self.title)


def load_fdp_rule(path: Path, text: str | None = None) -> FdpRule:
    rule = parse_file(path, FdpRule, text)
    try:
        check_versions(rule.versions, rule.id)
    except ValueError as error:
        raise SourceFormatError(path, str(error), field="versions") from None
    for index, version in enumerate(rule.versions):
        has_product = (
            version.technology_eccns
            or version.technology_groups
            or version.technology_reason
            or version.technology_series_600
            or version.item_eccns
        )
        if not has_product:
            raise SourceFormatError(path, "a version without any product scope", field=f"versions.{index}")
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
