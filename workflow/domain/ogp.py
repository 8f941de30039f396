"""OGP's minimum requirements judged from a plan's log: met, not met, or not yet known.

:func:`report` reads a plan as it was at a moment (its replayed state, its
proposals and its events in log order) against a rule set
(:mod:`definitions.ogp_rules`). Each rule's check says ``met`` with the events that
show it (their positions, dates, documents), ``not_met`` with what is missing, or
``unknown`` when the log cannot tell (nothing recorded, a link the definition does
not make, or a moment still to come). Where the log is silent the report says "not
known", never "met".
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping

from definitions.ogp_rules import Rule, RuleSet
from workflow.domain.deadlines import day_starts
from workflow.domain.ogp_facts import MET, Evidence, Facts, Judgement

__all__ = ["CHECKS", "Evidence", "Facts", "Judgement", "report"]

NOT_NEWS = ("PhaseClosingSoon", "DeadlineSkipped", "MilestoneDueSoon", "MilestoneOverdue")
"""Events that tell nothing new (a reminder, a deadline with nothing to do, a date passing)."""

KEPT = 100
"""A rule keeps its first pieces of evidence (and says how many there are in all)."""


def forum_sectors(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether both government and non-government members sit on the forum."""
    members = list(facts.plan.members.values())
    sectors = {facts.sector_of(m.group) for m in members}
    evidence = [facts.evidence(e, "member", name=e["data"]["name"],
                               group=facts.group_name(e["data"]["group"]))
                for e in facts.of_type("MemberAdded")]
    if {"government", "non_government"} <= sectors:
        return Judgement(MET, evidence)
    if None in {facts.sector_of(g.id) for g in facts.plan.definition.committee.groups}:
        return facts.not_known("sectors")
    return facts.not_met("sectors", evidence)


