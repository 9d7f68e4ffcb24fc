"""Checking a case in the UI: enter or upload it, see the determination as a chain of findings with
citations and the questions that would settle what is unknown, and its timeline."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Path, Request
from fastapi.encoders import jsonable_encoder
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from earcheck.api.auth import engine_of
from earcheck.api.bodies import unstorable_text
from earcheck.api.models import MAX_ID
from earcheck.api.workspace import workspace_of
from earcheck.casefile import load_document, parse_cases
from earcheck.errors import CaseError, EarcheckError, FieldError
from earcheck.records.determinations import get_determination, list_determinations, record_determination
from earcheck.records.keys import Role, Session, require
from earcheck.web.charts import intervals_of, layout
from earcheck.web.reading import read
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
DeterminationId = Annotated[int, Path(ge=1, le=MAX_ID)]

MAX_CASE_TEXT = 2 * 1024 * 1024


def example_case() -> str:
    return resources.files("earcheck.examples").joinpath("smic-huawei.yaml").read_text(encoding="utf-8")


@router.get("/check")
def check_form(request: Request, session: Signed, example: bool = False, edit: int | None = None) -> Response:
    text = example_case() if example else ""
    if edit is not None and 1 <= edit <= MAX_ID:
        stored = get_determination(engine_of(request), edit)
        text = yaml.safe_dump(stored.case, sort_keys=False, allow_unicode=True)
    recent = list_determinations(engine_of(request), limit=10).items
    return page(request, "check.html", session, text=text, problems=(), error=None, recent=recent)


@router.post("/check")
async def check_case(request: Request, session: Signed) -> Response:
    # ``async with`` closes an uploaded file's temporary storage when the form is done with.
    async with request.form() as form:
        check_csrf(session, form)
        upload, text = form.get("file"), form.get("case")
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read(MAX_CASE_TEXT + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems = (FieldError("", "the file is not UTF-8 text"),)
                return page(
                    request, "check.html", session, status_code=422, text="", problems=problems, error=None,
                    recent=(),
                )  # fmt: skip
    text = text if isinstance(text, str) else ""
    try:
        require(session.actor, Role.ANALYST, "checking a case")
        if len(text) > MAX_CASE_TEXT:
            raise CaseError([FieldError("", f"the case is larger than {MAX_CASE_TEXT:,} characters")], "case")
        document = load_document(text, "case", aliases=False)
        if isinstance(document, list):
            raise CaseError([FieldError("", "check one case at a time here (the API and CLI take lists)")], "case")
        if bad := unstorable_text(document):
            raise CaseError(bad, "case")
        case = parse_cases(document, "case")[0]
        determination = workspace_of(request).determine(case)
        stored = record_determination(engine_of(request), session.actor, case, determination)
    except CaseError as error:
        return page(
            request,
            "check.html",
            session,
            status_code=422,
            text=text,
            problems=error.errors,
            error=None,
            recent=(),
        )
    except EarcheckError as error:
        return page(
            request,
            "check.html",
            session,
            status_code=error.status,
            text=text,
            problems=(),
            error=str(error),
            recent=(),
        )
    return RedirectResponse(f"/determinations/{stored.id}", status_code=303)


@router.get("/determinations/{determination_id}")
def determination_page(request: Request, session: Signed, determination_id: DeterminationId) -> Response:
    stored = get_determination(engine_of(request), determination_id)
    return page(
        request,
        "determination.html",
        session,
        stored=stored,
        result=stored.result,
        reading=read(stored.result),
        case_yaml=yaml.safe_dump(stored.case, sort_keys=False, allow_unicode=True),
    )


@router.get("/determinations/{determination_id}/timeline")
def timeline_page(request: Request, session: Signed, determination_id: DeterminationId) -> Response:
    stored = get_determination(engine_of(request), determination_id)
    require(session.actor, Role.ANALYST, "computing a timeline")
    case = parse_cases(stored.case, f"determination {determination_id}")[0]
    timeline = jsonable_encoder(workspace_of(request).timeline(case))
    rows = intervals_of(timeline)
    chart = layout(rows, date.today()) if rows else None
    return page(
        request,
        "timeline.html",
        session,
        stored=stored,
        chart=chart,
        raw=None if chart else json.dumps(timeline, indent=2, ensure_ascii=False),
    )
