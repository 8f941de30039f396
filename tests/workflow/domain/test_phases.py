"""Phases: each a flat region of the plan, guarded by the definition's conditions."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflow.cuenca import (
    STAFF,
    START,
    Census,
    approve,
    finish_activities,
    new_plan,
    plan_receiving,
    run_phase,
    with_committee,
)
from workflow.domain.errors import GuardFailed, InvalidInput, InvalidTrigger, NotFound
from workflow.domain.proposal import Proposal


def test_a_new_plan_has_every_phase_scheduled_on_the_seed_dates() -> None:
    plan = new_plan()
    dates = {k: (r.starts_on.isoformat(), r.ends_on.isoformat(), r.state)
             for k, r in plan.state.phases.items()}
    assert dates == {
        "planeacion_inicial": ("2022-07-11", "2022-07-17", "scheduled"),
        "vision_estrategica": ("2022-07-18", "2022-08-19", "scheduled"),
        "designacion_evaluador": ("2022-09-25", "2022-10-01", "scheduled"),
        "difusion": ("2022-08-29", "2022-12-31", "scheduled"),
        "recepcion_propuestas": ("2022-09-26", "2022-11-18", "scheduled"),
        "retroalimentacion": ("2022-11-28", "2023-12-31", "scheduled"),
        "consolidacion": ("2022-12-05", "2023-01-31", "scheduled"),
    }


def test_closing_the_first_phase_lists_every_unmet_condition_in_words() -> None:
    plan = new_plan()
    plan.open_phase("planeacion_inicial", "inicio", STAFF, START)
    with pytest.raises(GuardFailed) as caught:
        plan.close_phase("planeacion_inicial", "fin", STAFF, START)
    unmet = caught.value.unmet
    assert len(unmet) == 3
    assert unmet[0] == (
        "«Comité Impulsor de Gobierno Abierto de Cuenca» tiene 0 miembros; se necesitan al menos "
        "3 y 1 por grupo («Sociedad civil y organizaciones ciudadanas», «Academia y sector "
        "privado», «Gobierno local e instituciones públicas»)")
    assert unmet[1].startswith("faltan actividades por completar: «Elaboración y expedición de "
                               "la resolución con las directrices para la co-creación», ")
    assert unmet[2] == ("la decisión «Aprobación de la metodología de co-creación» no está "
                        "aprobada: aún no hay en «Comité Impulsor de Gobierno Abierto de Cuenca» "
                        "miembros que puedan votarla")
    assert caught.value.state == "open"


def test_the_first_phase_closes_once_committee_activities_and_methodology_are_there() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    assert plan.state.phases["planeacion_inicial"].state == "closed"
    assert plan.state.decisions["aprobacion_metodologia"].approved


def test_the_vision_phase_waits_for_the_first_phase_to_close() -> None:
    plan = new_plan()
    with pytest.raises(GuardFailed, match="«Planeación inicial» no está cerrada"):
        plan.open_phase("vision_estrategica", "x", STAFF, START)


@pytest.mark.parametrize("phase", ["designacion_evaluador", "difusion"])
def test_evaluator_and_outreach_phases_wait_for_the_vision(phase: str) -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    with pytest.raises(GuardFailed, match="«Desarrollo de la visión estratégica"):
        plan.open_phase(phase, "x", STAFF, START)
    run_phase(plan, "vision_estrategica")
    plan.open_phase(phase, "x", STAFF, START)
    assert plan.state.phases[phase].state == "open"


def test_the_evaluator_phase_closes_only_with_the_committees_designation() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    run_phase(plan, "vision_estrategica")
    plan.open_phase("designacion_evaluador", "x", STAFF, START)
    with pytest.raises(GuardFailed, match="evaluadora independiente» no está aprobada"):
        plan.close_phase("designacion_evaluador", "x", STAFF, START)
    approve(plan, "designacion_evaluador", votes=6)
    finish_activities(plan, "designacion_evaluador")
    plan.close_phase("designacion_evaluador", "x", STAFF, START)


def test_reception_needs_outreach_running_and_the_communication_strategy() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    run_phase(plan, "vision_estrategica")
    with pytest.raises(GuardFailed) as caught:
        plan.open_phase("recepcion_propuestas", "x", STAFF, START)
    assert len(caught.value.unmet) == 2
    plan.open_phase("difusion", "x", STAFF, START)
    approve(plan, "aprobacion_estrategia_comunicacional")
    plan.open_phase("recepcion_propuestas", "x", STAFF, START)


def test_feedback_and_consolidation_close_only_when_every_proposal_is_answered() -> None:
    plan = plan_receiving()
    census = Census([])
    census.proposals.append(Proposal.submit(plan, "Datos abiertos", "Publicar contratos",
                                            "online", None, STAFF, START, census))
    finish_activities(plan, "recepcion_propuestas")
    plan.close_phase("recepcion_propuestas", "x", STAFF, START, census)
    for phase in ("retroalimentacion", "consolidacion"):
        plan.open_phase(phase, "x", STAFF, START, census)
        finish_activities(plan, phase)
        with pytest.raises(GuardFailed, match=r"1 propuesta no está en respondida"):
            plan.close_phase(phase, "x", STAFF, START, census)


def test_overlapping_phases_run_side_by_side() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    run_phase(plan, "vision_estrategica")
    for phase in ("difusion", "designacion_evaluador"):
        plan.open_phase(phase, "x", STAFF, START)
    approve(plan, "aprobacion_estrategia_comunicacional")
    plan.open_phase("recepcion_propuestas", "x", STAFF, START)
    running = sorted(k for k, r in plan.state.phases.items() if r.running)
    assert running == ["designacion_evaluador", "difusion", "recepcion_propuestas"]
    approve(plan, "designacion_evaluador")
    finish_activities(plan, "designacion_evaluador")
    plan.close_phase("designacion_evaluador", "x", STAFF, START)
    assert plan.state.phases["difusion"].state == "open"


def test_a_closed_phase_cannot_be_opened_again_and_the_error_lists_allowed_triggers() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    with pytest.raises(InvalidTrigger) as caught:
        plan.open_phase("planeacion_inicial", "x", STAFF, START)
    assert caught.value.state == "closed"
    assert caught.value.allowed == []


def test_opening_an_open_phase_is_refused_naming_the_triggers_it_allows() -> None:
    plan = new_plan()
    plan.open_phase("planeacion_inicial", "x", STAFF, START)
    with pytest.raises(InvalidTrigger) as caught:
        plan.open_phase("planeacion_inicial", "x", STAFF, START)
    assert caught.value.allowed == ["close", "mark_overdue", "extend"]


def test_an_extension_moves_the_last_day_and_needs_a_later_date_and_a_reason() -> None:
    plan = new_plan()
    plan.open_phase("planeacion_inicial", "x", STAFF, START)
    with pytest.raises(InvalidInput, match="«until»"):
        plan.extend_phase("planeacion_inicial", dt.date(2022, 7, 17), "x", STAFF, START)
    with pytest.raises(InvalidInput, match="«reason»: no puede estar vacío"):
        plan.extend_phase("planeacion_inicial", dt.date(2022, 7, 24), " ", STAFF, START)
    plan.extend_phase("planeacion_inicial", dt.date(2022, 7, 24), "más consultas", STAFF, START)
    assert plan.state.phases["planeacion_inicial"].ends_on == dt.date(2022, 7, 24)
    assert plan.pending[-1].data == {"phase": "planeacion_inicial", "until": "2022-07-24",
                                     "previous": "2022-07-17", "reason": "más consultas"}


def test_an_unknown_phase_is_not_found() -> None:
    with pytest.raises(NotFound, match="no existe la fase «nada»"):
        new_plan().open_phase("nada", "x", STAFF, START)


def test_an_activity_of_a_phase_that_is_not_running_cannot_be_done() -> None:
    plan = new_plan()
    with pytest.raises(GuardFailed, match="no está abierta"):
        plan.complete_activity("diagnostico", "https://x", STAFF, START)


def test_an_activity_needing_a_decision_waits_for_it() -> None:
    plan = with_committee(new_plan())
    run_phase(plan, "planeacion_inicial")
    run_phase(plan, "vision_estrategica")
    plan.open_phase("designacion_evaluador", "x", STAFF, START)
    with pytest.raises(GuardFailed, match="organización evaluadora independiente» no está"):
        plan.complete_activity("designacion", "https://x", STAFF, START)
