"""Replay: rebuild every plan, proposal and commitment from the log, re-checking each step.

Events are applied in log order through the aggregates' own ``apply``: each
phase, proposal and commitment transition is checked again on the pinned
definition's machine with its guards, in the context rebuilt so far, so a step
that was not legal when it was recorded raises :class:`IllegalEvent` at that event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cache
from itertools import product
from typing import Any

from workflow.domain.commitment_steps import Steps, check_drafted, drafted_state
from workflow.domain.deadlines import DeadlineLedger
from workflow.domain.errors import IllegalEvent
from workflow.domain.events import Actor, DomainEvent, RecordedEvent
from workflow.domain.guards import GuardContext, holds, unmet
from workflow.domain.imports import ImportedFrom, OriginKey, imported_from
from workflow.domain.milestones import milestone_schedule, subject
from workflow.domain.plan import Plan
from workflow.domain.proposal import given_fields, imported_state, step, submitted_state
from workflow.domain.state import CommitmentState, ProposalState
from workflow.domain.supports import count_support

TIMING = ("deadline", "due_at", "late_seconds")
"""What an event fired by a deadline records: which one, when it was due, how late it ran."""

EVENT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PlanCreated": (("definition", "definition_hash", "definition_id", "plan", "shift_days"), ()),
    "PhaseOpened": (("phase", "reason"), TIMING),
    "PhaseClosed": (("phase", "reason"), TIMING),
    "PhaseHeld": (("phase", "reason", "unmet", *TIMING), ()),
    "PhaseOverdue": (("phase", "reason", "unmet"), TIMING),
    "PhaseClosingSoon": (("closes_at", "days", "phase", *TIMING), ()),
    "PhaseExtended": (("phase", "previous", "reason", "until"), ()),
    "DeadlineSkipped": (("kind", "phase", "reason", "state", *TIMING), ("days",)),
    "MemberAdded": (("group", "member", "name"), ()),
    "VoteCast": (("approve", "decision", "member"), ()),
    "DecisionApproved": (("approvals", "decision", "needed", "voters"), ()),
    "ActivityDone": (("activity", "evidence"), ()),
    "MeetingRecorded": (("attendance", "held_at"), ("minutes",)),
    "ProposalSubmitted": (("body", "channel", "mesa", "number", "plan", "proposal", "title"),
                          ()),
    "ProposalImported": (("body", "channel", "information", "mesa", "number", "origin", "plan",
                          "proposal", "received_at", "title"), ()),
    "ProposalTransitioned": (("from", "trigger"), ("fields", "into", "response")),
    "ProposalSupported": (("supporter", "supports"), ()),
    "CommitmentDrafted": (("commitment", "fields", "milestones", "number", "plan"), ("agency",)),
    "CommitmentRevised": ((), ("agency", "fields", "milestones", "reason")),
    "ProposalLinked": (("proposal",), ("agency",)),
    "ProposalUnlinked": (("proposal", "reason"), ("agency",)),
    "CommitmentTransitioned": (("from", "trigger"), ("agency", "fields", "response")),
    "MilestoneReported": (("done", "evidence", "milestone", "progress"), ("agency",)),
    "MilestoneOverdue": (("due", "milestone", *TIMING), ()),
    "MilestoneDueSoon": (("days", "due", "milestone", *TIMING), ()),
    "CommitmentAssessed": (("completion", "evidence", "opened_government", "text"),
                           ("corrects", "reason")),
}
"""Each event type's required and optional data fields."""


@cache
def _shapes(event_type: str) -> frozenset[tuple[str, ...]]:
    """Every sorted key tuple an event type's data may have."""
    required, optional = EVENT_FIELDS[event_type]
    subsets = [tuple(k for k, keep in zip(optional, mask, strict=True) if keep)
               for mask in product((False, True), repeat=len(optional))]
    return frozenset(tuple(sorted(required + extra)) for extra in subsets)


def check_fields(event_type: str, data: dict[str, Any]) -> None:
    """Raise IllegalEvent unless the event's data has exactly its type's fields.

    Stored data is canonical JSON, its keys already sorted: they are looked up
    as they come first, and sorted only when that misses.
    """
    try:
        shapes = _shapes(event_type)
    except KeyError:
        raise IllegalEvent("illegal.unknown_type", type=event_type) from None
    if tuple(data) not in shapes and tuple(sorted(data)) not in shapes:
        required, optional = EVENT_FIELDS[event_type]
        raise IllegalEvent("illegal.fields", type=event_type, fields=sorted(data),
                           required=list(required), optional=list(optional))


