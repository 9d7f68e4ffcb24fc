"""The EAR as of a date, in the browser: an ECCN's controls and a destination's Country Chart row and
Country Groups (what ``earcheck lookup eccn|country`` prints), with the table text applied, its dates
and how far it is vouched for; and the dated rules earcheck applies (``earcheck rules --as-of``).
A party is looked up on ``/screen``, the screening every determination uses."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from earcheck.api.workspace import TableSource, workspace_of
from earcheck.errors import EarcheckError
from earcheck.records.keys import Session
from earcheck.regulations.ccl import EccnStatus, eccn_status
from earcheck.regulations.country_chart import CountryStatus, country_status
from earcheck.regulations.rulebook import rule_lines, table_lines
from earcheck.web.render import page
from earcheck.web.session import signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]

MAX_QUERY = 40  # "3A001.b.2.a.1" and then some; longer is not an ECCN or a country code


def _day(text: str, problems: list[str]) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"“{text[:MAX_QUERY]}” is not a date: write it as YYYY-MM-DD")
        return date.today()


@router.get("/lookup")
def lookup_page(request: Request, session: Signed, eccn: str = "", country: str = "", as_of: str = "") -> Response:
    problems: list[str] = []
    day = _day(as_of.strip(), problems)
    eccn, country = eccn.strip()[:MAX_QUERY], country.strip()[:MAX_QUERY]
    found_eccn: EccnStatus | None = None
    found_country: CountryStatus | None = None
    workspace = workspace_of(request)
    if (eccn or country) and not problems:
        if not isinstance(workspace, TableSource):
            problems.append("The EAR tables are not loaded in this workspace.")
        else:
            try:
                tables = workspace.ear_tables(day)
                found_eccn = eccn_status(eccn, day, tables) if eccn else None
                found_country = country_status(country, day, tables) if country else None
            except (EarcheckError, ValueError) as error:
                problems.append(str(error))
    status_code = 422 if problems and (eccn or country) else 200
    return page(
        request, "lookup.html", session, status_code=status_code, query={"eccn": eccn, "country": country,
        "as_of": as_of.strip()[:MAX_QUERY]}, day=day, eccn=found_eccn, country=found_country, problems=problems,
    )  # fmt: skip


@router.get("/rules")
def rules_page(request: Request, session: Signed, as_of: str = "") -> Response:
    problems: list[str] = []
    day = _day(as_of.strip(), problems) if as_of.strip() else None
    lines = rule_lines() + table_lines()
    if day is not None and not problems:
        lines = [line for line in lines if line.in_force(day)]
    return page(
        request, "rules.html", session, status_code=422 if problems else 200, lines=lines, day=day,
        as_of=as_of.strip()[:MAX_QUERY], problems=problems,
    )  # fmt: skip
