"""The case a user asks about and the determination earcheck gives back.

These are frozen standard-library dataclasses: the core passes them around and never mutates them.
Pydantic reads them only at the edges (``earcheck.casefile`` validates a case file into them and
serialises a determination out of them) and generates the JSON Schemas that ``earcheck schema``
prints, so the schema is always the code's own.

Unknown is not "no". A field left out of a case is ``None`` and means *not known*; an empty list
means *known to be none*. The engine must never read ``None`` as ``False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, with_config

from earcheck.country import normalise_country
from earcheck.eccn import normalise_eccn

__all__ = [
    "Activity",
    "Case",
    "Content",
    "CountryCode",
    "Determination",
    "EccnText",
    "Effect",
    "EndUse",
    "ExceptionFacts",
    "Finding",
    "Item",
    "ItemResult",
    "Knowledge",
    "LicenseExceptionResult",
    "ListSnapshot",
    "MissingFact",
    "Outcome",
    "Party",
    "PartyRole",
    "PartyScreening",
    "Plant",
    "Production",
    "Provenance",
    "Region",
    "ScreeningMatch",
    "Tri",
]

Tri = bool | None
"""Three-valued answer: ``True``, ``False`` or ``None`` (not determinable from the facts given)."""

CountryCode = Annotated[
    str,
    AfterValidator(normalise_country),
    Field(description="ISO 3166-1 alpha-2 country code, e.g. CN", examples=["CN"]),
]
EccnText = Annotated[
    str,
    AfterValidator(normalise_eccn),
    Field(description="ECCN, optionally with its paragraph (3B001.c.1.a), or EAR99", examples=["3A991.a"]),
]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False, description="US dollars, fair market value")]
Name = Annotated[str, Field(min_length=1, max_length=1000)]
Text = Annotated[str, Field(max_length=10_000)]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Activity(StrEnum):
    """What is being done with the item (734.13-734.16)."""

    EXPORT = "export"
    REEXPORT = "reexport"
    EXPORT_FROM_ABROAD = "export_from_abroad"
    TRANSFER = "transfer"


class PartyRole(StrEnum):
    """Roles of 748.5(c)-(f), plus the exporter itself and forwarders."""

    EXPORTER = "exporter"
    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    ULTIMATE_CONSIGNEE = "ultimate_consignee"
    END_USER = "end_user"
    FREIGHT_FORWARDER = "freight_forwarder"
    OTHER = "other"


class EndUse(StrEnum):
    """End uses the exporter knows of (Part 744)."""

    MILITARY = "military"
    MILITARY_END_USER = "military_end_user"
    MILITARY_INTELLIGENCE = "military_intelligence"
    NUCLEAR = "nuclear"
    MISSILE = "missile"
    CHEMICAL_BIOLOGICAL = "chemical_biological"
    SUPERCOMPUTER = "supercomputer"
    ADVANCED_IC_PRODUCTION = "advanced_ic_production"


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Party:
    name: Name
    country: CountryCode | None = None
    role: PartyRole = PartyRole.OTHER
    address: Text | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Content:
    """US-origin content incorporated into a foreign-made item (for de minimis, 734.4)."""

    description: Text = ""
    eccn: EccnText | None = None
    value: Money | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Plant:
    """A plant, or a major component of one (essential production or test equipment), that made the item."""

    description: Text = ""
    us_technology: tuple[EccnText, ...] | None = Field(
        default=None,
        description="ECCNs of the US-origin technology or software the plant or component is a direct "
        "product of; [] = none; omitted = unknown",
    )
    location: CountryCode | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Production:
    us_technology: tuple[EccnText, ...] | None = Field(
        default=None,
        description="ECCNs of the technology or software subject to the EAR that the item is a direct "
        "product of; [] = none; omitted = unknown",
    )
    plant: tuple[Plant, ...] | None = None
    designed_by: Name | None = None
    production_started: date | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class ExceptionFacts:
    """Facts that licence exceptions turn on. Each omitted fact is unknown."""

    temporary: bool | None = Field(
        default=None,
        description="TMP (15 CFR 740.9): a temporary export, reexport or transfer of a kind listed in 740.9(a), "
        "returning within one year",
    )
    replacement: bool | None = Field(
        default=None,
        description="RPL (15 CFR 740.10): one-for-one replacement parts or servicing for a commodity lawfully "
        "exported earlier",
    )
    encryption: bool | None = Field(
        default=None,
        description="ENC (15 CFR 740.17): the item meets ENC's classification and reporting conditions for this "
        "destination and end user",
    )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Item:
    id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Text = ""
    eccn: EccnText | None = None
    origin: CountryCode | None = None
    location: CountryCode | None = None
    value: Money | None = None
    us_content: tuple[Content, ...] | None = None
    production: Production | None = None
    shipped_on: date | None = Field(
        default=None,
        description="Day the item left aboard a carrier for its destination (savings clauses for items en route)",
    )
    food_or_medicine: bool | None = Field(
        default=None,
        description="The item is food or medicine (embargoes of North Korea, Syria and the covered regions of "
        "Ukraine exempt EAR99 food and medicine)",
    )
    listed_by_hts_in_part_746: bool | None = Field(
        default=None,
        description="An EAR99 item listed by HTS code in a supplement to part 746 (Russia/Belarus: Supp. 4-6; "
        "Iran: Supp. 7), or enterprise software under 746.8(a)(8)",
    )
    in_supplement_2_to_part_744: bool | None = Field(
        default=None,
        description="The item is described in Supplement No. 2 to part 744 (military end-use and end-user items)",
    )
    uniquely_required_for_advanced_node: bool | None = Field(
        default=None,
        description="Uniquely required for producing semiconductors at advanced technology nodes (10 nm and "
        "below, including EUV): the 2020 review policy of the SMIC entries",
    )
    for_200mm_wafer_production_facility: bool | None = Field(
        default=None,
        description="Designed for producing 200 mm wafers and destined to a 200 mm wafer production facility: "
        "the case-by-case carve-out in the SMIC entry's policy since 89 FR 96837",
    )
    exception_facts: ExceptionFacts | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Knowledge:
    for_products_of: tuple[Name, ...] | None = Field(
        default=None,
        description="Parties whose parts, components or equipment the item will be incorporated into or "
        "used to produce or develop; [] = none known; omitted = unknown",
    )


class Region(StrEnum):
    """Regions that Part 746 treats apart from the rest of their country."""

    CRIMEA = "crimea"
    DNR = "dnr"
    LNR = "lnr"
    OTHER = "other"


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Case:
    destination: CountryCode
    items: Annotated[tuple[Item, ...], Field(min_length=1, max_length=10_000)]
    id: Annotated[str, Field(max_length=200)] | None = None
    as_of: date | None = None
    activity: Activity | None = None
    exporter: Party | None = None
    parties: tuple[Party, ...] | None = None
    end_uses: tuple[EndUse, ...] = ()
    knowledge: Knowledge | None = None
    region: Region | None = Field(
        default=None,
        description="For Ukraine: whether the destination is in Crimea or the so-called DNR or LNR regions "
        "(15 CFR 746.6); omitted = unknown",
    )
    ofac_authorized: bool | None = Field(
        default=None,
        description="For Iran: OFAC authorises the transaction or it is exempt from the Iranian Transactions "
        "and Sanctions Regulations (15 CFR 746.7(e))",
    )


# --- the answer -------------------------------------------------------------------------------


class Outcome(StrEnum):
    APPLIES = "applies"
    DOES_NOT_APPLY = "does_not_apply"
    INDETERMINATE = "indeterminate"


class Effect(StrEnum):
    """What a finding does when it applies."""

    SUBJECT_TO_EAR = "subject_to_ear"
    LICENSE_REQUIRED = "license_required"
    PROHIBITED = "prohibited"
    EXCEPTION_UNAVAILABLE = "exception_unavailable"
    REVIEW_POLICY = "review_policy"
    FLAG = "flag"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    citation: str
    outcome: Outcome
    effect: Effect
    because: str
    item: str | None = None
    party: str | None = None
    review_policy: str | None = None
    tables: tuple[str, ...] = ()  # the table texts the finding read: which version, its dates, its trust


@dataclass(frozen=True, slots=True)
class ItemResult:
    id: str
    license_required: Tri
    subject_to_ear: Tri
    review_policy: str | None = None


@dataclass(frozen=True, slots=True)
class LicenseExceptionResult:
    symbol: str
    citation: str
    available: Tri
    because: str
    item: str | None = None


@dataclass(frozen=True, slots=True)
class MissingFact:
    field: str
    question: str


@dataclass(frozen=True, slots=True)
class ScreeningMatch:
    list_id: str
    name: str
    matched_name: str
    source: str
    score: float
    in_force: Tri = None
    list_code: str | None = None
    band: str | None = None  # match, review, cleared (decided not this entry), set_aside (exact match elsewhere)
    license_requirement: str | None = None
    license_policy: str | None = None
    footnotes: tuple[int, ...] = ()
    federal_register: tuple[str, ...] = ()
    listed_from: date | None = None
    explanation: dict[str, float] = field(default_factory=dict)
    decision: str | None = None  # the reviewer's decision that the band rests on (cleared or confirmed)


@dataclass(frozen=True, slots=True)
class PartyScreening:
    party: str
    role: PartyRole
    matches: tuple[ScreeningMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """A list as an answer used it: the snapshot that governed the date, and the date that file speaks for."""

    list_code: str
    snapshot: str
    file_name: str
    as_of: date


@dataclass(frozen=True, slots=True)
class Provenance:
    engine: str
    rules: str
    lists: str
    case_sha256: str
    list_snapshots: tuple[ListSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class Determination:
    as_of: date
    license_required: Tri
    subject_to_ear: Tri
    provenance: Provenance
    case_id: str | None = None
    review_policy: str | None = None
    items: tuple[ItemResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    license_exceptions: tuple[LicenseExceptionResult, ...] = ()
    missing_facts: tuple[MissingFact, ...] = ()
    screening: tuple[PartyScreening, ...] = ()
    # What limits the answer: stale lists, and table texts applied outside what earcheck can vouch for
    # (which text was applied, and why it is only believed or not known; the findings say it too).
    warnings: tuple[str, ...] = ()
