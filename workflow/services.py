"""Services: one handler per command, in one table, each run in one unit of work.

:meth:`Services.handle` checks the ids a command names, opens a unit of work and
runs the command's handler. A handler loads what it needs, lets the domain decide
and record events, then calls :func:`commit`: the unit of work writes the events
and projections, the domain says which deadlines and notices they imply, the unit
of work writes those too, and everything commits in one transaction. Entry points
(CLI, API, simulation, scheduler) build commands (:mod:`workflow.commands`) and map
the typed errors of :mod:`workflow.domain.errors` to answers in one place each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import islice
from typing import Any, TypeVar

from definitions.messages import resolved
from definitions.registry import shipped_definition, shipped_definitions
from workflow.commands import (
    AddDefinition,
    AddMember,
    AssessCommitment,
    CastVote,
    ClosePhase,
    Command,
    CompleteActivity,
    CreatePlan,
    DraftCommitment,
    ExtendPhase,
    FireCommitmentTrigger,
    FireDeadline,
    FireTrigger,
    ImportProposals,
    LinkProposal,
    OpenPhase,
    PlanCommand,
    RecordMeeting,
    RemoveDefinition,
    ReportMilestone,
    ReviseCommitment,
    SaveAgencyContact,
    SubmitProposal,
    SupportProposal,
    UnlinkProposal,
)
from workflow.domain import effects
from workflow.domain.clock import Clock, utc_now
from workflow.domain.commitment import Commitment, commitment_id
from workflow.domain.contacts import checked_email, proponent_email
from workflow.domain.deadlines import MILESTONE_KINDS, Deadline
from workflow.domain.events import RecordedEvent
from workflow.domain.failures import already_exists, invalid, not_found, stale_version
from workflow.domain.fields import Targets
from workflow.domain.guards import ProposalCensus
from workflow.domain.importing import Importer, ImportReport
from workflow.domain.imports import Incoming
from workflow.domain.library import (
    SHIPPED,
    Added,
    Entry,
    Reference,
    admit,
    check_removal,
    entry_of,
    shipped_fixed,
    to_store,
)
from workflow.domain.milestones import parse_subject
from workflow.domain.phase_clock import on_deadline, settle
from workflow.domain.plan import Plan, shift_days
from workflow.domain.proposal import Proposal
from workflow.domain.quorum import Tally
from workflow.domain.state import CommitmentState, ProposalState
from workflow.domain.supports import supporter_id
from workflow.domain.texts import check_keys
from workflow.ports import UnitOfWork

R = TypeVar("R")
PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
UNREAD = None
"""The language of errors found before a plan is read (its own is not known yet), as for
an unknown plan: the deployment's. The ids a command names are checked then, before any
lookup."""


def check_version(locale: str, stream: str, expected: int | None, actual: int) -> None:
    """Raise ConcurrencyError when the caller read an older version than the current one."""
    if expected is not None and expected != actual:
        raise stale_version(locale, stream, expected, actual)


def write(uow: UnitOfWork, now: dt.datetime) -> list[RecordedEvent]:
    """Write the tracked aggregates' new events and what they imply; the events.

    The one place a command's side effects are decided: the deadlines and notices
    its events call for (:mod:`workflow.domain.effects`), handed to the unit of work.
    """
    written: list[RecordedEvent] = []
    for aggregate, recorded in uow.flush():
        uow.write_schedule(effects.deadline_changes(aggregate, recorded))
        uow.write_notices(effects.notices(aggregate, recorded), now)
        written += recorded
    return written


def commit(uow: UnitOfWork, now: dt.datetime,
           written: list[RecordedEvent] | None = None) -> list[RecordedEvent]:
    """Write what is left to write (:func:`write`), then commit; every event written.

    ``written`` are the events the command wrote before (in this transaction).
    """
    done = [*(written or []), *write(uow, now)]
    uow.commit()
    return done


def on_plan(command: PlanCommand[Any], uow: UnitOfWork, now: dt.datetime,
            act: Callable[[Plan], R]) -> tuple[R, list[RecordedEvent]]:
    """Load the command's plan (checking the version it expects), act on it, settle, commit.

    Settling lets waiting phases open and self-closing overdue phases close as soon
    as the change lets them; what ``act`` returned comes back with the events written.
    """
    plan = uow.plan(command.plan)
    check_version(plan.locale, command.plan, getattr(command, "expected_version", None),
                  plan.state.version)
    uow.add(plan)
    result = act(plan)
    settle(plan, now, uow.census)
    return result, commit(uow, now)


class CensusAfter:
    """A census as it will read once one proposal's move (not yet written) is."""

    def __init__(self, base: ProposalCensus, before: ProposalState, after: ProposalState
                 ) -> None:
        self._base, self._id, self._before, self._after = base, after.proposal_id, before, after
        self._supports = after.supports

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count the plan's proposals outside ``states``, the moved one in its new state."""
        count, examples = self._base.outside(plan_id, states)
        was, now = self._before.state not in states, self._after.state not in states
        if was and not now:
            examples = [e for e in examples if e != self._id]
        return count + int(now) - int(was), examples

    def supports(self, plan_id: str, states: tuple[str, ...]) -> int:
        """Sum the supports of the plan's proposals in ``states``, the moved one as it now is."""
        total = self._base.supports(plan_id, states)
        if not states:
            return total
        after, before = self._after.state in states, self._before.state in states
        return total + self._supports * (int(after) - int(before))

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count the plan's proposals that feed no commitment, the moved one as it now is.

        A move changes the proposal's state, its outcome and what it merged into,
        never what commitments link, so only the moved proposal is counted anew.
        """
        count, examples = self._base.unlinked(plan_id, states)
        was, now = self._waits(self._before, states), self._waits(self._after, states)
        if was and not now:
            examples = [e for e in examples if e != self._id]
        elif now and not was and len(examples) < 3:
            examples = [*examples, self._id]
        return count + int(now) - int(was), examples

    def _waits(self, proposal: ProposalState, states: tuple[str, ...]) -> bool:
        target = proposal.merged_into
        return ((proposal.state in states or proposal.outcome in states)
                and not self._base.linked(proposal.proposal_id)
                and not (target is not None and self._base.linked(target)))

    def linked(self, proposal_id: str) -> bool:
        """Whether a commitment links this proposal itself (no move changes that)."""
        return self._base.linked(proposal_id)


def create_plan(command: CreatePlan, uow: UnitOfWork, now: dt.datetime) -> str:
    """Start a plan pinned to its definition; refuse an id that is taken or malformed."""
    definition = command.definition
    plan_id = command.plan_id or definition.id
    if not PLAN_ID.match(plan_id):
        raise invalid(definition.locale, "id", "field.plan_id")
    moved = shift_days(definition, command.shift_to)
    if uow.plan_exists(plan_id):
        raise already_exists(definition.locale, "plan", plan_id)
    uow.add(Plan.create(plan_id, definition, moved, command.actor, now))
    commit(uow, now)
    return plan_id


def open_phase(command: OpenPhase, uow: UnitOfWork, now: dt.datetime) -> list[RecordedEvent]:
    """Open a phase by hand."""
    return on_plan(command, uow, now, lambda plan: plan.open_phase(
        command.phase, command.reason, command.actor, now, uow.census))[1]


def close_phase(command: ClosePhase, uow: UnitOfWork, now: dt.datetime) -> list[RecordedEvent]:
    """Close a phase by hand."""
    return on_plan(command, uow, now, lambda plan: plan.close_phase(
        command.phase, command.reason, command.actor, now, uow.census))[1]


def extend_phase(command: ExtendPhase, uow: UnitOfWork, now: dt.datetime) -> list[RecordedEvent]:
    """Extend a phase to a new last day (a prórroga)."""
    return on_plan(command, uow, now, lambda plan: plan.extend_phase(
        command.phase, command.until, command.reason, command.actor, now))[1]


def add_member(command: AddMember, uow: UnitOfWork, now: dt.datetime) -> str:
    """Seat a member; keep the address notices reach (outside the log) when one is given."""

    def seat(plan: Plan) -> str:
        address = (None if command.email is None
                   else checked_email(plan.locale, "email", command.email))
        member_id = plan.add_member(command.name, command.group, command.actor, now)
        if address is not None:
            uow.save_contact(command.plan, "member", member_id, address, now)
        return member_id

    return on_plan(command, uow, now, seat)[0]


def cast_vote(command: CastVote, uow: UnitOfWork, now: dt.datetime) -> Tally:
    """Record a member's vote (passing the decision on quorum); the tally after it."""
    return on_plan(command, uow, now, lambda plan: plan.vote(
        command.decision, command.member, command.approve, command.actor, now))[0]


