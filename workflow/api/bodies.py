"""Request bodies: strict models whose errors name the field (unknown fields refused)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=254)]


class Body(BaseModel):
    """Base: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class NewPlan(Body):
    """``POST /plans``."""

    definition: Id
    id: Id | None = None
    shift_to: dt.date | None = None


class Reason(Body):
    """Open or close a phase."""

    reason: Text


class Extension(Body):
    """Extend a phase to a new last day."""

    reason: Text
    until: dt.date


class Evidence(Body):
    """Mark an activity done."""

    evidence: Text


class NewMeeting(Body):
    """A meeting of the forum: when, how many of each group came, the link to its minutes."""

    held_at: dt.datetime = Field(description="When it was held (with its offset).")
    attendance: Annotated[dict[Id, Annotated[int, Field(ge=0, le=100000)]],
                          Field(min_length=1, max_length=50)]
    minutes: Text | None = None


class NewMember(Body):
    """Seat a committee member."""

    name: Text
    group: Id
    email: Email | None = Field(default=None, description="openapi.body.member_email")


class Ballot(Body):
    """A member's vote."""

    member: Id
    approve: bool


class NewProposal(Body):
    """A citizen proposal from a channel (and mesa)."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    body: LongText
    channel: Id
    mesa: Annotated[int, Field(ge=1, le=1000)] | None = None
    email: Email | None = Field(default=None, description="openapi.body.proponent_email")
    consent: bool = Field(default=False, description="openapi.body.consent")


class TriggerFields(Body):
    """What a proposal trigger takes: its response, merge target and own declared fields.

    ``fields`` are the process's own, by name (text, whole numbers, dates, ...).
    """

    response: LongText | None = None
    into: Id | None = None
    fields: Annotated[dict[Annotated[str, StringConstraints(min_length=1, max_length=64)],
                           LongText | int],
                      Field(max_length=50)] | None = None


class NewSupport(Body):
    """One citizen's support, relayed by the intake platform with its anonymous key for them."""

    supporter: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The platform's anonymous key for the supporter: never a name or an email.")


class Retry(Body):
    """Which dead messages to send again (none listed: all of them)."""

    ids: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=300)]],
                   Field(min_length=1, max_length=1000)] | None = None


Evidence_ = Annotated[list[Text], Field(max_length=20)]


class NewLink(Body):
    """A proposal a commitment answers (its id, ``pN`` or number)."""

    proposal: Id


class Unlink(Body):
    """A proposal a commitment no longer answers, and why."""

    proposal: Id
    reason: Text


class CommitmentTrigger(Body):
    """What a commitment trigger takes: the reason a trigger may ask for, its own fields."""

    response: LongText | None = None
    fields: Annotated[dict[Annotated[str, StringConstraints(min_length=1, max_length=64)],
                           LongText | int],
                      Field(max_length=50)] | None = None


class MilestoneReport(Body):
    """Progress on a milestone, with evidence (links, document ids); ``done`` ends it."""

    progress: LongText
    evidence: Evidence_ = Field(default_factory=list)
    done: bool = False


class Assessment(Body):
    """The independent evaluator's assessment (a later one corrects it, with ``reason``)."""

    completion: Id
    opened_government: Id
    text: LongText
    evidence: Evidence_ = Field(default_factory=list)
    reason: Text | None = None