class Replay:
    """The state of every plan, proposal and commitment after the events applied so far."""

    def __init__(self) -> None:
        self.plans: dict[str, Plan] = {}
        self.proposals: dict[str, ProposalState] = {}
        self.commitments: dict[str, CommitmentState] = {}
        self.links: Counter[str] = Counter()
        """How many commitments link each proposal."""
        self._by_plan: dict[str, list[str]] = defaultdict(list)
        self.deadlines = DeadlineLedger()
        self.supporters: dict[str, set[bytes]] = defaultdict(set)
        """Each proposal's supporters, as the bytes of their digests (16 each)."""
        self.origins: dict[str, ImportedFrom] = {}
        """Each imported proposal's origin and the platform's information, by proposal id."""
        self._origin_keys: set[tuple[str, OriginKey]] = set()

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count a plan's proposals not in ``states`` (the replay is its own census)."""
        ids = [p for p in self._by_plan[plan_id] if self.proposals[p].state not in states]
        return len(ids), ids[:3]

    def supports(self, plan_id: str, states: tuple[str, ...]) -> int:
        """Sum the supports of a plan's proposals in ``states`` (all when empty)."""
        return sum(self.proposals[p].supports for p in self._by_plan[plan_id]
                   if not states or self.proposals[p].state in states)

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count a plan's proposals in (or answered from) ``states`` that feed no commitment."""
        ids = [p for p in self._by_plan[plan_id] if self._waits_for_link(self.proposals[p],
                                                                        states)]
        return len(ids), ids[:3]

    def _waits_for_link(self, proposal: ProposalState, states: tuple[str, ...]) -> bool:
        return ((proposal.state in states or proposal.outcome in states)
                and not self.linked(proposal.proposal_id)
                and not (proposal.merged_into and self.linked(proposal.merged_into)))

    def linked(self, proposal_id: str) -> bool:
        """Whether a commitment links this proposal itself."""
        return self.links[proposal_id] > 0

    def counts(self, plan_id: str) -> Counter[str]:
        """Count a plan's proposals by state."""
        return Counter(self.proposals[p].state for p in self._by_plan[plan_id])

    def apply(self, recorded: RecordedEvent) -> None:
        """Apply one recorded event; IllegalEvent when it does not fit."""
        e = recorded.event
        self.apply_fields(recorded.position, e.stream_id, e.stream_type, e.version, e.type,
                          e.data, e.actor, e.occurred_at)

    def apply_fields(self, position: int, stream_id: str, stream_type: str, version: int,
                     event_type: str, data: dict[str, Any], actor: Actor,
                     occurred_at: dt.datetime) -> None:
        """Apply one event given as its fields (the auditor's fast path: no event objects)."""
        check_fields(event_type, data)
        try:
            if event_type == "ProposalTransitioned":
                self._transition(stream_id, version, data, actor, occurred_at)
            elif event_type == "ProposalSubmitted":
                self._submit(stream_id, version, data, actor, occurred_at)
            elif event_type == "ProposalImported":
                self._import(stream_id, version, data, occurred_at)
            elif event_type == "ProposalSupported":
                self._support(stream_id, version, data, occurred_at)
            elif stream_type == "commitment":
                self._commitment(DomainEvent(stream_id, stream_type, version, event_type, data,
                                             actor, occurred_at))
            else:
                self._plan_event(DomainEvent(stream_id, stream_type, version, event_type, data,
                                             actor, occurred_at))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IllegalEvent("illegal.malformed", type=event_type, stream=stream_id,
                               error=repr(exc)) from exc

    def _plan_event(self, event: DomainEvent) -> None:
        if event.stream_type != "plan":
            raise IllegalEvent("illegal.wrong_stream", type=event.type,
                               stream_type=event.stream_type)
        if event.type == "PlanCreated":
            self._create_plan(event)
        else:
            self._plan(event.stream_id).apply(event, self)
        self.deadlines.record(self.plans[event.stream_id].state, event)

    def _transition(self, stream_id: str, version: int, data: dict[str, Any], actor: Actor,
                    occurred_at: dt.datetime) -> None:
        state = self.proposals.get(stream_id)
        if state is None:
            raise IllegalEvent("illegal.unknown_proposal", proposal=stream_id)
        plan = self.plans[state.plan_id]  # a proposal is only submitted to a known plan
        step(state, plan.catalog, version, data, occurred_at,
             GuardContext(plan.state, actor, None, given_fields(data), self, state))

    def _support(self, stream_id: str, version: int, data: dict[str, Any],
                 occurred_at: dt.datetime) -> None:
        state = self.proposals.get(stream_id)
        if state is None:
            raise IllegalEvent("illegal.unknown_proposal", proposal=stream_id)
        digest = bytes.fromhex(data["supporter"])
        seen = self.supporters[stream_id]
        if digest in seen:
            raise IllegalEvent("illegal.support_twice", proposal=stream_id)
        plan = self.plans[state.plan_id]
        count_support(state, plan.catalog, plan.state, version, data)
        state.updated_at = occurred_at
        seen.add(digest)

    def _commitment(self, event: DomainEvent) -> None:
        found = self.commitments.get(event.stream_id)
        if event.type == "CommitmentDrafted":
            state = self._draft(event)
        elif found is None:
            raise IllegalEvent("illegal.unknown_commitment", commitment=event.stream_id)
        else:
            state = found
            self._check_link(state, event)
            plan = self.plans[state.plan_id]
            Steps(state, plan.catalog, plan.state, self).apply(event)
            if event.type in ("ProposalLinked", "ProposalUnlinked"):
                self.links[event.data["proposal"]] += 1 if event.type == "ProposalLinked" else -1
        milestone = event.data.get("milestone")
        where = "" if milestone is None else subject(state.number, milestone)
        catalog = self.plans[state.plan_id].catalog
        self.deadlines.account(event, milestone_schedule(state, catalog, [event]), where)

    def _draft(self, event: DomainEvent) -> CommitmentState:
        data = event.data
        plan = self._plan(data["plan"])
        lifecycle = plan.catalog.commitments
        if lifecycle is None or event.version != 1 or event.stream_id in self.commitments or (
                event.stream_id != data["commitment"]):
            raise IllegalEvent("illegal.commitment_twice", commitment=event.stream_id)
        if data["number"] != plan.state.commitment_count + 1:
            raise IllegalEvent("illegal.commitment_number", number=data["number"],
                               count=plan.state.commitment_count)
        if not holds(lifecycle.draft_guards, GuardContext(plan.state, event.actor, census=self)):
            raise IllegalEvent("illegal.drafted_while", commitment=event.stream_id)
        check_drafted(data, lifecycle)
        state = self.commitments[event.stream_id] = drafted_state(data, event.occurred_at,
                                                                  lifecycle)
        plan.state.commitment_count = data["number"]
        return state

    def _check_link(self, state: CommitmentState, event: DomainEvent) -> None:
        """Check that a proposal to link exists, in the commitment's plan."""
        if event.type == "ProposalLinked":
            proposal = self.proposals.get(event.data["proposal"])
            if proposal is None or proposal.plan_id != state.plan_id:
                raise IllegalEvent("illegal.link_unknown", proposal=event.data["proposal"],
                                   commitment=state.commitment_id)

    def _plan(self, plan_id: str) -> Plan:
        plan = self.plans.get(plan_id)
        if plan is None:
            raise IllegalEvent("illegal.unknown_plan", plan=plan_id)
        return plan

    def _create_plan(self, event: DomainEvent) -> None:
        if event.version != 1 or event.stream_id in self.plans:
            raise IllegalEvent("illegal.plan_twice", plan=event.stream_id)
        self.plans[event.stream_id] = Plan.from_created(event)

    def _submit(self, stream_id: str, version: int, data: dict[str, Any], actor: Actor,
                occurred_at: dt.datetime) -> None:
        plan = self._new_proposal(stream_id, version, data)
        ctx = GuardContext(plan.state, actor, census=self)
        if not holds(plan.catalog.submit_guards, ctx):
            raise IllegalEvent("illegal.received_while", proposal=stream_id,
                               unmet="; ".join(unmet(plan.catalog.submit_guards, ctx)))
        self._receive(plan, stream_id, submitted_state(data, occurred_at, plan.catalog))

    def _import(self, stream_id: str, version: int, data: dict[str, Any],
                occurred_at: dt.datetime) -> None:
        """Receive an imported proposal: its origin new to the plan, received within the dates.

        The dates are the reception's as the plan had them when the import ran (the
        extensions recorded before it), and the received moment is not after the import.
        """
        plan = self._new_proposal(stream_id, version, data)
        imported = imported_from(plan.state, plan.catalog, stream_id, data, occurred_at)
        key = (plan.state.plan_id, imported.origin.key)
        if key in self._origin_keys:
            raise IllegalEvent("illegal.origin_twice", proposal=stream_id,
                               reference=imported.origin.reference)
        self._receive(plan, stream_id, imported_state(data, occurred_at, plan.catalog))
        self._origin_keys.add(key)
        self.origins[stream_id] = imported

    def _new_proposal(self, stream_id: str, version: int, data: dict[str, Any]) -> Plan:
        """Return the plan a proposal's first event names, once its stream and number fit."""
        plan = self._plan(data["plan"])
        number = data["number"]
        if version != 1 or stream_id in self.proposals:
            raise IllegalEvent("illegal.proposal_twice", proposal=stream_id)
        if number != plan.state.proposal_count + 1:
            raise IllegalEvent("illegal.proposal_number", number=number,
                               count=plan.state.proposal_count)
        return plan

    def _receive(self, plan: Plan, stream_id: str, state: ProposalState) -> None:
        state.proposal_id, state.plan_id = stream_id, plan.state.plan_id  # share, not copy
        state.channel = plan.catalog.channels[state.channel].id
        self.proposals[stream_id] = state
        self._by_plan[plan.state.plan_id].append(stream_id)
        plan.state.proposal_count = state.number
