"""Helpers for tests and benchmarks of code that uses cocrea (shipped with it, as structlog does).

:class:`Driver` drives the services the way a person does, one method per command,
so a test reads as a sentence (``staff.open_phase(plan, "difusion", ...)``) while
everything still goes through :meth:`Services.handle` and its one handler table.
:class:`FakeUnitOfWork` is the unit of work over a :class:`MemoryStore`: it subclasses
the real interface and needs no database, so the services run in microseconds
(``pytest -m "not slow"``, the fast lane).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Self

from definitions.commitment_file import CommitmentContent
from definitions.messages import resolved
from definitions.schema import Definition
from workflow import commands
from workflow.domain.catalog import catalog_for
from workflow.domain.clock import Clock, utc_now
from workflow.domain.commitment import Commitment
from workflow.domain.deadlines import Deadline, Schedule
from workflow.domain.events import Actor, DomainEvent, RecordedEvent
from workflow.domain.failures import not_found, stale_version
from workflow.domain.importing import ImportReport
from workflow.domain.imports import Incoming, Origin, OriginKey
from workflow.domain.library import Added, Entry, PinnedPlan, StoredDefinition
from workflow.domain.notices import Notice
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.domain.quorum import Tally
from workflow.domain.state import CommitmentState, PlanState, ProposalState
from workflow.ports import Aggregate, Flushed, UnitOfWork
from workflow.services import Services


class Driver:
    """The services, one method per command (each builds the command and handles it)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.handle = services.handle

    def create_plan(self, definition: Definition, actor: Actor, plan_id: str | None = None,
                    shift_to: dt.date | None = None) -> str:
        """Create a plan; its id."""
        return self.handle(commands.CreatePlan(definition, actor, plan_id, shift_to))

    def open_phase(self, plan: str, phase: str, reason: str, actor: Actor,
                   expected_version: int | None = None) -> list[RecordedEvent]:
        """Open a phase; the events written."""
        return self.handle(commands.OpenPhase(plan, phase, reason, actor, expected_version))

    def close_phase(self, plan: str, phase: str, reason: str, actor: Actor,
                    expected_version: int | None = None) -> list[RecordedEvent]:
        """Close a phase; the events written."""
        return self.handle(commands.ClosePhase(plan, phase, reason, actor, expected_version))

    def extend_phase(self, plan: str, phase: str, until: dt.date, reason: str, actor: Actor,
                     expected_version: int | None = None) -> list[RecordedEvent]:
        """Extend a phase; the events written."""
        return self.handle(commands.ExtendPhase(plan, phase, until, reason, actor,
                                                expected_version))

    def add_member(self, plan: str, name: str, group: str, actor: Actor,
                   expected_version: int | None = None, email: str | None = None) -> str:
        """Seat a member; the member's id."""
        return self.handle(commands.AddMember(plan, name, group, actor, expected_version,
                                              email))

    def vote(self, plan: str, decision: str, member: str, approve: bool, actor: Actor,
             expected_version: int | None = None) -> Tally:
        """Cast a vote; the tally after it."""
        return self.handle(commands.CastVote(plan, decision, member, approve, actor,
                                             expected_version))

    def complete_activity(self, plan: str, activity: str, evidence: str, actor: Actor,
                          expected_version: int | None = None) -> list[RecordedEvent]:
        """Mark an activity done; the events written."""
        return self.handle(commands.CompleteActivity(plan, activity, evidence, actor,
                                                     expected_version))

    def submit_proposal(self, plan: str, title: str, body: str, channel: str,
                        mesa: int | None, actor: Actor, email: str | None = None,
                        consent: bool = False) -> str:
        """Receive a proposal; its id."""
        return self.handle(commands.SubmitProposal(plan, title, body, channel, mesa, actor,
                                                   email, consent))

    def import_proposals(self, plan: str, source: str, rows: Iterable[Incoming], actor: Actor,
                         channel: str | None = None, dry_run: bool = False) -> ImportReport:
        """Import rows made elsewhere (whatever the plan's language); what was imported."""
        return self.handle(commands.ImportProposals(plan, source, lambda _: rows, actor,
                                                    channel, dry_run))

    def fire(self, proposal: str, trigger: str, fields: Mapping[str, str | None],
             actor: Actor, expected_version: int | None = None) -> str:
        """Fire a proposal's trigger; its new state."""
        return self.handle(commands.FireTrigger(proposal, trigger, fields, actor,
                                                expected_version))

    def support(self, proposal: str, supporter: str, actor: Actor) -> int:
        """Count one anonymous supporter of a proposal; its supports after it."""
        return self.handle(commands.SupportProposal(proposal, supporter, actor))

    def draft_commitment(self, plan: str, content: CommitmentContent | dict[str, object],
                         actor: Actor) -> str:
        """Draft a commitment (its content, or the mapping of one); its id."""
        return self.handle(commands.DraftCommitment(plan, _content(content), actor))

    def revise_commitment(self, commitment: str, content: CommitmentContent | dict[str, object],
                          actor: Actor, expected_version: int | None = None) -> CommitmentState:
        """Revise a commitment; the commitment after it."""
        return self.handle(commands.ReviseCommitment(commitment, _content(content), actor,
                                                     expected_version))

    def link(self, commitment: str, proposal: str, actor: Actor) -> CommitmentState:
        """Link a proposal to a commitment; the commitment after it."""
        return self.handle(commands.LinkProposal(commitment, proposal, actor))

    def unlink(self, commitment: str, proposal: str, reason: str,
               actor: Actor) -> CommitmentState:
        """Unlink a proposal from a commitment; the commitment after it."""
        return self.handle(commands.UnlinkProposal(commitment, proposal, reason, actor))

    def fire_commitment(self, commitment: str, trigger: str, fields: Mapping[str, object],
                        actor: Actor) -> CommitmentState:
        """Fire a commitment's trigger; the commitment after it."""
        return self.handle(commands.FireCommitmentTrigger(commitment, trigger, fields, actor))

    def report(self, commitment: str, milestone: str, progress: str, evidence: list[str],
               done: bool, actor: Actor) -> CommitmentState:
        """Report on a milestone; the commitment after it."""
        return self.handle(commands.ReportMilestone(commitment, milestone, progress,
                                                    tuple(evidence), done, actor))

    def assess(self, commitment: str, completion: str, opened: str, text: str,
               evidence: list[str], actor: Actor, reason: str | None = None) -> CommitmentState:
        """Assess a commitment (or correct the assessment); the commitment after it."""
        return self.handle(commands.AssessCommitment(commitment, completion, opened, text,
                                                     tuple(evidence), actor, reason))

    def record_meeting(self, plan: str, held_at: dt.datetime, attendance: Mapping[str, int],
                       minutes: str | None, actor: Actor) -> list[RecordedEvent]:
        """Record a meeting of the forum; the events written."""
        return self.handle(commands.RecordMeeting(plan, held_at, attendance, minutes, actor))

    def fire_deadline(self, deadline_id: str, claimer: str) -> str | None:
        """Fire a due deadline; what it recorded, or None."""
        return self.handle(commands.FireDeadline(deadline_id, claimer))

    def add_definition(self, definition: Definition, yaml: str, actor: Actor) -> Added:
        """Store a definition; its entry, and whether it is new."""
        return self.handle(commands.AddDefinition(definition, yaml, actor))

    def remove_definition(self, definition_id: str, version: int, actor: Actor) -> Entry:
        """Remove a stored definition's version; what was removed."""
        return self.handle(commands.RemoveDefinition(definition_id, version, actor))


