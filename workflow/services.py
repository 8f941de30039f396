"""Services: one method per command, each one unit of work (one transaction).

Entry points (CLI, API) parse input into these calls and map the typed errors
of :mod:`workflow.domain.errors` to answers in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from definitions.schema import Definition
from workflow.domain.clock import Clock, utc_now
from workflow.domain.contacts import checked_email, proponent_email
from workflow.domain.events import Actor, RecordedEvent
from workflow.domain.failures import already_exists, invalid, stale_version
from workflow.domain.guards import ProposalCensus
from workflow.domain.phase_clock import on_deadline, settle
from workflow.domain.plan import Plan, shift_days
from workflow.domain.proposal import Proposal
from workflow.domain.quorum import Tally
from workflow.domain.texts import check_keys
from workflow.ports import UnitOfWork

PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
UNREAD = None
"""The language of errors found before a plan is read (its own is not known yet), as for
an unknown plan: the deployment's. The ids a command names are checked then, before any
lookup."""


def check_version(locale: str, stream: str, expected: int | None, actual: int) -> None:
    """Raise ConcurrencyError when the caller read an older version than the current one."""
    if expected is not None and expected != actual:
        raise stale_version(locale, stream, expected, actual)


class CensusAfter:
    """A census as it will read once one proposal's move (not yet written) is."""

    def __init__(self, base: ProposalCensus, proposal_id: str, before: str, after: str) -> None:
        self._base, self._id, self._before, self._after = base, proposal_id, before, after

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Count the plan's proposals outside ``states``, the moved one in its new state."""
        count, examples = self._base.outside(plan_id, states)
        was, now = self._before not in states, self._after not in states
        if was and not now:
            examples = [e for e in examples if e != self._id]
        return count + int(now) - int(was), examples


