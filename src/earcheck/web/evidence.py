"""Evidence for the file: a stored determination as a report, in HTML and as PDF from the same template.

The report carries what an auditor needs to re-derive the answer and to tie it to the log: the
answer and every finding with its citation, every party screened, the provenance (engine, rules and
list versions, the case's hash, each list snapshot with the date it speaks for), the SHA-256 of the
stored case and result, and the audit row that recorded it (its sequence number and hash). The PDF
is the HTML report printed by WeasyPrint, so the two never say different things.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from earcheck.records import audit
from earcheck.records.determinations import get_determination
from earcheck.web.reading import read
from earcheck.web.render import templates

__all__ = ["report_html", "report_pdf"]


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


def report_pdf(engine: sa.Engine, determination_id: int) -> bytes:
    """The same report as PDF."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(engine, determination_id)).write_pdf()
    return pdf
