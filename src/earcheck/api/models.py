"""The API's request and response bodies (pydantic, at the edge only), and their conversion from
the records' frozen dataclasses.

A response model reads a record's attributes of the same name (``Model.model_validate(record)``);
where a field is named otherwise in the API, its ``validation_alias`` names the attribute it reads.

Money is US dollars as a decimal string with cents (``"1250.00"``) in responses; requests may send
a JSON number or a string, at most two decimal places. Quantities are decimals with at most three.
No amount ever passes through a float on the way in: a JSON number is read as a decimal.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from earcheck.lists import Hit
from earcheck.model import CountryCode, EccnText
from earcheck.records.applications import ApplicationDraft, Status
from earcheck.records.keys import Role
from earcheck.records.licences import Licence, LicenceTerms, Validity
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.screening import Review, Verdict

__all__ = [
    "ApplicationIn",
    "ApplicationOut",
    "ApproveIn",
    "AuditEntryOut",
    "AuditReportOut",
    "DecisionIn",
    "DecisionOut",
    "DeterminationOut",
    "DeterminationSummary",
    "EntryOut",
    "HitOut",
    "ItemIn",
    "KeyIn",
    "KeyOut",
    "LicenceIn",
    "LicenceOut",
    "NewKeyOut",
    "NoteIn",
    "PartyIn",
    "ScreeningIn",
    "ScreeningOut",
    "ShipmentIn",
    "ShipmentOut",
    "Storable",
]

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def _storable(value: str) -> str:
    # Refused here rather than by the database: PostgreSQL rejects NUL in text, and an unpaired
    # surrogate cannot be encoded as UTF-8 at all.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode text (unpaired surrogate)") from None
    return value


Storable = Annotated[str, AfterValidator(_storable)]
Name = Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=500)]
Text = Annotated[str, AfterValidator(_storable), Field(max_length=10_000)]
Line = Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=10_000)]
Unit = Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=20, examples=["pieces"])]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Money = Annotated[
    Decimal,
    Field(ge=0, le=10**15, decimal_places=2, allow_inf_nan=False, description="US dollars", examples=["1250.00"]),
]
Quantity = Annotated[Decimal, Field(gt=0, le=10**14, decimal_places=3, allow_inf_nan=False, examples=["100"])]

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    """A response body, read from a record's attributes."""

    model_config = ConfigDict(from_attributes=True)


# --- parties and items ----------------------------------------------------------------------------


class PartyIn(BaseModel):
    model_config = _IN
    role: PartyRole
    name: Name
    country: CountryCode | None = None
    address: Text | None = None

    def record(self) -> PartyRecord:
        return PartyRecord(self.role, self.name, self.country, self.address)


class PartyOut(_Out):
    role: PartyRole
    name: str
    country: str | None
    address: str | None


class ItemIn(BaseModel):
    model_config = _IN
    eccn: EccnText
    description: Line
    quantity: Quantity
    unit: Unit
    value: Money = Field(description="total value of the line, US dollars")

    def line(self) -> ItemLine:
        return ItemLine(self.eccn, self.description, self.quantity, self.unit, self.value)


class ItemOut(_Out):
    line: int = Field(validation_alias="line_no")
    eccn: str
    description: str
    quantity: Decimal
    unit: str
    value: Decimal


# --- applications ---------------------------------------------------------------------------------


class ApplicationIn(BaseModel):
    """A licence application as on form BIS-748P; a draft may be incomplete."""

    model_config = _IN
    parties: list[PartyIn] = Field(default_factory=list, max_length=500)
    items: list[ItemIn] = Field(default_factory=list, max_length=500)
    end_use: Text = ""
    additional_information: Text = ""
    determination_id: Id | None = Field(default=None, description="a stored determination supporting it")

    def draft(self) -> ApplicationDraft:
        return ApplicationDraft(
            parties=tuple(p.record() for p in self.parties),
            items=tuple(i.line() for i in self.items),
            end_use=self.end_use,
            additional_information=self.additional_information,
            determination_id=self.determination_id,
        )


class StatusChangeOut(_Out):
    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    note: str


