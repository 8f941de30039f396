"""Dated phases open and close by themselves, on SQLite and PostgreSQL, on a virtual clock."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from storage import outbox, schedule
from storage.audit import verify
from tests.storage.scenario import MEMBERS, cuenca
from tests.support.clocked import (
    GUAYAQUIL,
    STAFF,
    Clocked,
    addresses,
    at,
    clocked,
    phase_one_done_but_the_vote,
    seated,
)
from workflow.domain.errors import GuardFailed, InvalidInput

PLAN = "cuenca-2022"
JULY_1 = at("2022-07-01 09:00")


def local_outcomes(c: Clocked) -> list[tuple[str, str, str, str]]:
    """Each fired deadline as (local due time, phase, kind, outcome), in due order."""
    return [(row["due_at"].astimezone(GUAYAQUIL).strftime("%Y-%m-%d %H:%M"), row["phase_id"],
             row["kind"] + (f"-{row['days']}" if row["days"] else ""), row["outcome"])
            for row in schedule.deadline_rows(c.engine, PLAN) if row["status"] == "fired"]


def test_every_deadline_of_an_untouched_cuenca_plan_fires_at_its_exact_local_time(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)

    fired = c.advance()

    assert len(fired) == 23
    assert local_outcomes(c) == [
        ("2022-07-11 00:00", "planeacion_inicial", "open", "PhaseOpened"),
        ("2022-07-15 00:00", "planeacion_inicial", "remind-3", "PhaseClosingSoon"),
        ("2022-07-18 00:00", "planeacion_inicial", "close", "PhaseOverdue"),
        ("2022-07-18 00:00", "vision_estrategica", "open", "PhaseHeld"),
        ("2022-08-13 00:00", "vision_estrategica", "remind-7", "DeadlineSkipped"),
        ("2022-08-20 00:00", "vision_estrategica", "close", "DeadlineSkipped"),
        ("2022-08-29 00:00", "difusion", "open", "PhaseHeld"),
        ("2022-09-25 00:00", "designacion_evaluador", "open", "PhaseHeld"),
        ("2022-09-26 00:00", "recepcion_propuestas", "open", "PhaseHeld"),
        ("2022-09-29 00:00", "designacion_evaluador", "remind-3", "DeadlineSkipped"),
        ("2022-10-02 00:00", "designacion_evaluador", "close", "DeadlineSkipped"),
        ("2022-11-12 00:00", "recepcion_propuestas", "remind-7", "DeadlineSkipped"),
        ("2022-11-18 00:00", "recepcion_propuestas", "remind-1", "DeadlineSkipped"),
        ("2022-11-19 00:00", "recepcion_propuestas", "close", "DeadlineSkipped"),
        ("2022-11-28 00:00", "retroalimentacion", "open", "PhaseHeld"),
        ("2022-12-05 00:00", "consolidacion", "open", "PhaseHeld"),
        ("2022-12-25 00:00", "difusion", "remind-7", "DeadlineSkipped"),
        ("2023-01-01 00:00", "difusion", "close", "DeadlineSkipped"),
        ("2023-01-25 00:00", "consolidacion", "remind-7", "DeadlineSkipped"),
        ("2023-02-01 00:00", "consolidacion", "close", "DeadlineSkipped"),
        ("2023-12-02 00:00", "retroalimentacion", "remind-30", "DeadlineSkipped"),
        ("2023-12-25 00:00", "retroalimentacion", "remind-7", "DeadlineSkipped"),
        ("2024-01-01 00:00", "retroalimentacion", "close", "DeadlineSkipped"),
    ]
    opened = c.events("PhaseOpened")[0]
    assert opened["occurred_at"] == at("2022-07-11 00:00")
    assert opened["actor"] == "sistema"
    assert opened["data"]["due_at"] == "2022-07-11T05:00:00+00:00"
    assert opened["data"]["late_seconds"] == 0
    assert verify(c.engine).ok


def test_the_first_phase_goes_overdue_then_closes_when_the_late_vote_passes(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.advance(at("2022-07-11 09:00"))
    members = seated(c)
    phase_one_done_but_the_vote(c, members)

    c.advance(at("2022-07-18 08:00"))

    [overdue] = c.events("PhaseOverdue")
    assert overdue["occurred_at"] == at("2022-07-18 00:00")
    assert overdue["data"]["unmet"] == [
        "la decisión «Aprobación de la metodología de co-creación» no está aprobada "
        "(4 a favor, 0 en contra de 9 con voto; se necesitan 5)"]
    assert "se cerrará sola" in overdue["data"]["reason"]
    [held] = c.events("PhaseHeld")
    assert held["data"]["phase"] == "vision_estrategica"
    assert held["data"]["unmet"] == [
        "la fase «Planeación inicial» no está cerrada (está vencida)"]
    told: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in outbox.messages(c.engine):
        told[row["topic"], row["data"]["phase"]].add(row["recipient"])
    names = [n for group in MEMBERS.values() for n in group]
    committee, not_voted = addresses(*names), addresses(*names[4:])
    assert told == {("phase_opened", "planeacion_inicial"): {"staff"},  # no members yet
                    ("phase_closing_soon", "planeacion_inicial"): {"staff", *committee},
                    ("decision_waiting", "planeacion_inicial"): not_voted,
                    ("phase_overdue", "planeacion_inicial"): {"staff", *committee},
                    ("phase_waiting", "vision_estrategica"): {"staff", *committee}}
    assert len(outbox.messages(c.engine)) == 1 + 10 + 5 + 10 + 5 + 10  # waiting: told twice

    c.clock.move_to(at("2022-07-18 10:30"))
    c.services.vote(PLAN, "aprobacion_metodologia", members[4], True, STAFF)

    tail = [(e["type"], e["data"].get("phase"), e["occurred_at"]) for e in c.events()[-4:]]
    ten_thirty = at("2022-07-18 10:30")
    assert tail == [("VoteCast", None, ten_thirty), ("DecisionApproved", None, ten_thirty),
                    ("PhaseClosed", "planeacion_inicial", ten_thirty),
                    ("PhaseOpened", "vision_estrategica", ten_thirty)]
    assert verify(c.engine).ok


def test_an_overdue_phase_that_waits_for_staff_stays_overdue_once_its_conditions_hold(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.advance(at("2022-07-11 09:00"))
    members = seated(c)
    phase_one_done_but_the_vote(c, members)
    c.services.vote(PLAN, "aprobacion_metodologia", members[4], True, STAFF)
    c.advance(at("2022-08-20 09:00"))  # vision opened on time, closes 08-20 with work undone
    c.services.complete_activity(PLAN, "diagnostico", "https://x", STAFF)
    c.services.complete_activity(PLAN, "vision_local", "https://x", STAFF)

    assert [e["data"]["phase"] for e in c.events("PhaseOverdue")] == ["vision_estrategica"]
    assert c.services.close_phase(PLAN, "vision_estrategica", "cierre tardío", STAFF)
    assert c.events()[-1]["type"] == "PhaseClosed"


def test_an_extension_moves_the_close_and_the_scheduler_follows_it(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.advance(at("2022-07-12 09:00"))

    c.services.extend_phase(PLAN, "planeacion_inicial", dt.date(2022, 7, 24),
                            "el comité se constituye más tarde", STAFF)

    rows = {(r["kind"], r["status"]): r["due_at"] for r in
            schedule.deadline_rows(c.engine, PLAN) if r["phase_id"] == "planeacion_inicial"}
    assert rows[("close", "cancelled")] == at("2022-07-18 00:00")
    assert rows[("close", "pending")] == at("2022-07-25 00:00")
    c.advance(at("2022-07-24 23:59"))
    assert c.events("PhaseOverdue") == []
    c.advance(at("2022-07-25 00:00"))
    [overdue] = c.events("PhaseOverdue")
    assert overdue["occurred_at"] == at("2022-07-25 00:00")


def test_an_extension_the_definition_ties_to_a_decision_waits_for_it(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    with pytest.raises(GuardFailed, match="prórroga de la recepción de propuestas» no está"):
        c.services.extend_phase(PLAN, "recepcion_propuestas", dt.date(2022, 11, 25),
                                "más mesas", STAFF)


def test_an_extension_to_a_day_already_over_is_refused(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.advance(at("2022-07-20 09:00"))
    with pytest.raises(InvalidInput, match=r"la nueva fecha \(2022-07-19\) ya terminó"):
        c.services.extend_phase(PLAN, "planeacion_inicial", dt.date(2022, 7, 19), "x", STAFF)


def test_a_deadline_fires_once_however_often_it_is_asked(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.clock.move_to(at("2022-07-11 00:00"))
    [due] = schedule.due_deadlines(c.engine, c.clock())

    assert c.services.fire_deadline(due, "a") == "PhaseOpened"
    assert c.services.fire_deadline(due, "b") is None
    assert c.runner.run_due() == []
    assert len(c.events("PhaseOpened")) == 1


def test_a_deadline_asked_for_before_it_is_due_does_not_fire(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.clock.move_to(at("2022-07-10 23:59"))

    assert c.services.fire_deadline(OPENING, "a") is None
    assert c.events("PhaseOpened") == []
    assert [r["status"] for r in schedule.deadline_rows(c.engine, PLAN)
            if r["deadline_id"] == OPENING] == ["pending"]


def test_a_deadline_missed_while_nothing_ran_fires_late_and_says_how_late(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)
    c.clock.move_to(at("2022-07-11 02:30"))

    [fired] = c.runner.run_due()

    assert fired.outcome == "PhaseOpened"
    assert c.events("PhaseOpened")[0]["data"]["late_seconds"] == 2.5 * 3600


def test_in_a_zone_with_daylight_saving_time_phases_still_turn_at_local_midnight(
        db_url: str) -> None:
    # Chile skipped from 00:00 to 01:00 on 2022-09-11: the plan's first day has no midnight.
    chile = cuenca().model_copy(update={"timezone": "America/Santiago"})
    c = clocked(db_url, chile, at("2022-09-01 09:00"), shift_to=dt.date(2022, 9, 11))
    santiago = ZoneInfo("America/Santiago")

    c.advance(at("2022-09-19 12:00", santiago))

    opened, overdue = c.events("PhaseOpened")[0], c.events("PhaseOverdue")[0]
    assert opened["occurred_at"].astimezone(santiago).isoformat() == "2022-09-11T01:00:00-03:00"
    assert overdue["occurred_at"].astimezone(santiago).isoformat() == "2022-09-18T00:00:00-03:00"
    assert opened["occurred_at"] == dt.datetime(2022, 9, 11, 4, 0, tzinfo=dt.UTC)
    assert overdue["occurred_at"] == dt.datetime(2022, 9, 18, 3, 0, tzinfo=dt.UTC)


def test_back_in_standard_time_the_same_local_midnight_is_an_hour_later_in_utc(
        db_url: str) -> None:
    # Madrid left summer time on 2022-10-30 at 03:00.
    madrid = cuenca().model_copy(update={"timezone": "Europe/Madrid"})
    c = clocked(db_url, madrid, at("2022-10-20 09:00"), shift_to=dt.date(2022, 10, 24))

    c.advance(at("2022-11-01 12:00", ZoneInfo("Europe/Madrid")))

    opened, overdue = c.events("PhaseOpened")[0], c.events("PhaseOverdue")[0]
    assert opened["occurred_at"] == dt.datetime(2022, 10, 23, 22, 0, tzinfo=dt.UTC)  # CEST
    assert overdue["occurred_at"] == dt.datetime(2022, 10, 30, 23, 0, tzinfo=dt.UTC)  # CET


OPENING = "cuenca-2022/planeacion_inicial/open/20220711T050000Z"
CLOSE = "cuenca-2022/planeacion_inicial/close/20220718T050000Z"


def tampered(db_url: str, statement: str) -> str | None:
    """Run a plan's first weeks, edit the deadlines table by hand, return what verify finds."""
    c = clocked(db_url, cuenca(), JULY_1)
    c.advance(at("2022-07-20 09:00"))
    assert verify(c.engine).ok
    with c.engine.begin() as conn:
        conn.execute(text(statement))
    finding = verify(c.engine).finding
    return None if finding is None else finding.message