def complete_activity(command: CompleteActivity, uow: UnitOfWork,
                      now: dt.datetime) -> list[RecordedEvent]:
    """Mark an activity done with its evidence."""
    return on_plan(command, uow, now, lambda plan: plan.complete_activity(
        command.activity, command.evidence, command.actor, now))[1]


def record_meeting(command: RecordMeeting, uow: UnitOfWork,
                   now: dt.datetime) -> list[RecordedEvent]:
    """Record a meeting of the forum."""
    return on_plan(command, uow, now, lambda plan: plan.record_meeting(
        command.held_at, command.attendance, command.minutes, command.actor, now))[1]


def submit_proposal(command: SubmitProposal, uow: UnitOfWork, now: dt.datetime) -> str:
    """Receive a citizen proposal while the definition allows it; its id."""
    plan = uow.plan_context(command.plan)
    address = proponent_email(plan.locale, command.email, command.consent)
    proposal = Proposal.submit(plan, command.title, command.body, command.channel, command.mesa,
                               command.actor, now, uow.census)
    if address is not None:
        uow.save_contact(command.plan, "proponent", proposal.state.proposal_id, address, now)
    uow.add(proposal)
    commit(uow, now)
    return proposal.state.proposal_id


IMPORT_BATCH = 1000
"""An import writes its proposals this many at a time, in its one transaction: Python holds
one batch, though the process still grows with the file (about 3 KB a row measured, in the
drivers' and database's own buffers; see bench.decidim_import); nothing is committed before
the last row."""


