"""Plan snapshots: the plan's whole state as JSON, kept in its projection row.

A command loads a plan with one read (its snapshot) instead of replaying its
events; verify proves each snapshot equals the replayed state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from definitions.schema import Definition
from storage.eventstore import utc
from workflow.domain.canonical import canonical_json
from workflow.domain.state import (
    ActivityState,
    DecisionState,
    Meeting,
    Member,
    PhaseRegion,
    PlanState,
)


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def dump_plan(state: PlanState) -> str:
    """Return the snapshot JSON of a plan's state (without the definition, pinned by hash).

    Lists, not objects, so the order of phases, members, votes and activities
    survives canonical JSON (which sorts object keys) and reads back as replayed.
    """
    return canonical_json({
        "phases": [[k, r.state, r.starts_on.isoformat(), r.ends_on.isoformat(),
                    _time(r.opened_at), _time(r.closed_at)] for k, r in state.phases.items()],
        "members": [[k, m.name, m.group] for k, m in state.members.items()],
        "decisions": [[k, list(d.votes.items()), _time(d.approved_at)]
                      for k, d in state.decisions.items()],
        "activities": [[k, a.phase_id, _time(a.done_at), a.evidence, a.done_by]
                       for k, a in state.activities.items()],
        "meetings": [[_time(m.held_at), sorted(m.attendance.items()), m.minutes,
                      _time(m.recorded_at)] for m in state.meetings],
    })


def restore_plan(row: Any, definition: Definition, snapshot: dict[str, Any]) -> PlanState:
    """Rebuild a plan's state from its projection row and parsed snapshot."""
    state = PlanState(row.plan_id, definition, row.definition_hash, row.shift_days,
                      utc(row.created_at), row.version, proposal_count=row.proposal_count,
                      commitment_count=row.commitment_count)
    for key, status, starts, ends, opened, closed in snapshot["phases"]:
        state.phases[key] = PhaseRegion(key, dt.date.fromisoformat(starts),
                                        dt.date.fromisoformat(ends), status, _parse(opened),
                                        _parse(closed))
    for key, name, group in snapshot["members"]:
        state.members[key] = Member(key, name, group)
    for key, votes, approved in snapshot["decisions"]:
        state.decisions[key] = DecisionState(key, dict(votes), _parse(approved))
    for key, phase, done, evidence, by in snapshot["activities"]:
        state.activities[key] = ActivityState(key, phase, _parse(done), evidence, by)
    for held, attendance, minutes, recorded in snapshot.get("meetings", []):
        state.meetings.append(Meeting(_moment(held), dict(attendance), minutes,
                                      _moment(recorded)))
    return state


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)
