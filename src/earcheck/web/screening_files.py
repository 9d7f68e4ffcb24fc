"""Screening a file of names from the web UI: upload a CSV, watch it go, download the result.

The file has the columns ``earcheck screen --input FILE`` reads (``id``, ``name``, optionally
``country``) and the result is what ``earcheck screen --input FILE --format csv`` writes (each row's
best hit and how many it has, ``earcheck.screening.batch.CSV_COLUMNS``), line for line. Unlike the
command line, a file with a row that cannot be screened is refused before anything is screened, with
every problem named by line and column: the file is fixed and sent again, and no result has holes.

Each name is screened as the Screen page screens one (the decisions people recorded about a hit
apply, so a cleared hit reads ``cleared``) and written to the audit log as its own screening. The
work runs in a thread of the server process; the page it answers with refreshes itself until the
file is done. A file's progress and result are kept in memory by the process that screened it, for
the key that uploaded it, and are gone after a restart (the audit rows stay).
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from earcheck.api.auth import engine_of
from earcheck.api.workspace import WorkspacePort, workspace_of
from earcheck.errors import EarcheckError, InputError, NotFound
from earcheck.records.keys import Actor, Role, Session, require
from earcheck.records.parties import text_problem
from earcheck.records.screening import record_screening, screening_algorithm
from earcheck.screening.batch import CSV_COLUMNS, BadRow, OutputFormat, Row, read_rows, result_line
from earcheck.web.render import page
from earcheck.web.session import check_csrf, signed_in

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "BadRows", "ScreeningFile", "read_file", "router"]

router = APIRouter(include_in_schema=False)
Signed = Annotated[Session, Depends(signed_in)]
log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024  # about 40,000 short rows; the command line takes any size
MAX_ROWS = 10_000  # a few minutes of screening on a small server, each name audited
MAX_PROBLEMS_SHOWN = 20
KEPT = 50  # files remembered per server process; the oldest finished one goes first


class BadRows(InputError):
    """Rows that cannot be screened, each named by its line: the file is refused as a whole."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        super().__init__(f"nothing was screened: {count} row{'s' if count != 1 else ''} cannot be screened")
        more = count - MAX_PROBLEMS_SHOWN
        self.problems = problems[:MAX_PROBLEMS_SHOWN] + ([f"and {more} more"] if more > 0 else [])


@dataclass
class ScreeningFile:
    """One uploaded file being screened: how far it is, and the result lines so far."""

    id: str
    owner: str  # the actor label of the key that uploaded it: only that key sees it
    file_name: str
    as_of: date
    rows: tuple[Row, ...]
    lines: list[str] = field(default_factory=list)
    matches: int = 0  # rows whose best hit is at the match level
    reviews: int = 0  # rows whose best hit needs a person's review
    failure: str | None = None
    finished: bool = False

    @property
    def done(self) -> int:
        return len(self.lines)

    def csv(self) -> str:
        """The result as ``earcheck screen --input FILE --format csv`` prints it."""
        return "".join(line + "\n" for line in (",".join(CSV_COLUMNS), *self.lines))


class _Files:
    """The files of one server process, by id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: OrderedDict[str, ScreeningFile] = OrderedDict()

    def add(self, job: ScreeningFile) -> None:
        with self._lock:
            while len(self._files) >= KEPT:
                oldest = next((k for k, f in self._files.items() if f.finished), None)
                if oldest is None:
                    raise InputError(f"{KEPT} files are being screened already: wait for one to finish")
                del self._files[oldest]
            self._files[job.id] = job

    def get(self, file_id: str, actor: Actor) -> ScreeningFile:
        with self._lock:
            found = self._files.get(file_id)
        # Another key's file is answered as no file at all: its names are not for this key to see.
        if found is None or found.owner != actor.label:
            raise NotFound("no such screening file (results are kept until the server restarts)")
        return found


_REGISTRY_LOCK = threading.Lock()


def _files(request: Request) -> _Files:
    with _REGISTRY_LOCK:
        found = getattr(request.app.state, "screening_files", None)
        if not isinstance(found, _Files):
            found = request.app.state.screening_files = _Files()
        return found


def _problems(rows: list[Row | BadRow], file_name: str) -> list[str]:
    """What stops the rows from being screened, in plain words by line (the column named in each)."""
    problems = []
    for row in rows:
        if isinstance(row, BadRow):
            problems.append(row.error)
        elif bad := text_problem(row.name, "name", 10_000, required=True):
            problems.append(f"{file_name}, line {row.line}: the name {bad.message}")
    return problems


def read_file(raw: bytes, file_name: str) -> tuple[Row, ...]:
    """The rows of an uploaded file; ``InputError`` naming each problem when any row is bad."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            f"{file_name} is larger than {MAX_FILE_BYTES:,} bytes: split it, or use `earcheck screen --input`"
        )
    rows: list[Row | BadRow] = []
    for row in read_rows(io.BytesIO(raw), file_name):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise InputError(f"{file_name} has more than {MAX_ROWS:,} rows: split it, or use `earcheck screen --input`")
    if problems := _problems(rows, file_name):
        raise BadRows(problems)
    good = tuple(row for row in rows if isinstance(row, Row))
    if not good:
        raise InputError(f"{file_name} has a header but no rows to screen")
    return good


