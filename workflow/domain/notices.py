"""Notices: who must be told of which events, decided with the events themselves.

The definition's ``notifications`` rules say which moments are told, to which
audiences and by which channel. A command's recorded events are read as
moments (a phase opened, a decision waiting for votes, a proposal answered,
...); every rule that matches a moment adds its recipients. A notice becomes
outbox rows in the same transaction as the events that cause it, so nothing is
told that did not happen and nothing that happened goes untold.

A phase overdue or waiting to open carries, in ``decisions``, where each decision
it waits for stands (its tally, its status and, when it cannot pass as things
stand, why), and so does a decision waiting for votes: staff are told why a
phase will not move on by itself.

A commitment's moments (approved, a milestone due soon or overdue, assessed)
carry the commitment, and the milestone, in words.

Recipients are named here by who they are (a member, a proposal's proponent, a
commitment's implementing agency, the staff, the public); storage turns members,
proponents and agencies into the email addresses given for them (a proponent's
only with consent). A message's key is the
event's id, the topic and the recipient, stable across retries so a receiver
can drop duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from definitions.messages import say
from definitions.schema import Definition, NoticeRule
from workflow.domain import quorum
from workflow.domain.catalog import Catalog
from workflow.domain.events import RecordedEvent
from workflow.domain.state import CommitmentState, PlanState, ProposalState

PHASE_MOMENTS: dict[str, str] = {
    "PhaseOpened": "phase_opened",
    "PhaseClosingSoon": "phase_closing_soon",
    "PhaseClosed": "phase_closed",
    "PhaseOverdue": "phase_overdue",
    "PhaseHeld": "phase_waiting",
    "PhaseExtended": "phase_extended",
}
"""Plan events that are phase moments, and their topics."""

CONTACT_KINDS = ("member", "proponent", "agency")
"""Recipients reached at an address they gave (the others are named by the deployment)."""

WAITING_ON_CLOSE = ("PhaseOpened", "PhaseClosingSoon", "PhaseOverdue")
"""Phase events that make the decisions a phase needs to close wait for votes."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who is told, by which channel.

    ``kind`` is ``member`` or ``proponent`` (``key``: the member's or proposal's
    id, whose address storage looks up), ``staff`` or ``public`` (the
    deployment's addresses), or, on the log channel, any of them.
    """

    channel: str
    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to send about one event: its topic, what it says and its recipients."""

    message_id: str
    plan_id: str
    position: int
    topic: str
    data: dict[str, Any]
    recipients: tuple[Recipient, ...]


@dataclass(frozen=True, slots=True)
class Moment:
    """Something a rule can match: a topic, about a phase and/or a decision."""

    topic: str
    record: RecordedEvent
    data: dict[str, Any]
    phase: str | None = None
    decision: str | None = None
    subject: str | None = None


def notices_for(state: PlanState, catalog: Catalog,
                recorded: Iterable[RecordedEvent]) -> list[Notice]:
    """Return the notices a plan's newly recorded events call for."""
    rules = state.definition.notifications
    if not rules:
        return []
    found = []
    for record in recorded:
        for moment in _plan_moments(state, catalog, record):
            recipients = _recipients(rules, moment, state, catalog)
            if recipients:
                found.append(_notice(state.plan_id, state.definition, moment, recipients))
    return found


def proposal_notices(definition: Definition, proposal: ProposalState,
                     recorded: Iterable[RecordedEvent]) -> list[Notice]:
    """Return the notices a proposal's newly recorded events call for (it was answered)."""
    rules, final = definition.notifications, definition.proposals.final
    found = []
    for record in recorded:
        if not rules or record.type != "ProposalTransitioned" or proposal.state not in final:
            continue
        data = {**record.event.data, "proposal": proposal.proposal_id, "number": proposal.number,
                "title": proposal.title, "state": proposal.state,
                "response": record.event.data.get("response") or proposal.response}
        moment = Moment("proposal_answered", record, data)
        recipients = tuple(Recipient(rule.by, "proponent", proposal.proposal_id)
                           for rule in rules if _matches(rule, moment))
        if recipients:
            found.append(_notice(proposal.plan_id, definition, moment,
                                 tuple(dict.fromkeys(recipients))))
    return found


COMMITMENT_MOMENTS: dict[str, str] = {
    "MilestoneDueSoon": "milestone_due_soon",
    "MilestoneOverdue": "milestone_overdue",
    "CommitmentAssessed": "commitment_assessed",
}
"""Commitment events that are moments, and their topics (an approval is a transition)."""


def commitment_notices(state: PlanState, catalog: Catalog, commitment: CommitmentState,
                       recorded: Iterable[RecordedEvent]) -> list[Notice]:
    """Return the notices a commitment's newly recorded events call for."""
    rules, lifecycle = state.definition.notifications, catalog.commitments
    if not rules or lifecycle is None:
        return []
    found = []
    for record in recorded:
        topic = COMMITMENT_MOMENTS.get(record.type)
        if record.type == "CommitmentTransitioned":
            source = record.event.data["from"]
            dest = lifecycle.machine.destination(source, record.event.data["trigger"])
            if (source in lifecycle.lifecycle.before_approval
                    and dest in lifecycle.lifecycle.implementation):
                topic = "commitment_approved"
        if topic is None:
            continue
        moment = Moment(topic, record, _commitment_data(commitment, record, state))
        recipients = _recipients(rules, moment, state, catalog, commitment.lead_agency)
        if recipients:
            found.append(_notice(state.plan_id, state.definition, moment, recipients))
    return found


def _commitment_data(commitment: CommitmentState, record: RecordedEvent,
                     plan: PlanState) -> dict[str, Any]:
    """Say the commitment (and the milestone, or the assessment) an event is about."""
    data = record.event.data
    told: dict[str, Any] = {**data, "commitment": commitment.commitment_id,
                            "number": commitment.number, "commitment_title": commitment.title,
                            "lead_agency": commitment.lead_agency}
    milestone = commitment.milestones.get(data.get("milestone", ""))
    if milestone is not None:
        told |= {"description": milestone.description, "output": milestone.output,
                 "responsible": milestone.responsible, "due": milestone.due.isoformat()}
    elif record.type == "CommitmentAssessed":
        locale = plan.definition.locale
        told |= {"completion_words": say(locale, f"completion.{data['completion']}"),
                 "opened_words": say(locale, f"opened.{data['opened_government']}")}
    else:
        told |= {k: commitment.fields[k] for k in ("starts", "ends") if k in commitment.fields}
    return told


def _plan_moments(state: PlanState, catalog: Catalog,
                  record: RecordedEvent) -> Iterator[Moment]:
    data = record.event.data
    if record.type in PHASE_MOMENTS:
        phase = data["phase"]
        waiting = (_close_decisions(catalog, phase) if record.type in WAITING_ON_CLOSE
                   else _open_decisions(catalog, phase) if record.type == "PhaseHeld" else ())
        told = _phase_data(state, catalog, phase, data)
        if record.type in ("PhaseOverdue", "PhaseHeld"):
            told["decisions"] = [_decision_data(state, catalog, d) for d in waiting
                                 if not state.decisions[d].approved]
        yield Moment(PHASE_MOMENTS[record.type], record, told, phase=phase)
        for decision in waiting:
            if not state.decisions[decision].approved:
                yield Moment("decision_waiting", record,
                             {**_decision_data(state, catalog, decision),
                              **_phase_data(state, catalog, phase, {})},
                             phase=phase, decision=decision, subject=decision)
    elif record.type == "DecisionApproved":
        decision = data["decision"]
        yield Moment("decision_approved", record,
                     {**data, **_decision_data(state, catalog, decision)}, decision=decision)


def _phase_data(state: PlanState, catalog: Catalog, phase: str,
                data: dict[str, Any]) -> dict[str, Any]:
    region, spec = state.phases[phase], catalog.phases[phase]
    return {**data, "phase": phase, "phase_title": spec.title, "phase_number": spec.number,
            "starts": region.starts_on.isoformat(), "ends": region.ends_on.isoformat()}


def _decision_data(state: PlanState, catalog: Catalog, decision: str) -> dict[str, Any]:
    """Say where a decision stands: its tally, its status and, if it cannot pass, why."""
    spec = catalog.decisions[decision]
    where = quorum.standing(spec, state.decisions[decision], state.members)
    tally = where.tally
    return {"decision": decision, "decision_title": spec.title, "approvals": tally.approvals,
            "rejections": tally.rejections, "voters": tally.voters, "needed": tally.needed,
            "status": where.status, "why": quorum.reason(where, state.definition)}


def _close_decisions(catalog: Catalog, phase: str) -> list[str]:
    spec = catalog.phases[phase]
    named = [c.decision for c in spec.close_when if c.kind == "decision_approved"]
    named += [a.decision for a in spec.activities if a.decision is not None]
    return list(dict.fromkeys(named))


def _open_decisions(catalog: Catalog, phase: str) -> list[str]:
    return [c.decision for c in catalog.phases[phase].open_when if c.kind == "decision_approved"]


def _recipients(rules: tuple[NoticeRule, ...], moment: Moment, state: PlanState,
                catalog: Catalog, agency: str | None = None) -> tuple[Recipient, ...]:
    found: list[Recipient] = []
    for rule in rules:
        if _matches(rule, moment):
            for audience in rule.to:
                if audience == "implementing_agency":
                    found += [Recipient(rule.by, "agency", agency)] if agency else []
                else:
                    found += _audience(rule.by, audience, moment, state, catalog)
    return tuple(dict.fromkeys(found))


def _matches(rule: NoticeRule, moment: Moment) -> bool:
    return (moment.topic in rule.events
            and (not rule.phases or moment.phase in rule.phases)
            and (not rule.decisions or moment.decision in rule.decisions))


def _audience(by: str, audience: str, moment: Moment, state: PlanState,
              catalog: Catalog) -> list[Recipient]:
    if audience == "committee":
        return [Recipient(by, "member", m) for m in sorted(state.members)]
    if audience == "pending_voters" and moment.decision is not None:
        spec, decision = catalog.decisions[moment.decision], state.decisions[moment.decision]
        return [Recipient(by, "member", m)
                for m in sorted(quorum.eligible(spec, state.members) - set(decision.votes))]
    if audience in ("staff", "public"):
        return [Recipient(by, audience, audience)]
    return []


def _notice(plan_id: str, definition: Definition, moment: Moment,
            recipients: tuple[Recipient, ...]) -> Notice:
    record = moment.record
    topic = moment.topic if moment.subject is None else f"{moment.topic}.{moment.subject}"
    return Notice(f"{record.event_id}:{topic}", plan_id, record.position, moment.topic,
                  {**moment.data, **_plan_data(plan_id, definition),
                   "occurred_at": record.event.occurred_at.isoformat()}, recipients)


def _plan_data(plan_id: str, definition: Definition) -> dict[str, Any]:
    return {"plan": plan_id, "plan_title": definition.title, "locale": definition.locale,
            "timezone": definition.timezone, "committee": definition.committee.name}