def import_proposals(command: ImportProposals, uow: UnitOfWork,
                     now: dt.datetime) -> ImportReport:
    """Import a file's proposals into a plan in one transaction; what was (or would be) done.

    Each row the importer takes becomes a proposal received through the online
    channel when it was published; the rows are written a batch at a time and
    committed together at the end, unless the file turns out faulty (nothing is
    written) or it is a dry run (everything is done but the commit).
    """
    plan = uow.plan_context(command.plan)
    importer = Importer(plan, command.channel, uow.imported_origins(command.plan),
                        command.actor, now, command.source, command.dry_run)
    for batch in _batches(iter(command.rows(plan.locale)), IMPORT_BATCH):
        for row in batch:
            proposal = importer.take(row)
            if proposal is not None:
                uow.add(proposal)
        write(uow, now)
    if not command.dry_run:
        uow.commit()
    return importer.report


def _batches(rows: Iterator[Incoming], size: int) -> Iterator[list[Incoming]]:
    """Yield ``rows`` in lists of ``size`` (the last one shorter)."""
    while batch := list(islice(rows, size)):
        yield batch


def fire_trigger(command: FireTrigger, uow: UnitOfWork, now: dt.datetime) -> str:
    """Fire a declared trigger on a proposal; settle its plan if a phase waits on proposals."""
    proposal = uow.proposal(command.proposal)
    plan = uow.plan_context(proposal.state.plan_id)
    check_version(plan.locale, command.proposal, command.expected_version,
                  proposal.state.version)
    before = replace(proposal.state)
    proposal.fire(command.trigger, command.fields, plan.state, command.actor, now, uow.census,
                  _targets(uow, proposal, command))
    uow.add(proposal)
    if plan.needs_settling():
        writable = uow.plan(plan.state.plan_id)
        settle(writable, now, CensusAfter(uow.census, before, proposal.state))
        uow.add(writable)
    commit(uow, now)
    return proposal.state.state


def _targets(uow: UnitOfWork, proposal: Proposal, command: FireTrigger) -> Targets:
    """Read the proposals the trigger's proposal fields name (the target of a merge)."""
    specs = proposal.catalog.transitions.get(command.trigger)
    names = [] if specs is None else [f.name for f in specs.fields if f.kind == "proposal"]
    return {name: uow.proposal_state(str(command.fields[name]).strip())
            for name in names if command.fields.get(name)}


def support_proposal(command: SupportProposal, uow: UnitOfWork, now: dt.datetime) -> int:
    """Count one anonymous supporter of a proposal, once; the proposal's supports after it."""
    proposal = uow.proposal(command.proposal)
    plan = uow.plan_context(proposal.state.plan_id)
    supporter = supporter_id(plan.state.plan_id, command.supporter)
    proposal.support(supporter, plan.state, command.actor, now,
                     uow.has_support(command.proposal, supporter))
    uow.add(proposal)
    if plan.needs_settling():
        writable = uow.plan(plan.state.plan_id)
        settle(writable, now, uow.census)
        uow.add(writable)
    commit(uow, now)
    return proposal.state.supports


