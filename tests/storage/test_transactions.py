"""One command, one transaction: a failure anywhere in it leaves nothing written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text

from storage.audit import digest, verify
from storage.database import open_engine
from storage.uow import SqlUnitOfWork
from tests.storage import scenario
from tests.storage.scenario import PLAN, RESPONSE, STAFF, Scenario
from workflow.domain.errors import (
    GuardFailed,
    InvalidInput,
    InvalidTrigger,
    NotFound,
    StorageError,
    WorkflowError,
)
from workflow.domain.events import Actor, RecordedEvent
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.services import Services
from workflow.testing import Driver


class Boom(Exception):
    """An unexpected failure in the middle of a command."""


class UowThatFailsAfterWriting(SqlUnitOfWork):
    """A unit of work whose write fails once events and projections are in the transaction."""

    def _write(self, aggregate: Plan | Proposal) -> list[RecordedEvent]:
        super()._write(aggregate)
        raise Boom("after the events and projections were written")


def everything(engine: Engine) -> tuple[Any, ...]:
    """What a command could change: events count, the head, every projection row."""
    return scenario.event_count(engine), digest(engine), scenario.projections(engine)


@contextmanager
def unchanged(scn: Scenario) -> Iterator[None]:
    """Assert the block leaves the database exactly as it found it, and verify still passes."""
    before = everything(scn.engine)
    yield
    assert everything(scn.engine) == before
    assert verify(scn.engine).ok


TRIGGERS = {
    "sqlite": ["CREATE TRIGGER refuse_plans BEFORE UPDATE ON plans"
               " BEGIN SELECT RAISE(ABORT, 'the plans projection could not be written'); END"],
    "postgresql": [
        "CREATE FUNCTION refuse_plans() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION 'the plans projection could not be written'; END $$",
        "CREATE TRIGGER refuse_plans BEFORE UPDATE ON plans"
        " FOR EACH ROW EXECUTE FUNCTION refuse_plans()"],
}
UNDO = {"sqlite": ["DROP TRIGGER refuse_plans"],
        "postgresql": ["DROP TRIGGER refuse_plans ON plans", "DROP FUNCTION refuse_plans()"]}


@contextmanager
def failing_update_of_plans(engine: Engine) -> Iterator[None]:
    """Make the database refuse any UPDATE of ``plans``, as a broken projection would."""
    with engine.begin() as conn:
        for statement in TRIGGERS[engine.dialect.name]:
            conn.execute(text(statement))
    try:
        yield
    finally:
        with engine.begin() as conn:
            for statement in UNDO[engine.dialect.name]:
                conn.execute(text(statement))


def test_a_failure_after_the_events_were_appended_leaves_nothing_written(db_url: str) -> None:
    scn = scenario.build(db_url)
    failing = Driver(Services(lambda: UowThatFailsAfterWriting(scn.engine), scn.clock))
    with unchanged(scn), pytest.raises(Boom):
        failing.vote(PLAN, "designacion_evaluador", scn.members[0], True, STAFF)


def test_a_failing_decision_vote_writes_neither_the_vote_nor_the_approval(db_url: str) -> None:
    scn = scenario.fresh(db_url)
    scenario.planning(scn)
    scn.services.open_phase(PLAN, "vision_estrategica", "sigue", STAFF)
    for activity in ("diagnostico", "vision_local"):
        scn.services.complete_activity(PLAN, activity, "doc", STAFF)
    scn.services.close_phase(PLAN, "vision_estrategica", "cumplida", STAFF)
    scn.services.open_phase(PLAN, "difusion", "difusión", STAFF)
    for member in scn.members[:4]:
        scn.services.vote(PLAN, "aprobacion_estrategia_comunicacional", member, True, STAFF)
    failing = Driver(Services(lambda: UowThatFailsAfterWriting(scn.engine), scn.clock))
    with unchanged(scn), pytest.raises(Boom):
        failing.vote(PLAN, "aprobacion_estrategia_comunicacional", scn.members[4], True, STAFF)


def test_a_failing_projection_update_rolls_back_the_appended_proposal(db_url: str) -> None:
    scn = scenario.build(db_url)
    with unchanged(scn), failing_update_of_plans(scn.engine), pytest.raises(
            StorageError, match="could not be written"):
        scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)


def test_the_next_command_after_a_failure_continues_the_log_without_a_gap(db_url: str) -> None:
    scn = scenario.build(db_url)
    head = digest(scn.engine)
    with failing_update_of_plans(scn.engine), pytest.raises(StorageError):
        scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)
    pid = scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)
    assert pid == f"{PLAN}.p5"
    assert digest(scn.engine).position == head.position + 1
    assert verify(scn.engine).ok


Command = Callable[[Scenario], object]
REJECTED: dict[str, tuple[Command, type[WorkflowError]]] = {
    "closing a phase whose conditions are unmet": (
        lambda s: s.services.close_phase(PLAN, "difusion", "antes de tiempo", STAFF),
        GuardFailed),
    "opening a phase whose previous phase is open": (
        lambda s: s.services.open_phase(PLAN, "retroalimentacion", "muy pronto", STAFF),
        GuardFailed),
    "a citizen moving a proposal to analysis": (
        lambda s: s.services.fire(f"{PLAN}.p1", "analizar", {}, Actor("vecina", "citizen")),
        GuardFailed),
    "admitting a proposal twice": (
        lambda s: s.services.fire(f"{PLAN}.p1", "admitir", {}, STAFF), InvalidTrigger),
    "a reasoned response before retroalimentación opens": (
        lambda s: s.services.fire(f"{PLAN}.p2", "responder", {"response": RESPONSE}, STAFF),
        GuardFailed),
    "a merge into a proposal that does not exist": (
        lambda s: s.services.fire(f"{PLAN}.p3", "fusionar", {"into": "nada"}, STAFF),
        InvalidInput),
    "a vote on a decision already approved": (
        lambda s: s.services.vote(PLAN, "aprobacion_metodologia", s.members[8], True, STAFF),
        InvalidInput),
    "a member in a full group": (
        lambda s: s.services.add_member(PLAN, "Décima", "sector_publico", STAFF),
        InvalidInput),
    "a command on a plan that does not exist": (
        lambda s: s.services.open_phase("no-existe", "difusion", "x", STAFF), NotFound),
    "a proposal through a mesa that does not exist": (
        lambda s: s.services.submit_proposal(PLAN, "T", "B", "mesa", 4, scenario.INTAKE),
        InvalidInput),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_a_rejected_command_writes_nothing(sqlite_url: str, case: str) -> None:
    scn = scenario.build(sqlite_url)
    command, error = REJECTED[case]
    with unchanged(scn), pytest.raises(error):
        command(scn)


def test_a_guard_failure_writes_nothing_on_postgresql_too(postgres_url: str) -> None:
    scn = scenario.build(postgres_url)
    with unchanged(scn), pytest.raises(GuardFailed):
        scn.services.close_phase(PLAN, "recepcion_propuestas", "sin mesas", STAFF)


def end_every_other_session(url: str) -> int:
    """Make the server end every other session on this database, as a restart would."""
    outsider = open_engine(url, migrate=False)
    try:
        with outsider.connect() as conn:
            return len(conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        outsider.dispose()


def test_a_pooled_connection_the_server_dropped_is_replaced_after_a_pause(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storage.database.PING_AFTER_IDLE_S", 0.0)
    scn = scenario.build(postgres_url)
    assert end_every_other_session(postgres_url) >= 1

    pid = scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)

    assert pid == f"{PLAN}.p5"
    assert verify(scn.engine).ok


def test_a_connection_dropped_under_a_busy_pool_fails_one_command_and_nothing_else(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storage.database.PING_AFTER_IDLE_S", 3600.0)
    scn = scenario.build(postgres_url)
    head = digest(scn.engine)
    end_every_other_session(postgres_url)

    with pytest.raises(StorageError, match="base de datos"):
        scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)
    pid = scn.services.submit_proposal(PLAN, "Otra", "Texto", "online", None, scenario.INTAKE)

    assert pid == f"{PLAN}.p5"
    assert digest(scn.engine).position == head.position + 1
    assert verify(scn.engine).ok