class Services:
    """The commands of cocrea over a unit-of-work factory and a clock."""

    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock = utc_now) -> None:
        self._uow = uow
        self._clock = clock

    def create_plan(self, definition: Definition, actor: Actor, plan_id: str | None = None,
                    shift_to: dt.date | None = None) -> str:
        """Create a plan pinned to ``definition``; ``shift_to`` moves its first day there."""
        plan_id = plan_id or definition.id
        if not PLAN_ID.match(plan_id):
            raise invalid(definition.locale, "id", "field.plan_id")
        moved = shift_days(definition, shift_to)
        with self._uow() as uow:
            if uow.plan_exists(plan_id):
                raise already_exists(definition.locale, "plan", plan_id)
            uow.add(Plan.create(plan_id, definition, moved, actor, self._clock()))
            uow.commit()
        return plan_id

    def open_phase(self, plan_id: str, phase_id: str, reason: str, actor: Actor,
                   expected_version: int | None = None) -> list[RecordedEvent]:
        """Open a phase of a plan."""
        check_keys(UNREAD, plan=plan_id, phase=phase_id)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            now = self._clock()
            plan.open_phase(phase_id, reason, actor, now, uow.census)
            settle(plan, now, uow.census)
            return uow.commit()

    def close_phase(self, plan_id: str, phase_id: str, reason: str, actor: Actor,
                    expected_version: int | None = None) -> list[RecordedEvent]:
        """Close a phase of a plan."""
        check_keys(UNREAD, plan=plan_id, phase=phase_id)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            now = self._clock()
            plan.close_phase(phase_id, reason, actor, now, uow.census)
            settle(plan, now, uow.census)
            return uow.commit()

    def extend_phase(self, plan_id: str, phase_id: str, until: dt.date, reason: str,
                     actor: Actor, expected_version: int | None = None) -> list[RecordedEvent]:
        """Extend a phase to ``until`` (a prórroga)."""
        check_keys(UNREAD, plan=plan_id, phase=phase_id)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            now = self._clock()
            plan.extend_phase(phase_id, until, reason, actor, now)
            settle(plan, now, uow.census)
            return uow.commit()

    def add_member(self, plan_id: str, name: str, group: str, actor: Actor,
                   expected_version: int | None = None, email: str | None = None) -> str:
        """Add a member to the plan's committee (with the address notices reach); return its id."""
        check_keys(UNREAD, plan=plan_id, group=group)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            address = None if email is None else checked_email(plan.locale, "email", email)
            now = self._clock()
            member_id = plan.add_member(name, group, actor, now)
            if address is not None:
                uow.save_contact(plan_id, "member", member_id, address, now)
            settle(plan, now, uow.census)
            uow.commit()
        return member_id

    def vote(self, plan_id: str, decision_id: str, member_id: str, approve: bool,
             actor: Actor, expected_version: int | None = None) -> Tally:
        """Record a member's vote on a decision; return the tally after it."""
        check_keys(UNREAD, plan=plan_id, decision=decision_id, member=member_id)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            now = self._clock()
            tally = plan.vote(decision_id, member_id, approve, actor, now)
            settle(plan, now, uow.census)
            uow.commit()
        return tally

    def complete_activity(self, plan_id: str, activity_id: str, evidence: str, actor: Actor,
                          expected_version: int | None = None) -> list[RecordedEvent]:
        """Mark an activity done with its evidence."""
        check_keys(UNREAD, plan=plan_id, activity=activity_id)
        with self._uow() as uow:
            plan = self._plan(uow, plan_id, expected_version)
            now = self._clock()
            plan.complete_activity(activity_id, evidence, actor, now)
            settle(plan, now, uow.census)
            return uow.commit()

    def submit_proposal(self, plan_id: str, title: str, body: str, channel: str,
                        mesa: int | None, actor: Actor, email: str | None = None,
                        consent: bool = False) -> str:
        """Receive a citizen proposal; return its id.

        A proponent who gives an email and consents is told of the answer; an
        email without consent is not kept.
        """
        check_keys(UNREAD, plan=plan_id, channel=channel)
        with self._uow() as uow:
            plan = uow.plan_context(plan_id)
            address = proponent_email(plan.locale, email, consent)
            now = self._clock()
            proposal = Proposal.submit(plan, title, body, channel, mesa, actor, now, uow.census)
            if address is not None:
                uow.save_contact(plan_id, "proponent", proposal.state.proposal_id, address, now)
            uow.add(proposal)
            uow.commit()
        return proposal.state.proposal_id

    def fire(self, proposal_id: str, trigger: str, fields: Mapping[str, str | None],
             actor: Actor, expected_version: int | None = None) -> str:
        """Fire a trigger on a proposal; return its new state."""
        check_keys(UNREAD, proposal=proposal_id, trigger=trigger, into=fields.get("into"))
        with self._uow() as uow:
            proposal = uow.proposal(proposal_id)
            plan = uow.plan_context(proposal.state.plan_id)
            check_version(plan.locale, proposal_id, expected_version, proposal.state.version)
            into = fields.get("into")
            target = uow.proposal_state(into.strip()) if into else None
            now, before = self._clock(), proposal.state.state
            proposal.fire(trigger, fields, plan.state, actor, now, uow.census, target)
            uow.add(proposal)
            if plan.needs_settling():
                # A phase may wait on the proposals' states: the plan may move too.
                writable = uow.plan(plan.state.plan_id)
                census = CensusAfter(uow.census, proposal_id, before, proposal.state.state)
                settle(writable, now, census)
                uow.add(writable)
            uow.commit()
        return proposal.state.state

    def fire_deadline(self, deadline_id: str, claimer: str) -> str | None:
        """Fire a due deadline as the system actor, once: None when not pending or not due.

        The claim (a conditional update) and the events it causes commit together,
        so a deadline is fired exactly once however many schedulers race for it.
        """
        with self._uow() as uow:
            now = self._clock()
            deadline = uow.claim_deadline(deadline_id, now, claimer)
            if deadline is None:
                return None
            plan = uow.plan(deadline.plan_id)
            outcome = on_deadline(plan, deadline, now, uow.census)
            uow.add(plan)
            uow.note_deadline(deadline_id, outcome)
            uow.commit()
        return outcome

    def _plan(self, uow: UnitOfWork, plan_id: str, expected_version: int | None) -> Plan:
        plan = uow.plan(plan_id)
        check_version(plan.locale, plan_id, expected_version, plan.state.version)
        uow.add(plan)
        return plan