PHASE_ONE = "(plan «cuenca-2022», fase «planeacion_inicial»)"


@pytest.mark.parametrize(("statement", "message"), [
    (f"UPDATE deadlines SET due_at = due_at + INTERVAL '1 day' WHERE deadline_id = '{CLOSE}'",
     f"el plazo «{CLOSE}» {PHASE_ONE} no tiene el momento que programó el registro"),
    (f"UPDATE deadlines SET status = 'pending', outcome = NULL WHERE deadline_id = '{OPENING}'",
     f"el plazo «{OPENING}» {PHASE_ONE} figura como «pending» pero según el registro está "
     "«fired» (resultado «PhaseOpened»)"),
    (f"DELETE FROM deadlines WHERE deadline_id = '{CLOSE}'",
     f"falta el plazo «{CLOSE}» {PHASE_ONE}, que el registro programó"),
    ("INSERT INTO deadlines (deadline_id, plan_id, phase_id, kind, due_at, status) VALUES "
     "('x', 'cuenca-2022', 'difusion', 'close', '2022-08-01 05:00:00', 'pending')",
     "el plazo «x» (plan «cuenca-2022», fase «difusion») no lo programó ningún evento del "
     "registro"),
])
def test_verify_catches_a_deadline_changed_by_hand(db_url: str, statement: str,
                                                   message: str) -> None:
    if "INTERVAL" in statement and db_url.startswith("sqlite"):
        statement = (f"UPDATE deadlines SET due_at = '2022-07-19 05:00:00.000000' "
                     f"WHERE deadline_id = '{CLOSE}'")
    assert tampered(db_url, statement) == message
