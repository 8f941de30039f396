"""Views: a plan's state as plain data, the same for ``plan show``, ``replay`` and the API.

Moments are ISO 8601 in the plan's zone; the view is built from domain state,
so a replayed plan and a projected plan read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workflow.domain import quorum
from workflow.domain.clock import local_iso
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState
from workflow.views.timeline import channel_name


def plan_view(plan: Plan, proposals_by_state: Mapping[str, int]) -> dict[str, Any]:
    """Return a plan as plain data: phases, decisions, committee, activities, proposals.

    Beside each id stands the name the definition gives it (a phase's and a
    decision's ``title``, the committee's ``committee_name``, a member's
    ``group_name``), for whatever a person reads.
    """
    s, definition = plan.state, plan.state.definition
    tz = definition.timezone
    phases = sorted(definition.phases, key=lambda p: (s.phases[p.id].starts_on, p.number))
    return {
        "plan": s.plan_id, "title": definition.title, "version": s.version,
        "definition": {"id": definition.id, "version": definition.version,
                       "hash": s.definition_hash, "shift_days": s.shift_days},
        "locale": definition.locale, "timezone": tz, "created_at": local_iso(s.created_at, tz),
        "phases": [{
            "id": p.id, "number": p.number, "title": p.title, "status": s.phases[p.id].state,
            "starts": s.phases[p.id].starts_on.isoformat(),
            "ends": s.phases[p.id].ends_on.isoformat(),
            "opened_at": local_iso(s.phases[p.id].opened_at, tz),
            "closed_at": local_iso(s.phases[p.id].closed_at, tz)} for p in phases],
        "decisions": [_decision(plan, d.id) for d in definition.committee.decisions],
        "committee_name": definition.committee.name,
        "committee": [{"id": m.member_id, "name": m.name, "group": m.group,
                       "group_name": plan.catalog.groups[m.group].name}
                      for m in s.members.values()],
        "activities": [{"id": a.activity_id, "phase": a.phase_id,
                        "done_at": local_iso(a.done_at, tz), "evidence": a.evidence}
                       for a in s.activities.values()],
        "proposals": {"total": sum(proposals_by_state.values()),
                      "by_state": {k: proposals_by_state.get(k, 0)
                                   for k in definition.proposals.states}},
    }


def _decision(plan: Plan, decision_id: str) -> dict[str, Any]:
    decision, definition = plan.catalog.decisions[decision_id], plan.state.definition
    state = plan.state.decisions[decision_id]
    where = quorum.standing(decision, state, plan.state.members)
    t = where.tally
    return {"id": decision_id, "title": decision.title, "status": where.status,
            "why": quorum.reason(where, definition),
            "quorum": decision.quorum.rule, "approvals": t.approvals,
            "rejections": t.rejections, "voters": t.voters, "needed": t.needed,
            "votes": dict(state.votes),
            "approved_at": local_iso(state.approved_at, definition.timezone)}



def commitments_view(commitments: Iterable[CommitmentState], plan_id: str,
                     timezone: str) -> list[dict[str, Any]]:
    """Return a plan's commitments as plain data, by number: state, links, milestones, assessment.

    What anyone may read: no one's contact data is in a commitment.
    """
    found = sorted((c for c in commitments if c.plan_id == plan_id), key=lambda c: c.number)
    return [{"commitment": c.commitment_id, "number": c.number, "title": c.title,
             "lead_agency": c.lead_agency, "state": c.state, "version": c.version,
             "approved_at": local_iso(c.approved_at, timezone),
             "proposals": sorted(c.links),
             "milestones": [{"milestone": m.milestone_id, "due": m.due.isoformat(),
                             "done": m.done, "overdue": m.overdue_at is not None}
                            for m in c.milestones.values()],
             "completion": (c.assessment or {}).get("completion"),
             "opened_government": (c.assessment or {}).get("opened_government")}
            for c in found]


def commitment_view(plan: Plan, state: CommitmentState,
           proposals: list[dict[str, Any]]) -> dict[str, Any]:
    """Return what anyone may read of a commitment (no one's contact data is in it)."""
    definition = plan.state.definition
    return {
        "commitment": state.commitment_id, "plan": state.plan_id, "number": state.number,
        "state": state.state, "version": state.version, "fields": state.fields,
        "milestones": [{"milestone": m.milestone_id, "description": m.description,
                        "output": m.output, "starts": m.starts.isoformat(),
                        "due": m.due.isoformat(), "responsible": m.responsible,
                        "done": m.done, "overdue": m.overdue_at is not None,
                        "reports": m.reports} for m in state.milestones.values()],
        "proposals": [{"proposal": p["proposal_id"], "number": p["number"], "title": p["title"],
                       "channel": channel_name(definition, p["channel"], p["mesa"])}
                      for p in proposals],
        "assessment": state.assessment}
