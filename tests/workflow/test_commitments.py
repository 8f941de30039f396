"""Commitments through the services, in memory: drafting, links, lifecycle, milestones, assessment.

Cuenca's scenario runs (in memory, the fast lane) up to the middle of consolidation,
where staff draft the action plan's commitments from the incorporated proposals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from definitions.scenario import parse_scenario, step_lines
from tests.workflow.cuenca import STAFF, cuenca
from workflow.cli.simulate import shipped_scenario
from workflow.domain.clock import VirtualClock
from workflow.domain.errors import GuardFailed, InvalidInput, NotAllowed
from workflow.domain.events import Actor
from workflow.domain.replay import Replay
from workflow.public.calendar import Entry, milestone_entries
from workflow.public.history import Facts
from workflow.runner import DeadlineRunner, advance
from workflow.services import Services
from workflow.simulation.run import Run, local_moment, run_scenario
from workflow.testing import Driver, FakeUnitOfWork, MemoryStore, in_memory

AGENCY = "Dirección Municipal de Comunicación"
IMPLEMENTER = Actor("Paula Ávila", "implementer", agency=AGENCY)
OTHER_AGENCY = Actor("Luis Pesántez", "implementer", agency="EMOV EP")
EVALUATOR = Actor("Grupo FARO", "evaluator")
COMMITTEE = ("Ana Lucía Quizhpi", "Bolívar Peña Cárdenas", "Carmen Sarmiento Ortiz",
             "Diego Ordóñez Vintimilla", "Gloria Crespo Moreno", "Inés Cordero León")


@dataclass
class Process:
    """Cuenca in the middle of consolidation, in memory, and how to move its time."""

    driver: Driver
    store: MemoryStore
    clock: VirtualClock
    runner: DeadlineRunner
    run: Run

    def ref(self, ref: str) -> str:
        """The id of the scenario's proposal ``ref``."""
        return self.run.proposals[ref]

    def at(self, day: str) -> None:
        """Move to noon of ``day`` in Cuenca, every deadline due by then fired."""
        moment = local_moment(dt.datetime.fromisoformat(f"{day} 12:00"), "America/Guayaquil")
        advance(self.clock, self.runner, self.store.next_due, moment)

    def vote(self, decision: str) -> None:
        """The committee votes ``decision`` for until it passes."""
        for name in COMMITTEE:
            if self.store.plans[self.run.plan_id].decisions[decision].approved:
                return
            self.driver.vote(self.run.plan_id, decision, self.run.members[name], True,
                             Actor(name, "committee"))

    def types(self, stream: str) -> list[str]:
        """The types of a stream's events, in order."""
        return [e.type for e in self.store.events if e.event.stream_id == stream]


@pytest.fixture(scope="module")
def consolidating() -> tuple[MemoryStore, dt.datetime, Run]:
    """Cuenca's scenario run in memory up to 2023-01-08, noon (once for this module)."""
    label, text = shipped_scenario("cuenca-2022")
    definition = cuenca()
    scenario = parse_scenario(text, label, definition.locale, definition.timezone)
    clock = VirtualClock(local_moment(scenario.created_at, definition.timezone))
    services, store = in_memory(clock)
    runner = DeadlineRunner(services, store.due, clock, "memoria")
    until = local_moment(dt.datetime(2023, 1, 8, 12, 0), definition.timezone)
    run = run_scenario(scenario, definition, services, clock, runner, store.next_due, label,
                       step_lines(text), until=until)
    return store, until, run


@pytest.fixture
def process(consolidating: tuple[MemoryStore, dt.datetime, Run]) -> Process:
    base, now, run = consolidating
    store, clock = base.copy(), VirtualClock(now)
    services = Services(lambda: FakeUnitOfWork(store), clock)
    runner = DeadlineRunner(services, store.due, clock, "memoria")
    return Process(Driver(services), store, clock, runner, run)


