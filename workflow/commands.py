"""Commands: what a person or the clock asks of cocrea, as small immutable values.

Entry points (the CLI, the API, the simulation, the scheduler) parse their input
into one of these and hand it to :meth:`workflow.services.Services.handle`, which
runs its handler in one unit of work. ``Command[R]`` says what handling it
returns: ``handle(OpenPhase(...))`` is the list of events it wrote, ``handle(CastVote(...))``
the tally after the vote.

Every command names the ids it refers to (:meth:`Command.keys`): they are checked
for control characters before anything is looked up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from definitions.commitment_file import CommitmentContent
from definitions.schema import Definition
from workflow.domain.events import Actor, RecordedEvent
from workflow.domain.importing import ImportReport
from workflow.domain.imports import Incoming
from workflow.domain.library import Added, Entry
from workflow.domain.quorum import Tally
from workflow.domain.state import CommitmentState

R_co = TypeVar("R_co", covariant=True)
Written = list[RecordedEvent]


class Command(Generic[R_co]):
    """Base of every command; ``R`` is what handling it returns."""

    __slots__ = ()
    KEYS: ClassVar[tuple[str, ...]] = ()
    """The fields that name ids (checked for control characters before any lookup)."""

    def keys(self) -> dict[str, str | None]:
        """Return the ids the command names, by field."""
        return {name: getattr(self, name) for name in self.KEYS}


@dataclass(frozen=True, slots=True)
class CreatePlan(Command[str]):
    """Start a plan pinned to ``definition`` (``shift_to`` moves its first day); its id."""

    definition: Definition
    actor: Actor
    plan_id: str | None = None
    shift_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlanCommand(Command[R_co]):
    """A command on one plan, refused if the plan moved past ``expected_version``."""

    plan: str


@dataclass(frozen=True, slots=True)
class OpenPhase(PlanCommand[Written]):
    """Open a phase by hand (its opening conditions must hold), with the reason."""

    phase: str
    reason: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan", "phase")


@dataclass(frozen=True, slots=True)
class ClosePhase(PlanCommand[Written]):
    """Close a phase by hand (its closing conditions must hold), with the reason."""

    phase: str
    reason: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan", "phase")


@dataclass(frozen=True, slots=True)
class ExtendPhase(PlanCommand[Written]):
    """Move a phase's last day to ``until`` (a prórroga), with the reason."""

    phase: str
    until: dt.date
    reason: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan", "phase")


@dataclass(frozen=True, slots=True)
class AddMember(PlanCommand[str]):
    """Seat a committee member in a group (with the address notices reach); the member's id."""

    name: str
    group: str
    actor: Actor
    expected_version: int | None = None
    email: str | None = None

    KEYS = ("plan", "group")


@dataclass(frozen=True, slots=True)
class CastVote(PlanCommand[Tally]):
    """Record a member's vote on a decision; the tally after it."""

    decision: str
    member: str
    approve: bool
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan", "decision", "member")


@dataclass(frozen=True, slots=True)
class CompleteActivity(PlanCommand[Written]):
    """Mark an activity done, with its evidence."""

    activity: str
    evidence: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan", "activity")


@dataclass(frozen=True, slots=True)
class RecordMeeting(PlanCommand[Written]):
    """Record that the forum met: when, how many of each group came, a link to its minutes."""

    held_at: dt.datetime
    attendance: Mapping[str, int]
    minutes: str | None
    actor: Actor
    expected_version: int | None = None

    KEYS = ("plan",)


@dataclass(frozen=True, slots=True)
class SubmitProposal(Command[str]):
    """Receive a citizen proposal through a channel (and mesa); its id.

    A proponent who gives an email and consents is told of the answer; an email
    without consent is not kept.
    """

    plan: str
    title: str
    body: str
    channel: str
    mesa: int | None
    actor: Actor
    email: str | None = None
    consent: bool = False

    KEYS = ("plan", "channel")


@dataclass(frozen=True, slots=True)
class ImportProposals(Command[ImportReport]):
    """Import proposals made on another platform (Decidim) into a plan, all or nothing.

    ``rows`` reads the file in the plan's language (given to it) and yields its rows
    in order; it raises ImportRejected, at the end, when a row cannot be read, and
    then nothing is imported. ``channel`` is the channel they arrive through (None:
    the definition's only channel without mesas). A dry run does everything but
    commit. What handling returns says what was (or would be) imported and why the
    rest was not.
    """

    plan: str
    source: str
    """The file's name, as the report names it."""
    rows: Callable[[str], Iterable[Incoming]]
    actor: Actor
    channel: str | None = None
    dry_run: bool = False

    KEYS = ("plan", "channel")


