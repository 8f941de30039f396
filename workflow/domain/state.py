"""Plain state objects of a plan: what the machines drive and the projections mirror.

These are plain classes on purpose (``transitions`` sets ``state`` on them; a
pydantic model would break as a transitions model). Equality is by value, so
verify can compare a replayed plan with the one read from the projections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from definitions.schema import Definition


@dataclass(slots=True)
class PhaseRegion:
    """One phase of a plan: its own flat region, driven by the phase machine."""

    phase_id: str
    starts_on: dt.date
    ends_on: dt.date
    state: str = "scheduled"
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        """Whether the phase is open or overdue (opened and not yet closed)."""
        return self.state in ("open", "overdue")


@dataclass(slots=True)
class Member:
    """A member of the committee, in one group."""

    member_id: str
    name: str
    group: str


@dataclass(slots=True)
class DecisionState:
    """A committee decision: votes by member (True approves) and whether it passed."""

    decision_id: str
    votes: dict[str, bool] = field(default_factory=dict)
    approved_at: dt.datetime | None = None

    @property
    def approved(self) -> bool:
        """Whether the decision has passed (final)."""
        return self.approved_at is not None


@dataclass(slots=True)
class ActivityState:
    """An activity of a phase and, once done, its evidence."""

    activity_id: str
    phase_id: str
    done_at: dt.datetime | None = None
    evidence: str | None = None
    done_by: str | None = None


@dataclass(slots=True)
class Meeting:
    """A meeting of the forum: when, how many of each group came, where its minutes are."""

    held_at: dt.datetime
    attendance: dict[str, int]
    minutes: str | None
    recorded_at: dt.datetime


@dataclass(slots=True)
class PlanState:
    """Everything a plan holds besides its proposals."""

    plan_id: str
    definition: Definition
    definition_hash: str
    shift_days: int
    created_at: dt.datetime
    version: int = 0
    phases: dict[str, PhaseRegion] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    decisions: dict[str, DecisionState] = field(default_factory=dict)
    activities: dict[str, ActivityState] = field(default_factory=dict)
    proposal_count: int = 0
    commitment_count: int = 0
    meetings: list[Meeting] = field(default_factory=list)


@dataclass(slots=True)
class ProposalState:
    """A citizen proposal, driven by the proposal machine."""

    proposal_id: str
    plan_id: str
    number: int
    title: str
    body: str
    channel: str
    mesa: int | None
    submitted_at: dt.datetime
    state: str
    version: int = 1
    response: str | None = None
    merged_into: str | None = None
    updated_at: dt.datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    """The process's own declared fields, as last given (text, whole numbers, dates, ids)."""
    supports: int = 0
    """How many anonymous supporters back it."""
    outcome: str | None = None
    """The state it stood in when it reached a final one (what its answer answered)."""


@dataclass(slots=True)
class MilestoneState:
    """A milestone of a commitment: what, by when, who; reported done, or overdue."""

    milestone_id: str
    description: str
    output: str
    starts: dt.date
    due: dt.date
    responsible: str
    done_at: dt.datetime | None = None
    overdue_at: dt.datetime | None = None
    reports: int = 0

    @property
    def done(self) -> bool:
        """Whether a report marked it done."""
        return self.done_at is not None


@dataclass(slots=True)
class CommitmentState:
    """A commitment of the action plan, driven by the commitment machine.

    ``fields`` are OGP's template values it was given (text, ISO dates, the list of
    OGP values); ``links`` the proposals it answers, with when each was linked;
    ``assessment`` the evaluator's last (completion, opened_government, text,
    evidence, version), ``assessments`` how many were recorded (corrections too).
    """

    commitment_id: str
    plan_id: str
    number: int
    state: str
    drafted_at: dt.datetime
    version: int = 1
    fields: dict[str, Any] = field(default_factory=dict)
    milestones: dict[str, MilestoneState] = field(default_factory=dict)
    links: dict[str, dt.datetime] = field(default_factory=dict)
    updated_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    assessment: dict[str, Any] | None = None
    assessments: int = 0

    @property
    def title(self) -> str:
        """Its title."""
        return str(self.fields.get("title", ""))

    @property
    def lead_agency(self) -> str:
        """Its lead implementing agency."""
        return str(self.fields.get("lead_agency", ""))

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """When it starts and ends, as given."""
        starts, ends = self.fields.get("starts"), self.fields.get("ends")
        return (dt.date.fromisoformat(starts) if starts else None,
                dt.date.fromisoformat(ends) if ends else None)
