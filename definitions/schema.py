"""The process definition language: pydantic models of a YAML definition.

A definition is pure data. These models check the shape of each field
(unknown fields, missing fields, types, id syntax); the cross-references
between parts (phases naming decisions, transitions naming states, ...) are
checked by :mod:`definitions.checks`, which reports every problem at once.

Guard kinds are a tagged union on ``kind``::

    decision_approved    a committee decision has passed
    activities_done      the listed (default: every required) activities are done
    phase_open           another phase is open (or overdue, i.e. still running)
    phase_closed         another phase is closed
    proposals_in_states  every proposal of the plan is in one of the states
    committee_size       the committee has at least N members (and per group)
    actor_role           the actor has one of the roles
    field_given          the trigger's field is given (with a minimum length)
    field_at_least       the trigger's whole-number field is at least a value
    field_in             the trigger's field is one of some values
    supports_at_least    the proposal has at least N supports (in a trigger); the plan's
                         proposals (in some states) have at least N in all (in a phase)
    proposals_linked     every proposal in (or answered from) the states feeds a commitment
                         (a merged one through the proposal it was merged into; in a phase)
    milestones_done      every milestone of the commitment is reported done (commitments)
    links_proposal       the commitment links at least N proposals (commitments)
    actor_is_lead_agency the actor is an implementer of the commitment's lead agency
                         (commitments)

Commitments (``commitments:``, OGP's action-plan template) are their own lifecycle:
:class:`CommitmentLifecycle`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_serializer
from pydantic_core.core_schema import SerializerFunctionWrapHandler

Ident = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
]
DefinitionId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Strict(BaseModel):
    """Base model: unknown fields are errors and models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(Strict):
    """A group of the committee (and, for Cuenca, the convener of one mesa).

    ``sector`` says whether its members speak for government or not (OGP asks a
    forum to have both); unsaid, reports say that is not known.
    """

    id: Ident
    name: Text
    seats: int | None = Field(default=None, ge=1)
    sector: Literal["government", "non_government"] | None = None


class Quorum(Strict):
    """How many approving votes a decision needs, over the current members."""

    rule: Literal["majority", "two_thirds", "unanimity", "at_least"]
    count: int | None = Field(default=None, ge=1)


class Decision(Strict):
    """A committee decision, voted by individual members."""

    id: Ident
    title: Text
    quorum: Quorum
    voters: tuple[Ident, ...] = ()


class Committee(Strict):
    """The driving committee (Comité Impulsor): groups and decisions."""

    name: Text
    groups: tuple[Group, ...] = Field(min_length=1)
    decisions: tuple[Decision, ...] = ()


class DecisionApproved(Strict):
    """Guard: the decision has passed."""

    kind: Literal["decision_approved"]
    decision: Ident


class ActivitiesDone(Strict):
    """Guard: the listed activities (default: the phase's required ones) are done."""

    kind: Literal["activities_done"]
    activities: tuple[Ident, ...] = ()


class PhaseOpen(Strict):
    """Guard: the phase is running (open or overdue)."""

    kind: Literal["phase_open"]
    phase: Ident


class PhaseClosed(Strict):
    """Guard: the phase is closed."""

    kind: Literal["phase_closed"]
    phase: Ident


class ProposalsInStates(Strict):
    """Guard: every proposal of the plan is in one of the states."""

    kind: Literal["proposals_in_states"]
    states: tuple[Ident, ...] = Field(min_length=1)


class CommitteeSize(Strict):
    """Guard: the committee has at least ``min_members`` (and ``per_group``)."""

    kind: Literal["committee_size"]
    min_members: int = Field(default=1, ge=1)
    per_group: int = Field(default=0, ge=0)


class ActorRole(Strict):
    """Guard: the actor holds one of the roles."""

    kind: Literal["actor_role"]
    roles: tuple[Ident, ...] = Field(min_length=1)


class FieldGiven(Strict):
    """Guard: the trigger's field is given, at least ``min_length`` long."""

    kind: Literal["field_given"]
    field: Ident
    min_length: int = Field(default=1, ge=1)


class FieldAtLeast(Strict):
    """Guard: the trigger's whole-number field is at least ``value``."""

    kind: Literal["field_at_least"]
    field: Ident
    value: int


class FieldIn(Strict):
    """Guard: the trigger's field is one of ``values``."""

    kind: Literal["field_in"]
    field: Ident
    values: tuple[Annotated[str, StringConstraints(min_length=1, max_length=200)], ...] = Field(
        min_length=1)


class SupportsAtLeast(Strict):
    """Guard: at least ``count`` public supports.

    In a proposal trigger: the proposal has them. In a phase: the plan's proposals
    (those in ``states``, or all) have them in all.
    """

    kind: Literal["supports_at_least"]
    count: int = Field(ge=1)
    states: tuple[Ident, ...] = ()


class ProposalsLinked(Strict):
    """Guard (a phase): every proposal in, or answered from, ``states`` feeds a commitment.

    A proposal answered from a state (its ``outcome``) still counts as in it; a
    merged proposal feeds the commitments the proposal it was merged into feeds.
    """

    kind: Literal["proposals_linked"]
    states: tuple[Ident, ...] = Field(min_length=1)


