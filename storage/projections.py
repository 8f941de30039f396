"""Projections: the read tables, written from the aggregates in the command's transaction.

``*_rows`` turn domain state into table rows; the writers upsert the rows an
event touched, and verify compares the same rows, rebuilt by replay, with the
tables. One function per table keeps writing and checking from drifting apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, update
from sqlalchemy.dialects import postgresql, sqlite

from storage import tables as t
from storage.snapshots import dump_plan
from workflow.events import DomainEvent
from workflow.state import PlanState, ProposalState

Row = dict[str, Any]


def plan_row(s: PlanState) -> Row:
    """Return the ``plans`` row of a plan."""
    return {"plan_id": s.plan_id, "definition_id": s.definition.id,
            "definition_hash": s.definition_hash, "title": s.definition.title,
            "shift_days": s.shift_days, "version": s.version,
            "proposal_count": s.proposal_count, "created_at": s.created_at,
            "snapshot": dump_plan(s)}


def phase_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``phases`` rows of a plan (all, or those named)."""
    return [{"plan_id": s.plan_id, "phase_id": k, "status": r.state, "starts_on": r.starts_on,
             "ends_on": r.ends_on, "opened_at": r.opened_at, "closed_at": r.closed_at}
            for k, r in s.phases.items() if keys is None or k in keys]


def member_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``members`` rows of a plan."""
    return [{"plan_id": s.plan_id, "member_id": k, "name": m.name, "group_id": m.group}
            for k, m in s.members.items() if keys is None or k in keys]


def decision_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``decisions`` rows of a plan."""
    return [{"plan_id": s.plan_id, "decision_id": k, "approved_at": d.approved_at}
            for k, d in s.decisions.items() if keys is None or k in keys]


def vote_rows(s: PlanState, keys: Iterable[tuple[str, str]] | None = None) -> list[Row]:
    """Return ``votes`` rows of a plan (keys are (decision, member) pairs)."""
    return [{"plan_id": s.plan_id, "decision_id": d, "member_id": m, "approve": approve}
            for d, state in s.decisions.items() for m, approve in state.votes.items()
            if keys is None or (d, m) in keys]


def activity_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``activities`` rows of a plan."""
    return [{"plan_id": s.plan_id, "activity_id": k, "phase_id": a.phase_id,
             "done_at": a.done_at, "evidence": a.evidence, "done_by": a.done_by}
            for k, a in s.activities.items() if keys is None or k in keys]


def proposal_row(p: ProposalState) -> Row:
    """Return the ``proposals`` row of a proposal."""
    return {"proposal_id": p.proposal_id, "plan_id": p.plan_id, "number": p.number,
            "title": p.title, "body": p.body, "channel": p.channel, "mesa": p.mesa,
            "state": p.state, "version": p.version, "response": p.response,
            "merged_into": p.merged_into, "submitted_at": p.submitted_at,
            "updated_at": p.updated_at}


def upsert(conn: Connection, table: Table, rows: list[Row]) -> None:
    """Insert ``rows`` into ``table``, replacing those whose primary key exists."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    keys = [c.name for c in table.primary_key.columns]
    changes = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes), rows)


def write_plan(conn: Connection, state: PlanState, new: list[DomainEvent]) -> None:
    """Write the plan's row and the projection rows its new events touched."""
    upsert(conn, t.plans, [plan_row(state)])
    touched = _touched(new)
    upsert(conn, t.phases, phase_rows(state, touched["phase"]))
    upsert(conn, t.members, member_rows(state, touched["member"]))
    upsert(conn, t.decisions, decision_rows(state, touched["decision"]))
    upsert(conn, t.votes, vote_rows(state, touched["vote"]))
    upsert(conn, t.activities, activity_rows(state, touched["activity"]))


def _touched(new: list[DomainEvent]) -> dict[str, Any]:
    touched: dict[str, Any] = {k: set() for k in ("phase", "member", "decision", "vote",
                                                  "activity")}
    for event in new:
        d = event.data
        if event.type == "PlanCreated":
            return {k: None for k in touched}
        if event.type == "VoteCast":
            touched["vote"].add((d["decision"], d["member"]))
        for key in ("phase", "member", "decision", "activity"):
            if key in d and event.type != "VoteCast":
                touched[key].add(d[key])
    return touched


def write_proposal(conn: Connection, state: ProposalState, created: bool,
                   proposal_count: int) -> None:
    """Write a proposal's row (and, for a new one, its plan's proposal count)."""
    if created:
        conn.execute(t.proposals.insert(), [proposal_row(state)])
        conn.execute(update(t.plans).where(t.plans.c.plan_id == state.plan_id)
                     .values(proposal_count=proposal_count))
    else:
        row = proposal_row(state)
        conn.execute(update(t.proposals).where(t.proposals.c.proposal_id == state.proposal_id)
                     .values(**{k: row[k] for k in ("state", "version", "response",
                                                    "merged_into", "updated_at")}))