def fire_deadline(command: FireDeadline, uow: UnitOfWork, now: dt.datetime) -> str | None:
    """Fire a due deadline as the system actor, once: None when not pending or not due.

    The claim (a conditional update) and the events it causes commit together,
    so a deadline is fired exactly once however many schedulers race for it.
    """
    deadline = uow.claim_deadline(command.deadline_id, now, command.claimer)
    if deadline is None:
        return None
    if deadline.kind in MILESTONE_KINDS:
        outcome = _milestone_deadline(uow, deadline, now)
    else:
        plan = uow.plan(deadline.plan_id)
        uow.add(plan)
        outcome = on_deadline(plan, deadline, now, uow.census)
    uow.note_deadline(command.deadline_id, outcome)
    commit(uow, now)
    return outcome


def _milestone_deadline(uow: UnitOfWork, deadline: Deadline, now: dt.datetime) -> str:
    """Fire a milestone's due date or reminder on its commitment; the event type recorded."""
    number, _ = parse_subject(deadline.phase_id) or (0, "")
    commitment = uow.commitment(commitment_id(deadline.plan_id, number))
    uow.add(commitment)
    return commitment.on_deadline(deadline, now)


# -- commitments ----------------------------------------------------------------------------


def proposal_key(plan_id: str, ref: str) -> str:
    """Return the proposal id a reference names: an id, ``pN`` or the number N."""
    ref = ref.strip()
    if ref.isdigit():
        return f"{plan_id}.p{int(ref)}"
    if ref[:1] == "p" and ref[1:].isdigit():
        return f"{plan_id}.{ref}"
    return ref


def settled_commit(uow: UnitOfWork, plan_id: str, now: dt.datetime) -> None:
    """Commit a command that may change what a waiting phase waits for (links).

    When a phase of the plan waits on conditions, what is tracked is written first,
    so the census reads the new links; then the plan settles and everything commits.
    """
    plan = uow.plan_context(plan_id)
    if not plan.needs_settling():
        commit(uow, now)
        return
    early = write(uow, now)
    writable = uow.plan(plan_id)
    settle(writable, now, uow.census)
    uow.add(writable)
    commit(uow, now, early)


def draft_commitment(command: DraftCommitment, uow: UnitOfWork, now: dt.datetime) -> str:
    """Draft a commitment and link the proposals it names; its id."""
    plan = uow.plan_context(command.plan)
    commitment = Commitment.draft(plan, command.content, command.actor, now, uow.census)
    for ref in command.content.proposals:
        key = proposal_key(command.plan, ref)
        commitment.link(uow.proposal_state(key), key, command.actor, now)
    uow.add(commitment)
    settled_commit(uow, command.plan, now)
    return commitment.state.commitment_id


CommitmentCommand = (ReviseCommitment | LinkProposal | UnlinkProposal | FireCommitmentTrigger
                     | ReportMilestone | AssessCommitment)


def on_commitment(command: CommitmentCommand, uow: UnitOfWork, now: dt.datetime,
                  act: Callable[[Commitment], None]) -> CommitmentState:
    """Load the command's commitment (checking the version it expects), act on it, commit."""
    commitment = uow.commitment(command.commitment)
    check_version(commitment.locale, command.commitment, command.expected_version,
                  commitment.state.version)
    act(commitment)
    uow.add(commitment)
    settled_commit(uow, commitment.state.plan_id, now)
    return commitment.state


def revise_commitment(command: ReviseCommitment, uow: UnitOfWork,
                      now: dt.datetime) -> CommitmentState:
    """Revise a commitment's fields and milestones."""
    return on_commitment(command, uow, now, lambda c: c.revise(command.content, command.actor,
                                                               now, uow.census))


def link_proposal(command: LinkProposal, uow: UnitOfWork, now: dt.datetime) -> CommitmentState:
    """Link a proposal to a commitment."""

    def link(commitment: Commitment) -> None:
        key = proposal_key(commitment.state.plan_id, command.proposal)
        commitment.link(uow.proposal_state(key), key, command.actor, now)

    return on_commitment(command, uow, now, link)


def unlink_proposal(command: UnlinkProposal, uow: UnitOfWork,
                    now: dt.datetime) -> CommitmentState:
    """Unlink a proposal from a commitment, with the reason."""

    def unlink(commitment: Commitment) -> None:
        key = proposal_key(commitment.state.plan_id, command.proposal)
        commitment.unlink(key, command.reason, command.actor, now)

    return on_commitment(command, uow, now, unlink)


def fire_commitment_trigger(command: FireCommitmentTrigger, uow: UnitOfWork,
                            now: dt.datetime) -> CommitmentState:
    """Fire a declared trigger on a commitment."""
    return on_commitment(command, uow, now, lambda c: c.fire(
        command.trigger, command.fields, command.actor, now, uow.census))


