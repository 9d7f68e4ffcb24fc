"""Every error earcheck raises, in one tree.

Faces (CLI, API, batch) catch ``EarcheckError`` and show ``str(error)``; the API answers with
``error.status``. Nothing else should escape to a user as a traceback.

    EarcheckError
    ├── InputError                 400  something the user gave us is wrong
    │   ├── CaseError              422  a case file does not fit the case schema (lists each field)
    │   ├── MalformedEccn          422  not an ECCN at all ("3B01", "EAR-99")      } also ValueErrors, so
    │   ├── UnknownCountry         422  not an ISO 3166-1 alpha-2 code             } pydantic reports them
    │   ├── InvalidAmount          422  money or a quantity negative, too large or too precise (a
    │   │                               ValueError too)
    │   ├── SourceFormatError      422  an official list/table file is malformed (file, line, field)
    │   ├── RecordError            422  a record (application, licence, shipment) is incomplete or
    │   │                               inconsistent (lists each field)
    │   ├── IdempotencyKeyReused   422  an Idempotency-Key sent again with a different request
    │   └── PayloadTooLarge        413  a request body over the size limit
    ├── DataError                  503  the loaded data cannot answer
    │   ├── NoData                 503  nothing imported yet, or not for that kind of data
    │   ├── OutOfCoverage          422  a date before what the dated rules describe
    │   └── DownloadFailed         503  an official file could not be fetched (network, server)
    ├── NotFound                   404
    ├── Conflict                   409
    │   ├── IllegalTransition      409  e.g. approving an application that was never submitted
    │   └── DrawdownRefused        409  a shipment larger than what a licence line has left, or
    │                                   outside the licence's validity
    ├── Unauthorized               401  no or unknown API key / session
    ├── Forbidden                  403  the key's role may not do this
    └── BatchFailed                500  a batch job stopped before every partition was done (the
                                        finished ones are kept: running the job again resumes it)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BatchFailed",
    "CaseError",
    "Conflict",
    "DataError",
    "DownloadFailed",
    "DrawdownRefused",
    "EarcheckError",
    "FieldError",
    "Forbidden",
    "IdempotencyKeyReused",
    "IllegalTransition",
    "InputError",
    "InvalidAmount",
    "MalformedEccn",
    "NoData",
    "NotFound",
    "OutOfCoverage",
    "PayloadTooLarge",
    "RecordError",
    "ShipmentRefused",
    "ShrinkRefused",
    "SourceFormatError",
    "Unauthorized",
    "UnknownCountry",
]


class EarcheckError(Exception):
    """Base of every error earcheck raises on purpose."""

    status: int = 500


class InputError(EarcheckError):
    status = 400


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem in one field of an input document, e.g. ``items[0].eccn``."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class CaseError(InputError):
    status = 422

    def __init__(self, errors: Sequence[FieldError], source: str | None = None) -> None:
        self.errors = tuple(errors)
        self.source = source
        where = f"{source}: " if source else ""
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{where}invalid case ({len(self.errors)} problem(s)):\n{lines}")


class MalformedEccn(InputError, ValueError):
    status = 422

    def __init__(self, text: str, reason: str = "expected e.g. 3B001, 3A001.b.2 or EAR99") -> None:
        self.text = text
        super().__init__(f"malformed ECCN {text!r}: {reason}")


class UnknownCountry(InputError, ValueError):
    status = 422

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"unknown country code {text!r}: expected an ISO 3166-1 alpha-2 code such as CN or DE")


class InvalidAmount(InputError, ValueError):
    status = 422


class RecordError(InputError):
    """A record that cannot be stored as given; lists every problem with the field it concerns."""

    status = 422

    def __init__(self, what: str, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{what} ({len(self.errors)} problem(s)):\n{lines}")


class IdempotencyKeyReused(InputError):
    status = 422


class PayloadTooLarge(InputError):
    status = 413


class SourceFormatError(InputError):
    """A malformed official file. Names the file, the line (1-based, as an editor shows it) and the field."""

    status = 422

    def __init__(self, path: Path | str, message: str, line: int | None = None, field: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.detail = message
        where = self.path + (f", line {line}" if line is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


class DataError(EarcheckError):
    status = 503


class NoData(DataError):
    pass


class OutOfCoverage(DataError):
    status = 422


class DownloadFailed(DataError):
    """An official file could not be downloaded. Names the URL and says what to do instead."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.detail = message
        super().__init__(f"{url}: {message}")


class NotFound(EarcheckError):
    status = 404


class Conflict(EarcheckError):
    status = 409


class IllegalTransition(Conflict):
    """A status change the workflow does not allow from the record's current status."""


class ShrinkRefused(Conflict):
    """An import would make a list disappear or shrink past the limit (``earcheck.store.shrinkage``)."""


class DrawdownRefused(Conflict):
    """A shipment that the licence cannot cover; the message says which line and what is left."""


class ShipmentRefused(Conflict):
    """A shipment under a licence exception that cannot be recorded as given: the exception was not in
    force on the date, or the determination named does not show it available."""


class Unauthorized(EarcheckError):
    status = 401


class Forbidden(EarcheckError):
    status = 403


class BatchFailed(EarcheckError):
    status = 500