def content(process: Process, **changes: Any) -> dict[str, Any]:
    """Commitment 1 of Cuenca's plan, on OGP's template, answering two proposals."""
    return {
        "title": "Cuenca Transparente: acceso a la información pública",
        "problem": "La información pública se pide en ventanilla y tarda semanas en llegar.",
        "description": "Un sistema en línea de solicitudes de acceso a la información.",
        "contribution": "Reduce el tiempo de respuesta y deja rastro público de cada pedido.",
        "ogp_values": ["transparency", "technology_innovation"],
        "lead_agency": AGENCY,
        "starts": "2023-02-01", "ends": "2024-06-30",
        "milestones": [
            {"description": "Formulario en línea publicado", "output": "Formulario en el portal",
             "starts": "2023-02-01", "due": "2023-06-30", "responsible": "Comunicación"},
            {"description": "Buscador de solicitudes y respuestas", "output": "Buscador público",
             "starts": "2023-07-01", "due": "2024-03-31", "responsible": "Informática"}],
        "proposals": [process.ref("p02"), process.ref("p14")],
        **changes}


def approved(process: Process) -> str:
    """Draft commitment 1, present it, approve it with the committee's vote, start it."""
    key = process.driver.draft_commitment("cuenca-2022", content(process), STAFF)
    process.driver.fire_commitment(key, "presentar", {}, STAFF)
    process.vote("aprobacion_compromisos")
    process.driver.fire_commitment(key, "aprobar", {}, STAFF)
    process.at("2023-02-01")
    process.driver.fire_commitment(key, "iniciar", {}, STAFF)
    return key


def test_drafting_records_the_template_and_milestones_and_links_each_proposal(
        process: Process) -> None:
    key = process.driver.draft_commitment("cuenca-2022", content(process), STAFF)

    assert key == "cuenca-2022.c1"
    assert process.types(key) == ["CommitmentDrafted", "ProposalLinked", "ProposalLinked"]
    drafted = next(e for e in process.store.events if e.event.stream_id == key).event.data
    assert drafted["fields"]["ogp_values"] == ["transparency", "technology_innovation"]
    assert [m["milestone"] for m in drafted["milestones"]] == ["m1", "m2"]
    state = process.store.commitments[key]
    assert (state.state, set(state.links)) == ("borrador", {process.ref("p02"),
                                                            process.ref("p14")})


def test_a_milestone_due_after_the_commitment_ends_is_refused_naming_it(process: Process) -> None:
    late = content(process)
    late["milestones"][1] = {**late["milestones"][1], "due": "2024-12-31"}

    with pytest.raises(InvalidInput) as refused:
        process.driver.draft_commitment("cuenca-2022", late, STAFF)

    assert "milestones[1].due" in str(refused.value)
    assert process.store.commitments == {}


def test_presenting_needs_a_linked_proposal_and_approving_the_committees_vote(
        process: Process) -> None:
    key = process.driver.draft_commitment("cuenca-2022", content(process, proposals=[]), STAFF)
    with pytest.raises(GuardFailed):
        process.driver.fire_commitment(key, "presentar", {}, STAFF)
    process.driver.link(key, process.ref("p02"), STAFF)
    process.driver.fire_commitment(key, "presentar", {}, STAFF)
    with pytest.raises(GuardFailed):
        process.driver.fire_commitment(key, "aprobar", {}, STAFF)

    process.vote("aprobacion_compromisos")

    assert process.driver.fire_commitment(key, "aprobar", {}, STAFF).state == "aprobado"


