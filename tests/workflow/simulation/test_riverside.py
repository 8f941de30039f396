"""Riverside, the second shipped process: English, daylight saving, supports and own fields.

Simulated on both databases and verified; then its supports and fields are tampered
with in the projections, and verify names the proposal.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from storage.audit import verify
from storage.database import open_engine
from workflow.cli.app import app

runner = CliRunner()


@pytest.fixture
def simulated(db_url: str) -> tuple[str, dict[str, object]]:
    result = runner.invoke(app, ["simulate", "riverside-2025", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    return db_url, json.loads(result.output)


def test_riverside_runs_across_both_daylight_saving_changes_and_verifies(
        simulated: tuple[str, dict[str, object]]) -> None:
    _, run = simulated
    summary = run["summary"]
    phases = {k: (p["opened"], p["closed"], p["waited"], p["overdue"])
              for k, p in summary["phases"].items()}  # type: ignore[index]
    assert phases == {
        "forum_setup": ("2025-02-17 00:00", "2025-03-15 00:00", False, False),
        "outreach": ("2025-03-15 00:00", "2025-11-01 00:00", True, False),
        "ideas": ("2025-04-01 00:00", "2025-05-31 00:00", False, False),
        "public_support": ("2025-05-15 00:00", "2025-07-01 00:00", False, False),
        "shortlisting": ("2025-07-01 00:00", "2025-08-16 00:00", False, False),
        "responses": ("2025-08-01 00:00", "2025-11-15 00:00", False, False),
    }
    assert run["verify"] == {"ok": True, "events": 161, "finding": None}
    assert run["deadlines_fired"] == 32
    lines = [line["what"] for line in run["timeline"]]  # type: ignore[attr-defined]
    assert "Proposal no. 1: 12 more supports (12 in all)" in lines
    assert ("The phase “A reasoned response to every idea” closes: scheduled "
            "close: its last day has ended") in lines
    assert lines[-1] == ("Commitment no. 2 assessed: completion complete; did it open "
                         "government? major")


def test_riverside_commitments_run_through_2026_paused_resumed_overdue_and_assessed(
        simulated: tuple[str, dict[str, object]]) -> None:
    _, run = simulated
    commitments = run["summary"]["commitments"]  # type: ignore[index]
    shown = {c["number"]: (c["state"], [p["number"] for p in c["proposals"]],
                           c["milestones"]["on_time"], c["milestones"]["late"],
                           c["completion"], c["opened_government"])
             for c in commitments.values()}

    assert shown == {1: ("assessed", [2], 1, 1, "complete", "marginal"),
                     2: ("assessed", [1, 5], 2, 0, "complete", "major"),
                     3: ("completed", [3, 7], 1, 1, None, None)}
    lines = [line["what"] for line in run["timeline"]]  # type: ignore[attr-defined]
    assert ("Commitment no. 3, milestone m1: overdue, not reported done (it was due on "
            "2026-05-29)") in lines  # while paused: its milestones still run
    assert "Commitment no. 3: Resume the commitment → in_progress" in lines


def test_supports_and_fields_reach_the_proposals_rows(
        simulated: tuple[str, dict[str, object]]) -> None:
    url, _ = simulated
    engine = open_engine(url, readonly=True)
    with engine.connect() as conn:
        rows = dict(conn.execute(text(
            "SELECT proposal_id, supports FROM proposals ORDER BY number")).all())
        supporters = conn.execute(text("SELECT count(*) FROM supports")).scalar_one()
        cost = conn.execute(text("SELECT fields FROM proposals WHERE number = 2")).scalar_one()
    assert list(rows.values()) == [12, 7, 5, 3, 9, 2, 6, 1, 0, 0]
    assert supporters == 45
    assert json.loads(cost) == {"estimated_cost": 80000, "priority": "medium",
                                "evidence": "https://riverside.example.org/costs/"
                                            "pothole-tracker.xlsx"}


@pytest.mark.parametrize("tamper", [
    "UPDATE proposals SET supports = supports + 1 WHERE number = 4",
    "DELETE FROM supports WHERE supporter IN (SELECT supporter FROM supports"
    " WHERE proposal_id = 'riverside-2025.p8')",
    "INSERT INTO supports (proposal_id, supporter, supported_at) VALUES"
    " ('riverside-2025.p6', '00000000000000000000000000000000', '2025-05-25 17:00:00')",
    "UPDATE proposals SET fields = '{\"estimated_cost\":1,\"priority\":\"medium\"}'"
    " WHERE number = 3",
])
def test_verify_names_a_proposal_whose_supports_or_fields_were_edited(
        simulated: tuple[str, dict[str, object]], tamper: str) -> None:
    url, _ = simulated
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(tamper)

    report = verify(engine)

    assert report.finding is not None
    assert "riverside-2025.p" in report.finding.message
