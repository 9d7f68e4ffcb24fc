"""The API's request and response bodies (pydantic, at the edge only), and their conversion from
the records' frozen dataclasses: the text and amount fields every body uses, and the bodies of the
records routes (applications, licences, shipments, determinations, keys, audit). The screening
routes' bodies are in ``earcheck.api.screening``.

A response model reads a record's attributes of the same name (``Model.model_validate(record)``);
where a field is named otherwise in the API, its ``validation_alias`` names the attribute it reads.

Money is US dollars as a decimal string with cents (``"1250.00"``) in responses; requests may send
a JSON number or a string, at most two decimal places. Quantities are decimals with at most three.
No amount ever passes through a float on the way in: a JSON number is read as a decimal.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from starlette.responses import Response

from earcheck.days import RecordDate
from earcheck.model import CountryCode, EccnText
from earcheck.records.applications import ApplicationDraft, Status
from earcheck.records.keys import Role
from earcheck.records.licences import Licence, LicenceTerms, Validity
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole

__all__ = [
    "ApplicationIn",
    "ApplicationOut",
    "ApproveIn",
    "AuditEntryOut",
    "AuditReportOut",
    "DeterminationOut",
    "DeterminationSummary",
    "ExceptionShipmentIn",
    "ItemIn",
    "KeyIn",
    "KeyOut",
    "LicenceIn",
    "LicenceOut",
    "NewKeyOut",
    "NoteIn",
    "PartyIn",
    "RequestBody",
    "ResponseBody",
    "ShipmentIn",
    "ShipmentOut",
    "Storable",
    "json_response",
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


class RequestBody(BaseModel):
    """A request body: unknown fields are refused, and text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseBody(BaseModel):
    """A response body, read from a record's attributes."""

    model_config = ConfigDict(from_attributes=True)


def json_response(body: BaseModel, status_code: int = 200) -> Response:
    """``body`` as the JSON a route's ``response_model`` would give, serialised once by pydantic.

    Returned by the busiest routes, whose body is built from validated records: FastAPI would
    otherwise dump the model to Python, validate it again against the same model, serialise it and
    encode that with ``json`` (twice the work, for the same fields and values)."""
    return Response(body.model_dump_json(by_alias=True), status_code, media_type="application/json")


# --- parties and items ----------------------------------------------------------------------------


class PartyIn(RequestBody):
    role: PartyRole
    name: Name
    country: CountryCode | None = None
    address: Text | None = None

    def record(self) -> PartyRecord:
        return PartyRecord(self.role, self.name, self.country, self.address)


class PartyOut(ResponseBody):
    role: PartyRole
    name: str
    country: str | None
    address: str | None


class ItemIn(RequestBody):
    eccn: EccnText
    description: Line
    quantity: Quantity
    unit: Unit
    value: Money = Field(description="total value of the line, US dollars")

    def line(self) -> ItemLine:
        return ItemLine(self.eccn, self.description, self.quantity, self.unit, self.value)


class ItemOut(ResponseBody):
    line: int = Field(validation_alias="line_no")
    eccn: str
    description: str
    quantity: Decimal
    unit: str
    value: Decimal


# --- applications ---------------------------------------------------------------------------------


class ApplicationIn(RequestBody):
    """A licence application as on form BIS-748P; a draft may be incomplete."""

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


class StatusChangeOut(ResponseBody):
    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    note: str


class ApplicationOut(ResponseBody):
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


class NoteIn(RequestBody):
    note: Text = Field(default="", description="for return and denial: the reason, which the applicant reads")


class ApproveIn(RequestBody):
    licence_number: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=40)]
    valid_from: RecordDate
    valid_until: RecordDate
    conditions: list[Line] = Field(default_factory=list, max_length=100)
    note: Text = ""


# --- licences and shipments -----------------------------------------------------------------------


class LicenceIn(RequestBody):
    """A licence issued outside earcheck, recorded by an approver."""

    number: Annotated[str, AfterValidator(_storable), Field(min_length=1, max_length=40)]
    valid_from: RecordDate
    valid_until: RecordDate
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


class LicenceLineOut(ResponseBody):
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


class LicenceOut(ResponseBody):
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


class DrawdownIn(RequestBody):
    line: Annotated[int, Field(ge=1, le=100_000, description="the licence line's number")]
    quantity: Quantity
    value: Money


class ShipmentIn(RequestBody):
    shipped_on: RecordDate | None = Field(default=None, description="default: today")
    reference: Annotated[str, AfterValidator(_storable), Field(max_length=200)] = Field(
        default="", description="your own reference: invoice, AES ITN, ..."
    )
    lines: list[DrawdownIn] = Field(min_length=1, max_length=500)


class ExceptionShipmentIn(RequestBody):
    """A shipment made under a licence exception: nothing is drawn down from a licence."""

    licence_exception: Annotated[str, Field(min_length=2, max_length=16, examples=["LVS", "GBS", "NAC"])] = Field(
        description="the exception's symbol, as entered in the EEI filing (15 CFR 758.1); "
        "`earcheck rules --as-of DATE` lists those in force"
    )
    shipped_on: date | None = Field(default=None, description="default: today")
    destination: CountryCode = Field(description="country of ultimate destination (ISO 3166-1 alpha-2)")
    determination_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="the stored determination the shipment rests on; it must show the exception available",
    )
    reference: Annotated[str, AfterValidator(_storable), Field(max_length=200)] = Field(
        default="", description="your own reference: invoice, AES ITN, ..."
    )
    items: list[ItemIn] = Field(min_length=1, max_length=500)


class ShipmentLineOut(ResponseBody):
    line: int | None = Field(validation_alias="line_no", description="the licence line; null under an exception")
    eccn: str
    description: str
    unit: str
    quantity: Decimal
    value: Decimal


class ShipmentOut(ResponseBody):
    """A shipment under a licence (``licence_id``) or under a licence exception (``licence_exception``)."""

    id: int
    licence_id: int | None
    licence_number: str | None
    licence_exception: str | None = Field(validation_alias="exception_symbol")
    exception_citation: str | None
    destination: str | None
    determination_id: int | None
    shipped_on: date
    reference: str
    lines: list[ShipmentLineOut]
    created_at: datetime
    created_by: str


# --- determinations -------------------------------------------------------------------------------


class DeterminationSummary(ResponseBody):
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


# --- keys and audit -------------------------------------------------------------------------------


class KeyIn(RequestBody):
    role: Role
    name: Name


class KeyOut(ResponseBody):
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


class AuditEntryOut(ResponseBody):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    payload: Any = Field(validation_alias="data")  # the stored text, parsed
    prev_hash: str
    hash: str


class AuditProblemOut(ResponseBody):
    seq: int
    message: str


class AuditReportOut(ResponseBody):
    ok: bool
    rows: int
    head_seq: int
    head_hash: str = Field(description="keep this somewhere else to anchor the log")
    problems: list[AuditProblemOut]
    problem_count: int