def forum_rules_published(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the activity linked to the forum's rules is done, with its document."""
    activity = facts.plan.definition.ogp.forum_rules
    if activity is None:
        return facts.not_known("no_link", link="forum_rules")
    done = [e for e in facts.of_type("ActivityDone") if e["data"]["activity"] == activity]
    if done:
        link = done[0]["data"]["evidence"]
        return Judgement(MET, [facts.evidence(done[0], "document", link, activity=activity)])
    state = facts.plan.activities[activity]
    if facts.phase_closed(state.phase_id):
        return facts.not_met("rules_not_published", activity=activity)
    return facts.not_known("not_yet")


def meetings_every(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the forum met at least every ``months`` months since the plan began."""
    meetings = sorted(facts.plan.meetings, key=lambda m: m.held_at)
    if not meetings:
        return facts.not_known("no_meetings")
    evidence = [facts.evidence(e, "meeting", e["data"].get("minutes"),
                               at=facts.when(e["data"]["held_at"]))
                for e in facts.of_type("MeetingRecorded")]
    moments = [facts.plan.created_at, *(m.held_at for m in meetings if m.held_at <= facts.until()),
               facts.until()]
    gap = _longest_gap(moments)
    if gap is not None and _months_between(*gap) > (rule.months or 6):
        return facts.not_met("gap", evidence, months=rule.months, since=facts.when(gap[0]),
                             until=facts.when(gap[1]))
    return Judgement(MET, evidence)


def record_updated_every(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the public record moved every ``months`` months and holds documents."""
    documents = [facts.evidence(e, "document", e["data"]["evidence"],
                                activity=e["data"]["activity"])
                 for e in facts.of_type("ActivityDone")]
    end = facts.until()
    moments = [at for e in facts.events if e["type"] not in NOT_NEWS
               and (at := dt.datetime.fromisoformat(e["occurred_at"])) <= end]
    if not documents:
        return facts.not_met("no_documents")
    gap = _longest_gap([*moments, end]) if moments else None
    if gap is not None and _months_between(*gap) > (rule.months or 4):
        return facts.not_met("record_gap", documents, months=rule.months,
                             since=facts.when(gap[0]), until=facts.when(gap[1]))
    return Judgement(MET, documents)


def timeline_before_cocreation(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the timeline was published ``days`` days before co-creation started."""
    phase = facts.plan.definition.ogp.cocreation_starts
    if phase is None:
        return facts.not_known("no_link", link="cocreation_starts")
    starts = day_starts(facts.plan.phases[phase].starts_on, facts.plan.definition.timezone)
    created = facts.of_type("PlanCreated")[0]
    ahead = (starts - facts.plan.created_at).days
    evidence = [facts.evidence(created, "timeline", starts=facts.when(starts))]
    if ahead >= (rule.days or 0):
        return Judgement(MET, evidence)
    return facts.not_met("late_timeline", evidence, days=rule.days, ahead=max(ahead, 0))


def proposals_received(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the public gave input: at least ``at_least`` proposals received."""
    received = facts.of_type("ProposalSubmitted", "ProposalImported")
    enough = len(received) >= (rule.at_least or 1)
    evidence = [facts.evidence(e, "proposal", number=e["data"]["number"])
                for e in (received[:KEPT] if enough else received)]  # said only when kept
    if enough:
        return Judgement(MET, evidence, total=len(received))
    if _reception_closed(facts):
        return facts.not_met("no_input", evidence, count=len(received))
    return facts.not_known("not_yet")


def every_proposal_answered(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether every proposal reached a final state with its reasoned response."""
    final = set(facts.plan.definition.proposals.final)
    pending = [p for p in facts.proposals if p.state not in final or not p.response]
    if not facts.proposals:
        return facts.not_known("no_proposals")
    if not pending:
        answered = [e for e in facts.of_type("ProposalTransitioned") if e["data"].get("response")]
        answers = [facts.evidence(e, "answered", number=_number(facts, e["stream"]))
                   for e in answered[:KEPT]]  # said only when kept
        return Judgement(MET, answers, total=len(answered))
    if facts.schedule_over():
        return facts.not_met("unanswered", count=len(pending),
                             examples=", ".join(p.proposal_id for p in pending[:5]))
    return facts.not_known("answers_pending", count=len(pending))


def plan_endorsed_by(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the plan's approval passed with votes of the ``sector``'s members."""
    decision = facts.plan.definition.ogp.plan_approval
    if decision is None:
        return facts.not_known("no_link", link="plan_approval")
    state = facts.plan.decisions[decision]
    if not state.approved:
        return facts.not_known("not_yet")
    votes = [e for e in facts.of_type("VoteCast") if e["data"]["decision"] == decision
             and e["data"]["approve"] and _member_sector(facts, e["data"]["member"]) == rule.sector]
    approved = [e for e in facts.of_type("DecisionApproved")
                if e["data"]["decision"] == decision]
    evidence = [facts.evidence(e, "vote", member=facts.member_name(e["data"]["member"]))
                for e in votes]
    evidence += [facts.evidence(e, "approved", decision=decision) for e in approved]
    return Judgement(MET, evidence) if votes else facts.not_met("no_endorsement", evidence)


def meeting_after_approval(rule: Rule, facts: Facts) -> Judgement:
    """Judge whether the forum met at least ``at_least`` times after the plan's approval."""
    decision = facts.plan.definition.ogp.plan_approval
    if decision is None:
        return facts.not_known("no_link", link="plan_approval")
    approved_at = facts.plan.decisions[decision].approved_at
    if approved_at is None:
        return facts.not_known("not_yet")
    if not facts.plan.meetings:
        return facts.not_known("no_meetings")
    after = [e for e in facts.of_type("MeetingRecorded")
             if dt.datetime.fromisoformat(e["data"]["held_at"]) > approved_at]
    evidence = [facts.evidence(e, "meeting", e["data"].get("minutes"),
                               at=facts.when(e["data"]["held_at"])) for e in after]
    if len(after) >= (rule.at_least or 1):
        return Judgement(MET, evidence)
    if _months_between(approved_at, facts.as_of) > 6:
        return facts.not_met("no_meeting_after", evidence)
    return facts.not_known("not_yet")


CHECKS: Mapping[str, Callable[[Rule, Facts], Judgement]] = {
    "forum_sectors": forum_sectors, "forum_rules_published": forum_rules_published,
    "meetings_every": meetings_every, "record_updated_every": record_updated_every,
    "timeline_before_cocreation": timeline_before_cocreation,
    "proposals_received": proposals_received, "every_proposal_answered": every_proposal_answered,
    "plan_endorsed_by": plan_endorsed_by, "meeting_after_approval": meeting_after_approval,
}
"""Each check a rule set may name, and how it judges a plan."""


def report(rules: RuleSet, facts: Facts) -> list[tuple[Rule, Judgement]]:
    """Judge the plan by every rule, in the rule set's order."""
    return [(rule, CHECKS[rule.check](rule, facts)) for rule in rules.rules]


def _longest_gap(moments: Iterable[dt.datetime]) -> tuple[dt.datetime, dt.datetime] | None:
    ordered = sorted(moments)
    pairs = list(itertools.pairwise(ordered))
    return max(pairs, key=lambda pair: pair[1] - pair[0]) if pairs else None


def _months_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).days / 30.4375


def _reception_closed(facts: Facts) -> bool:
    phases = [c.phase for c in facts.plan.definition.proposals.submit_when
              if c.kind == "phase_open"]
    return bool(phases) and all(facts.phase_closed(p) for p in phases)


def _number(facts: Facts, proposal_id: str) -> int | str:
    return next((p.number for p in facts.proposals if p.proposal_id == proposal_id), "?")


def _member_sector(facts: Facts, member_id: str) -> str | None:
    member = facts.plan.members.get(member_id)
    return None if member is None else facts.sector_of(member.group)