class ApplicationOut(_Out):
    id: int
    status: Status
    end_use: str
    additional_information: str
    determination_id: int | None
    parties: list[PartyOut]
    items: list[ItemOut]
    total_value: Decimal
    history: list[StatusChangeOut]
    licence_id: int | None
    created_at: datetime
    created_by: str
    updated_at: datetime


class NoteIn(BaseModel):
    model_config = _IN
    note: Text = Field(default="", description="for return and denial: the reason, which the applicant reads")


class ApproveIn(BaseModel):
    model_config = _IN
    licence_number: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=40)]
    valid_from: date
    valid_until: date
    conditions: list[Line] = Field(default_factory=list, max_length=100)
    note: Text = ""


# --- licences and shipments -----------------------------------------------------------------------


class LicenceIn(BaseModel):
    """A licence issued outside earcheck, recorded by an approver."""

    model_config = _IN
    number: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=40)]
    valid_from: date
    valid_until: date
    parties: list[PartyIn] = Field(max_length=500)
    lines: list[ItemIn] = Field(min_length=1, max_length=500, description="quantity and value are the limits")
    conditions: list[Line] = Field(default_factory=list, max_length=100)

    def terms(self) -> LicenceTerms:
        return LicenceTerms(
            number=self.number,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            parties=tuple(p.record() for p in self.parties),
            lines=tuple(i.line() for i in self.lines),
            conditions=tuple(self.conditions),
        )


class LicenceLineOut(_Out):
    line: int = Field(validation_alias="line_no")
    eccn: str
    description: str
    unit: str
    quantity_limit: Decimal
    value_limit: Decimal
    shipped_quantity: Decimal
    shipped_value: Decimal
    remaining_quantity: Decimal
    remaining_value: Decimal


class LicenceOut(_Out):
    id: int
    number: str
    valid_from: date
    valid_until: date
    validity_today: Validity
    conditions: list[str]
    application_id: int | None
    parties: list[PartyOut]
    lines: list[LicenceLineOut]
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, licence: Licence, today: date) -> LicenceOut:
        """The licence as it stands on ``today``: its validity then is the one field it cannot give itself."""
        given = {name: getattr(licence, name) for name in cls.model_fields.keys() - {"validity_today"}}
        return cls.model_validate({**given, "validity_today": licence.validity(today)})


class DrawdownIn(BaseModel):
    model_config = _IN
    line: Annotated[int, Field(ge=1, le=100_000, description="the licence line's number")]
    quantity: Quantity
    value: Money


class ShipmentIn(BaseModel):
    model_config = _IN
    shipped_on: date | None = Field(default=None, description="default: today")
    reference: Annotated[str, AfterValidator(_storable), Field(max_length=200)] = Field(
        default="", description="your own reference: invoice, AES ITN, ..."
    )
    lines: list[DrawdownIn] = Field(min_length=1, max_length=500)


class ShipmentLineOut(_Out):
    line: int = Field(validation_alias="line_no")
    eccn: str
    unit: str
    quantity: Decimal
    value: Decimal


class ShipmentOut(_Out):
    id: int
    licence_id: int
    licence_number: str
    shipped_on: date
    reference: str
    lines: list[ShipmentLineOut]
    created_at: datetime
    created_by: str


# --- determinations -------------------------------------------------------------------------------


class DeterminationSummary(_Out):
    id: int
    created_at: datetime
    actor: str
    case_id: str | None
    as_of: date
    license_required: bool | None


class DeterminationOut(DeterminationSummary):
    case: dict[str, Any] = Field(description="the case as given (see `earcheck schema case`)")
    determination: dict[str, Any] = Field(
        validation_alias="result", description="the answer (see `earcheck schema determination`)"
    )
    provenance: dict[str, Any]
    case_sha256: str
    result_sha256: str


# --- screening ------------------------------------------------------------------------------------


class ScreeningIn(BaseModel):
    model_config = _IN
    name: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=1000)]
    country: CountryCode | None = None
    as_of: date | None = Field(default=None, description="lists as in force on this date; default today")


class DecisionOut(_Out):
    id: int
    party_name: str
    list_id: str
    entry_sha256: str
    entry_name: str
    verdict: Verdict
    reason: str
    actor: str
    decided_at: datetime