def report_milestone(command: ReportMilestone, uow: UnitOfWork,
                     now: dt.datetime) -> CommitmentState:
    """Report progress on a milestone (done or not), with evidence."""
    return on_commitment(command, uow, now, lambda c: c.report(
        command.milestone, command.progress, command.evidence, command.done, command.actor, now))


def assess_commitment(command: AssessCommitment, uow: UnitOfWork,
                      now: dt.datetime) -> CommitmentState:
    """Record the evaluator's assessment of a commitment (or correct it)."""
    return on_commitment(command, uow, now, lambda c: c.assess(
        command.completion, command.opened_government, command.text, command.evidence,
        command.reason, command.actor, now))


def save_agency_contact(command: SaveAgencyContact, uow: UnitOfWork, now: dt.datetime) -> None:
    """Keep an implementing agency's address for the notices it is told."""
    plan = uow.plan_context(command.plan)
    address = checked_email(plan.locale, "email", command.email)
    agency = command.agency.strip()
    if not agency:
        raise invalid(plan.locale, "agency", "field.blank")
    uow.save_contact(command.plan, "agency", agency, address, now)
    uow.commit()


def shipped_entry(definition_id: str) -> Entry | None:
    """Return the library entry of the definition shipped as ``definition_id``, if one is."""
    if definition_id not in shipped_definitions():
        return None
    return entry_of(shipped_definition(definition_id), SHIPPED)


def add_definition(command: AddDefinition, uow: UnitOfWork, now: dt.datetime) -> Added:
    """Store a checked definition, unless its id@version is there already (shipped or stored)."""
    candidate = to_store(command.definition, command.yaml, command.actor, now)
    entry = candidate.entry
    there = admit(candidate, uow.stored_definition(entry.id, entry.version),
                  shipped_entry(entry.id))
    if there is not None:
        return Added(there, new=False)
    uow.save_definition(candidate)
    uow.commit()
    return Added(entry, new=True)


def remove_definition(command: RemoveDefinition, uow: UnitOfWork, now: dt.datetime) -> Entry:
    """Remove a stored definition's version; refused for a shipped one or one a plan pins.

    The plans are read under the write lock that creating a plan takes too: a plan is
    either seen here or created after the removal (and pins its whole definition in
    its first event, so it runs all the same).
    """
    reference = Reference(command.definition, command.version)
    shipped = shipped_entry(command.definition)
    if shipped is not None and shipped.version == command.version:
        raise shipped_fixed(resolved(UNREAD), reference)
    stored = uow.stored_definition(command.definition, command.version)
    if stored is None:
        raise not_found(resolved(UNREAD), "definition", str(reference))
    check_removal(stored.entry, uow.plans_pinning(command.definition))
    uow.delete_definition(command.definition, command.version)
    uow.commit()
    return stored.entry


Handler = Callable[[Any, UnitOfWork, dt.datetime], Any]
HANDLERS: dict[type[Command[Any]], Handler] = {
    CreatePlan: create_plan,
    OpenPhase: open_phase,
    ClosePhase: close_phase,
    ExtendPhase: extend_phase,
    AddMember: add_member,
    CastVote: cast_vote,
    CompleteActivity: complete_activity,
    RecordMeeting: record_meeting,
    SubmitProposal: submit_proposal,
    FireTrigger: fire_trigger,
    ImportProposals: import_proposals,
    SupportProposal: support_proposal,
    DraftCommitment: draft_commitment,
    ReviseCommitment: revise_commitment,
    LinkProposal: link_proposal,
    UnlinkProposal: unlink_proposal,
    FireCommitmentTrigger: fire_commitment_trigger,
    ReportMilestone: report_milestone,
    AssessCommitment: assess_commitment,
    SaveAgencyContact: save_agency_contact,
    FireDeadline: fire_deadline,
    AddDefinition: add_definition,
    RemoveDefinition: remove_definition,
}
"""Every command and the handler that runs it: the one table of what cocrea can be asked."""


class Services:
    """Runs commands: each one's handler in a unit of work of its own, at the clock's now."""

    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock = utc_now) -> None:
        self._uow = uow
        self._clock = clock

    def handle(self, command: Command[R]) -> R:
        """Run ``command`` in one transaction and return what its handler returns."""
        check_keys(UNREAD, **command.keys())
        handler = HANDLERS[type(command)]
        with self._uow() as uow:
            result: R = handler(command, uow, self._clock())
        return result
