"""Applying a commitment's events: each one checked as a legal step, live and in replay.

A commitment's state changes only here. A live command records an event and
applies it; replay applies the recorded one through the same code, in the context
rebuilt so far, so a step that was not legal when it was recorded (a revision after
approval without its reason or its conditions, a report from another agency, an
assessment by someone not the evaluator, a trigger the pinned machine does not
allow or whose guards did not hold) raises :class:`IllegalEvent` where it stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from definitions.commitment_file import whole_problems
from workflow.domain.catalog import Catalog, Commitments
from workflow.domain.errors import IllegalEvent
from workflow.domain.events import Actor, DomainEvent
from workflow.domain.guards import GuardContext, ProposalCensus, holds
from workflow.domain.state import CommitmentState, MilestoneState, PlanState

EVALUATOR = "evaluator"
IMPLEMENTER = "implementer"


def drafted_state(data: Mapping[str, Any], occurred_at: dt.datetime,
                  lifecycle: Commitments) -> CommitmentState:
    """Return the state a commitment's first event (``CommitmentDrafted``) creates."""
    state = CommitmentState(data["commitment"], data["plan"], data["number"],
                            lifecycle.lifecycle.initial, occurred_at, fields=dict(data["fields"]),
                            updated_at=occurred_at)
    for milestone in data["milestones"]:
        _add_milestone(state, milestone)
    return state


def check_drafted(data: Mapping[str, Any], lifecycle: Commitments) -> None:
    """Raise IllegalEvent unless a draft's fields and milestones fit the template.

    Only fields the template asks for, every required one, values and dates that
    hold together (the milestones inside the commitment's dates).
    """
    fields, template = data["fields"], lifecycle.lifecycle.template
    asked = {f.field for f in template}
    required = {f.field for f in template if f.required}
    milestones = [(("milestones", i), m) for i, m in enumerate(data["milestones"])]
    if not set(fields) <= asked or not required <= set(fields) or whole_problems(fields,
                                                                                milestones):
        raise IllegalEvent("illegal.commitment_content", commitment=data["commitment"])


def _add_milestone(state: CommitmentState, data: Mapping[str, Any]) -> None:
    key = data["milestone"]
    if key in state.milestones or key != f"m{len(state.milestones) + 1}":
        raise IllegalEvent("illegal.milestone_number", milestone=key,
                           commitment=state.commitment_id)
    state.milestones[key] = MilestoneState(
        key, data["description"], data["output"], dt.date.fromisoformat(data["starts"]),
        dt.date.fromisoformat(data["due"]), data["responsible"])


def acting(event: DomainEvent) -> Actor:
    """Return who caused a commitment's event, with the agency the event records."""
    agency = event.data.get("agency")
    return event.actor if agency is None else Actor(event.actor.name, event.actor.role, agency)


