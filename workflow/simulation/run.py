"""Run a scenario on a virtual clock, through the very same services and deadline code.

Time moves from one moment to the next: before each scripted step, every
deadline due by then fires (a deadline and a step at the same minute: the
deadline first, as the live scheduler would have fired it at that instant);
after the last step, the remaining deadlines fire until none is left. A step
the engine refuses stops the run with the step's YAML path and line and the
engine's reason, in the plan's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from definitions import scenario as sc
from definitions.messages import say
from definitions.schema import Definition
from workflow import commands
from workflow.commands import Command
from workflow.domain.clock import VirtualClock
from workflow.domain.deadlines import zone
from workflow.domain.errors import DefinitionError, Problem, WorkflowError
from workflow.domain.events import Actor
from workflow.runner import DeadlineRunner, NextDue, advance
from workflow.services import Services

COMMITTEE = "committee"


@dataclass
class Run:
    """What a scenario run leaves behind: the plan, and the ids it gave proposals and members."""

    plan_id: str
    proposals: dict[str, str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    commitments: dict[str, str] = field(default_factory=dict)
    deadlines_fired: int = 0
    supporters: int = 0
    timezone: str = "UTC"


def local_moment(moment: dt.datetime, timezone: str) -> dt.datetime:
    """Read a scenario's moment: without an offset it is local time in the plan's zone.

    A local time the zone repeats (the autumn fold) is the first of the two; one
    it skips never gets here (the scenario's check refuses it).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(timezone))
    return moment.astimezone(dt.UTC)


def run_scenario(scenario: sc.Scenario, definition: Definition, services: Services,
                 clock: VirtualClock, runner: DeadlineRunner, next_due: NextDue,
                 source: str, lines: Callable[[int], int | None],
                 deliver: Callable[[], object] = lambda: None,
                 until: dt.datetime | None = None) -> Run:
    """Create the plan, take every step at its time, then let every deadline fire.

    ``deliver`` (the outbox dispatcher) runs after each step and each stretch of
    deadlines, so messages go out at the virtual moment they were written. With
    ``until``, the run stops at that moment: later steps are not taken and later
    deadlines stay pending (a test picks up a process where it stands).
    """
    tz = definition.timezone
    clock.move_to(local_moment(scenario.created_at, tz))
    creator = _actor(scenario, scenario.created_by)
    run = Run(services.handle(commands.CreatePlan(definition, creator, scenario.plan)),
              timezone=tz)
    for index, step in enumerate(scenario.steps):
        if until is not None and local_moment(step.at, tz) > until:
            break
        run.deadlines_fired += len(advance(clock, runner, next_due, local_moment(step.at, tz)))
        deliver()
        try:
            _take(step, scenario, services, run)
        except WorkflowError as exc:
            problem = Problem(f"steps[{index}]", lines(index),
                              say(definition.locale, "sim.step_failed", error=str(exc)))
            raise DefinitionError(source, [problem], definition.locale) from exc
        deliver()
    run.deadlines_fired += len(advance(clock, runner, next_due, until))
    deliver()
    return run


def _actor(scenario: sc.Scenario, key: str | None) -> Actor:
    spec = scenario.actors[key or scenario.created_by]
    return Actor(spec.name, spec.role, spec.agency)


def _take(step: sc.Step, scenario: sc.Scenario, services: Services, run: Run) -> None:
    """Take one step as the commands people would send through the API."""
    if isinstance(step, sc.Support):
        for _ in range(step.count):
            run.supporters += 1  # each support by another anonymous key of the platform's
            services.handle(commands.SupportProposal(run.proposals[step.proposal],
                                                     f"{scenario.title}/{run.supporters}",
                                                     _actor(scenario, step.by)))
        return
    who = _actor(scenario, step.by)
    result = services.handle(
        _commitment_command(step, run, who)
        if isinstance(step, sc.Draft | sc.MoveCommitment | sc.Report | sc.Assess
                      | sc.AgencyContact)
        else _command(step, run, who))
    if isinstance(step, sc.AddMember):
        run.members[step.name] = result
    elif isinstance(step, sc.Submit):
        run.proposals[step.ref] = result
    elif isinstance(step, sc.Draft):
        run.commitments[step.ref] = result


def _command(step: sc.Step, run: Run, who: Actor) -> Command[Any]:  # noqa: PLR0911
    """Return the command a scenario step stands for."""
    plan = run.plan_id
    if isinstance(step, sc.AddMember):
        return commands.AddMember(plan, step.name, step.group, who, email=step.email)
    if isinstance(step, sc.Vote):
        return commands.CastVote(plan, step.decision, run.members[step.member], step.approve,
                                 Actor(step.member, COMMITTEE))
    if isinstance(step, sc.CompleteActivity):
        return commands.CompleteActivity(plan, step.activity, step.evidence, who)
    if isinstance(step, sc.Submit):
        return commands.SubmitProposal(plan, step.title, step.body, step.channel, step.mesa,
                                       who, step.email, step.consent)
    if isinstance(step, sc.Fire):
        fields = {**{k: run.proposals.get(v, v) if isinstance(v, str) else v
                     for k, v in step.fields.items()}, "response": step.response,
                  "into": run.proposals[step.into] if step.into else None}
        return commands.FireTrigger(run.proposals[step.proposal], step.trigger,
                                    {k: v for k, v in fields.items() if v is not None}, who)
    if isinstance(step, sc.Extend):
        return commands.ExtendPhase(plan, step.phase, step.until, step.reason, who)
    if isinstance(step, sc.Meeting):
        return commands.RecordMeeting(plan, local_moment(step.held or step.at, run.timezone),
                                      step.attendance, step.minutes, who)
    assert isinstance(step, sc.MovePhase)  # the last kind of step there is
    move = commands.OpenPhase if step.do == "open" else commands.ClosePhase
    return move(plan, step.phase, step.reason, who)


def _commitment_command(step: sc.Draft | sc.MoveCommitment | sc.Report | sc.Assess
                        | sc.AgencyContact, run: Run, who: Actor) -> Command[Any]:
    """Return the command a commitment step stands for (refs turned into ids)."""
    if isinstance(step, sc.AgencyContact):
        return commands.SaveAgencyContact(run.plan_id, step.agency, step.email, who)
    if isinstance(step, sc.Draft):
        content = step.commitment.model_copy(update={"proposals": tuple(
            run.proposals[ref] for ref in step.commitment.proposals)})
        return commands.DraftCommitment(run.plan_id, content, who)
    key = run.commitments[step.commitment]
    if isinstance(step, sc.MoveCommitment):
        fields = {} if step.response is None else {"response": step.response}
        return commands.FireCommitmentTrigger(key, step.trigger, fields, who)
    if isinstance(step, sc.Report):
        return commands.ReportMilestone(key, step.milestone, step.progress, step.evidence,
                                        step.done, who)
    return commands.AssessCommitment(key, step.completion, step.opened_government, step.text,
                                     step.evidence, who)
