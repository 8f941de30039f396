"""The forum's meetings and the OGP report through the CLI and the API, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from storage.audit import verify
from storage.database import open_engine
from tests.support.server import live_api
from workflow.cli.app import app

runner = CliRunner()
CUENCA_REPORT = {
    "forum_multistakeholder": "met", "forum_rules_public": "unknown", "forum_meets": "met",
    "public_record": "met", "timeline_in_advance": "met", "public_input": "met",
    "reasoned_response": "met", "plan_endorsed": "met", "forum_meets_in_implementation": "met",
}


def cocrea(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def simulated(db_url: str) -> str:
    code, out = cocrea("simulate", "--db", db_url)
    assert code == 0, out
    return db_url


def test_cuencas_report_says_rule_by_rule_what_its_log_shows(simulated: str) -> None:
    code, out = cocrea("ogp", "report", "cuenca-2022", "--db", simulated, "--json")

    assert code == 0, out
    report = json.loads(out)
    assert {r["id"]: r["status"] for r in report["rules"]} == CUENCA_REPORT
    assert report["counts"] == {"met": 8, "not_met": 0, "unknown": 1}
    meets = next(r for r in report["rules"] if r["id"] == "forum_meets")
    assert [e["what"] for e in meets["evidence"]] == [
        f"reunión del foro del {held}" for held in (
            "2022-07-13 17:00", "2022-09-05 15:30", "2022-11-14 17:30", "2023-01-20 16:30",
            "2023-06-15 17:00", "2023-12-07 17:00")]
    assert meets["evidence"][0]["at"] == "2022-07-13 19:00"  # when it joined the log
    rules = next(r for r in report["rules"] if r["id"] == "forum_rules_public")
    assert rules["missing"] == "la definición no dice qué lo muestra (ogp: forum_rules)"


def test_as_of_before_the_plan_was_approved_its_endorsement_is_not_yet_known(
        simulated: str) -> None:
    code, out = cocrea("ogp", "report", "cuenca-2022", "--db", simulated, "--json",
                       "--as-of", "2022-12-01")
    assert code == 0, out
    report = json.loads(out)
    statuses = {r["id"]: r["status"] for r in report["rules"]}
    assert (statuses["plan_endorsed"], statuses["reasoned_response"]) == ("unknown", "unknown")


def test_a_meeting_recorded_by_hand_joins_the_log_and_verify_holds_it(simulated: str) -> None:
    code, out = cocrea("meeting", "record", "cuenca-2022", "--db", simulated, "--at",
                       "2024-03-01 17:00", "--attendance", "sociedad_civil=2",
                       "--attendance", "sector_publico=1", "--minutes",
                       "https://participa.cuenca.gob.ec/actas/2024-03-01.pdf")
    bad = cocrea("meeting", "record", "cuenca-2022", "--db", simulated, "--at",
                 "2024-03-02 17:00", "--attendance", "sociedad_civil")

    assert code == 0, out
    assert out == ("Reunión de «Comité Impulsor de Gobierno Abierto de Cuenca» del "
                   "2024-03-01 17:00 registrada.\n")
    assert bad[0] == 1 and "--attendance grupo=número" in bad[1]
    engine = open_engine(simulated)
    assert verify(engine).ok
    with engine.begin() as conn:  # the snapshot's meetings, edited: verify names the plan
        conn.execute(text("UPDATE plans SET snapshot = replace(snapshot, "
                          "'2024-03-01T22:00:00+00:00', '2024-03-09T22:00:00+00:00')"))
    finding = verify(engine).finding
    assert finding is not None and "cuenca-2022" in finding.message


def test_the_api_takes_meetings_from_staff_and_shows_the_report_to_anyone(
        simulated: str) -> None:
    with live_api(simulated) as live:
        staff, auditor = live.client(live.token("staff")), live.client(live.token("auditor"))
        meeting = {"held_at": "2024-03-01T17:00:00-05:00", "minutes": "https://x.example/a",
                   "attendance": {"sociedad_civil": 3, "sector_publico": 2}}
        created = staff.post("/plans/cuenca-2022/meetings", json=meeting)
        refused = auditor.post("/plans/cuenca-2022/meetings", json=meeting)
        unknown = staff.post("/plans/cuenca-2022/meetings",
                             json={**meeting, "attendance": {"prensa": 3}})
        report = live.client().get("/plans/cuenca-2022/ogp").json()
    assert created.status_code == 201 and created.json()["events"][0]["type"] == (
        "MeetingRecorded")
    assert refused.status_code == 403
    assert unknown.status_code == 404 and unknown.json()["what"] == "group"
    assert {r["id"]: r["status"] for r in report["rules"]} == CUENCA_REPORT
