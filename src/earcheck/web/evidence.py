"""Evidence for the file: a stored determination as a report and a screening as a certificate, each in
HTML and as PDF from the same template (the two share their style).

The report carries what an auditor needs to re-derive the answer and to tie it to the log: the
answer and every finding with its citation, every party screened, the provenance (engine, rules and
list versions, the case's hash, each list snapshot with the date it speaks for), the SHA-256 of the
stored case and result, and the audit row that recorded it (its sequence number and hash). The PDF
is the HTML report printed by WeasyPrint, so the two never say different things.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from earcheck.errors import NotFound
from earcheck.records import audit
from earcheck.records.determinations import get_determination
from earcheck.web.reading import read
from earcheck.web.render import templates

__all__ = ["certificate_html", "certificate_pdf", "report_html", "report_pdf"]


def _context(engine: sa.Engine, determination_id: int) -> dict[str, Any]:
    stored = get_determination(engine, determination_id)
    recorded = audit.entries(
        engine, subject=f"determination:{determination_id}", action="determination.record", limit=1
    ).items
    return {
        "stored": stored,
        "result": stored.result,
        "reading": read(stored.result),
        "audit_entry": recorded[0] if recorded else None,
    }


def report_html(engine: sa.Engine, determination_id: int) -> str:
    """The report as a standalone HTML page (its style inline, so that the file stands alone)."""
    return templates.env.get_template("report.html").render(_context(engine, determination_id))


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def report_pdf(engine: sa.Engine, determination_id: int) -> bytes:
    """The same report as PDF."""
    return _pdf(report_html(engine, determination_id))


def _screening(engine: sa.Engine, seq: int) -> audit.AuditEntry:
    """The audit row of a screening (``screening.run``) by its sequence number."""
    after = seq + 1
    found = audit.entries(engine, after=after, limit=1, action="screening.run").items
    if not found or found[0].seq != seq:
        raise NotFound(f"audit row {seq} is not a screening")
    return found[0]


def certificate_html(engine: sa.Engine, seq: int) -> str:
    """A screening certificate, read from the audit row that recorded the screening: the query, every
    hit (or none), the list snapshots with their dates, the algorithm's version, the row's hashes."""
    entry = _screening(engine, seq)
    data = entry.data
    context = {"entry": entry, "data": data, "hits": data.get("hits") or []}
    return templates.env.get_template("certificate.html").render(context)


def certificate_pdf(engine: sa.Engine, seq: int) -> bytes:
    """The same certificate as PDF."""
    return _pdf(certificate_html(engine, seq))
