"""Scenario files: a scripted run of a process for ``cocrea simulate``.

A scenario names its definition, the actors who act in it (a name and a role),
and the steps they take, each at a local date and time in the plan's zone::

    definition: cuenca-2022
    actors:
      tecnica: {name: Dirección de Participación Ciudadana, role: staff}
    steps:
      - {at: "2022-07-11 09:00", by: tecnica, do: add_member, name: Ana, group: sociedad_civil}
      - {at: "2022-07-14 18:00", do: vote, member: Ana, decision: aprobacion_metodologia}

A moment written without an offset is local time in the plan's zone: one the
zone skips (clocks going forward) is refused, naming its line; one it repeats
(clocks going back, the autumn fold) is the first of the two, as the hour
before the change; writing the offset (``"2022-10-30 02:30+01:00"``) picks the
other. A vote is cast by the member who votes (role ``committee``); every other
step names its actor with ``by``. Proposals get a scenario-local ``ref`` that later
steps (``fire``, ``into``) use. Loading reports every problem with its YAML
path and line, like a definition: the shape of each step, then its meaning
(actors and their roles, members, refs and the order of time).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints

from definitions import days
from definitions.commitment_file import CommitmentContent
from definitions.errors import Problem
from definitions.loader import parse_document
from definitions.problems import Reporter
from definitions.roles import ROLES
from definitions.schema import DefinitionId, Ident, Strict, Text
from definitions.shape import TAGGED_STEPS
from definitions.yamlpos import YamlPath, parse_yaml

Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]


class ActorSpec(Strict):
    """Someone who acts in the scenario: a name (recorded in the events) and a role."""

    name: Text
    role: Ident
    agency: Text | None = None
    """The implementing agency an ``implementer`` acts for."""


class Step(Strict):
    """A scripted step: when (local time in the plan's zone) and who."""

    at: dt.datetime
    by: Ident | None = None


class AddMember(Step):
    """Seat a member of the committee."""

    do: Literal["add_member"]
    name: Text
    group: Ident
    email: Text | None = None


class Vote(Step):
    """A member's vote (cast by the member, in the committee role)."""

    do: Literal["vote"]
    member: Text
    decision: Ident
    approve: bool = True


class CompleteActivity(Step):
    """An activity done, with its evidence."""

    do: Literal["activity"]
    activity: Ident
    evidence: Text


class Submit(Step):
    """A citizen proposal received through a channel (and mesa)."""

    do: Literal["submit"]
    ref: Ref
    title: Text
    body: Text
    channel: Ident
    mesa: int | None = Field(default=None, ge=1)
    email: Text | None = None
    consent: bool = False


class Fire(Step):
    """A trigger fired on a proposal with its fields.

    The reasoned response, the proposal it merges into, and the process's own
    declared fields by name.
    """

    do: Literal["fire"]
    proposal: Ref
    trigger: Ident
    response: Text | None = None
    into: Ref | None = None
    fields: dict[Ident, Annotated[str, StringConstraints(max_length=2000)] | int] = Field(
        default_factory=dict)


class Meeting(Step):
    """Staff record a meeting of the forum held at ``held`` (local time; by default ``at``)."""

    do: Literal["meeting"]
    held: dt.datetime | None = None
    attendance: dict[Ident, Annotated[int, Field(ge=0)]] = Field(min_length=1)
    minutes: Text | None = None


class Support(Step):
    """``count`` citizens support a proposal through the intake platform, each once."""

    do: Literal["support"]
    proposal: Ref
    count: int = Field(default=1, ge=1, le=10000)


class Extend(Step):
    """An extension (prórroga) of a phase to a new last day."""

    do: Literal["extend"]
    phase: Ident
    until: dt.date = Field(strict=True)
    reason: Text


class MovePhase(Step):
    """Staff open or close a phase by hand."""

    do: Literal["open", "close"]
    phase: Ident
    reason: Text


class Draft(Step):
    """Staff draft a commitment on OGP's template; ``proposals`` are the scenario's refs."""

    do: Literal["draft"]
    ref: Ref
    commitment: CommitmentContent


class MoveCommitment(Step):
    """A trigger fired on a commitment (with the reason a trigger may ask for)."""

    do: Literal["commitment"]
    commitment: Ref
    trigger: Ident
    response: Text | None = None


class Report(Step):
    """The implementing agency reports progress on a milestone; ``done`` ends it."""

    do: Literal["report"]
    commitment: Ref
    milestone: Ident
    progress: Text
    evidence: tuple[Text, ...] = ()
    done: bool = False


class Assess(Step):
    """The independent evaluator assesses a commitment."""

    do: Literal["assess"]
    commitment: Ref
    completion: Ident
    opened_government: Ident
    text: Text
    evidence: tuple[Text, ...] = ()


class AgencyContact(Step):
    """Staff keep the address an implementing agency is told at (outside the log)."""

    do: Literal["agency_contact"]
    agency: Text
    email: Text


AnyStep = Annotated[AddMember | Vote | CompleteActivity | Submit | Fire | Support | Meeting
                    | Extend | MovePhase | Draft | MoveCommitment | Report | Assess | AgencyContact,
                    Field(discriminator="do")]
TAGGED_STEPS.update({"add_member": AddMember, "vote": Vote, "activity": CompleteActivity,
                     "submit": Submit, "fire": Fire, "support": Support, "meeting": Meeting,
                     "extend": Extend,
                     "open": MovePhase,
                     "close": MovePhase, "draft": Draft, "commitment": MoveCommitment,
                     "report": Report, "assess": Assess,
                     "agency_contact": AgencyContact})


class Scenario(Strict):
    """A scripted run: its definition, plan id, actors and steps in time order."""

    definition: DefinitionId
    plan: DefinitionId | None = None
    title: Text
    created_at: dt.datetime
    created_by: Ident
    actors: dict[Ident, ActorSpec] = Field(min_length=1)
    steps: tuple[AnyStep, ...] = Field(min_length=1)


def parse_scenario(text: str, source: str = "<yaml>", locale: str | None = None,
                   timezone: str = "UTC") -> Scenario:
    """Validate a scenario; raise DefinitionError listing every problem with its line.

    ``timezone`` (the plan's) is where moments written without an offset stand,
    to check that the steps go in time order.
    """
    return parse_document(text, source, locale, Scenario,
                          functools.partial(meaning_problems, timezone=timezone))


def meaning_problems(scenario: Scenario, report: Reporter,
                     timezone: str = "UTC") -> list[Problem]:
    """Check actors, dates, the order of time, members voting and proposal refs, step by step."""
    problems: list[Problem] = []
    if scenario.created_by not in scenario.actors:
        problems.append(report.problem(("created_by",), "unknown_actor",
                                       id=scenario.created_by,
                                       hint=report.hint(scenario.created_by, scenario.actors)))
    problems += [report.problem(("actors", key, "role"), "unknown_role", id=spec.role,
                                hint=report.hint(spec.role, ROLES, "known_roles"))
                 for key, spec in scenario.actors.items() if spec.role not in ROLES]
    members: set[str] = set()
    refs: set[str] = set()
    commitments: set[str] = set()
    for i, step in enumerate(scenario.steps):
        problems += _step_problems(step, ("steps", i), scenario, report, members, refs)
        problems += _commitment_problems(step, ("steps", i), report, refs, commitments)
    return problems + _time_problems(scenario, report, ZoneInfo(timezone))


def _time_problems(scenario: Scenario, report: Reporter, zone: ZoneInfo) -> list[Problem]:
    """Check that every date is one cocrea can plan and that steps go in time order."""
    written: list[tuple[YamlPath, dt.date, object]] = [
        (("created_at",), scenario.created_at.date(), scenario.created_at)]
    for i, step in enumerate(scenario.steps):
        written.append((("steps", i, "at"), step.at.date(), step.at))
        if isinstance(step, Extend):
            written.append((("steps", i, "until"), step.until, step.until))
    problems = [report.problem(path, "day_out_of_range", field=path[-1], day=value,
                               first=days.FIRST_DAY.isoformat(), last=days.LAST_DAY.isoformat())
                for path, day, value in written if not days.in_range(day)]
    if problems:  # the order of moments out of range is beside the point
        return problems
    moments: list[tuple[YamlPath, dt.datetime]] = [(("created_at",), scenario.created_at)]
    moments += [(("steps", i, "at"), step.at) for i, step in enumerate(scenario.steps)]
    problems = [report.problem(path, "time_skipped", field=path[-1], at=moment,
                               timezone=zone.key)
                for path, moment in moments if skipped(moment, zone)]
    if problems:  # a time that does not exist has no place in the order
        return problems
    previous = _aware(scenario.created_at, zone)
    for i, step in enumerate(scenario.steps):
        at = _aware(step.at, zone)
        if at < previous:
            before = scenario.steps[i - 1].at if i else scenario.created_at
            problems.append(report.problem(("steps", i, "at"), "step_before_previous",
                                           at=step.at, previous=before))
        previous = at
    return problems


def skipped(moment: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether a moment written without an offset is a local time the zone skips.

    When clocks go forward (the spring-forward gap) the times in between never
    happen; Python would silently read them as another hour. A time written with
    an offset is always what it says.
    """
    if moment.tzinfo is not None:
        return False
    local = moment.replace(tzinfo=zone)
    return local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment


def _aware(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Return a scenario's moment with its zone: as written, else the plan's."""
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _step_problems(step: Step, path: tuple[str | int, ...], scenario: Scenario,
                   report: Reporter, members: set[str], refs: set[str]) -> list[Problem]:
    found = _actor_problems(step, path, scenario, report, members)
    if isinstance(step, AddMember):
        members.add(step.name)
    if isinstance(step, Submit):
        if step.ref in refs:
            found.append(report.problem((*path, "ref"), "duplicate_ref", id=step.ref))
        refs.add(step.ref)
    if isinstance(step, Fire | Support):
        named = (("proposal", step.proposal), ("into", getattr(step, "into", None)))
        found += [report.problem((*path, key), "unknown_ref", id=ref, hint=report.hint(ref, refs))
                  for key, ref in named if ref is not None and ref not in refs]
    return found


def _commitment_problems(step: Step, path: tuple[str | int, ...], report: Reporter,
                         refs: set[str], commitments: set[str]) -> list[Problem]:
    """Check a commitment step's refs: its own (new, once) and the proposals it answers."""
    found: list[Problem] = []
    if isinstance(step, Draft):
        if step.ref in commitments | refs:
            found.append(report.problem((*path, "ref"), "duplicate_ref", id=step.ref))
        commitments.add(step.ref)
        found += [report.problem((*path, "commitment", "proposals", k), "unknown_ref", id=ref,
                                 hint=report.hint(ref, refs))
                  for k, ref in enumerate(step.commitment.proposals) if ref not in refs]
    elif isinstance(step, MoveCommitment | Report | Assess) and step.commitment not in commitments:
        found.append(report.problem((*path, "commitment"), "unknown_ref", id=step.commitment,
                                    hint=report.hint(step.commitment, commitments)))
    return found


def _actor_problems(step: Step, path: tuple[str | int, ...], scenario: Scenario,
                    report: Reporter, members: set[str]) -> list[Problem]:
    """Check who acts: a vote needs a member seated before, any other step a declared actor."""
    if isinstance(step, Vote):
        if step.member in members:
            return []
        return [report.problem((*path, "member"), "unknown_member", id=step.member,
                               hint=report.hint(step.member, members))]
    if step.by is None:
        return [report.problem(path, "missing", field="by")]
    if step.by not in scenario.actors:
        return [report.problem((*path, "by"), "unknown_actor", id=step.by,
                               hint=report.hint(step.by, scenario.actors))]
    return []


def step_lines(text: str) -> Callable[[int], int | None]:
    """Return where each step of a scenario's text stands: step index -> YAML line."""
    lines = parse_yaml(text).lines
    return lambda index: lines.line_of(("steps", index))
