"""The case a user asks about and the determination earcheck gives back.

These are frozen standard-library dataclasses: the core passes them around and never mutates them.
Pydantic reads them only at the edges (``earcheck.casefile`` validates a case file into them and
serialises a determination out of them) and generates the JSON Schemas that ``earcheck schema``
prints, so the schema is always the code's own.

Unknown is not "no". A field left out of a case is ``None`` and means *not known*; an empty list
means *known to be none*. The engine must never read ``None`` as ``False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, PlainSerializer, with_config

from earcheck.basis import ListSnapshot  # defined apart, as is Tri, so that screening need not import this module
from earcheck.country import normalise_country
from earcheck.days import CaseDate
from earcheck.eccn import normalise_eccn
from earcheck.tri import Tri

__all__ = [
    "MAX_ITEMS",
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
    "GovernmentEndUser",
    "HuaweiActivity",
    "Item",
    "ItemKind",
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
    "Rollup",
    "RollupLine",
    "ScreeningMatch",
    "Tri",
]


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

# Items in one case: as many as the licence application form takes (``earcheck.records.parties``). A
# determination lists a score of findings per item, so an uncapped case made an answer of megabytes
# (4,000 empty items answered with 46.8 MB); a larger order is several cases, in one file if need be.
MAX_ITEMS = 500


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
    """End uses the exporter knows of (Part 744). An end use not listed is one the exporter does not know of.

    ``missile`` is rocket systems or unmanned aerial vehicles (744.3(a)(1), (3)); ``missile_wmd_delivery``
    such systems for delivering chemical, biological or nuclear weapons (744.3(a)(2), anywhere);
    ``advanced_ic_production`` the development or production of ICs at a facility known to produce
    advanced-node ICs; ``ic_production`` the same at a facility where the exporter does not know whether
    advanced-node ICs are produced; ``sme_production`` the development or production of semiconductor
    manufacturing equipment or its components (3B001, 3B002, ...); ``advanced_ic_design`` the design of an
    advanced-node IC (744.23); ``advanced_logic_production`` the development or production of ICs meeting
    paragraph (1) of the "advanced-node integrated circuits" definition of 772.1 (logic ICs), which 734.4(a)(3)
    turns on -- it is also ``advanced_ic_production``.
    """

    MILITARY = "military"
    MILITARY_END_USER = "military_end_user"
    MILITARY_INTELLIGENCE = "military_intelligence"
    NUCLEAR = "nuclear"
    MISSILE = "missile"
    MISSILE_WMD_DELIVERY = "missile_wmd_delivery"
    CHEMICAL_BIOLOGICAL = "chemical_biological"
    SUPERCOMPUTER = "supercomputer"
    ADVANCED_IC_PRODUCTION = "advanced_ic_production"
    IC_PRODUCTION = "ic_production"
    SME_PRODUCTION = "sme_production"
    ADVANCED_IC_DESIGN = "advanced_ic_design"
    ADVANCED_LOGIC_PRODUCTION = "advanced_logic_production"


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Party:
    name: Name
    country: CountryCode | None = None
    role: PartyRole = PartyRole.OTHER
    address: Text | None = None
    headquarters: CountryCode | None = Field(
        default=None,
        description="Country where the party, or its ultimate parent company, is headquartered (the "
        "advanced-computing rules of 734.9(h) and 744.23, and the footnote 5 licence terms of 744.11(a)(2)(v)); "
        "omitted = unknown",
    )
    government: bool | None = Field(
        default=None,
        description="The party is its country's government, a government agency, or an entity the government "
        "owns or controls (the Government of Iran in 734.9(j)(3)); omitted = unknown",
    )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Content:
    """US-origin content incorporated into a foreign-made item (for de minimis, 734.4)."""

    description: Text = ""
    eccn: EccnText | None = None
    value: Money | None = None
    integrated_circuit: bool | None = Field(
        default=None,
        description="The content is an integrated circuit (the no-de-minimis rules of 734.4(a)(8) and (a)(9)); "
        "omitted = unknown, except for ECCNs that describe only integrated circuits",
    )
    us_origin: bool | None = Field(
        default=True,
        description="Whether this is US-origin content of the item at all; null = it may be (a bill of materials "
        "leaves its origin open, or whether the foreign-made part holding it is a discrete product): it then counts "
        "only as possibly controlled content",
    )
    # EAR99 content counts under an embargo that spares food and medicine, or that reaches EAR99 items only
    # when listed by HTS code, according to these facts (the item's own fields say the same of the item).
    # (plain defaults: BOM rollups build Content directly, where a pydantic Field default would stay a FieldInfo)
    food_or_medicine: bool | None = None  # EAR99 content that is food or medicine; omitted = unknown
    listed_by_hts_in_part_746: bool | None = None  # EAR99 content listed by HTS code in Supp. 4-7 to part 746


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
    eccn: EccnText | None = Field(
        default=None,
        description="Classification of the plant or component itself, e.g. 3A090 or 4A090 computing hardware "
        "that trained an AI model (734.9(l)); omitted = unknown",
    )
    subject_to_ear: bool | None = Field(
        default=None,
        description="The plant or component is itself subject to the EAR (734.9(l)); omitted = unknown",
    )


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
    production_started: CaseDate | None = None
    component_plants: tuple[Plant, ...] | None = Field(
        default=None,
        description="Plants (or major components of plants) that produced the commodities or integrated circuits "
        "the item contains, each with the US-origin technology or software it is a direct product of (the "
        "'contains an integrated circuit produced by' prong of 734.9(e)(3) and (k)); [] = none; omitted = unknown",
    )


class ItemKind(StrEnum):
    """What an item is, as the ECCN's product group says (A-C commodities, D software, E technology)."""

    COMMODITY = "commodity"
    SOFTWARE = "software"
    TECHNOLOGY = "technology"