@dataclass(frozen=True, slots=True)
class FireTrigger(Command[str]):
    """Fire a declared trigger on a proposal with its fields; the proposal's new state."""

    proposal: str
    trigger: str
    fields: Mapping[str, object]
    actor: Actor
    expected_version: int | None = None

    KEYS = ("proposal", "trigger")

    def keys(self) -> dict[str, str | None]:
        """Return the proposal, the trigger and the proposal it merges into."""
        into = self.fields.get("into")
        return {"proposal": self.proposal, "trigger": self.trigger,
                "into": into if isinstance(into, str) else None}


@dataclass(frozen=True, slots=True)
class SupportProposal(Command[int]):
    """Count one anonymous supporter of a proposal (relayed by the intake platform); the count.

    ``supporter`` is the platform's own key for the person: never a name or an address.
    """

    proposal: str
    supporter: str
    actor: Actor

    KEYS = ("proposal", "supporter")


@dataclass(frozen=True, slots=True)
class DraftCommitment(Command[str]):
    """Draft a commitment on OGP's template, linking the proposals it answers; its id.

    ``content.proposals`` name proposals of the plan by id, ``pN`` or number.
    """

    plan: str
    content: CommitmentContent
    actor: Actor

    KEYS = ("plan",)

    def keys(self) -> dict[str, str | None]:
        """Return the plan and every proposal the draft links."""
        return {"plan": self.plan, **{f"proposals[{i}]": ref
                                      for i, ref in enumerate(self.content.proposals)}}


@dataclass(frozen=True, slots=True)
class ReviseCommitment(Command[CommitmentState]):
    """Change a commitment's fields and milestones (``content.reason`` after approval)."""

    commitment: str
    content: CommitmentContent
    actor: Actor
    expected_version: int | None = None

    KEYS = ("commitment",)


@dataclass(frozen=True, slots=True)
class LinkProposal(Command[CommitmentState]):
    """Link a proposal the commitment answers (its id, ``pN`` or number)."""

    commitment: str
    proposal: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("commitment", "proposal")


@dataclass(frozen=True, slots=True)
class UnlinkProposal(Command[CommitmentState]):
    """Unlink a proposal from a commitment, with the reason."""

    commitment: str
    proposal: str
    reason: str
    actor: Actor
    expected_version: int | None = None

    KEYS = ("commitment", "proposal")


@dataclass(frozen=True, slots=True)
class FireCommitmentTrigger(Command[CommitmentState]):
    """Fire a declared trigger on a commitment with its fields; the commitment after it."""

    commitment: str
    trigger: str
    fields: Mapping[str, object]
    actor: Actor
    expected_version: int | None = None

    KEYS = ("commitment", "trigger")


@dataclass(frozen=True, slots=True)
class ReportMilestone(Command[CommitmentState]):
    """Report progress on a milestone with evidence (links, document ids); ``done`` ends it."""

    commitment: str
    milestone: str
    progress: str
    evidence: tuple[str, ...]
    done: bool
    actor: Actor
    expected_version: int | None = None

    KEYS = ("commitment", "milestone")


@dataclass(frozen=True, slots=True)
class AssessCommitment(Command[CommitmentState]):
    """The evaluator's assessment of a commitment (a later one corrects it, with ``reason``)."""

    commitment: str
    completion: str
    opened_government: str
    text: str
    evidence: tuple[str, ...]
    actor: Actor
    reason: str | None = None
    expected_version: int | None = None

    KEYS = ("commitment", "completion", "opened_government")


@dataclass(frozen=True, slots=True)
class SaveAgencyContact(Command[None]):
    """Keep the address an implementing agency is told at (outside the log, erasable)."""

    plan: str
    agency: str
    email: str
    actor: Actor

    KEYS = ("plan", "agency")


@dataclass(frozen=True, slots=True)
class FireDeadline(Command[str | None]):
    """Fire a due deadline as the system, once; what it recorded, or None if not pending."""

    deadline_id: str
    claimer: str


@dataclass(frozen=True, slots=True)
class AddDefinition(Command[Added]):
    """Store a checked definition (with its YAML text as given) beside the shipped ones.

    Not an event of any plan: a plan pins its whole definition in its first event,
    so the library is a catalogue to create plans from, kept outside the log. The
    same id@version with the same content is already there; with other content it
    is refused.
    """

    definition: Definition
    yaml: str
    actor: Actor


@dataclass(frozen=True, slots=True)
class RemoveDefinition(Command[Entry]):
    """Remove a stored definition's version, refused while a plan pins it; what was removed."""

    definition: str
    version: int
    actor: Actor

    KEYS = ("definition",)