class MilestonesDone(Strict):
    """Guard (a commitment trigger): every milestone of the commitment is reported done."""

    kind: Literal["milestones_done"]


class LinksProposal(Strict):
    """Guard (a commitment trigger): the commitment links at least ``count`` proposals."""

    kind: Literal["links_proposal"]
    count: int = Field(default=1, ge=1)


class ActorIsLeadAgency(Strict):
    """Guard (a commitment trigger): the actor is an implementer of its lead agency."""

    kind: Literal["actor_is_lead_agency"]


Condition = Annotated[
    DecisionApproved
    | ActivitiesDone
    | PhaseOpen
    | PhaseClosed
    | ProposalsInStates
    | CommitteeSize
    | ActorRole
    | FieldGiven
    | FieldAtLeast
    | FieldIn
    | SupportsAtLeast
    | ProposalsLinked
    | MilestonesDone
    | LinksProposal
    | ActorIsLeadAgency,
    Field(discriminator="kind"),
]

COMMITMENT_GUARDS = ("milestones_done", "links_proposal", "actor_is_lead_agency")
"""Guard kinds about one commitment: they stand only in commitment triggers and revisions."""


class Activity(Strict):
    """A checklist item of a phase, done with evidence."""

    id: Ident
    title: Text
    required: bool = True
    decision: Ident | None = None


class Phase(Strict):
    """A dated region of the plan; it runs from 00:00 of ``starts`` to the end of ``ends``.

    The scheduler opens it on its first day when ``open_when`` holds (else it
    waits, and opens as soon as the conditions are met) and closes it at the end
    of its last day when ``close_when`` holds (else it is overdue). An overdue
    phase then either closes by itself once the conditions are met
    (``when_overdue: close_when_met``) or waits for staff (``wait_for_staff``).
    ``reminders`` are the days before the close when "closes in N days" is due;
    ``extend_when`` are the conditions an extension (prórroga) needs.
    """

    id: Ident
    number: int = Field(ge=1)
    title: Text
    starts: dt.date = Field(strict=True)
    ends: dt.date = Field(strict=True)
    description: str = ""
    activities: tuple[Activity, ...] = ()
    open_when: tuple[Condition, ...] = ()
    close_when: tuple[Condition, ...] = ()
    extend_when: tuple[Condition, ...] = ()
    when_overdue: Literal["close_when_met", "wait_for_staff"] = "wait_for_staff"
    reminders: tuple[Annotated[int, Field(ge=1, le=366)], ...] = ()


class Channel(Strict):
    """An intake channel for proposals (online platform, mesas de trabajo)."""

    id: Ident
    name: Text
    mesas: int = Field(default=0, ge=0)


FieldType = Literal["text", "integer", "date", "url", "choice", "proposal"]


class FieldSpec(Strict):
    """A field a proposal trigger takes, declared by name and type.

    Two names keep a meaning of their own: ``response`` is the reasoned response
    (text) and ``into`` the proposal a merge goes into (a proposal). Any other name
    is the process's own: text (``min_length``, ``max_length``), a whole number
    (``minimum``, ``maximum``), a date, a web address, one of ``options``, or a
    proposal of the same plan. ``label`` is how people read its name.
    """

    name: Ident
    type: FieldType | None = None
    required: bool = True
    label: Text | None = None
    min_length: int | None = Field(default=None, ge=1, le=20000)
    max_length: int | None = Field(default=None, ge=1, le=20000)
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[Ident, ...] = ()

    @property
    def kind(self) -> FieldType:
        """The field's type (``into`` is a proposal and other undeclared types text)."""
        if self.type is not None:
            return self.type
        return "proposal" if self.name == "into" else "text"


class ProposalTransition(Strict):
    """A declared trigger of the proposal lifecycle."""

    trigger: Ident
    source: tuple[Ident, ...] = Field(min_length=1)
    dest: Ident
    title: Text
    fields: tuple[FieldSpec, ...] = ()
    when: tuple[Condition, ...] = ()


class SupportRule(Strict):
    """Public supports: in which proposal states (and while which phases run) they count.

    Supports are relayed by the intake platform with an anonymous supporter key:
    one support per key and proposal, never a name or an address.
    """

    states: tuple[Ident, ...] = Field(min_length=1)
    phases: tuple[Ident, ...] = ()


class ProposalLifecycle(Strict):
    """States and declared triggers of a citizen proposal (and its public supports, if any)."""

    initial: Ident
    states: tuple[Ident, ...] = Field(min_length=1)
    final: tuple[Ident, ...] = Field(min_length=1)
    channels: tuple[Channel, ...] = Field(min_length=1)
    submit_when: tuple[Condition, ...] = ()
    transitions: tuple[ProposalTransition, ...] = Field(min_length=1)
    supports: SupportRule | None = None


class TemplateField(Strict):
    """A field of OGP's commitment template the process asks for, with its label.

    ``field`` is one of OGP's fixed names (:data:`definitions.commitments.TEMPLATE`):
    what a value means and its type are OGP's; whether it is asked for (``required``)
    and how people read it (``label``) are the process's.
    """

    field: Ident
    label: Text
    required: bool = True


