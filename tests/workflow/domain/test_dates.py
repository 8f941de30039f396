"""Every date and moment Python can read gives an answer or a refusal naming its field.

Property-based, over the whole range of dates and date-times (years 1 to 9999),
with naive moments, fixed offsets up to a day and the IANA zones.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from definitions.days import FIRST_DAY, LAST_DAY, in_range, shifted
from storage.sql import hash_time
from tests.workflow.cuenca import STAFF, START, cuenca, new_plan
from workflow.domain.clock import CEILING, FLOOR, parse_moment, read_moment
from workflow.domain.deadlines import day_starts, phase_deadlines
from workflow.domain.errors import InvalidInput
from workflow.domain.plan import Plan, shift_days

ZONES = ("UTC", "America/Guayaquil", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Tokyo",
         "Europe/Madrid", "America/Santiago")
offsets = st.timedeltas(min_value=-dt.timedelta(hours=23, minutes=59),
                        max_value=dt.timedelta(hours=23, minutes=59)).map(dt.timezone)
moments = st.datetimes(timezones=st.none() | offsets | st.timezones())
FOUR_DIGIT_YEAR = re.compile(r"^\d{4}-\d\d-\d\dT")


def true_utc(moment: dt.datetime, zone: str) -> dt.datetime | None:
    """The moment in UTC if Python can hold it there, else None."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))
    try:
        return aware.astimezone(dt.UTC)
    except OverflowError:
        return None


@given(moments, st.sampled_from(ZONES))
def test_any_iso_moment_reads_as_utc_within_floor_and_ceiling(moment: dt.datetime,
                                                                zone: str) -> None:
    read = parse_moment(moment.isoformat(), zone)

    assert read.tzinfo is dt.UTC and FLOOR <= read <= CEILING
    exact = true_utc(moment, zone)
    if exact is not None and FLOOR <= exact <= CEILING:
        assert read == exact
    elif exact is not None:
        assert read == (FLOOR if exact < FLOOR else CEILING)


@given(st.dates(), st.sampled_from(ZONES))
def test_any_iso_date_reads_as_the_end_of_that_day_or_the_nearest_edge(day: dt.date,
                                                                       zone: str) -> None:
    read = parse_moment(day.isoformat(), zone)

    assert FLOOR <= read <= CEILING
    assert read_moment(day.isoformat(), zone).time() == dt.time.max


def test_the_far_future_reads_as_the_ceiling_and_the_far_past_as_the_floor() -> None:
    assert parse_moment("9999-12-31", "America/Guayaquil") == CEILING
    assert parse_moment("9999-12-31T23:59:59-12:00", "UTC") == CEILING
    assert parse_moment("9999-12-31T23:59:59+14:00", "UTC") == dt.datetime(
        9999, 12, 31, 9, 59, 59, tzinfo=dt.UTC)
    assert parse_moment("0001-01-01", "Asia/Tokyo") == FLOOR
    assert parse_moment("0001-01-01T00:00:00+14:00", "UTC") == FLOOR


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY), st.timezones())
@settings(max_examples=300)
def test_every_day_cocrea_plans_starts_and_ends_at_moments_stored_with_four_digit_years(
        day: dt.date, zone: ZoneInfo) -> None:
    name = str(zone)
    opens, closes = day_starts(day, name), day_starts(day + dt.timedelta(days=1), name)

    assert opens < closes
    assert FOUR_DIGIT_YEAR.match(hash_time(opens)) and FOUR_DIGIT_YEAR.match(hash_time(closes))


@given(st.dates(), st.integers(min_value=-4_000_000, max_value=4_000_000))
def test_a_shifted_day_is_in_range_or_none_never_an_overflow(day: dt.date, days: int) -> None:
    moved = shifted(day, days)

    if moved is None:
        assert not FIRST_DAY.toordinal() <= day.toordinal() + days <= LAST_DAY.toordinal()
    else:
        assert in_range(moved) and moved.toordinal() == day.toordinal() + days


@given(st.dates())
def test_a_plan_moved_to_any_day_is_refused_naming_shift_to_or_has_every_deadline(
        shift_to: dt.date) -> None:
    try:
        moved = shift_days(cuenca(), shift_to)
    except InvalidInput as refused:
        assert refused.field == "shift_to"
        return
    plan = Plan.create("cuenca-2022", cuenca(), moved, STAFF, START)
    for phase in plan.state.phases:
        deadlines = phase_deadlines(plan.state, phase, ("open", "close", "remind"))
        assert all(FOUR_DIGIT_YEAR.match(hash_time(d.due_at)) for d in deadlines)


@given(st.dates())
def test_an_open_phase_extended_to_any_day_is_refused_naming_until_or_extended(
        until: dt.date) -> None:
    plan = new_plan()
    plan.open_phase("planeacion_inicial", "calendario", STAFF, START)
    try:
        plan.extend_phase("planeacion_inicial", until, "prórroga", STAFF, START)
    except InvalidInput as refused:
        assert refused.field == "until"
        return
    deadlines = phase_deadlines(plan.state, "planeacion_inicial", ("close", "remind"))
    assert all(FOUR_DIGIT_YEAR.match(hash_time(d.due_at)) for d in deadlines)


@pytest.mark.parametrize(("shift_to", "problem"), [
    ("9999-12-01", "«9999-12-01» está fuera de las fechas que se admiten: de 1001-01-01 a "
                   "9998-12-31"),
    ("9998-06-01", "el plan dura 539 días: si empieza el 9998-06-01 termina después del "
                   "9998-12-31, la última fecha que se admite"),
    ("0001-01-01", "«0001-01-01» está fuera de las fechas que se admiten"),
])
def test_a_shift_past_the_days_cocrea_plans_says_why(shift_to: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        shift_days(cuenca(), dt.date.fromisoformat(shift_to))

    assert refused.value.field == "shift_to" and problem in str(refused.value)


def test_the_last_plan_that_fits_ends_on_the_last_day() -> None:
    last_start = LAST_DAY - dt.timedelta(days=538)
    plan = Plan.create("cuenca-2022", cuenca(), shift_days(cuenca(), last_start), STAFF, START)

    assert max(r.ends_on for r in plan.state.phases.values()) == LAST_DAY
