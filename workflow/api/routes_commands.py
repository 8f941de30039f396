"""Commands: every POST that changes a plan or a proposal, each one service call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from definitions.messages import deployment_locale, say
from definitions.schema import Definition
from storage.tokens import Identity
from workflow.api import bodies
from workflow.api.auth import STAFF, actor_of, require
from workflow.api.problems import ApiProblem, documented_errors
from workflow.api.replies import Reply, answer, created, expected_version, handle
from workflow.commands import (
    AddMember,
    CastVote,
    ClosePhase,
    CompleteActivity,
    CreatePlan,
    ExtendPhase,
    FireTrigger,
    OpenPhase,
    RecordMeeting,
    SubmitProposal,
    SupportProposal,
)
from workflow.domain.errors import DefinitionError, NotFound, Problem
from workflow.domain.events import RecordedEvent
from workflow.library import Library

router = APIRouter(responses=documented_errors())
Staff = Annotated[Identity, Depends(require(*STAFF))]


def _moved(plan: str, recorded: list[RecordedEvent]) -> Reply:
    version = recorded[-1].event.version if recorded else 0
    events = [{"position": r.position, "type": r.type, "stream": r.event.stream_id}
              for r in recorded]
    return Reply(200, {"plan": plan, "events": events}, {"ETag": f'"{version}"'})


@router.post("/plans", status_code=201, tags=["planes"])
def create_plan(request: Request, body: bodies.NewPlan, who: Staff) -> Response:
    """Create a plan from a definition, ``ID`` (its newest version) or ``ID@VERSION``.

    ``shift_to`` moves its first day. The plan pins that version whole: adding a newer
    one later changes nothing for it.
    """

    def run() -> Reply:
        definition = _definition(request, body.definition)
        plan = handle(request, CreatePlan(definition, actor_of(who), body.id, body.shift_to))
        return created({"plan": plan}, f"/plans/{plan}")

    return answer(request, who, body, run)


def _definition(request: Request, name: str) -> Definition:
    """Return the definition a new plan names (never a file on the server).

    A name the library does not hold is a definition that is not valid (422), its one
    problem listing the definitions there are.
    """
    try:
        return Library(request.app.state.engine, files=False).find(name).definition
    except NotFound as error:
        raise DefinitionError(name, [Problem("", None, str(error))], error.locale) from error


@router.post("/plans/{plan}/phases/{phase}/open", tags=["fases"])
def open_phase(request: Request, plan: str, phase: str, body: bodies.Reason,
               who: Staff) -> Response:
    """Open a phase by hand (its opening conditions must hold), with the reason."""
    return _move_phase(request, plan, phase, "open", body, who)


@router.post("/plans/{plan}/phases/{phase}/close", tags=["fases"])
def close_phase(request: Request, plan: str, phase: str, body: bodies.Reason,
                who: Staff) -> Response:
    """Close a phase by hand (its closing conditions must hold), with the reason."""
    return _move_phase(request, plan, phase, "close", body, who)


def _move_phase(request: Request, plan: str, phase: str, move: str, body: bodies.Reason,
                who: Identity) -> Response:
    def run() -> Reply:
        kind = OpenPhase if move == "open" else ClosePhase
        command = kind(plan, phase, body.reason, actor_of(who), expected_version(request))
        return _moved(plan, handle(request, command))

    return answer(request, who, body, run)


@router.post("/plans/{plan}/phases/{phase}/extend", tags=["fases"])
def extend_phase(request: Request, plan: str, phase: str, body: bodies.Extension,
                 who: Staff) -> Response:
    """Extend a phase to a new last day (a prórroga), with the reason."""

    def run() -> Reply:
        recorded = handle(request, ExtendPhase(plan, phase, body.until, body.reason,
                                               actor_of(who), expected_version(request)))
        return _moved(plan, recorded)

    return answer(request, who, body, run)


@router.post("/plans/{plan}/activities/{activity}/done", tags=["fases"])
def activity_done(request: Request, plan: str, activity: str, body: bodies.Evidence,
                  who: Staff) -> Response:
    """Mark an activity done, with its evidence."""

    def run() -> Reply:
        recorded = handle(request, CompleteActivity(plan, activity, body.evidence,
                                                    actor_of(who), expected_version(request)))
        return _moved(plan, recorded)

    return answer(request, who, body, run)


@router.post("/plans/{plan}/meetings", status_code=201, tags=["comité"])
def record_meeting(request: Request, plan: str, body: bodies.NewMeeting,
                   who: Staff) -> Response:
    """Record a meeting of the forum: when, how many of each group came, its minutes."""

    def run() -> Reply:
        recorded = handle(request, RecordMeeting(plan, body.held_at, body.attendance,
                                                 body.minutes, actor_of(who),
                                                 expected_version(request)))
        moved = _moved(plan, recorded)
        return Reply(201, moved.body, moved.headers)

    return answer(request, who, body, run)


@router.post("/plans/{plan}/committee/members", status_code=201, tags=["comité"])
def add_member(request: Request, plan: str, body: bodies.NewMember, who: Staff) -> Response:
    """Seat a member of the committee in a group."""

    def run() -> Reply:
        member = handle(request, AddMember(plan, body.name, body.group, actor_of(who),
                                           expected_version(request), body.email))
        return Reply(201, {"plan": plan, "member": member})

    return answer(request, who, body, run)


@router.post("/plans/{plan}/decisions/{decision}/votes", tags=["comité"])
def vote(request: Request, plan: str, decision: str, body: bodies.Ballot,
         who: Annotated[Identity, Depends(require("committee", "admin"))]) -> Response:
    """Cast a member's vote; a committee token votes only as its own member."""
    if who.role == "committee" and who.member_id != body.member:
        raise ApiProblem(403, "sin-permiso", say(deployment_locale(), "problem.own_member",
                                                 member=who.member_id or "—"),
                         role=who.role, member=who.member_id)

    def run() -> Reply:
        tally = handle(request, CastVote(plan, decision, body.member, body.approve,
                                         actor_of(who), expected_version(request)))
        return Reply(200, {"plan": plan, "decision": decision, "approvals": tally.approvals,
                           "rejections": tally.rejections, "voters": tally.voters,
                           "needed": tally.needed, "passed": tally.passed})

    return answer(request, who, body, run)


