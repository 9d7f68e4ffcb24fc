"""The web UI for compliance officers: server-rendered pages (Jinja2), a little hand-written CSS and
JavaScript, no front-end build. Served by the same FastAPI app as the API (``mount``).

======================  ==========================================================================
``/login``              sign in with an API key (a session cookie; CSRF token on every form)
``/``                   what waits for a decision, drafts, the licence register, recent activity
``/screen``             screen a name; why each hit matched; record false positives
``/screen/file``        screen a CSV file of names; its progress; the result as CSV
``/check/guided``       build a case field by field; answer a determination's open questions
``/check``              enter or upload a case; the determination as a chain of findings, with
                        citations and the questions that would settle what is unknown; its timeline
``/determinations``     the register of stored determinations: search, filter, export (CSV, XLSX)
``/applications``       the application workflow: draft, submit, approve, return, deny
``/licences``           the register with remaining balances; record shipments
``/parties``            the parties register: every counterparty and its latest screening; export
``/reviews``            the review queue: hits of ongoing screening that wait for a decision
``/audit``              the audit log and its verification; its export (CSV, XLSX)
``/lookup``             an ECCN or a destination as of a date, with the table text applied
``/rules``              the dated rules earcheck applies, those in force on a date
======================  ==========================================================================
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from earcheck.web import (
    account,
    cases,
    determinations,
    guided,
    lookup,
    parties,
    register,
    screening,
    screening_files,
    supplychain,
)
from earcheck.web.render import render_error
from earcheck.web.session import SignInRequired

__all__ = ["mount"]

HERE = Path(__file__).parent


def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/login?next={exc.next_path}", status_code=303)


def mount(app: FastAPI) -> None:
    """Add the UI's pages, its static files and the API documentation page to ``app``."""
    app.state.render_error = render_error
    app.add_exception_handler(SignInRequired, _sign_in)
    # The register first: its /determinations/export.csv must not be read as /determinations/{id}.
    for module in (
        account,
        screening,
        screening_files,
        determinations,
        guided,
        cases,
        lookup,
        register,
        supplychain,
        parties,
    ):
        app.include_router(module.router)
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        # Swagger UI from the bundled package, so that the docs work without Internet access.
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="earcheck API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
