"""The commitment aggregate: one commitment of the action plan, from draft to assessment.

A commitment is its own stream (``PLAN.cN``, numbered within the plan). It is
written on OGP's template (:mod:`definitions.commitments`), answers proposals
(links), runs through the definition's commitment lifecycle on the commitment
machine, has milestones whose due dates are deadlines (:mod:`workflow.domain.milestones`),
which the lead implementing agency reports on, and ends with the independent
evaluator's assessment. Every command checks what it may, records an event and
applies it through :class:`~workflow.domain.commitment_steps.Steps`, which replay uses too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from definitions.commitment_file import CommitmentContent
from definitions.commitments import COMPLETION, OPENED_GOVERNMENT
from definitions.messages import join, say
from workflow.domain.catalog import Catalog, Commitments
from workflow.domain.commitment_content import drafted, revised
from workflow.domain.commitment_steps import (
    EVALUATOR,
    IMPLEMENTER,
    Steps,
    drafted_state,
)
from workflow.domain.deadlines import Deadline, lateness
from workflow.domain.errors import InternalError
from workflow.domain.events import SYSTEM, Actor, DomainEvent
from workflow.domain.failures import (
    check_trigger,
    guard_failed,
    invalid,
    not_allowed,
    not_found,
)
from workflow.domain.fields import Reading, event_fields, read_fields
from workflow.domain.guards import GuardContext, ProposalCensus, unmet
from workflow.domain.milestones import parse_subject
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState, PlanState, ProposalState
from workflow.domain.texts import check_line, check_prose

MAX_EVIDENCE = 20


def commitment_id(plan_id: str, number: int) -> str:
    """Return the id of the ``number``-th commitment of a plan, e.g. ``cuenca-2022.c3``."""
    return f"{plan_id}.c{number}"


def lifecycle_of(catalog: Catalog, plan_id: str) -> Commitments:
    """Return the plan's commitments, or the error of a process that has none."""
    if catalog.commitments is None:
        raise invalid(catalog.definition.locale, "plan", "commitment.no_commitments",
                      plan=plan_id)
    return catalog.commitments