def test_before_approval_a_revision_records_only_what_changed_after_it_needs_reason_and_vote(
        process: Process) -> None:
    key = process.driver.draft_commitment("cuenca-2022", content(process), STAFF)
    process.driver.revise_commitment(key, {"budget": "USD 40.000"}, STAFF)
    revised = [e.event.data for e in process.store.events if e.type == "CommitmentRevised"]
    assert revised == [{"fields": {"budget": "USD 40.000"}}]
    process.driver.fire_commitment(key, "presentar", {}, STAFF)
    process.vote("aprobacion_compromisos")
    process.driver.fire_commitment(key, "aprobar", {}, STAFF)

    with pytest.raises(InvalidInput):
        process.driver.revise_commitment(key, {"budget": "USD 60.000"}, STAFF)
    with pytest.raises(GuardFailed):
        process.driver.revise_commitment(
            key, {"budget": "USD 60.000", "reason": "Se suma la Empresa Eléctrica"}, STAFF)
    process.vote("modificacion_compromisos")
    state = process.driver.revise_commitment(
        key, {"budget": "USD 60.000", "reason": "Se suma la Empresa Eléctrica"}, STAFF)

    assert state.fields["budget"] == "USD 60.000"


def test_unlinking_needs_a_reason_and_keeps_the_link_in_the_history(process: Process) -> None:
    key = process.driver.draft_commitment("cuenca-2022", content(process), STAFF)
    with pytest.raises(InvalidInput):
        process.driver.unlink(key, process.ref("p14"), " ", STAFF)

    state = process.driver.unlink(key, process.ref("p14"), "Responde mejor al compromiso 3",
                                  STAFF)

    assert set(state.links) == {process.ref("p02")}
    assert process.types(key)[-1] == "ProposalUnlinked"


def test_starting_implementation_makes_each_milestone_due_date_and_reminder_a_deadline(
        process: Process) -> None:
    key = approved(process)

    pending = sorted((d.deadline.phase_id, d.deadline.kind, d.deadline.due_at.isoformat())
                     for d in process.store.deadlines.values()
                     if d.deadline.phase_id.startswith("c1/") and d.status == "pending")
    assert pending == [
        ("c1/m1", "due", "2023-07-01T05:00:00+00:00"),
        ("c1/m1", "due_soon", "2023-06-24T05:00:00+00:00"),
        ("c1/m2", "due", "2024-04-01T05:00:00+00:00"),
        ("c1/m2", "due_soon", "2024-03-25T05:00:00+00:00")]
    assert process.store.commitments[key].state == "en_implementacion"


def test_an_unreported_milestone_goes_overdue_and_staff_and_the_agency_are_told(
        process: Process) -> None:
    key = approved(process)

    process.at("2023-07-02")

    assert process.types(key)[-2:] == ["MilestoneDueSoon", "MilestoneOverdue"]
    overdue = [n for n in process.store.outbox if n.topic == "milestone_overdue"]
    assert {r.kind for n in overdue for r in n.recipients} >= {"staff"}
    assert process.store.commitments[key].milestones["m1"].overdue_at is not None


def test_a_milestone_reported_done_in_time_cancels_its_deadlines(process: Process) -> None:
    key = approved(process)

    process.driver.report(key, "m1", "Formulario publicado en el portal",
                          ["https://cuenca.gob.ec/solicitudes"], True, IMPLEMENTER)
    process.at("2023-07-02")

    assert "MilestoneOverdue" not in process.types(key)
    statuses = Counter(d.status for d in process.store.deadlines.values()
                       if d.deadline.phase_id == "c1/m1")
    assert statuses == {"cancelled": 2}


