"""Verify re-checks commitments: their rows, milestones, links and milestone deadlines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from storage.audit import verify
from storage.database import open_engine
from workflow.cli.app import app

C3 = "cuenca-2022.c3"
TAMPERED = {
    "a commitment's state": "UPDATE commitments SET state = 'aprobado' WHERE commitment_id = :c",
    "a milestone's due date": ("UPDATE commitment_milestones SET due = '2023-12-31'"
                               " WHERE commitment_id = :c AND milestone_id = 'm1'"),
    "a deleted link": ("DELETE FROM commitment_links WHERE commitment_id = :c"
                       " AND proposal_id = 'cuenca-2022.p13'"),
    "a report counted twice": ("UPDATE commitment_milestones SET reports = reports + 1"
                               " WHERE commitment_id = :c AND milestone_id = 'm2'"),
    "a link the log never made": ("INSERT INTO commitment_links (commitment_id, proposal_id,"
                                  " plan_id, linked_at) SELECT commitment_id, 'cuenca-2022.p2',"
                                  " plan_id, drafted_at FROM commitments WHERE commitment_id = :c"),
}


@pytest.fixture
def simulated(db_url: str) -> Engine:
    result = CliRunner().invoke(app, ["simulate", "--db", db_url])
    assert result.exit_code == 0, result.output
    return open_engine(db_url)


def test_verify_names_an_edited_commitment_row_and_then_a_cancelled_milestone_deadline(
        simulated: Engine) -> None:
    assert verify(simulated).ok
    for case, sql in TAMPERED.items():
        edit(simulated, sql)
        found = verify(simulated).finding
        assert found is not None and f"«{C3}»" in found.message, case
        undo(simulated, case)
        assert verify(simulated).ok, case

    edit(simulated, "UPDATE deadlines SET status = 'cancelled'"
                    " WHERE plan_id = 'cuenca-2022' AND phase_id = 'c3/m1' AND kind = 'due'")
    found = verify(simulated).finding

    assert found is not None and "c3/m1" in found.message


def test_verify_names_a_milestone_whose_moment_done_was_moved(simulated: Engine) -> None:
    edit(simulated, "UPDATE commitment_milestones SET done_at = (SELECT drafted_at FROM"
                    " commitments WHERE commitment_id = :c) WHERE commitment_id = :c"
                    " AND milestone_id = 'm1'")

    found = verify(simulated).finding

    assert found is not None and f"«{C3}»" in found.message


def edit(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), {"c": C3})


UNDO = {
    "a commitment's state": "UPDATE commitments SET state = 'evaluado' WHERE commitment_id = :c",
    "a milestone's due date": ("UPDATE commitment_milestones SET due = '2023-06-30'"
                               " WHERE commitment_id = :c AND milestone_id = 'm1'"),
    "a deleted link": ("INSERT INTO commitment_links (commitment_id, proposal_id, plan_id,"
                       " linked_at) SELECT commitment_id, 'cuenca-2022.p13', plan_id, drafted_at"
                       " FROM commitments WHERE commitment_id = :c"),
    "a report counted twice": ("UPDATE commitment_milestones SET reports = reports - 1"
                               " WHERE commitment_id = :c AND milestone_id = 'm2'"),
    "a link the log never made": ("DELETE FROM commitment_links WHERE commitment_id = :c"
                                  " AND proposal_id = 'cuenca-2022.p2'"),
}


def undo(engine: Engine, case: str) -> None:
    edit(engine, UNDO[case])
