"""Verify derives every deadline row from the log alone: a row marked by hand is named.

A deadline that fires and does nothing records ``DeadlineSkipped``, so every
fired row's outcome is in the log; the replay re-checks that skipping was right.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage import schedule
from storage.audit import digest, verify
from tests.storage.scenario import cocrea, cuenca, rechain
from tests.support.clocked import Clocked, at, clocked
from workflow.domain.canonical import canonical_json

PLAN = "cuenca-2022"
JULY_1 = at("2022-07-01 09:00")
CLOSE = "cuenca-2022/planeacion_inicial/close/20220718T050000Z"
REMINDER = "cuenca-2022/planeacion_inicial/remind-3/20220715T050000Z"
VISION_REMINDER = "cuenca-2022/vision_estrategica/remind-7/20220813T050000Z"
WHERE_CLOSE = "(plan «cuenca-2022», fase «planeacion_inicial»)"


def phase_one_running(db_url: str, locale: str = "es") -> Clocked:
    """A Cuenca plan whose first phase opened on 2022-07-11; its close is still pending."""
    c = clocked(db_url, cuenca().model_copy(update={"locale": locale}), JULY_1)
    c.advance(at("2022-07-12 09:00"))
    assert verify(c.engine).ok
    return c


def mark(c: Clocked, deadline_id: str, changes: str) -> None:
    """Change a deadline row by hand, as someone with write access to the database could."""
    with c.engine.begin() as conn:
        conn.execute(text(f"UPDATE deadlines SET {changes} WHERE deadline_id = :d"),
                     {"d": deadline_id})


def finding(c: Clocked) -> str | None:
    found = verify(c.engine).finding
    return None if found is None else found.message


def test_a_pending_close_marked_fired_and_skipped_by_hand_is_named_by_verify(
        db_url: str) -> None:
    c = phase_one_running(db_url)
    mark(c, CLOSE, "status = 'fired', outcome = 'skipped'")

    c.advance(at("2022-07-20 09:00"))

    assert c.events("PhaseOverdue", "PhaseClosed") == []  # phase one stays open past its end
    assert finding(c) == (f"el plazo «{CLOSE}» {WHERE_CLOSE} figura como «fired» (resultado "
                          "«skipped») pero según el registro está «pending»")


def test_the_finding_is_in_the_plans_language(db_url: str) -> None:
    c = phase_one_running(db_url, "en")
    mark(c, CLOSE, "status = 'fired', outcome = 'skipped'")
    assert finding(c) == (f"the deadline “{CLOSE}” (plan “cuenca-2022”, phase "
                          "“planeacion_inicial”) is “fired” (outcome “skipped”) but the log "
                          "says it is “pending”")


def test_the_cli_names_a_close_marked_skipped_by_hand_even_with_a_kept_digest(
        db_url: str, tmp_path: Path) -> None:
    c = phase_one_running(db_url)
    kept = tmp_path / "digest.json"
    head = digest(c.engine)
    kept.write_text(json.dumps({"position": head.position, "hash": head.hash}), "utf-8")
    mark(c, CLOSE, "status = 'fired', outcome = 'skipped'")

    plain, with_digest = cocrea(["verify", "--db", db_url],
                                ["verify", "--db", db_url, "--digest", str(kept)])

    for ran in (plain, with_digest):
        assert ran.code == 1
        assert f"el plazo «{CLOSE}» {WHERE_CLOSE} figura como «fired»" in ran.out + ran.err


@pytest.mark.parametrize(("changes", "row", "expected"), [
    ("status = 'cancelled'", "«cancelled»", "«pending»"),
    ("status = 'fired', outcome = 'DeadlineSkipped', fired_by = 'x'",
     "«fired» (resultado «DeadlineSkipped»)", "«pending»"),
])
def test_a_pending_deadline_marked_by_hand_is_named_with_what_the_log_says(
        db_url: str, changes: str, row: str, expected: str) -> None:
    c = phase_one_running(db_url)
    mark(c, CLOSE, changes)
    assert finding(c) == (f"el plazo «{CLOSE}» {WHERE_CLOSE} figura como {row} pero según el "
                          f"registro está {expected}")


def test_a_fired_deadline_given_another_outcome_by_hand_is_named(db_url: str) -> None:
    c = phase_one_running(db_url)
    c.advance(at("2022-07-16 09:00"))
    mark(c, REMINDER, "outcome = 'DeadlineSkipped'")
    assert finding(c) == (f"el plazo «{REMINDER}» {WHERE_CLOSE} figura como «fired» (resultado "
                          "«DeadlineSkipped») pero según el registro está «fired» (resultado "
                          "«PhaseClosingSoon»)")


@pytest.mark.parametrize("changes", ["fired_at = NULL", "fired_by = NULL"])
def test_a_fired_deadline_without_when_or_by_whom_it_fired_is_named(db_url: str,
                                                                   changes: str) -> None:
    c = phase_one_running(db_url)
    c.advance(at("2022-07-16 09:00"))
    mark(c, REMINDER, changes)
    message = finding(c)
    assert message is not None
    assert message.startswith(f"el plazo «{REMINDER}» {WHERE_CLOSE} figura disparado ")
    assert "pero el registro lo disparó el 2022-07-15T05:00:00+00:00" in message


def test_a_reminder_due_while_its_phase_waits_records_that_it_did_nothing(db_url: str) -> None:
    c = clocked(db_url, cuenca(), JULY_1)  # nobody acts: visión waits from 07-18 on
    c.advance(at("2022-08-13 09:00"))

    skipped = c.events()[-1]
    assert skipped["type"] == "DeadlineSkipped" and skipped["actor"] == "sistema"
    assert skipped["occurred_at"] == at("2022-08-13 00:00")
    assert skipped["data"] == {
        "deadline": VISION_REMINDER, "phase": "vision_estrategica", "kind": "remind", "days": 7,
        "state": "waiting", "due_at": "2022-08-13T05:00:00+00:00", "late_seconds": 0,
        "reason": "la fase no está abierta (está en espera)"}
    [row] = [r for r in schedule.deadline_rows(c.engine, PLAN)
             if r["deadline_id"] == VISION_REMINDER]
    assert (row["status"], row["outcome"], row["fired_at"]) == (
        "fired", "DeadlineSkipped", skipped["occurred_at"])
    assert verify(c.engine).ok


def forge(c: Clocked, event_type: str, changes: dict[str, Any]) -> int:
    """Rewrite the last event of ``event_type`` into a DeadlineSkipped, chain rebuilt."""
    with c.engine.connect() as conn:
        position, raw = conn.execute(text(
            "SELECT position, data FROM events WHERE type = :t ORDER BY position DESC"),
            {"t": event_type}).first() or (0, "{}")
    data = {k: v for k, v in json.loads(raw).items() if k not in ("closes_at",)}
    data.update(changes)
    with c.engine.begin() as conn:
        conn.execute(text("UPDATE events SET type = 'DeadlineSkipped', data = :d"
                          " WHERE position = :p"), {"d": canonical_json(data), "p": position})
    rechain(c.engine)
    return int(position)


@pytest.mark.parametrize(("changes", "detail"), [
    ({"kind": "remind", "state": "open", "reason": "x"}, "tipo remind tenía algo que hacer"),
    ({"kind": "remind", "state": "waiting", "reason": "x"}, "estaba waiting; estaba open"),
    ({"kind": "open", "state": "open", "reason": "x"}, "es un plazo de tipo remind"),
])
def test_the_replay_refuses_a_skip_forged_over_a_reminder_that_had_work_to_do(
        db_url: str, changes: dict[str, Any], detail: str) -> None:
    c = phase_one_running(db_url)
    c.advance(at("2022-07-16 09:00"))
    position = forge(c, "PhaseClosingSoon", changes)

    found = verify(c.engine).finding

    assert found is not None and found.position == position
    assert f"el evento #{position} (DeadlineSkipped) no es un paso legal" in found.message
    assert detail in found.message
