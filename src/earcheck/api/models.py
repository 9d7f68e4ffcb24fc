"""The API's request and response bodies (pydantic, at the edge only), and their conversion from
the records' frozen dataclasses.

Money is US dollars as a decimal string with cents (``"1250.00"``) in responses; requests may send
a JSON number or a string, at most two decimal places. Quantities are decimals with at most three.
No amount ever passes through a float on the way in: a JSON number is read as a decimal.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from earcheck.lists import Hit, ListEntry
from earcheck.model import CountryCode, EccnText
from earcheck.records.applications import Application, ApplicationDraft, Status
from earcheck.records.audit import AuditEntry, AuditReport
from earcheck.records.determinations import StoredDetermination
from earcheck.records.keys import ApiKey, Role
from earcheck.records.licences import Licence, LicenceTerms, Validity
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.records.screening import Decision, Review, Verdict
from earcheck.records.shipments import Shipment

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


# --- parties and items ----------------------------------------------------------------------------


class PartyIn(BaseModel):
    model_config = _IN
    role: PartyRole
    name: Name
    country: CountryCode | None = None
    address: Text | None = None

    def record(self) -> PartyRecord:
        return PartyRecord(self.role, self.name, self.country, self.address)


class PartyOut(BaseModel):
    role: PartyRole
    name: str
    country: str | None
    address: str | None

    @classmethod
    def of(cls, party: PartyRecord) -> PartyOut:
        return cls(role=party.role, name=party.name, country=party.country, address=party.address)


class ItemIn(BaseModel):
    model_config = _IN
    eccn: EccnText
    description: Line
    quantity: Quantity
    unit: Unit
    value: Money = Field(description="total value of the line, US dollars")

    def line(self) -> ItemLine:
        return ItemLine(self.eccn, self.description, self.quantity, self.unit, self.value)


class ItemOut(BaseModel):
    line: int
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


class StatusChangeOut(BaseModel):
    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    note: str


class ApplicationOut(BaseModel):
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

    @classmethod
    def of(cls, a: Application) -> ApplicationOut:
        return cls(
            id=a.id,
            status=a.status,
            end_use=a.end_use,
            additional_information=a.additional_information,
            determination_id=a.determination_id,
            parties=[PartyOut.of(p) for p in a.parties],
            items=[
                ItemOut(
                    line=i.line_no,
                    eccn=i.eccn,
                    description=i.description,
                    quantity=i.quantity,
                    unit=i.unit,
                    value=i.value,
                )
                for i in a.items
            ],
            total_value=a.total_value,
            history=[
                StatusChangeOut(at=c.at, actor=c.actor, from_status=c.from_status, to_status=c.to_status, note=c.note)
                for c in a.history
            ],
            licence_id=a.licence_id,
            created_at=a.created_at,
            created_by=a.created_by,
            updated_at=a.updated_at,
        )


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


class LicenceLineOut(BaseModel):
    line: int
    eccn: str
    description: str
    unit: str
    quantity_limit: Decimal
    value_limit: Decimal
    shipped_quantity: Decimal
    shipped_value: Decimal
    remaining_quantity: Decimal
    remaining_value: Decimal


class LicenceOut(BaseModel):
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
    def of(cls, x: Licence, today: date) -> LicenceOut:
        return cls(
            id=x.id,
            number=x.number,
            valid_from=x.valid_from,
            valid_until=x.valid_until,
            validity_today=x.validity(today),
            conditions=list(x.conditions),
            application_id=x.application_id,
            parties=[PartyOut.of(p) for p in x.parties],
            lines=[
                LicenceLineOut(
                    line=line.line_no,
                    eccn=line.eccn,
                    description=line.description,
                    unit=line.unit,
                    quantity_limit=line.quantity_limit,
                    value_limit=line.value_limit,
                    shipped_quantity=line.shipped_quantity,
                    shipped_value=line.shipped_value,
                    remaining_quantity=line.remaining_quantity,
                    remaining_value=line.remaining_value,
                )
                for line in x.lines
            ],
            created_at=x.created_at,
            created_by=x.created_by,
        )


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


class ShipmentLineOut(BaseModel):
    line: int
    eccn: str
    unit: str
    quantity: Decimal
    value: Decimal


class ShipmentOut(BaseModel):
    id: int
    licence_id: int
    licence_number: str
    shipped_on: date
    reference: str
    lines: list[ShipmentLineOut]
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, s: Shipment) -> ShipmentOut:
        return cls(
            id=s.id,
            licence_id=s.licence_id,
            licence_number=s.licence_number,
            shipped_on=s.shipped_on,
            reference=s.reference,
            lines=[
                ShipmentLineOut(line=x.line_no, eccn=x.eccn, unit=x.unit, quantity=x.quantity, value=x.value)
                for x in s.lines
            ],
            created_at=s.created_at,
            created_by=s.created_by,
        )


# --- determinations -------------------------------------------------------------------------------


class DeterminationSummary(BaseModel):
    id: int
    created_at: datetime
    actor: str
    case_id: str | None
    as_of: date
    license_required: bool | None

    @classmethod
    def of(cls, d: StoredDetermination) -> DeterminationSummary:
        return cls(
            id=d.id,
            created_at=d.created_at,
            actor=d.actor,
            case_id=d.case_id,
            as_of=d.as_of,
            license_required=d.license_required,
        )


class DeterminationOut(DeterminationSummary):
    case: dict[str, Any] = Field(description="the case as given (see `earcheck schema case`)")
    determination: dict[str, Any] = Field(description="the answer (see `earcheck schema determination`)")
    provenance: dict[str, Any]
    case_sha256: str
    result_sha256: str

    @classmethod
    def of(cls, d: StoredDetermination) -> DeterminationOut:
        return cls(
            id=d.id,
            created_at=d.created_at,
            actor=d.actor,
            case_id=d.case_id,
            as_of=d.as_of,
            license_required=d.license_required,
            case=d.case,
            determination=d.result,
            provenance=d.provenance,
            case_sha256=d.case_sha256,
            result_sha256=d.result_sha256,
        )


# --- screening ------------------------------------------------------------------------------------


class ScreeningIn(BaseModel):
    model_config = _IN
    name: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=1000)]
    country: CountryCode | None = None
    as_of: date | None = Field(default=None, description="lists as in force on this date; default today")


class DecisionOut(BaseModel):
    id: int
    party_name: str
    list_id: str
    entry_sha256: str
    entry_name: str
    verdict: Verdict
    reason: str
    actor: str
    decided_at: datetime

    @classmethod
    def of(cls, d: Decision) -> DecisionOut:
        return cls(
            id=d.id,
            party_name=d.party_name,
            list_id=d.list_id,
            entry_sha256=d.entry_sha256,
            entry_name=d.entry_name,
            verdict=d.verdict,
            reason=d.reason,
            actor=d.actor,
            decided_at=d.decided_at,
        )


class ReviewOut(BaseModel):
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
            decision=DecisionOut.of(review.current) if review.current else None,
            outdated_decision=DecisionOut.of(review.outdated) if review.outdated else None,
        )


class EntryOut(BaseModel):
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

    @classmethod
    def of(cls, e: ListEntry) -> EntryOut:
        return cls(
            list_id=e.list_id,
            list_code=e.list_code.value,
            source=e.source,
            name=e.name,
            aliases=list(e.aliases),
            entity_type=e.entity_type,
            entity_number=e.entity_number,
            programs=list(e.programs),
            addresses=list(e.addresses),
            countries=list(e.countries),
            federal_register=list(e.federal_register),
            start_date=e.start_date,
            end_date=e.end_date,
            license_requirement=e.license_requirement,
            license_policy=e.license_policy,
            remarks=e.remarks,
            snapshot=e.snapshot,
            snapshot_date=e.snapshot_date,
            line=e.line,
        )


class HitOut(BaseModel):
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
            entry=EntryOut.of(hit.entry),
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


class KeyOut(BaseModel):
    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @classmethod
    def of(cls, k: ApiKey) -> KeyOut:
        return cls(
            id=k.id,
            name=k.name,
            role=k.role,
            prefix=k.prefix,
            created_at=k.created_at,
            created_by=k.created_by,
            revoked_at=k.revoked_at,
        )


class NewKeyOut(BaseModel):
    key: KeyOut
    secret: str = Field(description="the key itself: shown this once, never stored")


class AuditEntryOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    payload: Any
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryOut:
        return cls(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            subject=e.subject,
            payload=json.loads(e.payload),
            prev_hash=e.prev_hash,
            hash=e.hash,
        )


class AuditProblemOut(BaseModel):
    seq: int
    message: str


class AuditReportOut(BaseModel):
    ok: bool
    rows: int
    head_seq: int
    head_hash: str = Field(description="keep this somewhere else to anchor the log")
    problems: list[AuditProblemOut]
    problem_count: int

    @classmethod
    def of(cls, r: AuditReport) -> AuditReportOut:
        return cls(
            ok=r.ok,
            rows=r.rows,
            head_seq=r.head_seq,
            head_hash=r.head_hash,
            problems=[AuditProblemOut(seq=p.seq, message=p.message) for p in r.problems],
            problem_count=r.problem_count,
        )
