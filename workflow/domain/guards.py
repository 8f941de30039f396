"""Guards: small side-effect-free callables compiled from a definition's conditions.

A guard takes a :class:`GuardContext` and returns ``None`` when its condition
holds, or the unmet condition in words (in the plan's language) when it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from definitions import schema
from definitions.messages import join, say
from workflow.domain import quorum
from workflow.domain.errors import InternalError
from workflow.domain.events import Actor
from workflow.domain.state import CommitmentState, PlanState, ProposalState


class ProposalCensus(Protocol):
    """Counts a plan's proposals by state (the storage or the replay answers)."""

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Return how many proposals are not in ``states``, and a few of their ids."""
        ...

    def supports(self, plan_id: str, states: tuple[str, ...]) -> int:
        """Return the supports of the plan's proposals in ``states`` (all when empty), in all."""
        ...

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Return how many proposals in (or answered from) ``states`` feed no commitment.

        A proposal feeds a commitment that links it, or that links the proposal it
        was merged into. A few of their ids come too.
        """
        ...

    def linked(self, proposal_id: str) -> bool:
        """Whether a commitment links this proposal itself."""
        ...


@dataclass(slots=True)
class GuardContext:
    """What a guard may look at: the plan, the actor, the trigger's fields, the census."""

    plan: PlanState
    actor: Actor
    phase_id: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    census: ProposalCensus | None = None
    proposal: ProposalState | None = None
    commitment: CommitmentState | None = None

    @property
    def locale(self) -> str:
        """The plan's language."""
        return self.plan.definition.locale


Guard = Callable[[GuardContext], str | None]


def unmet(guards: tuple[Guard, ...], ctx: GuardContext) -> list[str]:
    """Return every unmet condition among ``guards``, in words."""
    return [message for guard in guards if (message := guard(ctx)) is not None]


def holds(guards: tuple[Guard, ...], ctx: GuardContext) -> bool:
    """Whether every guard holds (``not unmet(guards, ctx)``, stopping at the first that fails).

    Replay asks this for every recorded transition; the loop costs half of ``all()``
    over a generator.
    """
    for guard in guards:  # noqa: SIM110
        if guard(ctx) is not None:
            return False
    return True


def quoted(locale: str, names: list[str]) -> str:
    """Return names from the definition as a list a person reads: each quoted, or 'none'."""
    return join([say(locale, "quoted", text=name) for name in names], locale)


def phase_title(ctx: GuardContext, phase_id: str) -> str:
    """Return the title of a phase of the context's plan."""
    return next(p.title for p in ctx.plan.definition.phases if p.id == phase_id)


def decision_approved(cond: schema.DecisionApproved) -> Guard:
    """Compile: the decision has passed; when it cannot as things stand, say why."""

    def guard(ctx: GuardContext) -> str | None:
        state = ctx.plan.decisions[cond.decision]
        if state.approved:
            return None
        definition = ctx.plan.definition
        decision = next(d for d in definition.committee.decisions if d.id == cond.decision)
        where = quorum.standing(decision, state, ctx.plan.members)
        why = quorum.reason(where, definition)
        if why is not None:
            waiting = where.status == "waiting"
            key = "guard.decision_waiting" if waiting else "guard.decision_blocked"
            return say(ctx.locale, key, title=decision.title, why=why)
        t = where.tally
        tally = say(ctx.locale, "tally", approvals=t.approvals, rejections=t.rejections,
                    voters=t.voters, needed=t.needed)
        return say(ctx.locale, "guard.decision_approved", title=decision.title, tally=tally)

    return guard


def activities_done(cond: schema.ActivitiesDone) -> Guard:
    """Compile: the listed activities, or the phase's required ones, are done."""

    def guard(ctx: GuardContext) -> str | None:
        wanted = cond.activities or required_activities(ctx)
        missing = [a for a in wanted if ctx.plan.activities[a].done_at is None]
        if not missing:
            return None
        titles = {a.id: a.title for p in ctx.plan.definition.phases for a in p.activities}
        return say(ctx.locale, "guard.activities_done",
                   missing=quoted(ctx.locale, [titles[a] for a in missing]))

    return guard


