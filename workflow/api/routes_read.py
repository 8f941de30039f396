"""What anyone may read (what open government publishes), and the auditor's reads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from definitions.messages import deployment_locale, say
from storage import audit, queries, schedule
from storage.tokens import Identity
from workflow.api.auth import READERS, require
from workflow.api.problems import ApiProblem, documented_errors
from workflow.domain.clock import local_iso, parse_moment
from workflow.domain.failures import invalid, not_found
from workflow.reads import ogp_report, show_plan
from workflow.views.plan import commitments_view, plan_view

router = APIRouter(responses=documented_errors())
Reader = Annotated[Identity, Depends(require(*READERS))]
HISTORY_FIELDS = ("trigger", "from", "into", "response", "fields", "channel", "mesa",
                  "supports", "received_at")
PUBLIC_FIELDS = ("proposal_id", "plan_id", "number", "title", "body", "channel", "mesa",
                 "state", "version", "response", "merged_into", "submitted_at", "updated_at",
                 "fields", "supports")


@router.get("/health", tags=["servicio"])
def health() -> dict[str, str]:
    """Say the process is up."""
    return {"status": "ok"}


@router.get("/ready", tags=["servicio"])
def ready(request: Request) -> dict[str, str]:
    """Check that the database answers (503 when it does not)."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ApiProblem(503, "base-de-datos", say(deployment_locale(), "error.database",
                                                   detail=type(exc).__name__)) from exc
    return {"status": "ready"}


@router.get("/plans", tags=["planes"])
def plans(request: Request) -> list[dict[str, Any]]:
    """List every plan: id, title, definition, version, proposal count."""
    return queries.list_plans(request.app.state.engine)


@router.get("/plans/{plan}", tags=["planes"])
def plan(request: Request, plan: str) -> JSONResponse:
    """Show a plan: phases with dates and status, decisions and votes, committee, counts."""
    view = show_plan(request.app.state.engine, plan)
    return JSONResponse(view, headers={"ETag": f'"{view["version"]}"'})


@router.get("/plans/{plan}/proposals", tags=["propuestas"])
def proposals(request: Request, plan: str,
              state: Annotated[str | None, Query(max_length=64)] = None,
              channel: Annotated[str | None, Query(max_length=64)] = None,
              mesa: Annotated[int | None, Query(ge=1, le=1000)] = None,
              after: Annotated[int, Query(ge=0, le=10**9)] = 0,
              limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """List a page of a plan's proposals (public fields) by number; ``next`` is the cursor."""
    filters = {"state": state, "channel": channel, "mesa": mesa}
    _, rows, following = queries.page_proposals(request.app.state.engine, plan, filters,
                                                after, limit)
    return {"items": [_public(row) for row in rows], "next": following}


@router.get("/plans/{plan}/deadlines", tags=["planes"])
def deadlines(request: Request, plan: str) -> list[dict[str, Any]]:
    """List a plan's deadlines: phase, kind, when due (local time), status and outcome."""
    engine = request.app.state.engine
    tz = queries.load_plan(engine, plan).state.definition.timezone
    return [{"id": row["deadline_id"], "phase": row["phase_id"], "kind": row["kind"],
             "days": row["days"], "due_at": local_iso(row["due_at"], tz), "status": row["status"],
             "fired_at": local_iso(row["fired_at"], tz), "outcome": row["outcome"]}
            for row in schedule.deadline_rows(engine, plan)]


@router.get("/proposals/{proposal}", tags=["propuestas"])
def proposal(request: Request, proposal: str) -> JSONResponse:
    """Show a proposal's public fields, its history and the commitments it fed.

    Each step of the history says when it happened and holds its response.

    An imported proposal has its ``origin``: the platform, its host, the proposal's id,
    reference and address there, and what that platform said of it (``information``:
    its own state and answer, as HTML, its supports, endorsements and comments), kept as
    information, never as the proposal's state here. Any other has ``origin: null``.
    """
    row, history, tz = queries.proposal_detail(request.app.state.engine, proposal)
    steps = [{"version": e["version"], "type": e["type"],
              "at": local_iso(dt.datetime.fromisoformat(e["occurred_at"]), tz),
              **{k: v for k, v in e["data"].items() if k in HISTORY_FIELDS}} for e in history]
    fed = queries.proposal_commitments(request.app.state.engine, proposal)
    return JSONResponse({**_public(row), "origin": row["origin"], "history": steps,
                         "commitments": fed},
                        headers={"ETag": f'"{row["version"]}"'})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in PUBLIC_FIELDS}


@router.get("/plans/{plan}/events", tags=["auditoría"])
def events(request: Request, plan: str, who: Reader,
           after: Annotated[int, Query(ge=0, le=10**12)] = 0,
           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """List a page of the plan's events after position ``after``; ``next`` is the cursor."""
    items, following = queries.events_page(request.app.state.engine, plan, after, limit)
    return {"items": items, "next": following}


@router.get("/plans/{plan}/state", tags=["auditoría"])
def state(request: Request, plan: str, who: Reader,
          as_of: Annotated[str, Query(max_length=64)]) -> dict[str, Any]:
    """Rebuild the plan as it was at a moment (ISO date or date-time; local if no offset).

    Any moment ISO 8601 can write is an answer: one past every recorded event
    (9999-12-31) is the state now, one before the plan existed a 404.
    """
    engine = request.app.state.engine
    current = queries.load_plan(engine, plan)
    try:
        moment = parse_moment(as_of, current.state.definition.timezone)
    except ValueError as exc:
        raise invalid(current.locale, "as_of", "cli.bad_moment", value=as_of) from exc
    rebuilt = audit.replay_as_of(engine, plan, moment)
    if plan not in rebuilt.plans:
        raise not_found(current.locale, "plan", plan)
    return {**plan_view(rebuilt.plans[plan], rebuilt.counts(plan)),
            "commitments": commitments_view(rebuilt.commitments.values(), plan,
                                            current.state.definition.timezone),
            "as_of": moment.isoformat()}


@router.get("/plans/{plan}/ogp", tags=["planes"])
def ogp(request: Request, plan: str,
        as_of: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """Say, rule by rule, which of OGP's minimum requirements the plan meets, with evidence.

    As of now, or of an earlier moment (``as_of``, as in ``/state``); anyone may read it.
    """
    engine = request.app.state.engine
    current = queries.load_plan(engine, plan)
    now = request.app.state.clock()
    try:
        moment = min(parse_moment(as_of, current.state.definition.timezone), now) if as_of \
            else now
    except ValueError as exc:
        raise invalid(current.locale, "as_of", "cli.bad_moment", value=as_of) from exc
    return ogp_report(engine, plan, moment)


@router.get("/verify", tags=["auditoría"])
def verify(request: Request, who: Reader) -> dict[str, Any]:
    """Verify the whole log: chain, legal replay, projections, deadlines."""
    report = audit.verify(request.app.state.engine)
    finding = None if report.finding is None else {"position": report.finding.position,
                                                   "message": report.finding.message}
    return {"ok": report.ok, "events": report.events, "plans": report.plans,
            "proposals": report.proposals,
            "head": {"position": report.head.position, "hash": report.head.hash},
            "finding": finding}


@router.get("/digest", tags=["auditoría"])
def digest(request: Request, who: Reader) -> dict[str, Any]:
    """Return the log's head (position and hash), for auditors to keep outside."""
    head = audit.digest(request.app.state.engine)
    return {"position": head.position, "hash": head.hash}