class MilestoneRules(Strict):
    """What every milestone's due date brings: reminders ``N`` days before it."""

    reminders: tuple[Annotated[int, Field(ge=1, le=366)], ...] = ()


class CommitmentTransition(ProposalTransition):
    """A declared trigger of the commitment lifecycle (as a proposal's: fields, guards)."""


class CommitmentLifecycle(Strict):
    """The commitments of the action plan: OGP's template, and one machine per commitment.

    ``drafting`` are the states before approval (a revision changes fields freely;
    default: the initial state); ``implementation`` the states in which milestones
    run (their due dates are deadlines, agencies report on them); a revision there
    needs a reason and ``revise_when``. The evaluator assesses a commitment in one of
    ``assessable``, which moves it to ``assessed``. ``draft_when`` are the conditions
    drafting one needs.
    """

    template: tuple[TemplateField, ...] = Field(min_length=1)
    milestones: MilestoneRules = MilestoneRules()
    draft_when: tuple[Condition, ...] = ()
    initial: Ident
    states: tuple[Ident, ...] = Field(min_length=1)
    final: tuple[Ident, ...] = Field(min_length=1)
    drafting: tuple[Ident, ...] = ()
    implementation: tuple[Ident, ...] = Field(min_length=1)
    assessable: tuple[Ident, ...] = Field(min_length=1)
    assessed: Ident
    revise_when: tuple[Condition, ...] = ()
    transitions: tuple[CommitmentTransition, ...] = Field(min_length=1)

    @property
    def before_approval(self) -> tuple[str, ...]:
        """The states before approval (``drafting``, else the initial state)."""
        return self.drafting or (self.initial,)


PHASE_EVENTS = ("phase_opened", "phase_closing_soon", "phase_closed", "phase_overdue",
                "phase_waiting", "phase_extended")
DECISION_EVENTS = ("decision_waiting", "decision_approved")
COMMITMENT_EVENTS = ("commitment_approved", "milestone_due_soon", "milestone_overdue",
                     "commitment_assessed")
NoticeEvent = Literal["phase_opened", "phase_closing_soon", "phase_closed", "phase_overdue",
                      "phase_waiting", "phase_extended", "decision_waiting",
                      "decision_approved", "proposal_answered", "commitment_approved",
                      "milestone_due_soon", "milestone_overdue", "commitment_assessed"]
Audience = Literal["staff", "committee", "pending_voters", "proponent", "public",
                   "implementing_agency"]


class NoticeRule(Strict):
    """What is told, to whom and by which channel.

    ``events`` names the moments: a phase opened, closing soon (its reminders),
    closed, overdue, waiting to open or extended; a decision waiting for votes
    (when a phase that needs it opens, waits, nears its close or is overdue) or
    approved; a proposal answered (it reached a final state); a commitment approved
    (it left drafting for implementation), one of its milestones due soon or overdue,
    a commitment assessed. ``to`` names the
    audiences: ``staff`` (the addresses the deployment gives), ``committee``
    (every member with an email), ``pending_voters`` (members who may vote on
    the waiting decision and have not), ``proponent`` (when they gave an email
    and consented), ``implementing_agency`` (the commitment's lead agency, at the
    address staff gave for it) and ``public`` (the deployment's public webhook). ``phases``
    and ``decisions`` narrow the rule to those ids.
    """

    events: tuple[NoticeEvent, ...] = Field(min_length=1)
    to: tuple[Audience, ...] = Field(min_length=1)
    by: Literal["email", "webhook", "log"] = "email"
    phases: tuple[Ident, ...] = ()
    decisions: tuple[Ident, ...] = ()


class OgpLinks(Strict):
    """What in the process stands for what OGP's minimum requirements ask about.

    ``plan_approval``: the decision by which the forum endorses the action plan;
    ``forum_rules``: the activity whose evidence publishes the forum's basic rules;
    ``cocreation_starts``: the phase with which co-creation starts (the published
    timeline must come before it). What is not named, the OGP report says is not known.
    """

    plan_approval: Ident | None = None
    forum_rules: Ident | None = None
    cocreation_starts: Ident | None = None


class Definition(Strict):
    """A whole co-creation process: committee, dated phases, proposals, commitments, notices.

    A definition without ``commitments`` is written (and hashed) as it was before
    commitments existed, so the plans pinning one keep their hash.
    """

    id: DefinitionId
    title: Text
    version: int = Field(ge=1, strict=True)
    locale: Literal["es", "en"] = "es"
    timezone: str
    committee: Committee
    phases: tuple[Phase, ...] = Field(min_length=1)
    proposals: ProposalLifecycle
    commitments: CommitmentLifecycle | None = None
    notifications: tuple[NoticeRule, ...] = ()
    ogp: OgpLinks = OgpLinks()

    @model_serializer(mode="wrap")
    def _without_absent_commitments(self, handler: SerializerFunctionWrapHandler) -> object:
        data = handler(self)
        if self.commitments is None and isinstance(data, dict):
            data.pop("commitments", None)
        return data