def test_a_revision_moving_a_due_date_reschedules_its_deadlines_and_its_calendar_event(
        process: Process) -> None:
    key = approved(process)
    process.vote("modificacion_compromisos")

    moved = {"milestones": [{"milestone": "m1", "due": "2023-07-31"}],
             "reason": "El proveedor entrega el formulario en julio"}
    process.driver.revise_commitment(key, moved, STAFF)
    worded = {"milestones": [{"milestone": "m1", "output": "Formulario accesible en el portal"}],
              "reason": "Se precisa el producto"}
    process.driver.revise_commitment(key, worded, STAFF)

    rows = sorted((d.deadline.kind, d.deadline.due_at.date().isoformat(), d.status)
                  for d in process.store.deadlines.values() if d.deadline.phase_id == "c1/m1")
    assert rows == [("due", "2023-07-01", "cancelled"), ("due", "2023-08-01", "pending"),
                    ("due_soon", "2023-06-24", "cancelled"),
                    ("due_soon", "2023-07-25", "pending")]
    first = calendar_entry(process, key, "c1/m1")
    assert (first.starts.isoformat(), first.sequence) == ("2023-07-31", 1)  # moved once
    revisions = [e.event.occurred_at for e in process.store.events
                 if e.type == "CommitmentRevised"]
    assert first.stamp == revisions[-1]  # touched by the second revision, not moved by it
    assert calendar_entry(process, key, "c1/m2").sequence == 0


def calendar_entry(process: Process, key: str, where: str) -> Entry:
    """The calendar feed's event of a milestone, from the log replayed."""
    replay = Replay()
    for recorded in process.store.events:
        replay.apply(recorded)
    plan = replay.plans[process.run.plan_id]
    given = Facts(plan, plan.state.created_at, commitments=[replay.commitments[key]],
                  streams={key: [e.event for e in process.store.events
                                 if e.event.stream_id == key]})
    return next(entry for entry in milestone_entries(given) if entry.key == where)


def test_an_implementer_reports_only_on_its_own_agencys_commitments(process: Process) -> None:
    key = approved(process)

    with pytest.raises(NotAllowed):
        process.driver.report(key, "m1", "Avance", [], False, OTHER_AGENCY)
    state = process.driver.report(key, "m1", "Avance del 50 %", [], False, IMPLEMENTER)

    assert state.milestones["m1"].reports == 1


def test_completing_needs_every_milestone_done_and_the_lead_agency(process: Process) -> None:
    key = approved(process)
    process.driver.report(key, "m1", "Publicado", [], True, IMPLEMENTER)
    with pytest.raises(GuardFailed):
        process.driver.fire_commitment(key, "completar", {}, IMPLEMENTER)
    process.driver.report(key, "m2", "Buscador en línea", [], True, IMPLEMENTER)
    with pytest.raises(GuardFailed):
        process.driver.fire_commitment(key, "completar", {}, STAFF)

    assert process.driver.fire_commitment(key, "completar", {}, IMPLEMENTER).state == (
        "completado")


def test_only_the_evaluator_assesses_once_and_a_correction_gives_its_reason(
        process: Process) -> None:
    key = approved(process)
    for milestone in ("m1", "m2"):
        process.driver.report(key, milestone, "Hecho", [], True, IMPLEMENTER)
    process.driver.fire_commitment(key, "completar", {}, IMPLEMENTER)

    with pytest.raises(NotAllowed):
        process.driver.assess(key, "complete", "major", "Cumplido", [], STAFF)
    state = process.driver.assess(key, "substantial", "marginal", "Casi cumplido",
                                  ["https://irm.example/cuenca"], EVALUATOR)
    assert state.assessment is not None
    first = state.assessment["version"]
    assert (state.state, state.assessment["completion"]) == ("evaluado", "substantial")
    with pytest.raises(InvalidInput):
        process.driver.assess(key, "complete", "major", "Cumplido", [], EVALUATOR)
    state = process.driver.assess(key, "complete", "major", "Cumplido del todo", [], EVALUATOR,
                                  reason="El buscador se publicó antes del corte del informe")

    assert state.assessments == 2
    assert process.store.events[-1].event.data["corrects"] == first


def test_replaying_the_log_rebuilds_every_commitment(process: Process) -> None:
    key = approved(process)
    process.driver.report(key, "m1", "Hecho", [], True, IMPLEMENTER)
    process.at("2024-04-02")

    replay = Replay()
    for event in process.store.events:
        replay.apply(event)

    assert replay.commitments == process.store.commitments
