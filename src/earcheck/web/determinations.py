"""The determinations register in the UI: search it, page through it, export it (and the audit log);
a determination's report for the file, as HTML or PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from earcheck.api.auth import engine_of
from earcheck.api.models import MAX_ID
from earcheck.api.registers import audit_export, determinations_export
from earcheck.errors import RecordError
from earcheck.exports import Format
from earcheck.records.determination_search import Answer, case_eccns, case_parties, read_filter, search_determinations
from earcheck.records.keys import Session
from earcheck.web.evidence import certificate_html, certificate_pdf, report_html, report_pdf
from earcheck.web.render import page
from earcheck.web.session import signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]

# The search form's fields, as the register's query string carries them.
SEARCH_FIELDS = ("party", "eccn", "destination", "answer", "recorded_from", "recorded_until", "actor")
ANSWERS = {
    Answer.REQUIRED: "Licence required",
    Answer.NOT_REQUIRED: "No licence required",
    Answer.UNKNOWN: "Not determinable",
}


def _search_values(request: Request) -> dict[str, str]:
    """The search as typed (to show it again), limited to the register's fields and lengths."""
    values = {}
    for name in SEARCH_FIELDS:
        value = request.query_params.get(name, "").replace("\x00", "").strip()
        values[name] = value[:200]
    return values


@router.get("/determinations")
def register_page(
    request: Request, session: Signed, after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    values = _search_values(request)
    query = urlencode({k: v for k, v in values.items() if v})
    context: dict[str, Any] = {"values": values, "query": query, "answers": ANSWERS, "problems": ()}
    try:
        wanted = read_filter(**{k: v or None for k, v in values.items()})
    except RecordError as error:
        return page(
            request,
            "determinations.html",
            session,
            status_code=422,
            listing=None,
            **context | {"problems": error.errors},
        )
    listing = search_determinations(engine_of(request), wanted, after, 50)
    rows = [(d, case_parties(d.case), case_eccns(d.case)) for d in listing.items]
    return page(request, "determinations.html", session, listing=listing, rows=rows, **context)


@router.get("/determinations/export.{fmt}")
def export_register(request: Request, _: Signed, fmt: Format) -> Response:
    values = _search_values(request)
    wanted = read_filter(**{k: v or None for k, v in values.items()})
    return determinations_export(engine_of(request), wanted, fmt)


@router.get("/audit/export.{fmt}")
def export_audit_log(
    request: Request,
    _: Signed,
    fmt: Format,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    subject = subject.replace("\x00", "") or None if subject else None
    action = action.replace("\x00", "") or None if action else None
    return audit_export(engine_of(request), fmt, subject, action)


# The report is a file to keep: it carries its own style inline, and may load nothing else.
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@router.get("/determinations/{determination_id}/report.{fmt}")
def report(
    request: Request,
    _: Signed,
    determination_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    fmt: Annotated[str, Path(pattern="^(html|pdf)$")],
) -> Response:
    engine = engine_of(request)
    return _evidence_file(
        f"earcheck-determination-{determination_id}.{fmt}",
        lambda: report_pdf(engine, determination_id) if fmt == "pdf" else report_html(engine, determination_id),
    )


@router.get("/screenings/{seq}/certificate.{fmt}")
def certificate(
    request: Request,
    _: Signed,
    seq: Annotated[int, Path(ge=1, le=MAX_ID)],
    fmt: Annotated[str, Path(pattern="^(html|pdf)$")],
) -> Response:
    """The screening certificate of the screening the audit row ``seq`` recorded."""
    return evidence_response(engine_of(request), seq, fmt)


def evidence_response(engine: Any, seq: int, fmt: str) -> Response:
    """A screening certificate as a file to keep (shared by the web page and the API)."""
    return _evidence_file(
        f"earcheck-screening-{seq}.{fmt}",
        lambda: certificate_pdf(engine, seq) if fmt == "pdf" else certificate_html(engine, seq),
    )


def _evidence_file(name: str, render: Callable[[], bytes | str]) -> Response:
    """A report or certificate as a download under the report's own policy: PDF bytes or HTML text."""
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Security-Policy": REPORT_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    body = render()
    if isinstance(body, bytes):
        return Response(body, media_type="application/pdf", headers=headers)
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)