@router.post("/plans/{plan}/proposals", status_code=201, tags=["propuestas"])
def submit_proposal(request: Request, plan: str, body: bodies.NewProposal,
                    who: Annotated[Identity, Depends(require("intake", *STAFF))]) -> Response:
    """Receive a citizen proposal (409 with the reason when reception is closed)."""

    def run() -> Reply:
        proposal = handle(request, SubmitProposal(plan, body.title, body.body, body.channel,
                                                  body.mesa, actor_of(who), body.email,
                                                  body.consent))
        return created({"proposal": proposal}, f"/proposals/{proposal}")

    return answer(request, who, body, run)


@router.post("/proposals/{proposal}/triggers/{trigger}", tags=["propuestas"])
def fire(request: Request, proposal: str, trigger: str, body: bodies.TriggerFields,
         who: Staff) -> Response:
    """Fire a trigger on a proposal, with its fields (the reasoned response, ``into``)."""

    def run() -> Reply:
        fields = {**(body.fields or {}), "response": body.response, "into": body.into}
        state = handle(request, FireTrigger(proposal, trigger, fields, actor_of(who),
                                            expected_version(request)))
        return Reply(200, {"proposal": proposal, "state": state})

    return answer(request, who, body, run)


@router.post("/proposals/{proposal}/supports", status_code=201, tags=["propuestas"])
def support(request: Request, proposal: str, body: bodies.NewSupport,
            who: Annotated[Identity, Depends(require("intake", *STAFF))]) -> Response:
    """Count one anonymous supporter of a proposal, once (409 when that key already did)."""

    def run() -> Reply:
        count = handle(request, SupportProposal(proposal, body.supporter, actor_of(who)))
        return Reply(201, {"proposal": proposal, "supports": count})

    return answer(request, who, body, run)
