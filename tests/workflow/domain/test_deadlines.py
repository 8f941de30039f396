"""Deadline moments: the first instant of a local day, daylight saving time included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.workflow.cuenca import STAFF, START, cuenca, new_plan
from workflow.domain.deadlines import day_starts, phase_deadlines, schedule
from workflow.domain.plan import Plan


def test_a_day_starts_at_local_midnight_in_guayaquil() -> None:
    assert day_starts(dt.date(2022, 7, 11), "America/Guayaquil") == dt.datetime(
        2022, 7, 11, 5, 0, tzinfo=dt.UTC)


def test_a_day_starts_an_hour_earlier_in_utc_once_madrid_is_on_summer_time() -> None:
    before = day_starts(dt.date(2022, 3, 27), "Europe/Madrid")  # the change is at 02:00
    after = day_starts(dt.date(2022, 3, 28), "Europe/Madrid")
    assert before == dt.datetime(2022, 3, 26, 23, 0, tzinfo=dt.UTC)
    assert after == dt.datetime(2022, 3, 27, 22, 0, tzinfo=dt.UTC)
    assert after - before == dt.timedelta(hours=23)


def test_where_midnight_does_not_exist_the_day_starts_at_the_first_local_time_that_does() -> None:
    # Chile moved its clocks from 00:00 to 01:00 on 2022-09-11: that day has no midnight.
    starts = day_starts(dt.date(2022, 9, 11), "America/Santiago")
    assert starts == dt.datetime(2022, 9, 11, 4, 0, tzinfo=dt.UTC)
    local = starts.astimezone(ZoneInfo("America/Santiago"))
    assert (local.hour, local.minute, local.utcoffset()) == (1, 0, dt.timedelta(hours=-3))


def test_a_new_plan_schedules_the_opening_close_and_reminders_of_every_phase() -> None:
    plan = new_plan()
    changes = schedule(plan.state, plan.pending)
    kinds = [(d.phase_id, d.kind, d.days) for d in changes.add]
    assert len(kinds) == 7 * 2 + 9  # nine reminders in the Cuenca definition
    assert ("recepcion_propuestas", "remind", 1) in kinds
    reception_close = next(d for d in changes.add
                           if (d.phase_id, d.kind) == ("recepcion_propuestas", "close"))
    assert reception_close.due_at == dt.datetime(2022, 11, 19, 5, 0, tzinfo=dt.UTC)


def test_a_reminder_comes_n_days_before_the_close() -> None:
    plan = new_plan()
    [opening, close, remind] = phase_deadlines(plan.state, "planeacion_inicial",
                                               ("open", "close", "remind"))
    assert remind.due_at == close.due_at - dt.timedelta(days=3)
    assert opening.deadline_id == "cuenca-2022/planeacion_inicial/open/20220711T050000Z"
    assert remind.deadline_id == "cuenca-2022/planeacion_inicial/remind-3/20220715T050000Z"


def test_an_extension_cancels_the_old_close_and_schedules_the_new_one() -> None:
    plan = Plan.create("p", cuenca(), 0, STAFF, START)
    plan.pending.clear()
    plan.open_phase("planeacion_inicial", "inicio", STAFF, START)
    plan.extend_phase("planeacion_inicial", dt.date(2022, 7, 24), "más tiempo", STAFF, START)
    changes = schedule(plan.state, plan.pending)
    assert changes.cancel == [("p", "planeacion_inicial", ("open",)),
                              ("p", "planeacion_inicial", ("close", "remind"))]
    assert [(d.kind, d.due_at) for d in changes.add] == [
        ("close", dt.datetime(2022, 7, 25, 5, 0, tzinfo=dt.UTC)),
        ("remind", dt.datetime(2022, 7, 22, 5, 0, tzinfo=dt.UTC))]
