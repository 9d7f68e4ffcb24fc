"""The FastAPI application: REST API under ``/api`` (OpenAPI at ``/docs``), web UI at ``/``.

``create_app(settings)`` migrates the database, opens the workspace (the engine and the screener;
a test double can be passed instead) and wires the routes, the error table
(``earcheck.api.errors.HANDLERS``) and the request-size limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

import earcheck
from earcheck import web
from earcheck.api.errors import HANDLERS
from earcheck.api.limits import BodyLimit
from earcheck.api.routes import admin, applications, determinations, licences, parties, screening, supplychain
from earcheck.api.workspace import WorkspacePort, open_default
from earcheck.db import migrate
from earcheck.model import Case
from earcheck.settings import Settings

__all__ = ["ApiLimits", "create_app", "served_app"]

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


_FIELD = {
    "type": "object",
    "required": ["field", "message"],
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message"],
            "properties": {
                "type": {"type": "string", "description": "the earcheck.errors class, or ValidationError, ..."},
                "message": {"type": "string"},
                "fields": {"type": "array", "items": _FIELD},
            },
        }
    },
}
# What each error status means here (earcheck.errors and earcheck.api.errors): every operation lists
# the ones it can answer with, all in the one error shape.
_ERRORS = {
    "400": "the request cannot be read",
    "401": "no API key, or one that is unknown or revoked",
    "403": "the key's role may not do this",
    "404": "no such record or route",
    "409": "a workflow or balance conflict (the message says which)",
    "413": "the request body is larger than the limit",
    "422": "invalid input; ``fields`` lists each problem",
    "503": "the database is busy or unreachable; retry after ``Retry-After`` seconds",
}


def _document_errors(schema: dict[str, Any]) -> None:
    """Every operation's error responses, in the shape ``earcheck.api.errors`` answers with (FastAPI's
    own ``HTTPValidationError`` is not what a 422 here looks like)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if path == "/api/health":
                continue
            responses = operation.setdefault("responses", {})
            writes = method in ("post", "put", "delete", "patch")
            for status, meaning in _ERRORS.items():
                if status in ("409", "413") and not writes:
                    continue
                responses[status] = {
                    "description": meaning,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }


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
    definitions = case.pop("$defs", {})
    # A case's types may share a name with a record's (model.PartyRole and records.parties.PartyRole):
    # the case's is renamed rather than written over the record's, which described every licence's
    # parties with the case's roles ("applicant" was not one of them).
    clashes = {name for name, definition in definitions.items() if components.get(name, definition) != definition}
    if clashes:
        text = json.dumps({"case": case, "defs": definitions})
        for name in clashes:
            text = text.replace(f'"#/components/schemas/{name}"', f'"#/components/schemas/Case{name}"')
        renamed = json.loads(text)
        case = renamed["case"]
        definitions = {(f"Case{name}" if name in clashes else name): d for name, d in renamed["defs"].items()}
    components.update(definitions)
    components["Case"] = case
    _document_errors(schema)
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

    for module in (screening, determinations, applications, licences, parties, admin, supplychain):
        api.include_router(module.router)
    app.include_router(api)
    web.mount(app)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def served_app() -> FastAPI:
    """The application of one ``earcheck serve`` worker process, from the environment's settings: the
    factory uvicorn calls in each worker (``--workers``), where an app object cannot be passed."""
    return create_app(Settings.from_env())