def required_activities(ctx: GuardContext) -> tuple[str, ...]:
    """Return the ids of the required activities of the context's phase."""
    phase = next(p for p in ctx.plan.definition.phases if p.id == ctx.phase_id)
    return tuple(a.id for a in phase.activities if a.required)


def phase_open(cond: schema.PhaseOpen) -> Guard:
    """Compile: the phase is running (open or overdue)."""

    def guard(ctx: GuardContext) -> str | None:
        region = ctx.plan.phases[cond.phase]
        if region.running:
            return None
        status = say(ctx.locale, f"status.{region.state}")
        return say(ctx.locale, "guard.phase_open", title=phase_title(ctx, cond.phase),
                   status=status)

    return guard


def phase_closed(cond: schema.PhaseClosed) -> Guard:
    """Compile: the phase is closed."""

    def guard(ctx: GuardContext) -> str | None:
        region = ctx.plan.phases[cond.phase]
        if region.state == "closed":
            return None
        status = say(ctx.locale, f"status.{region.state}")
        return say(ctx.locale, "guard.phase_closed", title=phase_title(ctx, cond.phase),
                   status=status)

    return guard


def proposals_in_states(cond: schema.ProposalsInStates) -> Guard:
    """Compile: every proposal of the plan is in one of the states."""

    def guard(ctx: GuardContext) -> str | None:
        if ctx.census is None:
            raise InternalError("proposals_in_states needs a proposal census")
        count, examples = ctx.census.outside(ctx.plan.plan_id, cond.states)
        if count == 0:
            return None
        return say(ctx.locale, "guard.proposals_in_states", count=count,
                   states=join(list(cond.states), ctx.locale),
                   examples=join(examples, ctx.locale))

    return guard


def committee_size(cond: schema.CommitteeSize) -> Guard:
    """Compile: at least ``min_members`` members, and ``per_group`` in every group."""

    def guard(ctx: GuardContext) -> str | None:
        members = list(ctx.plan.members.values())
        committee = ctx.plan.definition.committee
        short = [g.name for g in committee.groups
                 if sum(m.group == g.id for m in members) < cond.per_group]
        if len(members) >= cond.min_members and not short:
            return None
        return say(ctx.locale, "guard.committee_size", members=len(members),
                   min_members=cond.min_members, per_group=cond.per_group,
                   short=quoted(ctx.locale, short), committee=committee.name)

    return guard


def actor_role(cond: schema.ActorRole) -> Guard:
    """Compile: the actor holds one of the roles."""

    def guard(ctx: GuardContext) -> str | None:
        if ctx.actor.role in cond.roles:
            return None
        return say(ctx.locale, "guard.actor_role", role=ctx.actor.role,
                   roles=join(list(cond.roles), ctx.locale))

    return guard


def field_given(cond: schema.FieldGiven) -> Guard:
    """Compile: the trigger's field is given, at least ``min_length`` characters long."""

    def guard(ctx: GuardContext) -> str | None:
        value = str(ctx.fields.get(cond.field) or "").strip()
        if len(value) >= cond.min_length:
            return None
        return say(ctx.locale, "guard.field_given", field=cond.field, min_length=cond.min_length)

    return guard


def field_at_least(cond: schema.FieldAtLeast) -> Guard:
    """Compile: the trigger's whole-number field is given and at least the value."""

    def guard(ctx: GuardContext) -> str | None:
        given = ctx.fields.get(cond.field)
        if isinstance(given, int) and given >= cond.value:
            return None
        return say(ctx.locale, "guard.field_at_least", field=field_label(ctx, cond.field),
                   value=cond.value, given="—" if given is None else given)

    return guard


def field_in(cond: schema.FieldIn) -> Guard:
    """Compile: the trigger's field is one of the values."""

    def guard(ctx: GuardContext) -> str | None:
        given = ctx.fields.get(cond.field)
        if given is not None and str(given) in cond.values:
            return None
        return say(ctx.locale, "guard.field_in", field=field_label(ctx, cond.field),
                   values=join(list(cond.values), ctx.locale),
                   given="—" if given is None else given)

    return guard


