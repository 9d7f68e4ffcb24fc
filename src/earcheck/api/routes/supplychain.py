"""Supply chains over HTTP: bills of materials and their rollup, and impact scenarios as jobs.

A BOM is uploaded as the body (CSV, or XLSX with its content type) and kept by content address; its rollup
is read for a destination and date. An impact analysis over a portfolio runs as a job in the background:
``POST /api/impact/jobs`` answers at once with the job, ``GET`` on it reports progress (cases done of the
total) and, when finished, the summary and the changed rows. Jobs live in the process (not the database):
they are results to collect, and a restart loses only what can be run again.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from earcheck.api.auth import needs
from earcheck.api.routes.screening import Workspace
from earcheck.casefile import determination_json, parse_cases
from earcheck.errors import CaseError, FieldError, NoData, NotFound
from earcheck.records.keys import Actor, Role
from earcheck.supplychain.bom import read_bom
from earcheck.supplychain.bom_store import BomStore
from earcheck.supplychain.impact import ImpactRow, impact, summarise
from earcheck.supplychain.scenario import parse_scenario

router = APIRouter(tags=["supply chains"])

MAX_JOB_CASES = 200_000


def _boms(workspace: object) -> BomStore:
    store = getattr(workspace, "boms", None)
    if not isinstance(store, BomStore):
        raise NoData("this server keeps no bills of materials (its workspace has no BOM store)")
    return store


@router.post("/boms", status_code=status.HTTP_201_CREATED)
async def post_bom(
    request: Request,
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],
    workspace: Workspace,
) -> dict[str, Any]:
    """Import a bill of materials (body: CSV in the native header, or an XLSX workbook with content type
    ``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``). Every problem is listed by row
    and column (422); nothing is kept unless the whole BOM reads."""
    store = _boms(workspace)
    body = await request.body()
    xlsx = "spreadsheetml" in request.headers.get("content-type", "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("bom.xlsx" if xlsx else "bom.csv")
        path.write_bytes(body)
        bom = read_bom(path)
    bom_id = store.save(bom)
    return {"id": bom_id, "lines": len(bom.lines), "top": bom.top.part, "imported_by": actor.name}


@router.get("/boms/{bom_id}/rollup")
def get_rollup(
    bom_id: str,
    actor: Annotated[Actor, Depends(needs(Role.VIEWER))],
    workspace: Workspace,
    destination: Annotated[str, Query(min_length=2, max_length=2)],
    as_of: date | None = None,
) -> dict[str, Any]:
    """The de minimis rollup of an imported BOM for a destination on a date (the engine's answer, line by
    line, with the margin to the level and the questions for suppliers)."""
    store = _boms(workspace)
    bom = store.load(bom_id)
    document: dict[str, Any] = {"destination": destination, "items": [{"id": bom.top.part, "bom": bom_id}]}
    if as_of is not None:
        document["as_of"] = as_of
    answer = workspace.determine(parse_cases(document, "query")[0])
    # The determination's own JSON form: a rollup's lines are a lazy sequence, which jsonable_encoder cannot read.
    result: dict[str, Any] = determination_json(answer)["rollups"][0]
    return result


class ImpactJobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(description="a scenario as in `earcheck schema scenario`")
    portfolio: list[dict[str, Any]] = Field(description="cases as in `earcheck schema case`", max_length=MAX_JOB_CASES)


@dataclasses.dataclass
class _Job:
    id: str
    total: int
    owner: str
    done: int = 0
    state: str = "running"
    error: str | None = None
    rows: list[ImpactRow] = dataclasses.field(default_factory=list)


_JOBS: dict[str, _Job] = {}
_LOCK = threading.Lock()


def _job_out(job: _Job, rows: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": job.id, "state": job.state, "done": job.done, "total": job.total}
    if job.error:
        out["error"] = job.error
    if job.state == "finished":
        out["summary"] = dataclasses.asdict(summarise(job.rows))
        if rows:
            out["rows"] = jsonable_encoder([r for r in job.rows if r.changed])
    return out


@router.post("/impact/jobs", status_code=status.HTTP_202_ACCEPTED)
def post_impact_job(
    body: ImpactJobIn,
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],
    workspace: Workspace,
) -> dict[str, Any]:
    """Start an impact analysis of ``portfolio`` under ``scenario``; poll ``GET /api/impact/jobs/{id}``."""
    scenario = parse_scenario(body.scenario, "scenario")
    problems: list[FieldError] = []
    cases = []
    for index, document in enumerate(body.portfolio):
        try:
            cases.extend(parse_cases(document, f"portfolio[{index}]"))
        except CaseError as error:
            problems.extend(FieldError(f"portfolio[{index}].{e.field}", e.message) for e in error.errors)
    if problems:
        raise CaseError(problems, "portfolio")
    context_for = getattr(workspace, "context", None)
    if not callable(context_for):
        raise NoData("this server's workspace cannot run impact analyses")
    job = _Job(uuid.uuid4().hex, len(cases), actor.name)
    with _LOCK:
        _JOBS[job.id] = job

    def run() -> None:
        try:
            for row in impact(cases, scenario, context_for, date.today()):
                job.rows.append(row)
                job.done += 1
            job.state = "finished"
        except Exception as error:  # a job reports its failure instead of dying silently in its thread
            job.state, job.error = "failed", str(error)

    threading.Thread(target=run, name=f"impact-{job.id[:8]}", daemon=True).start()
    return _job_out(job, rows=False)


@router.get("/impact/jobs/{job_id}")
def get_impact_job(
    job_id: str,
    actor: Annotated[Actor, Depends(needs(Role.VIEWER))],
) -> dict[str, Any]:
    """Progress of an impact job; when finished, its summary (re-evaluated, skipped and why, changed) and
    the rows whose answer or review policy changes."""
    with _LOCK:
        job = _JOBS.get(job_id)
    if job is None:
        raise NotFound(f"no impact job {job_id}")
    return _job_out(job, rows=True)
