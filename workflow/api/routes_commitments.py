"""Commitments: drafting, revising, linking, moving, reporting and assessing; public reads.

Staff draft, revise, link and move commitments; an implementer token reports on the
milestones of the commitments its agency leads (staff on any); only the evaluator
assesses. Anyone reads a plan's commitments: nobody's contact data is in them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from definitions.commitment_file import CommitmentContent
from storage import queries
from storage.tokens import Identity
from workflow.api import bodies
from workflow.api.auth import STAFF, actor_of, require
from workflow.api.problems import documented_errors
from workflow.api.replies import Reply, answer, created, expected_version, handle
from workflow.commands import (
    AssessCommitment,
    Command,
    DraftCommitment,
    FireCommitmentTrigger,
    LinkProposal,
    ReportMilestone,
    ReviseCommitment,
    UnlinkProposal,
)
from workflow.domain.state import CommitmentState
from workflow.views.plan import commitment_view

router = APIRouter(responses=documented_errors())
Staff = Annotated[Identity, Depends(require(*STAFF))]
Reporter = Annotated[Identity, Depends(require("implementer", *STAFF))]
Evaluator = Annotated[Identity, Depends(require("evaluator"))]



def _now(request: Request, command: Command[CommitmentState]) -> Reply:
    """Run a commitment command; answer where the commitment stands, its version as ETag."""
    state = handle(request, command)
    return Reply(200, {"commitment": state.commitment_id, "state": state.state,
                       "version": state.version}, {"ETag": f'"{state.version}"'})


@router.post("/plans/{plan}/commitments", status_code=201, tags=["compromisos"])
def draft(request: Request, plan: str, body: CommitmentContent, who: Staff) -> Response:
    """Draft a commitment on OGP's template, with its milestones and the proposals it answers."""

    def run() -> Reply:
        key = handle(request, DraftCommitment(plan, body, actor_of(who)))
        return created({"commitment": key}, f"/commitments/{key}")

    return answer(request, who, body, run)


@router.post("/commitments/{commitment}/revisions", tags=["compromisos"])
def revise(request: Request, commitment: str, body: CommitmentContent,
           who: Staff) -> Response:
    """Revise a commitment: only what changes (once approved, with the reason)."""
    return answer(request, who, body, lambda: _now(request, ReviseCommitment(
        commitment, body, actor_of(who), expected_version(request))))


@router.post("/commitments/{commitment}/links", tags=["compromisos"])
def link(request: Request, commitment: str, body: bodies.NewLink, who: Staff) -> Response:
    """Link a proposal the commitment answers."""
    return answer(request, who, body, lambda: _now(request, LinkProposal(
        commitment, body.proposal, actor_of(who), expected_version(request))))


@router.post("/commitments/{commitment}/unlinks", tags=["compromisos"])
def unlink(request: Request, commitment: str, body: bodies.Unlink, who: Staff) -> Response:
    """Unlink a proposal, with the reason (the link stays in the history)."""
    return answer(request, who, body, lambda: _now(request, UnlinkProposal(
        commitment, body.proposal, body.reason, actor_of(who), expected_version(request))))


@router.post("/commitments/{commitment}/triggers/{trigger}", tags=["compromisos"])
def fire(request: Request, commitment: str, trigger: str, body: bodies.CommitmentTrigger,
         who: Staff) -> Response:
    """Fire a declared trigger on a commitment, with its fields."""
    fields: dict[str, object] = {**(body.fields or {})}
    if body.response is not None:
        fields["response"] = body.response
    return answer(request, who, body, lambda: _now(request, FireCommitmentTrigger(
        commitment, trigger, fields, actor_of(who), expected_version(request))))


@router.post("/commitments/{commitment}/milestones/{milestone}/reports", tags=["compromisos"])
def report(request: Request, commitment: str, milestone: str, body: bodies.MilestoneReport,
           who: Reporter) -> Response:
    """Report progress on a milestone (an implementer only on its agency's commitments)."""
    return answer(request, who, body, lambda: _now(request, ReportMilestone(
        commitment, milestone, body.progress, tuple(body.evidence), body.done, actor_of(who),
        expected_version(request))))


@router.post("/commitments/{commitment}/assessments", tags=["compromisos"])
def assess(request: Request, commitment: str, body: bodies.Assessment,
           who: Evaluator) -> Response:
    """Record the independent evaluator's assessment, once; a later one corrects it."""
    return answer(request, who, body, lambda: _now(request, AssessCommitment(
        commitment, body.completion, body.opened_government, body.text, tuple(body.evidence),
        actor_of(who), body.reason, expected_version(request))))


@router.get("/plans/{plan}/commitments", tags=["compromisos"])
def commitments(request: Request, plan: str) -> list[dict[str, Any]]:
    """List a plan's commitments: number, title, lead agency, state, assessment."""
    return queries.list_commitments(request.app.state.engine, plan)[1]


@router.get("/commitments/{commitment}", tags=["compromisos"])
def commitment(request: Request, commitment: str) -> JSONResponse:
    """Show a commitment: template fields, milestones, proposals with channels, assessment."""
    plan, state, proposals = queries.commitment_detail(request.app.state.engine, commitment)
    return JSONResponse(commitment_view(plan, state, proposals),
                        headers={"ETag": f'"{state.version}"'})
