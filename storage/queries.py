"""Read-side queries for the CLI and the API (no locks: readers never wait for writers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from storage import tables as t
from storage.database import reading
from storage.eventstore import scan, utc
from storage.projections import proposal_row
from storage.uow import proposal_from_row, read_plan
from workflow.clock import local
from workflow.plan import Plan
from workflow.views import plan_view


def load_plan(engine: Engine, plan_id: str) -> Plan:
    """Load a plan from its projection (NotFound when there is none)."""
    with reading(engine) as conn:
        return read_plan(conn, plan_id)


def proposal_counts(conn: Connection, plan_id: str) -> dict[str, int]:
    """Count a plan's proposals by state."""
    query = (select(t.proposals.c.state, func.count()).where(t.proposals.c.plan_id == plan_id)
             .group_by(t.proposals.c.state))
    return {state: int(n) for state, n in conn.execute(query)}


def show_plan(engine: Engine, plan_id: str) -> dict[str, Any]:
    """Return the plan's current view (see :func:`workflow.views.plan_view`)."""
    with reading(engine) as conn:
        return plan_view(read_plan(conn, plan_id), proposal_counts(conn, plan_id))


def list_plans(engine: Engine) -> list[dict[str, Any]]:
    """Return every plan's id, title, definition, version and proposal count."""
    columns = (t.plans.c.plan_id, t.plans.c.title, t.plans.c.definition_id,
               t.plans.c.version, t.plans.c.proposal_count, t.plans.c.created_at)
    with reading(engine) as conn:
        rows = conn.execute(select(*columns).order_by(t.plans.c.created_at)).mappings()
        return [{**row, "created_at": utc(row["created_at"]).isoformat()} for row in rows]


def list_proposals(engine: Engine, plan_id: str, state: str | None = None,
                   ) -> tuple[Plan, list[dict[str, Any]]]:
    """Return a plan and its proposals (optionally in one state), by number."""
    with reading(engine) as conn:
        plan = read_plan(conn, plan_id)
        query = select(t.proposals).where(t.proposals.c.plan_id == plan_id)
        if state is not None:
            query = query.where(t.proposals.c.state == state)
        tz = plan.state.definition.timezone
        found = conn.execute(query.order_by(t.proposals.c.number))
        rows = [_localised(proposal_row(proposal_from_row(r)), tz) for r in found]
    return plan, rows


def _localised(row: dict[str, Any], timezone: str) -> dict[str, Any]:
    return {**row, "submitted_at": local(row["submitted_at"], timezone),
            "updated_at": local(row["updated_at"], timezone)}


def plan_events(engine: Engine, plan_id: str) -> Iterator[dict[str, Any]]:
    """Yield the events of a plan and its proposals in log order, as plain data."""
    with reading(engine) as conn:
        read_plan(conn, plan_id)
        for row in scan(conn, t.events.c.plan_id == plan_id):
            yield {"position": row.position, "event_id": row.event_id,
                   "stream": row.stream_id, "version": row.version, "type": row.type,
                   "actor": row.actor, "role": row.actor_role,
                   "occurred_at": utc(row.occurred_at).isoformat(),
                   "causation_id": row.causation_id, "correlation_id": row.correlation_id,
                   "data": json.loads(row.data), "hash": row.hash}
