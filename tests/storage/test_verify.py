"""Verify: every alteration of the log is named at the event where it happened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from storage.audit import digest, verify
from tests.storage import scenario
from tests.storage.scenario import PLAN, STAFF, Scenario, rechain
from workflow.domain.canonical import canonical_json

WHERE = {"the first": lambda last: 1, "a middle": lambda last: last // 2,
         "the last": lambda last: last}


def tamper(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def pick(scn: Scenario, where: str) -> int:
    return WHERE[where](digest(scn.engine).position)


def edit_data(engine: Engine, position: int) -> None:
    """Change one value in the event's data, keeping it valid canonical JSON."""
    with engine.connect().execution_options(readonly=True) as conn:
        data = json.loads(conn.execute(text("SELECT data FROM events WHERE position = :p"),
                                       {"p": position}).scalar_one())
    data["forged"] = True
    tamper(engine, "UPDATE events SET data = :d WHERE position = :p",
           d=canonical_json(data), p=position)


def swap(engine: Engine, first: int) -> None:
    """Swap the positions of events ``first`` and ``first + 1`` through a spare value."""
    for old, new in ((first, -1), (first + 1, first), (-1, first + 1)):
        tamper(engine, "UPDATE events SET position = :new WHERE position = :old",
               old=old, new=new)


def test_the_driven_scenario_passes_verify(db_url: str) -> None:
    scn = scenario.build(db_url)
    report = verify(scn.engine)
    assert report.ok, report.finding
    assert (report.events, report.plans, report.proposals) == (
        scenario.event_count(scn.engine), 1, 4)
    assert report.head == digest(scn.engine)


@pytest.mark.parametrize("where", list(WHERE))
def test_an_edited_event_row_is_caught_by_verify_at_that_event(db_url: str, where: str) -> None:
    scn = scenario.build(db_url)
    position = pick(scn, where)
    edit_data(scn.engine, position)
    finding = verify(scn.engine).finding
    assert finding is not None and finding.position == position
    assert "alterado" in finding.message


@pytest.mark.parametrize("where", list(WHERE))
def test_a_deleted_event_row_is_caught_by_verify_at_that_event(db_url: str, where: str) -> None:
    scn = scenario.build(db_url)
    position = pick(scn, where)
    tamper(scn.engine, "DELETE FROM events WHERE position = :p", p=position)
    finding = verify(scn.engine).finding
    assert finding is not None and finding.position == position


@pytest.mark.parametrize("where", list(WHERE))
def test_a_reordered_pair_of_events_is_caught_by_verify_at_the_first_of_them(
        db_url: str, where: str) -> None:
    scn = scenario.build(db_url)
    first = min(pick(scn, where), digest(scn.engine).position - 1)
    swap(scn.engine, first)
    finding = verify(scn.engine).finding
    assert finding is not None and finding.position == first


TAMPERED_PROJECTIONS = {
    "a proposal's state": ("UPDATE proposals SET state = 'respondida' "
                           "WHERE proposal_id = 'cuenca-2022.p1'", f"{PLAN}.p1"),
    "a phase's status": ("UPDATE phases SET status = 'closed' WHERE phase_id = 'difusion'",
                         PLAN),
    "a deleted vote": ("DELETE FROM votes WHERE decision_id = 'aprobacion_metodologia' "
                       "AND approve = false", PLAN),
    "a plan's version": ("UPDATE plans SET version = version - 1", PLAN),
    "a proposal's answer": ("UPDATE proposals SET response = 'otra respuesta' "
                            "WHERE proposal_id = 'cuenca-2022.p2'", f"{PLAN}.p2"),
    "a proposal's merge": ("UPDATE proposals SET merged_into = NULL "
                           "WHERE proposal_id = 'cuenca-2022.p4'", f"{PLAN}.p4"),
    "a proposal's last change": ("UPDATE proposals SET updated_at = submitted_at "
                                 "WHERE proposal_id = 'cuenca-2022.p3'", f"{PLAN}.p3"),
    "a deleted proposal": ("DELETE FROM proposals WHERE proposal_id = 'cuenca-2022.p3'",
                           f"{PLAN}.p3"),
}


@pytest.mark.parametrize("case", list(TAMPERED_PROJECTIONS))
def test_a_tampered_projection_is_caught_and_names_its_stream(db_url: str, case: str) -> None:
    scn = scenario.build(db_url)
    sql, stream = TAMPERED_PROJECTIONS[case]
    tamper(scn.engine, sql)
    finding = verify(scn.engine).finding
    assert finding is not None and f"«{stream}»" in finding.message


def test_with_the_chain_in_a_worker_a_tampered_projection_is_still_named(db_url: str) -> None:
    scn = scenario.build(db_url)
    sql, stream = TAMPERED_PROJECTIONS["a proposal's answer"]
    tamper(scn.engine, sql)
    finding = verify(scn.engine, parallel=True).finding
    assert finding is not None and f"«{stream}»" in finding.message