class Commitment:
    """One commitment, the plan it belongs to (read-only context) and its pending events."""

    def __init__(self, state: CommitmentState, catalog: Catalog, plan: PlanState) -> None:
        self.state, self.catalog, self.plan = state, catalog, plan
        self.lifecycle = lifecycle_of(catalog, state.plan_id)
        self.pending: list[DomainEvent] = []

    @property
    def locale(self) -> str:
        """The plan's language."""
        return self.catalog.definition.locale

    @classmethod
    def draft(cls, plan: Plan, content: CommitmentContent, actor: Actor, now: dt.datetime,
              census: ProposalCensus | None = None) -> Commitment:
        """Draft a commitment on OGP's template, with its milestones, as the definition allows."""
        lifecycle, locale = lifecycle_of(plan.catalog, plan.state.plan_id), plan.locale
        fields, milestones = drafted(content, lifecycle.lifecycle, locale)
        problems = unmet(lifecycle.draft_guards, GuardContext(plan.state, actor, census=census))
        if problems:
            raise guard_failed(locale, say(locale, "action.draft"), "draft", "-", problems)
        number = plan.state.commitment_count + 1
        data: dict[str, Any] = {"commitment": commitment_id(plan.state.plan_id, number),
                "plan": plan.state.plan_id, "number": number, "fields": fields,
                "milestones": milestones, **_agency(actor)}
        event = DomainEvent(data["commitment"], "commitment", 1, "CommitmentDrafted", data,
                            actor, now)
        commitment = cls(drafted_state(data, now, lifecycle), plan.catalog, plan.state)
        commitment.pending.append(event)
        plan.state.commitment_count = number
        return commitment

    # -- commands -------------------------------------------------------------------------

    def revise(self, content: CommitmentContent, actor: Actor, now: dt.datetime,
               census: ProposalCensus | None = None) -> None:
        """Change fields and milestones: freely before approval; after it, reasoned and allowed."""
        steps = self._steps(census)
        if not steps.open_to_change():
            raise self._refused("action.revise", "revise", "commitment.closed_to_change")
        reason = (content.reason or "").strip()
        if steps.running():
            if not reason:
                raise invalid(self.locale, "reason", "commitment.reason_after_approval")
            problems = unmet(self.lifecycle.revise_guards, steps.context(actor))
            if problems:
                raise guard_failed(self.locale, say(self.locale, "action.revise"), "revise",
                                   self.state.state, problems)
        if reason:
            check_prose(self.locale, "reason", reason)
        fields, milestones = revised(content, self.state, self.lifecycle.lifecycle, self.locale)
        data: dict[str, Any] = {**({"fields": fields} if fields else {}),
                                **({"milestones": milestones} if milestones else {}),
                                **({"reason": reason} if reason else {}), **_agency(actor)}
        self._record("CommitmentRevised", data, actor, now, census)

    def link(self, proposal: ProposalState | None, key: str, actor: Actor,
             now: dt.datetime) -> None:
        """Link a proposal of the same plan that this commitment answers."""
        if proposal is None:
            raise not_found(self.locale, "proposal", key)
        if proposal.plan_id != self.state.plan_id:
            raise invalid(self.locale, "proposal", "field.other_plan", key=key)
        if proposal.proposal_id in self.state.links:
            raise invalid(self.locale, "proposal", "commitment.linked_already",
                          proposal=proposal.proposal_id)
        if not self._steps(None).open_to_change():
            raise self._refused("action.link", "link", "commitment.closed_to_change")
        self._record("ProposalLinked", {"proposal": proposal.proposal_id, **_agency(actor)},
                     actor, now, None)

    def unlink(self, proposal_id: str, reason: str, actor: Actor, now: dt.datetime) -> None:
        """Unlink a proposal, with the reason (the link stays in the history)."""
        if proposal_id not in self.state.links:
            raise invalid(self.locale, "proposal", "commitment.not_linked", proposal=proposal_id)
        reason = _text(self.locale, "reason", reason, prose=True)
        self._record("ProposalUnlinked", {"proposal": proposal_id, "reason": reason,
                                          **_agency(actor)}, actor, now, None)

    def fire(self, trigger: str, fields: Mapping[str, object], actor: Actor, now: dt.datetime,
             census: ProposalCensus | None = None) -> None:
        """Fire a declared trigger with its fields, each read by its declared type."""
        check_trigger(self.locale, self.lifecycle.machine, self.state.state, trigger)
        spec = self.lifecycle.transitions[trigger]
        values = read_fields(spec.fields, fields, trigger,
                             Reading(self.state.commitment_id, self.state.plan_id,
                                     self.locale))
        steps = self._steps(census)
        problems = unmet(self.lifecycle.trigger_guards[trigger], steps.context(actor, values))
        if problems:
            raise guard_failed(self.locale, say(self.locale, "action.fire", title=spec.title),
                               trigger, self.state.state, problems)
        data = {"trigger": trigger, "from": self.state.state, **event_fields(values),
                **_agency(actor)}
        self._record("CommitmentTransitioned", data, actor, now, census)

    def report(self, milestone_id: str, progress: str, evidence: Sequence[str], done: bool,
               actor: Actor, now: dt.datetime) -> None:
        """Report progress on a milestone, with evidence; ``done`` marks it done.

        Staff may report on any commitment; an implementer only on those its
        agency leads.
        """
        if actor.role == IMPLEMENTER and actor.agency != self.state.lead_agency:
            raise not_allowed(self.locale, actor.role, self.state.lead_agency,
                              "commitment.other_agency", agency=actor.agency or "—",
                              lead=self.state.lead_agency)
        milestone = self.state.milestones.get(milestone_id)
        if milestone is None:
            raise not_found(self.locale, "milestone", milestone_id)
        if not self._steps(None).running():
            raise self._refused("action.report", "report", "commitment.not_running",
                                states=join(self.lifecycle.lifecycle.implementation,
                                            self.locale))
        if milestone.done:
            raise invalid(self.locale, "milestone", "commitment.milestone_done",
                          milestone=milestone_id)
        data = {"milestone": milestone_id, "progress": _text(self.locale, "progress", progress,
                                                             prose=True),
                "evidence": _evidence(self.locale, evidence), "done": done, **_agency(actor)}
        self._record("MilestoneReported", data, actor, now, None)

    def assess(self, completion: str, opened: str, text: str, evidence: Sequence[str],
               reason: str | None, actor: Actor, now: dt.datetime) -> None:
        """Record the evaluator's assessment, once; a later one corrects it, with a reason."""
        if actor.role != EVALUATOR:
            raise not_allowed(self.locale, actor.role, EVALUATOR, "commitment.only_evaluator")
        for field, value, scale in (("completion", completion, COMPLETION),
                                    ("opened_government", opened, OPENED_GOVERNMENT)):
            if value not in scale:
                raise invalid(self.locale, field, "field.choice", options=", ".join(scale))
        data: dict[str, Any] = {"completion": completion, "opened_government": opened,
                                "text": _text(self.locale, "text", text, prose=True),
                                "evidence": _evidence(self.locale, evidence)}
        lifecycle = self.lifecycle.lifecycle
        if self.state.state == lifecycle.assessed and self.state.assessment is not None:
            if not (reason or "").strip():
                raise invalid(self.locale, "reason", "commitment.correction_reason")
            data |= {"corrects": self.state.assessment["version"],
                     "reason": _text(self.locale, "reason", reason or "", prose=True)}
        elif self.state.state not in lifecycle.assessable:
            raise self._refused("action.assess", "assess", "commitment.not_assessable",
                                states=join(lifecycle.assessable, self.locale))
        self._record("CommitmentAssessed", data, actor, now, None)

    def on_deadline(self, deadline: Deadline, now: dt.datetime) -> str:
        """Do what a milestone's due deadline asks: it is overdue, or due soon; the event type."""
        found = parse_subject(deadline.phase_id)
        milestone = None if found is None else self.state.milestones.get(found[1])
        if milestone is None or milestone.done:
            raise InternalError(f"deadline {deadline.deadline_id} has nothing to do")
        data: dict[str, Any] = {"milestone": milestone.milestone_id,
                                "due": milestone.due.isoformat(),
                                "deadline": deadline.deadline_id,
                                **lateness(deadline.due_at, now)}
        if deadline.kind == "due":
            self._record("MilestoneOverdue", data, SYSTEM, now, None)
        else:
            self._record("MilestoneDueSoon", {**data, "days": deadline.days}, SYSTEM, now, None)
        return self.pending[-1].type

    # -- helpers --------------------------------------------------------------------------

    def _steps(self, census: ProposalCensus | None) -> Steps:
        return Steps(self.state, self.catalog, self.plan, census)

    def _refused(self, action: str, trigger: str, why: str, **params: object) -> Exception:
        status = self.state.state
        reason = say(self.locale, why, state=status, **params)
        return guard_failed(self.locale, say(self.locale, action), trigger, status, [reason])

    def _record(self, event_type: str, data: dict[str, Any], actor: Actor, now: dt.datetime,
                census: ProposalCensus | None) -> None:
        event = DomainEvent(self.state.commitment_id, "commitment", self.state.version + 1,
                            event_type, data, actor, now)
        self._steps(census).apply(event)
        self.pending.append(event)


def _agency(actor: Actor) -> dict[str, str]:
    """Return the agency an implementer's event records (nothing for anyone else)."""
    return {} if actor.agency is None else {"agency": actor.agency}


def _text(locale: str, field: str, value: str, prose: bool = False) -> str:
    text = value.strip()
    if not text:
        raise invalid(locale, field, "field.blank")
    (check_prose if prose else check_line)(locale, field, text)
    return text


def _evidence(locale: str, evidence: Sequence[str]) -> list[str]:
    """Return the evidence given (links or document ids, one line each), blanks dropped."""
    found = [item.strip() for item in evidence if item.strip()]
    if len(found) > MAX_EVIDENCE:
        raise invalid(locale, "evidence", "field.too_many", count=MAX_EVIDENCE)
    for i, item in enumerate(found):
        check_line(locale, f"evidence[{i}]", item)
    return found
