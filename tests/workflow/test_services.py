"""The services over the fake unit of work: one handler per command, one transaction each.

These run in memory (the fast lane, ``pytest -m "not slow"``): the handler table,
what a command writes through the unit of work (events, deadlines, notices), that
a refused command writes nothing, and the whole Cuenca scenario replayed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from definitions.scenario import parse_scenario, step_lines
from tests.workflow.cuenca import MEMBERS, STAFF, cuenca
from workflow import commands
from workflow.cli.simulate import shipped_scenario
from workflow.commands import Command
from workflow.domain.clock import VirtualClock
from workflow.domain.errors import (
    ConcurrencyError,
    GuardFailed,
    InvalidInput,
    InvalidTrigger,
    NotFound,
)
from workflow.domain.events import Actor
from workflow.domain.replay import Replay
from workflow.runner import DeadlineRunner
from workflow.services import HANDLERS
from workflow.simulation.run import local_moment, run_scenario
from workflow.testing import Driver, MemoryStore, in_memory

PLAN = "cuenca-2022"
BEFORE_START = dt.datetime(2022, 7, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(BEFORE_START)


@pytest.fixture
def staff(clock: VirtualClock) -> tuple[Driver, MemoryStore]:
    services, store = in_memory(clock)
    driver = Driver(services)
    driver.create_plan(cuenca(), STAFF)
    return driver, store


def all_commands(kind: type[Any] = Command) -> set[type[Any]]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub} | all_commands(sub)
    return found


def test_every_command_has_exactly_one_handler_in_the_table() -> None:
    # by name: a slotted dataclass leaves its first, unslotted class among the subclasses
    concrete = {c.__name__ for c in all_commands()} - {commands.PlanCommand.__name__}
    assert {c.__name__ for c in HANDLERS} == concrete
    assert all(getattr(commands, name) in HANDLERS for name in concrete)


def test_creating_a_plan_writes_its_event_and_schedules_every_phase_moment(
        staff: tuple[Driver, MemoryStore]) -> None:
    _, store = staff
    assert [e.type for e in store.events] == ["PlanCreated"]
    kinds = Counter(d.deadline.kind for d in store.deadlines.values())
    assert kinds == {"open": 7, "close": 7, "remind": 9}


def test_a_command_the_domain_refuses_writes_nothing(staff: tuple[Driver, MemoryStore]) -> None:
    driver, store = staff
    before = (len(store.events), dict(store.versions), len(store.outbox))
    with pytest.raises(InvalidTrigger):
        driver.close_phase(PLAN, "planeacion_inicial", "antes de abrir", STAFF)
    with pytest.raises(GuardFailed):
        driver.open_phase(PLAN, "vision_estrategica", "sin la primera cerrada", STAFF)
    assert (len(store.events), dict(store.versions), len(store.outbox)) == before


def test_a_command_expecting_an_older_version_is_a_concurrency_error(
        staff: tuple[Driver, MemoryStore]) -> None:
    driver, store = staff
    driver.add_member(PLAN, "Ana", "sociedad_civil", STAFF, expected_version=1)
    with pytest.raises(ConcurrencyError) as caught:
        driver.add_member(PLAN, "Bruno", "sociedad_civil", STAFF, expected_version=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert len(store.plans[PLAN].members) == 1


def test_ids_with_control_characters_are_refused_before_anything_is_looked_up(
        staff: tuple[Driver, MemoryStore]) -> None:
    driver, _ = staff
    with pytest.raises(InvalidInput) as caught:
        driver.open_phase("no\x00existe", "difusion", "x", STAFF)
    assert caught.value.field == "plan"


def test_an_unknown_plan_is_not_found(staff: tuple[Driver, MemoryStore]) -> None:
    with pytest.raises(NotFound):
        staff[0].vote("otro-plan", "aprobacion_metodologia", "ana", True, STAFF)


def test_the_vote_that_meets_the_quorum_and_its_notice_commit_together(
        staff: tuple[Driver, MemoryStore]) -> None:
    driver, store = staff
    members = [driver.add_member(PLAN, name, group, STAFF) for name, group in MEMBERS]
    tallies = [driver.vote(PLAN, "aprobacion_metodologia", m, True, STAFF) for m in members[:5]]
    assert [t.passed for t in tallies] == [False] * 4 + [True]
    assert store.events[-1].type == "DecisionApproved"
    assert store.plans[PLAN].decisions["aprobacion_metodologia"].approved


def test_a_due_deadline_fires_once_and_only_once_it_is_due(
        staff: tuple[Driver, MemoryStore], clock: VirtualClock) -> None:
    driver, store = staff
    opening = next(k for k, d in store.deadlines.items()
                   if d.deadline.kind == "open" and d.deadline.phase_id == "planeacion_inicial")
    assert driver.fire_deadline(opening, "a") is None  # not due yet
    clock.move_to(store.deadlines[opening].deadline.due_at)
    assert driver.fire_deadline(opening, "a") == "PhaseOpened"
    assert driver.fire_deadline(opening, "b") is None
    assert store.deadlines[opening].status == "fired"
    assert store.plans[PLAN].phases["planeacion_inicial"].state == "open"


def test_the_whole_cuenca_scenario_runs_in_memory_and_replays_to_the_same_state() -> None:
    label, text = shipped_scenario("cuenca-2022")
    definition = cuenca()
    scenario = parse_scenario(text, label, definition.locale, definition.timezone)
    clock = VirtualClock(local_moment(scenario.created_at, definition.timezone))
    services, store = in_memory(clock)
    runner = DeadlineRunner(services, store.due, clock, "memoria")

    run = run_scenario(scenario, definition, services, clock, runner, store.next_due, label,
                       step_lines(text))

    replay = Replay()
    for event in store.events:
        replay.apply(event)
    assert replay.plans[run.plan_id].state == store.plans[run.plan_id]
    assert {k: v for k, v in replay.proposals.items()} == store.proposals
    assert replay.commitments == store.commitments
    assert len(store.proposals) == 60
    assert all(p.state == "respondida" for p in store.proposals.values())
    assert {c.state for c in store.commitments.values()} == {"evaluado"}
    assert run.deadlines_fired == 36
    assert len(store.events) == 486
    topics = Counter(n.topic for n in store.outbox)
    assert topics["proposal_answered"] > 0
    assert (topics["milestone_overdue"], topics["commitment_assessed"]) == (2, 6)


def test_actors_are_recorded_as_the_command_names_them(
        staff: tuple[Driver, MemoryStore]) -> None:
    driver, store = staff
    driver.add_member(PLAN, "Ana", "sociedad_civil", Actor("Dirección (token t1)", "admin"))
    assert store.events[-1].event.actor == Actor("Dirección (token t1)", "admin")