def _screen_file(job: ScreeningFile, engine: sa.Engine, workspace: WorkspacePort, actor: Actor) -> None:
    """Screen and audit every row of ``job`` in turn (run in a thread)."""
    try:
        basis = workspace.list_basis(job.as_of)
        algorithm = screening_algorithm(getattr(workspace, "screener", None))
        for row in job.rows:
            hits = list(workspace.screen(row.name, row.country, job.as_of))
            record_screening(engine, actor, row.name, row.country, job.as_of, hits, basis, algorithm)
            band = hits[0].band.value if hits else None
            job.matches += band == "match"
            job.reviews += band == "review"
            job.lines.append(result_line(row, hits, OutputFormat.CSV))
    except EarcheckError as error:
        job.failure = f"stopped at line {job.rows[job.done].line}: {error}"
    except Exception:
        log.exception("screening file %s failed", job.id)
        job.failure = f"stopped at line {job.rows[job.done].line}: an internal error (the server log has it)"
    finally:
        job.finished = True


def _form(request: Request, session: Session, status_code: int = 200, error: EarcheckError | None = None) -> Response:
    return page(
        request, "screen_file.html", session, status_code=status_code, job=None,
        error=str(error) if error else None, problems=error.problems if isinstance(error, BadRows) else [],
        max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES,
    )  # fmt: skip


@router.get("/screen/file")
def file_form(request: Request, session: Signed) -> Response:
    return _form(request, session)


@router.post("/screen/file")
async def upload_file(request: Request, session: Signed) -> Response:
    async with request.form() as form:
        check_csrf(session, form)
        upload, as_of_text = form.get("file"), str(form.get("as_of") or "").strip()
        try:
            require(session.actor, Role.ANALYST, "screening a file of names")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InputError("choose a CSV file with the columns id,name and optionally country")
            file_name = upload.filename[:200]
            try:
                as_of = date.fromisoformat(as_of_text) if as_of_text else date.today()
            except ValueError:
                raise InputError(f"the date {as_of_text[:40]!r} is not a date: write it YYYY-MM-DD") from None
            rows = read_file(await upload.read(MAX_FILE_BYTES + 1), file_name)
            workspace = workspace_of(request)
            workspace.list_basis(as_of)  # no lists loaded: said now, not after the first row
        except EarcheckError as error:
            return _form(request, session, status_code=error.status, error=error)
    job = ScreeningFile(secrets.token_urlsafe(16), session.actor.label, file_name, as_of, rows)
    try:
        _files(request).add(job)
    except InputError as error:
        return _form(request, session, status_code=429, error=error)
    worker = threading.Thread(
        target=_screen_file, args=(job, engine_of(request), workspace, session.actor), daemon=True, name="screen-file"
    )
    worker.start()
    return Response(status_code=303, headers={"Location": f"/screen/file/{job.id}"})


FileId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.get("/screen/file/{file_id}")
def file_progress(request: Request, session: Signed, file_id: FileId) -> Response:
    job = _files(request).get(file_id, session.actor)
    return page(
        request,
        "screen_file.html",
        session,
        job=job,
        error=None,
        problems=[],
        max_rows=MAX_ROWS,
        max_bytes=MAX_FILE_BYTES,
    )


def _download_name(file_name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", file_name.rsplit(".", 1)[0]).strip("-.")[:80]
    return f"{stem or 'names'}-screened.csv"


@router.get("/screen/file/{file_id}/result.csv")
def file_result(request: Request, session: Signed, file_id: FileId) -> Response:
    job = _files(request).get(file_id, session.actor)
    if not job.finished or job.failure is not None:
        raise NotFound("the result is not ready: the file is still being screened, or it stopped")
    return Response(
        job.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_download_name(job.file_name)}"'},
    )
