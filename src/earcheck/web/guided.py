"""The guided case form: a case built field by field instead of written in YAML.

Every input is named by its path into the case (``earcheck.casepath``), so the form posts the same
document a case file would hold and the same ``parse_cases`` reads it: a form-built case and its YAML
are one ``Case``. A stored determination's missing-facts questions come back as inputs named by the
``MissingFact.field`` they would settle, above the facts already given; answering them and checking
again records a new determination. Parties are screened as they are typed (the screening the
``/screen`` page does, audited the same way) and ECCNs are found in the CCL as of the case date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, RedirectResponse, Response

from earcheck.api.auth import engine_of
from earcheck.api.bodies import unstorable_text
from earcheck.api.models import MAX_ID
from earcheck.api.routes.screening import screen
from earcheck.api.screening import ScreeningIn
from earcheck.api.workspace import CclCatalogue, workspace_of
from earcheck.casefile import parse_cases
from earcheck.casepath import FactKind, Kind, PathError, document_of, fields_of, kind_of, rows_of
from earcheck.errors import CaseError, EarcheckError, FieldError
from earcheck.records.determinations import get_determination, record_determination
from earcheck.records.keys import Role, Session, require
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]

MAX_FIELDS = 5_000  # inputs in one form: 500 items of a few facts each, and then some
MAX_SUGGESTIONS = 20

# The inputs the form lays out itself; any other fact of a loaded case is shown under "Other facts".
CASE_FIELDS = ("id", "destination", "as_of", "activity", "region", "end_uses")
EXPORTER_FIELDS = ("exporter.name", "exporter.country", "exporter.headquarters")
PARTY_FIELDS = ("name", "country", "role")
ITEM_FIELDS = ("id", "description", "eccn", "origin", "value", "shipped_on")
CONTENT_FIELDS = ("description", "eccn", "value")
PRODUCTION_FIELDS = ("production.us_technology", "production.designed_by", "production.production_started")


@dataclass(frozen=True, slots=True)
class Input:
    """One input of the form: its path, what it is, what it holds and what is wrong with it."""

    path: str
    kind: FactKind
    value: str
    problems: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    field: str
    input: Input | None  # None when the question names a record, not a fact to type


@dataclass(frozen=True, slots=True)
class GuidedForm:
    values: Mapping[str, str]
    problems: Mapping[str, tuple[str, ...]]
    questions: tuple[Question, ...]
    asked: frozenset[str]
    parties: tuple[int, ...]
    items: tuple[int, ...]
    contents: Mapping[int, tuple[int, ...]]
    others: tuple[Input, ...]
    general: tuple[str, ...]  # problems that name no input

    def input(self, path: str, label: str = "") -> Input:
        return Input(path, kind_of(path), self.values.get(path, ""), self.problems.get(path, ()), label)


def _laid_out(items: Sequence[int], parties: Sequence[int], contents: Mapping[int, Sequence[int]]) -> set[str]:
    paths = set(CASE_FIELDS) | set(EXPORTER_FIELDS) | {"parties"}
    paths |= {f"parties[{p}].{f}" for p in parties for f in PARTY_FIELDS}
    for i in items:
        paths |= {f"items[{i}].{f}" for f in (*ITEM_FIELDS, *PRODUCTION_FIELDS, "us_content")}
        paths |= {f"items[{i}].us_content[{c}].{f}" for c in contents.get(i, ()) for f in CONTENT_FIELDS}
    return paths


def build_form(
    values: Mapping[str, str], problems: Sequence[FieldError] = (), questions: Sequence[Mapping[str, Any]] = ()
) -> GuidedForm:
    """The form showing ``values`` (path → text), its ``problems`` against their inputs, and the
    missing-facts ``questions`` of a determination (``{"field": ..., "question": ...}``) as inputs."""
    items = tuple(rows_of("items", values)) or (0,)
    parties = tuple(rows_of("parties", values)) or (0,)
    contents = {i: tuple(rows_of(f"items[{i}].us_content", values)) or (0,) for i in items}
    by_path: dict[str, list[str]] = {}
    for problem in problems:
        by_path.setdefault(problem.field, []).append(problem.message)
    laid_out = _laid_out(items, parties, contents)
    asked: list[Question] = []
    seen: set[str] = set()
    for q in questions:
        path, text = str(q.get("field", "")), str(q.get("question", ""))
        try:
            kind = kind_of(path)
        except PathError:
            asked.append(Question(text, path, None))
            continue
        leaf = kind.kind not in (Kind.RECORD, Kind.ROWS) and path not in seen
        seen.add(path)
        field = Input(path, kind, values.get(path, ""), tuple(by_path.get(path, ())), text) if leaf else None
        asked.append(Question(text, path, field))
    asked_paths = frozenset(q.input.path for q in asked if q.input is not None)
    others = tuple(
        Input(path, kind_of(path), value, tuple(by_path.get(path, ())), path)
        for path, value in values.items()
        if path not in laid_out and path not in asked_paths and _known(path)
    )
    shown = laid_out | asked_paths | {o.path for o in others}
    general = tuple(f"{p.field}: {p.message}" if p.field else p.message for p in problems if p.field not in shown)
    return GuidedForm(
        values=values,
        problems={k: tuple(v) for k, v in by_path.items()},
        questions=tuple(asked),
        asked=asked_paths,
        parties=parties,
        items=items,
        contents=contents,
        others=others,
        general=general,
    )


def _known(path: str) -> bool:
    try:
        kind_of(path)
    except PathError:
        return False
    return True


def form_fields(form: FormData) -> list[tuple[str, str]]:
    """The form's path/text pairs: several values of a list of codes (checkboxes) are joined; of
    anything else the last non-empty one is kept (a question answered above the same field below)."""
    joined: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key == "csrf" or not isinstance(value, str):
            continue
        joined.setdefault(key, []).append(value.strip())
    out = []
    for key, values in joined.items():
        try:
            codes = kind_of(key).kind is Kind.CODES
        except PathError:
            codes = False
        given = [v for v in values if v]
        out.append((key, ", ".join(given) if codes else (given[-1] if given else "")))
    return out


def _show(request: Request, session: Session, form: GuidedForm, status_code: int = 200) -> Response:
    return page(request, "guided.html", session, status_code=status_code, form=form)


@router.get("/check/guided")
def guided_form(request: Request, session: Signed, start: int | None = None) -> Response:
    """The empty form, or (``?start=ID``) the case of a stored determination with its open questions."""
    if start is None or not 1 <= start <= MAX_ID:
        return _show(request, session, build_form({}))
    stored = get_determination(engine_of(request), start)
    questions = stored.result.get("missing_facts") or []
    return _show(request, session, build_form(fields_of(stored.case), questions=questions))


@router.post("/check/guided")
async def guided_check(request: Request, session: Signed) -> Response:
    async with request.form(max_fields=MAX_FIELDS) as form:
        check_csrf(session, form)
        fields = form_fields(form)
    values = {path: text for path, text in fields if text}
    try:
        require(session.actor, Role.ANALYST, "checking a case")
        document, problems = document_of(fields)
        problems.extend(unstorable_text(document))
        try:  # the rest of the case is read too, so that every problem is shown at once
            case = parse_cases(document, "case")[0]
        except CaseError as error:
            problems.extend(p for p in error.errors if p.field not in {q.field for q in problems})
        if problems:
            raise CaseError(problems, "case")
        determination = workspace_of(request).determine(case)
        stored = record_determination(engine_of(request), session.actor, case, determination)
    except CaseError as error:
        return _show(request, session, build_form(values, error.errors), status_code=422)
    except EarcheckError as error:
        problem = FieldError("", str(error))
        return _show(request, session, build_form(values, (problem,)), status_code=error.status)
    return RedirectResponse(f"/determinations/{stored.id}", status_code=303)


@router.get("/check/eccns")
def eccn_suggestions(request: Request, session: Signed, q: str = "", as_of: str = "") -> Response:
    """ECCNs of the CCL in force on ``as_of`` (today when empty) whose number starts with ``q`` or whose
    heading holds it: ``[{"eccn": ..., "heading": ...}]``, at most ``MAX_SUGGESTIONS``."""
    query = q.strip()[:100].casefold()
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        return JSONResponse({"error": "the case date is not a date (YYYY-MM-DD)"}, status_code=422)
    workspace = workspace_of(request)
    if len(query) < 2 or not isinstance(workspace, CclCatalogue):
        return JSONResponse([])
    try:
        headings = workspace.eccn_headings(day)
    except EarcheckError as error:
        return JSONResponse({"error": str(error)}, status_code=error.status)
    # ECCNs that start with what was typed first, then those whose heading holds it.
    ordered = sorted(headings.items(), key=lambda e: (not e[0].casefold().startswith(query), e[0]))
    found = [
        {"eccn": code, "heading": heading}
        for code, heading in ordered
        if code.casefold().startswith(query) or (len(query) >= 3 and query in heading.casefold())
    ]
    return JSONResponse(found[:MAX_SUGGESTIONS])


@router.post("/check/party-screening")
async def party_screening(request: Request, session: Signed) -> Response:
    """Screen a party as it is typed into the form: its hits in a few words each (JSON)."""
    form = await request.form()
    check_csrf(session, form)
    name, country, as_of = (str(form.get(k) or "").strip() for k in ("name", "country", "as_of"))
    try:
        body = ScreeningIn(name=name, country=country or None, as_of=as_of or None)
    except ValidationError:
        return JSONResponse({"error": "enter a name (and a country as a two-letter code, a date as YYYY-MM-DD)"})
    try:
        result = screen(engine_of(request), workspace_of(request), session.actor, body)
    except EarcheckError as error:
        return JSONResponse({"error": str(error)}, status_code=error.status)
    hits = [
        {"name": h.name, "list": h.list_code, "band": h.band, "score": round(h.score, 2), "in_force": h.in_force}
        for h in result.hits
    ]
    return JSONResponse(
        {"hits": hits, "total": result.total, "audit_seq": result.audit_seq, "warnings": result.warnings}
    )