class GovernmentEndUser(StrEnum):
    """Who the item is consigned to, for License Exception GOV (15 CFR 740.11)."""

    US_GOVERNMENT = "us_government"
    COOPERATING_GOVERNMENT = "cooperating_government"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    NONE = "none"


class HuaweiActivity(StrEnum):
    """The kinds of transaction the Huawei temporary general licence authorised (Supp. No. 7 to part 744)."""

    EXISTING_NETWORKS = "existing_networks"
    EXISTING_HANDSETS = "existing_handsets"
    CYBERSECURITY_RESEARCH = "cybersecurity_research"
    STANDARDS_DEVELOPMENT = "standards_development"
    NONE = "none"


def _fact(description: str) -> Any:
    return Field(default=None, description=description + " Omitted = unknown.")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class ExceptionFacts:
    """Facts that licence exceptions turn on. Each omitted fact is unknown, and an exception that
    depends on it is then neither offered nor refused: its availability is null, with the question."""

    item_kind: ItemKind | None = _fact(
        "Whether the item is a commodity, software or technology; read from the ECCN when it is classified, "
        "asked for EAR99 items where an exception covers only some kinds."
    )
    paragraphs: tuple[Annotated[str, Field(max_length=40)], ...] | None = _fact(
        "The paragraphs of Part 740 the shipment relies on, e.g. ['740.9(a)(6)'] or ['740.11(b)(2)']; asked "
        "when a restriction of 740.2 leaves an exception open only under some of its paragraphs."
    )
    entry_lines: tuple[Annotated[str, Field(max_length=16)], ...] | None = _fact(
        "The licence exceptions the item's ECCN entry said 'Yes' to on the case date, where earcheck's CCL table "
        "cannot say (e.g. ['CIV'] before CIV was removed on 2020-06-29); [] = none."
    )
    temporary: bool | None = _fact(
        "TMP (15 CFR 740.9): a temporary export, reexport or transfer of a kind listed in 740.9(a) (tools of "
        "trade, kits, exhibition, inspection and repair, news media, ...)."
    )
    return_by: date | None = _fact(
        "TMP (15 CFR 740.9): the date by which the item will be back; it must return within one year of the shipment."
    )
    replacement: bool | None = _fact(
        "RPL (15 CFR 740.10): one-for-one replacement parts or servicing for a commodity lawfully exported earlier."
    )
    encryption: bool | None = _fact(
        "ENC (15 CFR 740.17): the item meets ENC's classification and reporting conditions for this "
        "destination and end user."
    )
    government_end_user: GovernmentEndUser | None = _fact(
        "GOV (15 CFR 740.11): the item is consigned to and for the official use of an agency of the US "
        "government, of a cooperating government, or of an international organisation; 'none' otherwise."
    )
    gift: bool | None = _fact(
        "GFT (15 CFR 740.12): a gift parcel from an individual to an individual or a religious, charitable "
        "or educational organisation, or a humanitarian donation, of the commodities 740.12 lists."
    )
    gift_value: Money | None = _fact("GFT (15 CFR 740.12): the value of the gift parcel, US dollars.")
    baggage: bool | None = _fact(
        "BAG (15 CFR 740.14): personal effects, household effects, vehicles or tools of trade of an "
        "individual leaving the United States, owned by them and for their use."
    )
    aircraft_vessel: bool | None = _fact(
        "AVS (15 CFR 740.15): an aircraft or vessel on temporary sojourn, or its equipment, parts, fuel or "
        "supplies, under the conditions of 740.15."
    )
    unrestricted: bool | None = _fact(
        "TSU (15 CFR 740.13): operation technology or software, sales technology, software updates or "
        "other technology or software of the kinds 740.13 lists."
    )
    tsr_assurance: bool | None = _fact(
        "TSR (15 CFR 740.6(a)): the consignee's written assurance against reexport to restricted "
        "destinations was obtained before the export."
    )
    app_eligible: bool | None = _fact(
        "APP (15 CFR 740.7): the computer's Adjusted Peak Performance is within the limit 740.7 sets for "
        "the destination's computer tier."
    )
    permissive_reexport: bool | None = _fact(
        "APR (15 CFR 740.16): the reexport is of a kind 740.16 authorises (from a Country Group A:1 or "
        "cooperating country, to an eligible destination)."
    )
    agricultural: bool | None = _fact(
        "AGR (15 CFR 740.18): an EAR99 agricultural commodity, with the prior notification 740.18 requires "
        "made and not objected to."
    )
    consumer_device: bool | None = _fact(
        "CCD (15 CFR 740.19): a consumer communications device of a kind 740.19 lists, for an eligible end user."
    )
    cuban_people: bool | None = _fact(
        "SCP (15 CFR 740.21): the item is of a kind 740.21 lists, to support the Cuban people, for an "
        "eligible end user."
    )
    sta_statement: bool | None = _fact(
        "STA (15 CFR 740.20(d)): the consignee's prior statement was obtained and the ECCN and 'STA' "
        "notice were given to the consignee before the shipment."
    )
    civil_end_use: bool | None = _fact(
        "CIV (15 CFR 740.5, until 2020-06-28): a civil end user for civil end uses, with no knowledge of a "
        "military end use or end user."
    )
    nac_notification: bool | None = _fact(
        "NAC (15 CFR 740.8): the notification to BIS was filed (SNAP-R, at least 25 days before) and BIS "
        "issued a NAC confirmation number without objecting."
    )
    datacenter: bool | None = _fact(
        "NAC/ACA (15 CFR 740.8): the item is designed or marketed for use in a datacenter (3A090.a items so "
        "designed are excluded)."
    )
    ace_eligible: bool | None = _fact(
        "ACE (15 CFR 740.22(c)): none of ACE's end-user and end-use restrictions applies (government end "
        "users in Country Groups D:1, D:5, E:1, E:2; knowledge of a malicious end use)."
    )
    medical_device: bool | None = _fact(
        "MED (15 CFR 740.23): an EAR99 medical device (or an EAR99 part for one, replacing a broken part), "
        "with the verification 740.23 requires."
    )
    implemented_controls: bool | None = _fact(
        "IEC (15 CFR 740.24): the destination's government has implemented controls equivalent to the US "
        "ones for this item (the list at www.bis.gov/iec)."
    )
    hbm_eligible: bool | None = _fact("HBM (15 CFR 740.25): the shipment meets the conditions of 740.25.")
    rff_eligible: bool | None = _fact("RFF (15 CFR 740.26): the shipment meets the conditions of 740.26.")
    aia_eligible: bool | None = _fact(
        "AIA (15 CFR 740.27): the end user is headquartered and located in a destination of Supplement No. 5 "
        "to part 740 and meets the conditions of 740.27."
    )
    acm_eligible: bool | None = _fact(
        "ACM (15 CFR 740.28): the shipment is for the development, production or storage of the items "
        "740.28 names and meets its conditions."
    )
    lpp_eligible: bool | None = _fact(
        "LPP (15 CFR 740.29): the shipment is within the low processing-performance limits of 740.29 and "
        "meets its conditions."
    )
    spp_eligible: bool | None = _fact(
        "SPP (15 CFR 740.5, from 2025-09-02): the shipment meets the conditions of 740.5."
    )
    huawei_tgl: HuaweiActivity | None = _fact(
        "The Huawei temporary general licence (Supplement No. 7 to part 744, 2019-05-20 to 2020-08-13): "
        "which of its kinds of transaction this is; 'none' if none."
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
    shipped_on: CaseDate | None = Field(
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
    excluded_from_sme_license: bool | None = Field(
        default=None,
        description="The commodity is excluded from the licence requirements for semiconductor manufacturing "
        "equipment to Macau and Country Group D:5 (742.4(a)(4), 742.6(a)(6)), which decides the no-de-minimis rule "
        "of 734.4(a)(8); omitted = unknown",
    )
    ecad_tcad: bool | None = Field(
        default=None,
        description="The item is Electronic or Technology Computer Aided Design (ECAD/TCAD) software or technology, "
        "which decides 744.23(a)(2)(iii) (design of advanced-node ICs produced in Macau or D:5); omitted = unknown",
    )
    listed_where_first_exported: bool | None = Field(
        default=None,
        description="The country the foreign-made item is first exported from specifies it on its own export control "
        "list; true lifts the no-de-minimis rule of 734.4(a)(3) (3B993.f.1 equipment); omitted = unknown",
    )
    for_eccn: EccnText | None = Field(
        default=None,
        description="For technology or software: the ECCN, down to the paragraph, of the commodity it is for (the "
        "CCL rows of entries such as 3D001 and 3E001 control it by what it is for); omitted = unknown, and the "
        "answer asks",
    )
    exception_facts: ExceptionFacts | None = None
    bom: Annotated[str, Field(min_length=1, max_length=1000)] | None = Field(
        default=None,
        description="A bill of materials standing in for us_content: the path of a BOM file (CSV or XLSX, relative "
        "to the case file) or the ID of an imported BOM (earcheck bom import); the determination then shows its de "
        "minimis rollup",
    )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Knowledge:
    for_products_of: tuple[Name, ...] | None = Field(
        default=None,
        description="Parties whose parts, components or equipment the item will be incorporated into or "
        "used to produce or develop; [] = none known; omitted = unknown",
    )
    onward_destinations: tuple[CountryCode, ...] | None = Field(
        default=None,
        description="Countries the exporter knows the item will reach, or be used in, beyond its destination: "
        "incorporated into (or used to produce or develop) another part, component, computer or equipment "
        "produced in or bound for them, or used there in a declared end use (a supercomputer, a fab). "
        "[] = none beyond the destination; omitted = unknown",
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
    items: Annotated[
        tuple[Item, ...],
        Field(min_length=1, max_length=MAX_ITEMS, description=f"at most {MAX_ITEMS} items (split a larger order)"),
    ]
    id: Annotated[str, Field(max_length=200)] | None = None
    as_of: CaseDate | None = None
    activity: Activity | None = None
    exporter: Party | None = None
    parties: tuple[Party, ...] | None = None
    end_uses: tuple[EndUse, ...] = ()
    knowledge: Knowledge | None = None

    @property
    def known_end_uses(self) -> frozenset[EndUse]:
        """The end uses given, with those they are instances of (advanced-node logic ICs are advanced-node ICs)."""
        given = set(self.end_uses)
        if EndUse.ADVANCED_LOGIC_PRODUCTION in given:
            given.add(EndUse.ADVANCED_IC_PRODUCTION)
        return frozenset(given)

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
    """One licence exception (or authorisation acting like one) for one item on the case date.

    ``in_force`` is false when the exception did not exist on that date (it is then never available).
    The conditions are listed in words: met, not met, and not known (with the questions in the
    determination's ``missing_facts``). ``obligations`` are the records and reports the exception
    requires when it is used.
    """

    symbol: str
    citation: str
    available: Tri
    because: str
    item: str | None = None
    kind: str = "license_exception"
    title: str = ""
    in_force: bool = True
    conditions_met: tuple[str, ...] = ()
    conditions_not_met: tuple[str, ...] = ()
    conditions_unknown: tuple[str, ...] = ()
    obligations: tuple[str, ...] = ()
    verification: str | None = None
    sources: tuple[str, ...] = ()


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
class Provenance:
    engine: str
    rules: str
    lists: str
    case_sha256: str
    list_snapshots: tuple[ListSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class RollupLine:
    """One line of a bill of materials in a de minimis rollup: does it count as controlled US-origin content?"""

    part: str
    row: int
    path: tuple[str, ...]
    per_item: float  # units in one exported item
    value: float  # their fair market value, USD
    counts: Tri
    because: str
    citation: str
    origin: str | None = None
    eccn: str | None = None
    supplier: str | None = None


@dataclass(frozen=True, slots=True)
class Rollup:
    """The de minimis rollup of an item's bill of materials (15 CFR 734.4, Supplement No. 2 to part 734)."""

    item: str
    bom: str
    destination: str
    item_value: float  # USD
    controlled_value: float  # USD, lines that count
    open_value: float  # USD, lines whose counting is not known
    subject: Tri  # the engine's de minimis answer for the item
    because: str
    level_percent: int | None = None
    level_citation: str | None = None
    share_percent: float | None = None
    margin_percent: float | None = None  # level minus share: room left (negative: above the level)
    what_if: tuple[str, ...] = ()
    # A sequence, not a tuple: a rollup keeps a million-line BOM's lines as columns and writes each line out
    # when it is read (``earcheck.supplychain.rollup.RollupLines``); JSON gets them all, as a list.
    lines: Annotated[Sequence[RollupLine], PlainSerializer(list, return_type=list[RollupLine])] = ()
    questions: tuple[MissingFact, ...] = ()


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
    rollups: tuple[Rollup, ...] = ()  # de minimis rollups of the items given as bills of materials