def _content(content: CommitmentContent | dict[str, object]) -> CommitmentContent:
    return (content if isinstance(content, CommitmentContent)
            else CommitmentContent.model_validate(content))


@dataclass(slots=True)
class StoredDeadline:
    """A deadline as the memory store keeps it: the moment, its status and what firing did."""

    deadline: Deadline
    status: str = "pending"
    outcome: str | None = None
    fired_at: dt.datetime | None = None


@dataclass
class MemoryStore:
    """What the fake unit of work keeps between commands: the log and every projection."""

    events: list[RecordedEvent] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    plans: dict[str, PlanState] = field(default_factory=dict)
    proposals: dict[str, ProposalState] = field(default_factory=dict)
    commitments: dict[str, CommitmentState] = field(default_factory=dict)
    deadlines: dict[str, StoredDeadline] = field(default_factory=dict)
    outbox: list[Notice] = field(default_factory=list)
    contacts: dict[tuple[str, str, str], str] = field(default_factory=dict)
    supporters: set[tuple[str, str]] = field(default_factory=set)
    definitions: dict[tuple[str, int], StoredDefinition] = field(default_factory=dict)
    origins: set[tuple[str, OriginKey]] = field(default_factory=set)
    """Each imported proposal's plan and origin."""

    def copy(self) -> MemoryStore:
        """Return a copy a transaction may change freely (kept only if it commits)."""
        return MemoryStore(list(self.events), dict(self.versions),
                           {k: copy_plan(v) for k, v in self.plans.items()},
                           {k: copy_proposal(v) for k, v in self.proposals.items()},
                           {k: copy_commitment(v) for k, v in self.commitments.items()},
                           {k: replace(v) for k, v in self.deadlines.items()},
                           list(self.outbox), dict(self.contacts), set(self.supporters),
                           dict(self.definitions), set(self.origins))

    def due(self, now: dt.datetime, limit: int) -> list[str]:
        """Return the ids of pending deadlines due by ``now``, earliest first."""
        pending = sorted((d.deadline.due_at, key) for key, d in self.deadlines.items()
                         if d.status == "pending" and d.deadline.due_at <= now)
        return [key for _, key in pending[:limit]]

    def next_due(self) -> dt.datetime | None:
        """Return when the earliest pending deadline is due, or None."""
        return min((d.deadline.due_at for d in self.deadlines.values()
                    if d.status == "pending"), default=None)

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count a plan's proposals not in ``states`` (the store is its own census)."""
        found = sorted((p.number, p.proposal_id) for p in self.proposals.values()
                       if p.plan_id == plan_id and p.state not in states)
        return len(found), [key for _, key in found[:3]]

    def supports(self, plan_id: str, states: tuple[str, ...]) -> int:
        """Sum the supports of a plan's proposals in ``states`` (all when empty)."""
        return sum(p.supports for p in self.proposals.values()
                   if p.plan_id == plan_id and (not states or p.state in states))

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count a plan's proposals in (or answered from) ``states`` that feed no commitment."""
        found = sorted((p.number, p.proposal_id) for p in self.proposals.values()
                       if p.plan_id == plan_id and (p.state in states or p.outcome in states)
                       and not self.linked(p.proposal_id)
                       and not (p.merged_into and self.linked(p.merged_into)))
        return len(found), [key for _, key in found[:3]]

    def linked(self, proposal_id: str) -> bool:
        """Whether a commitment links this proposal itself."""
        return any(proposal_id in c.links for c in self.commitments.values())


