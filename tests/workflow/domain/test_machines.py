"""Machines: one per definition and kind, only declared triggers, safe across threads."""

from __future__ import annotations

import threading

from tests.workflow.cuenca import STAFF, START, cuenca, new_plan, plan_receiving
from workflow.domain.catalog import catalog_for
from workflow.domain.guards import GuardContext
from workflow.domain.machines import PHASE_STATES
from workflow.domain.state import ProposalState


def test_machines_declare_no_automatic_to_state_triggers() -> None:
    catalog = catalog_for(cuenca())
    declared = catalog.phase_machine.declared() + catalog.proposal_machine.declared()
    assert not [t for t in declared if t.startswith("to_")]
    assert catalog.proposal_machine.declared() == ["admitir", "no_admitir", "analizar",
                                                   "incorporar", "fusionar", "descartar",
                                                   "responder"]


def test_every_plan_pinning_a_definition_shares_its_machines() -> None:
    first, second = new_plan(), new_plan()
    assert first.catalog is second.catalog
    assert first.catalog.phase_machine is second.catalog.phase_machine


def test_the_phase_machine_knows_every_phase_state() -> None:
    machine = catalog_for(cuenca()).phase_machine
    assert {s: machine.allowed(s) for s in PHASE_STATES} == {
        "scheduled": ["open", "hold", "extend"], "waiting": ["open", "extend"],
        "open": ["close", "mark_overdue", "extend"], "overdue": ["close", "extend"],
        "closed": []}


def test_a_blocked_guard_leaves_the_model_unchanged() -> None:
    plan = new_plan()
    region = plan.state.phases["vision_estrategica"]
    ctx = GuardContext(plan.state, STAFF, "vision_estrategica")
    assert plan.catalog.phase_machine.fire(region, "open", ctx) is False
    assert region.state == "scheduled"


def test_one_machine_fires_safely_from_many_threads_on_different_models() -> None:
    plan = plan_receiving()
    machine = plan.catalog.proposal_machine
    ctx = GuardContext(plan.state, STAFF)
    models = [ProposalState(f"p{i}", plan.state.plan_id, i, "t", "b", "online", None, START,
                            "recibida") for i in range(400)]
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def work(chunk: list[ProposalState]) -> None:
        barrier.wait()
        for model in chunk:
            results.append(machine.fire(model, "admitir", ctx))
            results.append(machine.fire(model, "analizar", ctx))
            results.append(machine.fire(model, "descartar", ctx))

    threads = [threading.Thread(target=work, args=(models[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results) and len(results) == 1200
    assert {m.state for m in models} == {"descartada"}
