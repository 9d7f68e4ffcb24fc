"""Supply chains in the UI: upload a BOM and see its de minimis rollup as a tree with the threshold bar;
upload a portfolio and a scenario and see what changes, with a chart."""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from earcheck.api.workspace import workspace_of
from earcheck.casefile import parse_cases
from earcheck.errors import EarcheckError
from earcheck.model import Rollup, RollupLine
from earcheck.records.keys import Role, Session, require
from earcheck.supplychain.bom import read_bom
from earcheck.supplychain.bom_store import BomStore
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

router = APIRouter(include_in_schema=False)
Signed = Annotated[Session, Depends(signed_in)]
MAX_UPLOAD = 20 * 1024 * 1024


def tree(result: Rollup) -> list[dict[str, Any]]:
    """The rollup's lines nested by their path, for the template (children under their parent)."""
    roots: list[dict[str, Any]] = []
    nodes: dict[tuple[str, ...], dict[str, Any]] = {}
    for line in result.lines:
        node: dict[str, Any] = {"line": line, "children": []}
        nodes[line.path] = node
        parent = nodes.get(line.path[:-1])
        (parent["children"] if parent else roots).append(node)
    return roots


def _flat(nodes: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[int, RollupLine]]:
    for node in nodes:
        yield depth, node["line"]
        yield from _flat(node["children"], depth + 1)


async def _upload(form: Any, name: str, suffix: str, folder: Path) -> Path | None:
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    raw = await upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise EarcheckError(f"{upload.filename}: larger than {MAX_UPLOAD:,} bytes")
    path = folder / f"{name}{Path(upload.filename).suffix.lower() or suffix}"
    path.write_bytes(raw)
    return path


@router.get("/boms")
def bom_form(request: Request, session: Signed) -> Response:
    return page(request, "bom.html", session, result=None, error=None, destination="", as_of="")


@router.post("/boms")
async def bom_rollup(request: Request, session: Signed) -> Response:
    async with request.form() as form:
        check_csrf(session, form)
        destination = str(form.get("destination") or "").strip()
        as_of = str(form.get("as_of") or "").strip()
        try:
            require(session.actor, Role.ANALYST, "importing a bill of materials")
            with tempfile.TemporaryDirectory() as folder:
                path = await _upload(form, "file", ".csv", Path(folder))
                if path is None:
                    raise EarcheckError("choose a BOM file (CSV or XLSX)")
                bom = read_bom(path)
            workspace = workspace_of(request)
            store = getattr(workspace, "boms", None)
            if not isinstance(store, BomStore):
                raise EarcheckError("this server keeps no bills of materials")
            bom_id = store.save(bom)
            document: dict[str, Any] = {"destination": destination, "items": [{"id": bom.top.part, "bom": bom_id}]}
            if as_of:
                document["as_of"] = as_of
            result = workspace.determine(parse_cases(document, "form")[0]).rollups[0]
        except EarcheckError as error:
            status = getattr(error, "status", 422)
            return page(request, "bom.html", session, status_code=status if status < 500 else 422, result=None,
                        error=str(error), destination=destination, as_of=as_of)  # fmt: skip
    return page(
        request, "bom.html", session, result=result, rows=list(_flat(tree(result))), error=None,
        destination=destination, as_of=as_of,
    )  # fmt: skip


@router.get("/impact")
def impact_form(request: Request, session: Signed) -> Response:
    return page(request, "impact.html", session, summary=None, rows=(), chart=None, error=None)


@router.post("/impact")
async def impact_run(request: Request, session: Signed) -> Response:
    from earcheck.cli.impact import draw_impact
    from earcheck.supplychain.impact import impact, summarise
    from earcheck.supplychain.portfolio import read_portfolio
    from earcheck.supplychain.scenario import read_scenario

    async with request.form() as form:
        check_csrf(session, form)
        try:
            require(session.actor, Role.ANALYST, "running an impact scenario")
            with tempfile.TemporaryDirectory() as folder:
                portfolio = await _upload(form, "portfolio", ".jsonl", Path(folder))
                scenario_file = await _upload(form, "scenario", ".yaml", Path(folder))
                if portfolio is None or scenario_file is None:
                    raise EarcheckError("choose a portfolio (JSON Lines or Parquet) and a scenario (YAML)")
                scenario = read_scenario(scenario_file)
                context_for = getattr(workspace_of(request), "context", None)
                if not callable(context_for):
                    raise EarcheckError("this server's workspace cannot run impact analyses")
                rows = list(impact(read_portfolio(portfolio), scenario, context_for, date.today()))
        except EarcheckError as error:
            return page(request, "impact.html", session, status_code=422, summary=None, rows=(), chart=None,
                        error=str(error))  # fmt: skip
    summary = summarise(rows)
    png = io.BytesIO()
    draw_impact(rows, summary, png)
    chart = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    return page(
        request, "impact.html", session, scenario=scenario, summary=summary, rows=[r for r in rows if r.changed],
        chart=chart, error=None,
    )  # fmt: skip
