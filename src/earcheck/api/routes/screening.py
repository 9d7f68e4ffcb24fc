"""Screening a name, the decisions reviewers make about hits, and browsing the lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, status
from starlette.responses import Response

from earcheck.api.auth import engine_of, needs
from earcheck.api.models import MAX_ID, Name, Storable, json_response
from earcheck.api.paging import Cursor, Limit, Listing, decode_cursor, encode_cursor, listing
from earcheck.api.screening import (
    DecisionIn,
    DecisionOut,
    EntryOut,
    HitOut,
    ListSnapshotOut,
    ScreeningIn,
    ScreeningOut,
)
from earcheck.api.workspace import WorkspacePort, catalogue, decisions_recorded, workspace_of
from earcheck.errors import NotFound
from earcheck.lists import Hit, ListCode
from earcheck.records.keys import Actor, Role
from earcheck.records.screening import (
    confirm_decision,
    entry_fingerprint,
    list_decisions,
    record_decision,
    record_screening,
    review,
    screen_all,
    screening_algorithm,
)

router = APIRouter(tags=["screening"])

Engine = Annotated[sa.Engine, Depends(engine_of)]


Workspace = Annotated[WorkspacePort, Depends(workspace_of)]


def screen(engine: sa.Engine, workspace: WorkspacePort, actor: Actor, body: ScreeningIn) -> ScreeningOut:
    """Screen, attach what reviewers decided about each hit, and audit the screening with every hit
    found; answer with the page of hits the body asks for (``offset``, ``limit``) and their total."""
    as_of = body.as_of or date.today()
    hits = list(screen_all(workspace, body.name, body.country, as_of))
    fingerprints = [entry_fingerprint(h.entry) for h in hits]
    reviews = review(engine, body.name, [(h.entry.list_id, f) for h, f in zip(hits, fingerprints, strict=True)])
    basis = workspace.list_basis(as_of)
    algorithm = screening_algorithm(getattr(workspace, "screener", None))
    entry = record_screening(engine, actor, body.name, body.country, as_of, hits, basis, algorithm, fingerprints)
    shown = slice(body.offset, body.offset + body.limit)
    return ScreeningOut(
        name=body.name,
        country=body.country,
        as_of=as_of,
        hits=[
            HitOut.of(h, f, reviews.get(h.entry.list_id)) for h, f in zip(hits[shown], fingerprints[shown], strict=True)
        ],
        total=len(hits),
        offset=body.offset,
        lists=[ListSnapshotOut.model_validate(s) for s in basis.snapshots],
        warnings=list(basis.warnings),
        audit_seq=entry.seq,
    )


@router.post("/screenings", status_code=status.HTTP_200_OK, response_model=ScreeningOut)
def post_screening(
    body: ScreeningIn,
    engine: Engine,
    workspace: Workspace,
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],
) -> Response:
    """Screen one name against every list, as in force on ``as_of``. Each hit says which name or alias
    matched, the score of each feature, whether the entry was in force, its licence requirement and
    policy, and what reviewers have decided about it. ``total`` says how many hits the name has; ``hits``
    holds the best ``limit`` of them (default 10) after skipping ``offset``. The screening, with every
    hit, is written to the audit log."""
    return json_response(screen(engine, workspace, actor, body))


@router.post("/screening-decisions", status_code=status.HTTP_201_CREATED, response_model=DecisionOut)
def post_decision(
    body: DecisionIn,
    engine: Engine,
    workspace: Workspace,
    actor: Annotated[Actor, Depends(needs(Role.ANALYST))],
) -> DecisionOut:
    """Record a reviewer's decision about a hit: a false positive, or a true match, and why. It applies
    to the entry as fingerprinted (``entry_sha256`` from the hit); a changed entry is raised again.

    The name is screened again (with ``country``, on ``as_of``) to find the hit: a false positive on a hit
    at the match level is kept as *pending* and changes nothing until another person, with the approver
    role, confirms it (``POST /screening-decisions/{id}/confirm``)."""
    decision = record_decision(
        engine,
        actor,
        party_name=body.party_name,
        list_id=body.list_id,
        entry_sha256=body.entry_sha256,
        entry_name=body.entry_name,
        verdict=body.verdict,
        reason=body.reason,
        found=find_hit(workspace, body.party_name, body.country, body.as_of, body.list_id),
    )
    decisions_recorded(workspace)
    return DecisionOut.model_validate(decision)


def find_hit(workspace: WorkspacePort, name: str, country: str | None, as_of: date | None, list_id: str) -> Hit:
    """The hit on ``list_id`` that screening ``name`` finds now; ``NotFound`` when there is none."""
    day = as_of or date.today()
    found = next((h for h in screen_all(workspace, name, country, day) if h.entry.list_id == list_id), None)
    if found is None:
        raise NotFound(f"{name!r} does not match list entry {list_id!r} on the lists of {day}: screen it again")
    return found


@router.post("/screening-decisions/{decision_id}/confirm", response_model=DecisionOut)
def post_confirmation(
    decision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    engine: Engine,
    workspace: Workspace,
    actor: Annotated[Actor, Depends(needs(Role.APPROVER))],
) -> DecisionOut:
    """Confirm a false-positive decision as the second person (maker-checker): another key than the
    one that recorded it, of role approver or above. From then on the hit is cleared."""
    decision = confirm_decision(engine, actor, decision_id)
    decisions_recorded(workspace)
    return DecisionOut.model_validate(decision)


@router.get("/screening-decisions", response_model=Listing[DecisionOut])
def get_decisions(
    engine: Engine,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
    party_name: Annotated[Name | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[DecisionOut]:
    """Screening decisions, newest first, optionally about one party name."""
    page = list_decisions(engine, decode_cursor(cursor), limit, party_name)
    return listing(page, DecisionOut.model_validate)


@router.get("/lists", tags=["lists"])
def get_lists(workspace: Workspace, _: Annotated[Actor, Depends(needs(Role.VIEWER))]) -> list[dict[str, object]]:
    """The lists loaded, with their snapshot and how many entries each has."""
    return [
        {
            "code": s.code.value,
            "source": s.source,
            "entries": s.entries,
            "snapshot": s.snapshot,
            "snapshot_date": s.snapshot_date.isoformat(),
        }
        for s in catalogue(workspace).list_summaries()
    ]


@router.get("/lists/{code}/entries", tags=["lists"], response_model=Listing[EntryOut])
def get_list_entries(
    code: ListCode,
    workspace: Workspace,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Listing[EntryOut]:
    """One list's entries, in the order of their source file."""
    offset = decode_cursor(cursor) or 0
    entries = list(catalogue(workspace).list_entries(code, offset, limit + 1))
    more = len(entries) > limit
    return Listing(
        items=[EntryOut.model_validate(e) for e in entries[:limit]],
        next_cursor=encode_cursor(offset + limit if more else None),
    )


@router.get("/entries/{list_id}", tags=["lists"], response_model=EntryOut)
def get_entry(
    list_id: Annotated[Storable, Path(min_length=1, max_length=200)],
    workspace: Workspace,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
) -> EntryOut:
    """One entry, by its identifier in its source file (the CSL ``_id``, the SDN ``ent_num``)."""
    entry = catalogue(workspace).get_entry(list_id)
    if entry is None:
        raise NotFound(f"no list entry {list_id!r}")
    return EntryOut.model_validate(entry)


@router.get(
    "/screenings/{seq}/certificate.{fmt}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/html": {}}}},
)
def get_certificate(
    engine: Engine,
    _: Annotated[Actor, Depends(needs(Role.VIEWER))],
    seq: Annotated[int, Path(ge=1, le=MAX_ID)],
    fmt: Annotated[str, Path(pattern="^(html|pdf)$")],
) -> Response:
    """The screening certificate (HTML or PDF) of the screening the audit row ``seq`` recorded (the
    ``audit_seq`` a screening answers with): query, every hit, list snapshots, algorithm, hashes."""
    from earcheck.web.determinations import evidence_response  # the templates load only when asked for

    return evidence_response(engine, seq, fmt)