def copy_proposal(state: ProposalState) -> ProposalState:
    """Return a copy of a proposal's state that shares nothing that changes."""
    return replace(state, fields=dict(state.fields))


def copy_commitment(state: CommitmentState) -> CommitmentState:
    """Return a copy of a commitment's state that shares nothing that changes."""
    return replace(state, fields=dict(state.fields), links=dict(state.links),
                   milestones={k: replace(v) for k, v in state.milestones.items()},
                   assessment=None if state.assessment is None else dict(state.assessment))


def copy_plan(state: PlanState) -> PlanState:
    """Return a copy of a plan's state that shares nothing that changes."""
    return replace(state, phases={k: replace(v) for k, v in state.phases.items()},
                   members={k: replace(v) for k, v in state.members.items()},
                   decisions={k: replace(v, votes=dict(v.votes))
                              for k, v in state.decisions.items()},
                   activities={k: replace(v) for k, v in state.activities.items()})


class FakeUnitOfWork(UnitOfWork):
    """The unit of work over a :class:`MemoryStore`: the real interface, no database.

    Each unit of work changes a copy of the store and puts it back only when it
    commits, so a command that fails leaves the store as it was; a version clash
    is a ConcurrencyError, as on a database.
    """

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def __enter__(self) -> Self:
        """Begin: work on a copy of the store."""
        self._txn = self.store.copy()
        self._tracked: list[Aggregate] = []
        self.census = self._txn
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Drop the copy (what was committed is already in the store)."""

    def plan(self, plan_id: str) -> Plan:
        """Load a copy of a plan to change it."""
        state = self._txn.plans.get(plan_id)
        if state is None:
            raise not_found(resolved(None), "plan", plan_id)
        return Plan(copy_plan(state), catalog_for(state.definition, state.definition_hash))

    def plan_context(self, plan_id: str) -> Plan:
        """Load a copy of a plan to read it."""
        return self.plan(plan_id)

    def plan_exists(self, plan_id: str) -> bool:
        """Whether the plan exists."""
        return plan_id in self._txn.plans

    def proposal(self, proposal_id: str) -> Proposal:
        """Load a copy of a proposal with its plan's catalog."""
        state = self.proposal_state(proposal_id)
        if state is None:
            raise not_found(resolved(None), "proposal", proposal_id)
        return Proposal(state, self.plan(state.plan_id).catalog)

    def proposal_state(self, proposal_id: str) -> ProposalState | None:
        """Read a copy of a proposal's state, or None."""
        found = self._txn.proposals.get(proposal_id)
        return None if found is None else copy_proposal(found)

    def commitment(self, commitment_id: str) -> Commitment:
        """Load a copy of a commitment with its plan."""
        found = self._txn.commitments.get(commitment_id)
        if found is None:
            raise not_found(resolved(None), "commitment", commitment_id)
        plan = self.plan(found.plan_id)
        return Commitment(copy_commitment(found), plan.catalog, plan.state)

    def has_support(self, proposal_id: str, supporter: str) -> bool:
        """Whether this supporter already backed the proposal."""
        return (proposal_id, supporter) in self._txn.supporters

    def imported_origins(self, plan_id: str) -> set[OriginKey]:
        """Return the origins of the plan's imported proposals."""
        return {key for plan, key in self._txn.origins if plan == plan_id}

    def save_contact(self, plan_id: str, kind: str, subject: str, email: str,
                     now: dt.datetime) -> None:
        """Keep an address, outside the log."""
        self._txn.contacts[(plan_id, kind, subject)] = email

    def claim_deadline(self, deadline_id: str, now: dt.datetime, claimer: str) -> Deadline | None:
        """Claim a pending deadline due by ``now``."""
        found = self._txn.deadlines.get(deadline_id)
        if found is None or found.status != "pending" or found.deadline.due_at > now:
            return None
        found.status, found.fired_at = "fired", now
        return found.deadline

    def note_deadline(self, deadline_id: str, outcome: str) -> None:
        """Record what firing the deadline did."""
        self._txn.deadlines[deadline_id].outcome = outcome

    def add(self, aggregate: Aggregate) -> None:
        """Track an aggregate."""
        self._tracked.append(aggregate)

    def flush(self) -> Flushed:
        """Append the tracked aggregates' events (checking versions) and keep their states."""
        flushed: Flushed = []
        for aggregate in self._tracked:
            if aggregate.pending:
                flushed.append((aggregate, [self._append(e) for e in aggregate.pending]))
                aggregate.pending = []
                self._keep(aggregate)
        return flushed

    def _append(self, event: DomainEvent) -> RecordedEvent:
        known = self._txn.versions.get(event.stream_id, 0)
        if event.version != known + 1:
            raise stale_version(resolved(None), event.stream_id, event.version - 1, known)
        self._txn.versions[event.stream_id] = event.version
        if event.type == "ProposalSupported":
            self._txn.supporters.add((event.stream_id, event.data["supporter"]))
        if event.type == "ProposalImported":
            origin = Origin.from_data(event.data["origin"], event.stream_id)
            self._txn.origins.add((event.data["plan"], origin.key))
        recorded = RecordedEvent(len(self._txn.events) + 1, str(uuid.uuid4()), event)
        self._txn.events.append(recorded)
        return recorded

    def _keep(self, aggregate: Aggregate) -> None:
        if isinstance(aggregate, Plan):
            self._txn.plans[aggregate.state.plan_id] = copy_plan(aggregate.state)
            return
        if isinstance(aggregate, Commitment):
            kept = aggregate.state
            self._txn.commitments[kept.commitment_id] = copy_commitment(kept)
            self._txn.plans[kept.plan_id].commitment_count = max(
                self._txn.plans[kept.plan_id].commitment_count, kept.number)
            return
        state = aggregate.state
        self._txn.proposals[state.proposal_id] = copy_proposal(state)
        self._txn.plans[state.plan_id].proposal_count = max(
            self._txn.plans[state.plan_id].proposal_count, state.number)

    def write_schedule(self, schedule: Schedule) -> None:
        """Cancel and add deadlines."""
        for plan_id, phase_id, kinds in schedule.cancel:
            for stored in self._txn.deadlines.values():
                d = stored.deadline
                if (d.plan_id, d.phase_id) == (plan_id, phase_id) and d.kind in kinds and (
                        stored.status == "pending"):
                    stored.status = "cancelled"
        for deadline in schedule.add:
            self._txn.deadlines[deadline.deadline_id] = StoredDeadline(deadline)

    def write_notices(self, notices: list[Notice], now: dt.datetime) -> None:
        """Put the notices in the outbox."""
        self._txn.outbox += notices

    def commit(self) -> None:
        """Put the transaction's copy in the store."""
        self.store.__dict__.update(self._txn.__dict__)

    def stored_definition(self, definition_id: str, version: int) -> StoredDefinition | None:
        """Read a stored definition, or None."""
        return self._txn.definitions.get((definition_id, version))

    def save_definition(self, stored: StoredDefinition) -> None:
        """Store a definition."""
        self._txn.definitions[(stored.entry.id, stored.entry.version)] = stored

    def delete_definition(self, definition_id: str, version: int) -> None:
        """Remove a stored definition."""
        del self._txn.definitions[(definition_id, version)]

    def plans_pinning(self, definition_id: str) -> list[PinnedPlan]:
        """Return the plans made from a definition id, with the version and hash they pin."""
        return [PinnedPlan(p.plan_id, p.definition.version, p.definition_hash)
                for p in self._txn.plans.values() if p.definition.id == definition_id]


def in_memory(clock: Clock = utc_now) -> tuple[Services, MemoryStore]:
    """Return services over a fresh memory store (the fast lane's database), and the store."""
    store = MemoryStore()
    return Services(lambda: FakeUnitOfWork(store), clock), store