def test_an_edited_event_is_named_before_the_projections_it_leaves_stale(db_url: str) -> None:
    scn = scenario.build(db_url)
    tamper(scn.engine, TAMPERED_PROJECTIONS["a proposal's answer"][0])
    edit_data(scn.engine, 5)
    for parallel in (False, True):
        finding = verify(scn.engine, parallel=parallel).finding
        assert finding is not None and finding.position == 5 and "alterado" in finding.message


def grow(scn: Scenario) -> None:
    """Two more commands: the events a forger will cut off."""
    scn.services.fire(f"{PLAN}.p1", "analizar", {}, STAFF)
    scn.services.vote(PLAN, "designacion_evaluador", scn.members[0], True, STAFF)


def cut_back(scn: Scenario, head: Any, saved: dict[str, Any]) -> None:
    """Truncate the log to ``head`` and put the projections back as they were then."""
    scenario.truncate_to(scn.engine, head)
    scenario.restore_projections(scn.engine, saved)


def test_a_kept_digest_still_verifies_after_the_log_grows(db_url: str) -> None:
    scn = scenario.build(db_url)
    kept = digest(scn.engine)
    grow(scn)
    assert verify(scn.engine, kept=kept).ok


def test_a_consistent_truncation_passes_plain_verify_but_not_the_kept_digest(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    head, saved = digest(scn.engine), scenario.projections(scn.engine)
    grow(scn)
    kept = digest(scn.engine)
    cut_back(scn, head, saved)
    assert verify(scn.engine).ok
    finding = verify(scn.engine, kept=kept).finding
    assert finding is not None and finding.position == kept.position == head.position + 2


def forge_reason(engine: Engine) -> int:
    """Rewrite the reason of the first phase opening (a field no projection repeats)."""
    with engine.connect().execution_options(readonly=True) as conn:
        position, raw = conn.execute(text(
            "SELECT position, data FROM events WHERE type = 'PhaseOpened' ORDER BY position"
        )).first() or (0, "{}")
    data = {**json.loads(raw), "reason": "motivo reescrito"}
    tamper(engine, "UPDATE events SET data = :d WHERE position = :p",
           d=canonical_json(data), p=position)
    return int(position)


def test_a_projection_row_that_cannot_be_read_waits_behind_an_edited_event(
        sqlite_url: str) -> None:
    scn = scenario.build(sqlite_url)
    tamper(scn.engine, "UPDATE proposals SET updated_at = 'ilegible' "
                       "WHERE proposal_id = 'cuenca-2022.p1'")
    position = forge_reason(scn.engine)  # replays legally: only the chain tells
    for parallel in (False, True):
        finding = verify(scn.engine, parallel=parallel).finding
        assert finding is not None and finding.position == position
        assert "alterado" in finding.message


def test_an_edit_with_the_chain_rebuilt_is_still_caught_by_the_kept_digest(db_url: str) -> None:
    scn = scenario.build(db_url)
    kept = digest(scn.engine)
    forge_reason(scn.engine)
    rechain(scn.engine)
    assert verify(scn.engine).ok
    finding = verify(scn.engine, kept=kept).finding
    assert finding is not None and finding.position == kept.position


def test_an_event_with_a_field_its_type_lacks_is_caught_even_with_the_chain_rebuilt(
        db_url: str) -> None:
    scn = scenario.build(db_url)
    edit_data(scn.engine, 10)
    rechain(scn.engine)
    finding = verify(scn.engine).finding
    assert finding is not None and finding.position == 10
    assert "forged" in finding.message


def test_the_cli_verifies_then_catches_a_truncation_with_a_kept_digest_file(
        db_url: str, tmp_path: Path) -> None:
    scn = scenario.build(db_url)
    head, saved = digest(scn.engine), scenario.projections(scn.engine)
    grow(scn)
    verified, printed = scenario.cocrea(["verify", "--db", db_url],
                                        ["digest", "--json", "--db", db_url])
    assert verified.code == 0 and "Verificado" in verified.out
    kept = tmp_path / "digest.json"
    kept.write_text(printed.out, encoding="utf-8")
    cut_back(scn, head, saved)
    [caught] = scenario.cocrea(["verify", "--db", db_url, "--digest", str(kept)])
    assert caught.code == 1
    assert f"#{head.position + 2}" in caught.out + caught.err


@pytest.mark.parametrize("where", list(WHERE))
def test_the_parallel_chain_pass_finds_the_same_first_event(db_url: str, where: str) -> None:
    scn = scenario.build(db_url)
    assert verify(scn.engine, parallel=True).ok
    position = pick(scn, where)
    edit_data(scn.engine, position)
    finding = verify(scn.engine, parallel=True).finding
    assert finding is not None and finding.position == position
    assert "alterado" in finding.message
