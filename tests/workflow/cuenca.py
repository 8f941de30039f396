"""Test helpers: the shipped Cuenca definition and a plan driven in memory."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from functools import cache

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from definitions.schema import Definition
from workflow.domain.events import Actor
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal

STAFF = Actor("tecnica", "staff")
START = dt.datetime(2022, 7, 11, 5, 0, tzinfo=dt.UTC)
MEMBERS = [("Ana", "sociedad_civil"), ("Bruno", "sociedad_civil"), ("Carla", "sociedad_civil"),
           ("Diego", "academia_sector_privado"), ("Elena", "academia_sector_privado"),
           ("Fausto", "academia_sector_privado"), ("Gabriela", "sector_publico"),
           ("Hugo", "sector_publico"), ("Inés", "sector_publico")]


@cache
def cuenca() -> Definition:
    """The shipped Cuenca 2022 definition."""
    label, text = resolve_definition_source("cuenca-2022")
    return parse_definition(text, label)


def ticking(start: dt.datetime = START) -> Callable[[], dt.datetime]:
    """A clock that moves one minute each time it is read."""
    minutes = itertools.count()
    return lambda: start + dt.timedelta(minutes=next(minutes))


class Census:
    """An in-memory census over a list of proposals."""

    def __init__(self, proposals: list[Proposal], links: set[str] | None = None) -> None:
        self.proposals = proposals
        self.links = links or set()

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        ids = [p.state.proposal_id for p in self.proposals
               if p.state.plan_id == plan_id and p.state.state not in states]
        return len(ids), ids[:3]

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        ids = [p.state.proposal_id for p in self.proposals
               if p.state.plan_id == plan_id and (p.state.state in states
                                                  or p.state.outcome in states)
               and not self.linked(p.state.proposal_id)]
        return len(ids), ids[:3]

    def linked(self, proposal_id: str) -> bool:
        return proposal_id in self.links


def new_plan(definition: Definition | None = None) -> Plan:
    return Plan.create("cuenca-2022", definition or cuenca(), 0, STAFF, START)


def with_committee(plan: Plan) -> Plan:
    for name, group in MEMBERS:
        plan.add_member(name, group, STAFF, START)
    return plan


def approve(plan: Plan, decision: str, votes: int = 9) -> None:
    for member in list(plan.state.members)[:votes]:
        if plan.state.decisions[decision].approved:
            return
        plan.vote(decision, member, True, STAFF, START)


def finish_activities(plan: Plan, phase: str) -> None:
    """Do a phase's activities and pass the decisions its activities and closing need."""
    for cond in plan.catalog.phases[phase].close_when:
        if cond.kind == "decision_approved":
            approve(plan, cond.decision)
    for activity in plan.catalog.phases[phase].activities:
        if plan.state.activities[activity.id].done_at is None:
            if activity.decision:
                approve(plan, activity.decision)
            plan.complete_activity(activity.id, "https://cuenca.gob.ec/acta", STAFF, START)


def run_phase(plan: Plan, phase: str, census: Census | None = None) -> None:
    """Open a phase, do everything it needs, and close it."""
    plan.open_phase(phase, "según calendario", STAFF, START, census)
    finish_activities(plan, phase)
    plan.close_phase(phase, "completada", STAFF, START, census)


def plan_receiving() -> Plan:
    """A plan with phases 1-2 closed and difusión and reception open."""
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    run_phase(plan, "vision_estrategica")
    plan.open_phase("difusion", "según calendario", STAFF, START)
    finish_activities(plan, "difusion")
    plan.open_phase("recepcion_propuestas", "según calendario", STAFF, START)
    return plan
