"""What a plan's own events say of each phase: how often it was extended, when last touched.

The calendar feed dates its events from this (``SEQUENCE``, ``DTSTAMP``) and the
open data counts the extensions; both read the plan's stream in log order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from workflow.domain.events import DomainEvent
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState


@dataclass
class PhaseLog:
    """What the log says of a phase: how many extensions, and when it was last touched."""

    touched: dt.datetime
    extensions: int = 0


@dataclass
class Facts:
    """A plan now, and what its log says of each phase; its commitments and their events."""

    plan: Plan
    created: dt.datetime
    phases: dict[str, PhaseLog] = field(default_factory=dict)
    commitments: list[CommitmentState] = field(default_factory=list)
    streams: dict[str, list[DomainEvent]] = field(default_factory=dict)
    """Each commitment's events in log order, by its id."""

    def log(self, phase_id: str) -> PhaseLog:
        """Return what the log says of a phase (untouched since the plan was created: that)."""
        return self.phases.get(phase_id) or PhaseLog(self.created)


def facts(plan: Plan, events: Iterable[DomainEvent]) -> Facts:
    """Read the plan's own events (in log order) for each phase's extensions and last touch."""
    found = Facts(plan, plan.state.created_at)
    for event in events:
        phase = event.data.get("phase")
        if event.type == "PlanCreated" or not isinstance(phase, str):
            continue
        log = found.phases.setdefault(phase, PhaseLog(event.occurred_at))
        log.touched = event.occurred_at
        log.extensions += event.type == "PhaseExtended"
    return found
