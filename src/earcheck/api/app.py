"""The FastAPI application: REST API under ``/api`` (OpenAPI at ``/docs``), web UI at ``/``.

``create_app(settings)`` migrates the database, opens the workspace (the engine and the screener;
a test double can be passed instead) and wires the routes, the error table
(``earcheck.api.errors.HANDLERS``) and the request-size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

import earcheck
from earcheck import web
from earcheck.api.errors import HANDLERS
from earcheck.api.limits import BodyLimit
from earcheck.api.routes import admin, applications, determinations, licences, screening, supplychain
from earcheck.api.workspace import WorkspacePort, open_default
from earcheck.db import migrate
from earcheck.model import Case
from earcheck.settings import Settings

__all__ = ["ApiLimits", "create_app"]

DESCRIPTION = """
The US Export Administration Regulations (15 CFR 730-774) as a service: screen parties, determine
licence requirements, and keep the records Part 762 asks for.

**Authentication.** Every route but `/api/health` needs an API key, sent as
`Authorization: Bearer <key>`. Keys carry a role: *viewer* reads; *analyst* screens, determines,
drafts and submits applications and records shipments; *approver* decides applications and records
licences; *admin* manages keys. Create the first key with `earcheck keys create --role admin`.

**Errors** are JSON: `{"error": {"type", "message", "fields"}}` with a 4xx status that says what
went wrong (401 no key, 403 role too low, 404, 409 a workflow or balance conflict, 413 body too
large, 422 invalid input, listing each field).

**Lists** are paginated: `limit` (at most 500) and `cursor` (the previous page's `next_cursor`).

**Money** is US dollars as a decimal string (`"1250.00"`); requests may send numbers or strings, with
at most two decimal places.
"""


@dataclass(frozen=True, slots=True)
class ApiLimits:
    """Tunables of the HTTP face."""

    max_body_bytes: int = 5 * 1024 * 1024  # a case with thousands of items fits; a flood does not


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    # The case body is read by hand (to report casefile's field paths), so its schema is added here.
    case = TypeAdapter(Case).json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(case.pop("$defs", {}))
    components["Case"] = case
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings, workspace: WorkspacePort | None = None, limits: ApiLimits = ApiLimits()) -> FastAPI:
    """The whole application. ``workspace`` defaults to the real engine and screener."""
    app = FastAPI(
        title="earcheck",
        version=earcheck.__version__,
        description=DESCRIPTION,
        docs_url=None,  # served by earcheck.web from the bundled Swagger UI
        redoc_url=None,
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
    )
    app.state.settings = settings
    app.state.engine = migrate(settings)
    app.state.workspace = workspace if workspace is not None else open_default(settings)

    api = APIRouter(prefix="/api")

    @api.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Whether the service is up (no key needed)."""
        return {"status": "ok", "version": earcheck.__version__}

    for module in (screening, determinations, applications, licences, admin, supplychain):
        api.include_router(module.router)
    app.include_router(api)
    web.mount(app)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