class ReviewOut(_Out):
    state: Literal["unreviewed", "cleared", "confirmed", "reraised"] = Field(
        description="cleared: reviewed as a false positive; confirmed: reviewed as the listed party; "
        "reraised: reviewed, but the list entry has changed since"
    )
    decision: DecisionOut | None
    outdated_decision: DecisionOut | None

    @classmethod
    def of(cls, review: Review | None) -> ReviewOut:
        if review is None:
            return cls(state="unreviewed", decision=None, outdated_decision=None)
        state: Literal["unreviewed", "cleared", "confirmed", "reraised"]
        if review.current is not None:
            state = "cleared" if review.current.verdict is Verdict.FALSE_POSITIVE else "confirmed"
        else:
            state = "reraised" if review.reraised else "unreviewed"
        return cls(
            state=state,
            decision=DecisionOut.model_validate(review.current) if review.current else None,
            outdated_decision=DecisionOut.model_validate(review.outdated) if review.outdated else None,
        )


class EntryOut(_Out):
    """A list entry as its source file gives it."""

    list_id: str
    list_code: str
    source: str
    name: str
    aliases: list[str]
    entity_type: str | None
    entity_number: str | None
    programs: list[str]
    addresses: list[str]
    countries: list[str]
    federal_register: list[str]
    start_date: date | None
    end_date: date | None
    license_requirement: str | None
    license_policy: str | None
    remarks: str | None
    snapshot: str
    snapshot_date: date
    line: int


class HitOut(_Out):
    """One list entry a name matched, why, and what it means on the date."""

    list_id: str
    list_code: str
    source: str
    name: str = Field(description="the entry's primary name")
    matched_name: str = Field(description="the name or alias that matched")
    score: float = Field(ge=0, le=1)
    band: str = Field(description="match; review: a person must decide; cleared: a person decided it is not this entry")
    explanation: dict[str, float] = Field(description="the score of each matching feature")
    in_force: bool | None = Field(description="listed on as_of; null when the listing date is unknown")
    in_force_reason: str
    listed_from: date | None
    citation: str | None
    footnotes: list[int]
    license_requirement: str | None
    license_policy: str | None
    entry: EntryOut
    entry_sha256: str = Field(description="fingerprint of the entry's content; quote it in a decision")
    review: ReviewOut

    @classmethod
    def of(cls, hit: Hit, fingerprint: str, review: Review | None) -> HitOut:
        status = hit.status
        return cls(
            list_id=hit.entry.list_id,
            list_code=hit.entry.list_code.value,
            source=hit.entry.source,
            name=hit.entry.name,
            matched_name=hit.matched_name,
            score=min(max(hit.score, 0.0), 1.0),
            band=hit.band.value,
            explanation=dict(hit.explanation),
            in_force=status.in_force,
            in_force_reason=status.reason,
            listed_from=status.listed_from,
            citation=status.citation,
            footnotes=sorted(status.footnotes),
            license_requirement=status.license_requirement or hit.entry.license_requirement,
            license_policy=status.license_policy or hit.entry.license_policy,
            entry=EntryOut.model_validate(hit.entry),
            entry_sha256=fingerprint,
            review=ReviewOut.of(review),
        )


class ScreeningOut(BaseModel):
    name: str
    country: str | None
    as_of: date
    hits: list[HitOut]
    audit_seq: int = Field(description="the audit log row that records this screening")


class DecisionIn(BaseModel):
    model_config = _IN
    party_name: Name
    list_id: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=200)]
    entry_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    entry_name: Annotated[str, AfterValidator(_storable), Field(max_length=500)] = ""
    verdict: Verdict
    reason: Line


# --- keys and audit -------------------------------------------------------------------------------


class KeyIn(BaseModel):
    model_config = _IN
    role: Role
    name: Name


class KeyOut(_Out):
    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class NewKeyOut(BaseModel):
    key: KeyOut
    secret: str = Field(description="the key itself: shown this once, never stored")


class AuditEntryOut(_Out):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    payload: Any = Field(validation_alias="data")  # the stored text, parsed
    prev_hash: str
    hash: str


class AuditProblemOut(_Out):
    seq: int
    message: str


class AuditReportOut(_Out):
    ok: bool
    rows: int
    head_seq: int
    head_hash: str = Field(description="keep this somewhere else to anchor the log")
    problems: list[AuditProblemOut]
    problem_count: int