def supports_at_least(cond: schema.SupportsAtLeast) -> Guard:
    """Compile: the proposal has ``count`` supports (in a phase: the plan's proposals, in all)."""

    def guard(ctx: GuardContext) -> str | None:
        if ctx.proposal is not None:
            have = ctx.proposal.supports
        elif ctx.census is not None:
            have = ctx.census.supports(ctx.plan.plan_id, cond.states)
        else:
            raise InternalError("supports_at_least needs a proposal or a census")
        if have >= cond.count:
            return None
        key = "guard.supports_at_least" if ctx.proposal is not None else "guard.plan_supports"
        return say(ctx.locale, key, count=cond.count, have=have)

    return guard


def proposals_linked(cond: schema.ProposalsLinked) -> Guard:
    """Compile: every proposal in (or answered from) the states feeds a commitment."""

    def guard(ctx: GuardContext) -> str | None:
        if ctx.census is None:
            raise InternalError("proposals_linked needs a proposal census")
        count, examples = ctx.census.unlinked(ctx.plan.plan_id, cond.states)
        if count == 0:
            return None
        return say(ctx.locale, "guard.proposals_linked", count=count,
                   states=join(list(cond.states), ctx.locale),
                   examples=join(examples, ctx.locale))

    return guard


def _commitment(ctx: GuardContext, kind: str) -> CommitmentState:
    if ctx.commitment is None:
        raise InternalError(f"{kind} needs a commitment")
    return ctx.commitment


def milestones_done(cond: schema.MilestonesDone) -> Guard:
    """Compile: every milestone of the commitment is reported done."""

    def guard(ctx: GuardContext) -> str | None:
        pending = [m.milestone_id for m in _commitment(ctx, cond.kind).milestones.values()
                   if not m.done]
        if not pending:
            return None
        return say(ctx.locale, "guard.milestones_done", count=len(pending),
                   milestones=join(pending, ctx.locale))

    return guard


def links_proposal(cond: schema.LinksProposal) -> Guard:
    """Compile: the commitment links at least ``count`` proposals."""

    def guard(ctx: GuardContext) -> str | None:
        have = len(_commitment(ctx, cond.kind).links)
        if have >= cond.count:
            return None
        return say(ctx.locale, "guard.links_proposal", count=cond.count, have=have)

    return guard


def actor_is_lead_agency(cond: schema.ActorIsLeadAgency) -> Guard:
    """Compile: the actor is an implementer acting for the commitment's lead agency."""

    def guard(ctx: GuardContext) -> str | None:
        agency = _commitment(ctx, cond.kind).lead_agency
        if ctx.actor.role == "implementer" and ctx.actor.agency == agency:
            return None
        return say(ctx.locale, "guard.actor_is_lead_agency", agency=agency)

    return guard


def field_label(ctx: GuardContext, name: str) -> str:
    """Return how people read a declared field's name (its label, else its name)."""
    lifecycle = ctx.plan.definition.commitments
    commitment_triggers = () if lifecycle is None else lifecycle.transitions
    for transition in (*ctx.plan.definition.proposals.transitions, *commitment_triggers):
        for spec in transition.fields:
            if spec.name == name and spec.label:
                return spec.label
    return name


COMPILERS: Mapping[str, Callable[..., Guard]] = {
    "decision_approved": decision_approved,
    "activities_done": activities_done,
    "phase_open": phase_open,
    "phase_closed": phase_closed,
    "proposals_in_states": proposals_in_states,
    "committee_size": committee_size,
    "actor_role": actor_role,
    "field_given": field_given,
    "field_at_least": field_at_least,
    "field_in": field_in,
    "supports_at_least": supports_at_least,
    "proposals_linked": proposals_linked,
    "milestones_done": milestones_done,
    "links_proposal": links_proposal,
    "actor_is_lead_agency": actor_is_lead_agency,
}


def compile_conditions(conditions: tuple[schema.Condition, ...]) -> tuple[Guard, ...]:
    """Compile a definition's conditions into guards, in order."""
    return tuple(COMPILERS[c.kind](c) for c in conditions)