class Steps:
    """One commitment's events applied in order, in the plan's context (live or replay)."""

    def __init__(self, state: CommitmentState, catalog: Catalog, plan: PlanState,
                 census: ProposalCensus | None) -> None:
        assert catalog.commitments is not None  # a commitment's plan pins its commitments
        self.state, self.lifecycle, self.plan = state, catalog.commitments, plan
        self.census = census

    def apply(self, event: DomainEvent) -> None:
        """Change the state by one event, or raise IllegalEvent if it does not fit."""
        state = self.state
        step = _STEPS.get(event.type)
        if step is None or event.version != state.version + 1:
            raise IllegalEvent("illegal.commitment_order", type=event.type,
                               version=event.version, current=state.version,
                               commitment=state.commitment_id)
        step(self, event)
        state.version, state.updated_at = event.version, event.occurred_at

    def context(self, actor: Actor, fields: Mapping[str, object] | None = None) -> GuardContext:
        """Return the guards' context: the plan, the actor, the fields, this commitment."""
        return GuardContext(self.plan, actor, fields=fields or {}, census=self.census,
                            commitment=self.state)

    def running(self) -> bool:
        """Whether its milestones run (an implementation state)."""
        return self.state.state in self.lifecycle.lifecycle.implementation

    def open_to_change(self) -> bool:
        """Whether it may still be revised and linked (before approval, or implementing)."""
        return self.state.state in self.lifecycle.lifecycle.before_approval or self.running()

    def _illegal(self, key: str, event: DomainEvent, **params: object) -> IllegalEvent:
        return IllegalEvent(key, type=event.type, commitment=self.state.commitment_id,
                            state=self.state.state, **params)

    # -- each event -----------------------------------------------------------------------

    def revised(self, event: DomainEvent) -> None:
        """Change fields and milestones: freely before approval, else reasoned and allowed."""
        data, state = event.data, self.state
        if not self.open_to_change() or not (data.get("fields") or data.get("milestones")):
            raise self._illegal("illegal.commitment_closed", event)
        if self.running() and not (data.get("reason") and holds(
                self.lifecycle.revise_guards, self.context(acting(event)))):
            raise self._illegal("illegal.revision_unreasoned", event)
        state.fields.update(data.get("fields", {}))
        for change in data.get("milestones", ()):
            current = state.milestones.get(change["milestone"])
            if current is None:
                _add_milestone(state, change)
                continue
            for name, value in change.items():
                if name != "milestone":
                    setattr(current, name, dt.date.fromisoformat(value)
                            if name in ("starts", "due") else value)
            if "due" in change:
                current.overdue_at = None

    def linked(self, event: DomainEvent) -> None:
        """Link a proposal (once; while the commitment is open to change)."""
        proposal = event.data["proposal"]
        if proposal in self.state.links or not self.open_to_change():
            raise self._illegal("illegal.link", event, proposal=proposal)
        self.state.links[proposal] = event.occurred_at

    def unlinked(self, event: DomainEvent) -> None:
        """Unlink a linked proposal, with the reason."""
        proposal = event.data["proposal"]
        if proposal not in self.state.links or not event.data["reason"]:
            raise self._illegal("illegal.unlink", event, proposal=proposal)
        del self.state.links[proposal]

    def transitioned(self, event: DomainEvent) -> None:
        """Move by a declared trigger the pinned machine allows from here, its guards met."""
        data, state, machine = event.data, self.state, self.lifecycle.machine
        trigger = data["trigger"]
        dest = machine.destination(state.state, trigger)
        ctx = self.context(acting(event), {**data, **data.get("fields", {})})
        if data["from"] != state.state or dest is None or not holds(
                self.lifecycle.trigger_guards[trigger], ctx):
            raise self._illegal("illegal.commitment_trigger", event, trigger=trigger)
        before = self.lifecycle.lifecycle.before_approval
        if state.state in before and dest in self.lifecycle.lifecycle.implementation:
            state.approved_at = event.occurred_at
        state.state = dest

    def reported(self, event: DomainEvent) -> None:
        """Count a report on a milestone (by staff, or an implementer of the lead agency)."""
        milestone = self._milestone(event)
        actor = acting(event)
        if actor.role == IMPLEMENTER and actor.agency != self.state.lead_agency:
            raise self._illegal("illegal.report_agency", event, agency=actor.agency)
        milestone.reports += 1
        if event.data["done"]:
            milestone.done_at = event.occurred_at

    def overdue(self, event: DomainEvent) -> None:
        """Mark a milestone overdue: its due date passed without a report marking it done."""
        self._milestone(event).overdue_at = event.occurred_at

    def due_soon(self, event: DomainEvent) -> None:
        """Check a milestone's reminder (it is due in some days) fits."""
        self._milestone(event)

    def _milestone(self, event: DomainEvent) -> MilestoneState:
        found = self.state.milestones.get(event.data["milestone"])
        if found is None or found.done or not self.running():
            raise self._illegal("illegal.milestone", event, milestone=event.data["milestone"])
        return found

    def assessed(self, event: DomainEvent) -> None:
        """Assess: once from an assessable state, by the evaluator; later only corrected."""
        data, state, lifecycle = event.data, self.state, self.lifecycle.lifecycle
        corrects = data.get("corrects")
        first = corrects is None and state.state in lifecycle.assessable
        correction = (corrects is not None and state.state == lifecycle.assessed
                      and state.assessment is not None and data.get("reason")
                      and corrects == state.assessment["version"])
        if event.actor.role != EVALUATOR or not (first or correction):
            raise self._illegal("illegal.assessment", event)
        state.state = lifecycle.assessed
        state.assessments += 1
        state.assessment = {"completion": data["completion"],
                            "opened_government": data["opened_government"],
                            "text": data["text"], "evidence": list(data["evidence"]),
                            "version": event.version, "by": event.actor.name,
                            "at": event.occurred_at.isoformat()}


_STEPS: dict[str, Callable[[Steps, DomainEvent], None]] = {
    "CommitmentRevised": Steps.revised,
    "ProposalLinked": Steps.linked,
    "ProposalUnlinked": Steps.unlinked,
    "CommitmentTransitioned": Steps.transitioned,
    "MilestoneReported": Steps.reported,
    "MilestoneOverdue": Steps.overdue,
    "MilestoneDueSoon": Steps.due_soon,
    "CommitmentAssessed": Steps.assessed,
}
"""Every event of a commitment after its first, and how it is applied."""
