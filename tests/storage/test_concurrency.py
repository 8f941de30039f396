"""Concurrent commands: separate OS processes and threads racing on one plan."""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from storage import tables as t
from storage.audit import verify
from storage.queries import list_proposals, load_plan
from tests.storage import racers, scenario
from tests.storage.scenario import INTAKE, PLAN, RESPONSE, STAFF
from workflow.domain.errors import InvalidTrigger
from workflow.domain.proposal import Proposal
from workflow.domain.state import ProposalState
from workflow.reads import show_plan

SPAWN = multiprocessing.get_context("spawn")
DECISION = "designacion_evaluador"


def race(target: Callable[..., None], jobs: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``target(*job, barrier, results)`` in one spawned process per job; return reports."""
    barrier, results = SPAWN.Barrier(len(jobs)), SPAWN.Queue()
    processes = [SPAWN.Process(target=target, args=(*job, barrier, results)) for job in jobs]
    for process in processes:
        process.start()
    reports = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return reports


def plan_events(engine: Any, stream: str) -> list[Any]:
    with engine.connect().execution_options(readonly=True) as conn:
        query = select(t.events).where(t.events.c.stream_id == stream)
        return list(conn.execute(query.order_by(t.events.c.version)))


def test_two_processes_expecting_one_version_one_wins_and_one_is_told_it_changed(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    version = show_plan(scn.engine, PLAN)["version"]
    voters = scn.members[6:8]
    reports = race(racers.vote_expecting, [(db_url, version, DECISION, m) for m in voters])
    outcomes = sorted(outcome for _, outcome, _ in reports)
    assert outcomes == ["conflict", "ok"]
    winner = next(member for member, outcome, _ in reports if outcome == "ok")
    told = next(message for _, outcome, message in reports if outcome == "conflict")
    assert f"{PLAN} cambió mientras se procesaba la orden" in told
    last = plan_events(scn.engine, PLAN)[-1]
    assert (last.version, last.type, json.loads(last.data)["member"]) == (
        version + 1, "VoteCast", winner)
    assert load_plan(scn.engine, PLAN).state.decisions[DECISION].votes == {winner: True}
    assert verify(scn.engine).ok


def test_two_cli_commands_expecting_one_version_one_fails_saying_the_plan_changed(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    version = show_plan(scn.engine, PLAN)["version"]
    ran = scenario.cocrea(*(["vote", PLAN, DECISION, "--member", member, "--approve", "--db",
                             db_url, "--expect-version", str(version)]
                            for member in scn.members[6:8]))
    assert sorted(r.code for r in ran) == [0, 1]
    refusal = next(r.err for r in ran if r.code == 1)
    assert f"{PLAN} cambió mientras se procesaba la orden" in refusal
    assert f"versión esperada {version}, actual {version + 1}" in refusal
    assert show_plan(scn.engine, PLAN)["version"] == version + 1
    assert verify(scn.engine).ok


def test_many_processes_submitting_at_once_get_distinct_numbers_and_gapless_positions(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    before = scenario.event_count(scn.engine)
    reports = race(racers.submit_many, [(db_url, racer, 7) for racer in range(3)])
    ids = [pid for _, submitted in reports for pid in submitted]
    assert sorted(ids) == sorted(f"{PLAN}.p{n}" for n in range(5, 26))
    _, stored = list_proposals(scn.engine, PLAN)
    assert [row["number"] for row in stored] == list(range(1, 26))
    assert scenario.event_count(scn.engine) == before + 21
    report = verify(scn.engine)
    assert report.ok and report.head.position == before + 21 and report.proposals == 25


PATHS: list[tuple[list[tuple[str, dict[str, str]]], str]] = [
    ([("admitir", {}), ("analizar", {}), ("descartar", {})], "descartada"),
    ([("no_admitir", {"response": RESPONSE})], "no_admitida"),
    ([("admitir", {}), ("analizar", {}), ("fusionar", {"into": f"{PLAN}.p3"})], "fusionada"),
    ([("admitir", {}), ("analizar", {})], "en_analisis"),
]


def test_eight_threads_firing_on_one_shared_machine_leave_every_proposal_right(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    ids = [scn.services.submit_proposal(PLAN, f"Hilo {n}", "Texto", "mesa", 1 + n % 3, INTAKE)
           for n in range(8)]
    barrier, refused, errors = threading.Barrier(8), [], []

    def walk(n: int) -> None:
        try:
            barrier.wait()
            for trigger, fields in PATHS[n % 4][0]:
                scn.services.fire(ids[n], trigger, fields, STAFF)
            try:
                scn.services.fire(ids[n], "admitir", {}, STAFF)
            except InvalidTrigger:
                refused.append(n)
        except Exception as exc:  # reported below, with the thread that raised it
            errors.append((n, exc))

    threads = [threading.Thread(target=walk, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(refused) == list(range(8))
    _, stored = list_proposals(scn.engine, PLAN)
    states = {row["proposal_id"]: row["state"] for row in stored}
    assert [states[pid] for pid in ids] == [PATHS[n % 4][1] for n in range(8)]
    assert verify(scn.engine).ok


def test_the_shared_proposal_machine_fires_correctly_from_eight_threads_at_once(
        sqlite_url: str) -> None:
    scn = scenario.build(sqlite_url)
    plan = load_plan(scn.engine, PLAN)
    target = ProposalState(f"{PLAN}.p3", PLAN, 3, "t", "b", "online", None, scenario.START,
                           "en_analisis")
    barrier, finals = threading.Barrier(8), {}

    def walk(n: int) -> None:
        path, _ = PATHS[n % 4]
        proposals = [Proposal(ProposalState(f"x{n}.{k}", PLAN, k, "t", "b", "online", None,
                                            scenario.START, "recibida"), plan.catalog)
                     for k in range(300)]
        barrier.wait()
        for proposal in proposals:
            for trigger, fields in path:
                proposal.fire(trigger, fields, plan.state, STAFF, scenario.START,
                              targets={"into": target})
        finals[n] = {(p.state.state, p.state.version) for p in proposals}

    threads = [threading.Thread(target=walk, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert finals == {n: {(PATHS[n % 4][1], 1 + len(PATHS[n % 4][0]))} for n in range(8)}


def test_verify_while_another_thread_writes_never_reports_a_false_finding(db_url: str) -> None:
    scn = scenario.build(db_url)
    stop, findings = threading.Event(), []

    def keep_submitting() -> None:
        while not stop.is_set():
            scn.services.submit_proposal(PLAN, "Mientras", "se verifica", "online", None, INTAKE)

    writer = threading.Thread(target=keep_submitting)
    writer.start()
    try:
        for _ in range(15):
            findings.append(verify(scn.engine).finding)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert [f for f in findings if f is not None] == []
    assert verify(scn.engine).ok
