"""What a command's recorded events imply beyond themselves: deadlines and notices.

The service layer asks this after the unit of work has written an aggregate's
events, and hands the answer back to it to write in the same transaction:
storage writes what it is given and decides nothing.
"""

from __future__ import annotations

from workflow.domain.commitment import Commitment
from workflow.domain.deadlines import Schedule, schedule
from workflow.domain.events import RecordedEvent
from workflow.domain.milestones import milestone_schedule
from workflow.domain.notices import Notice, commitment_notices, notices_for, proposal_notices
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal

Aggregate = Plan | Proposal | Commitment


def deadline_changes(aggregate: Aggregate, recorded: list[RecordedEvent]) -> Schedule:
    """Return the deadlines an aggregate's new events add and cancel (its state is after them)."""
    if isinstance(aggregate, Plan):
        return schedule(aggregate.state, [r.event for r in recorded])
    if isinstance(aggregate, Commitment):
        return milestone_schedule(aggregate.state, aggregate.catalog, [r.event for r in recorded])
    return Schedule()


def notices(aggregate: Aggregate, recorded: list[RecordedEvent]) -> list[Notice]:
    """Return the notices an aggregate's new events call for, by the definition's rules."""
    if isinstance(aggregate, Plan):
        return notices_for(aggregate.state, aggregate.catalog, recorded)
    if isinstance(aggregate, Commitment):
        return commitment_notices(aggregate.plan, aggregate.catalog, aggregate.state, recorded)
    return proposal_notices(aggregate.catalog.definition, aggregate.state, recorded)
