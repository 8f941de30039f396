"""The plan's timeline picture, laid out: phases on a date axis, planned and as they ran.

:func:`lay_out` turns a plan's view (:func:`workflow.views.plan.plan_view`), the
summary of its own history (:func:`workflow.views.timeline.summary`) and the
moment shown into positions on a drawing ``WIDTH`` units wide; the template
``chart.html`` draws them as SVG. One row a phase, in the order the view gives
(by first day): its planned days as a light bar, what really ran (opened to
closed, or to the moment shown while it runs) as a solid bar, and marks: the days
it waited for its conditions, the days an extension added, the time it ran past
its last day (overdue), and its reminders. A line marks the moment shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from definitions import days
from definitions.messages import month_abbreviations
from workflow.domain.deadlines import phase_deadlines
from workflow.domain.plan import Plan

WIDTH = 960.0
"""The drawing's width in SVG units (it scales to the page)."""
MARGIN = 14.0
AXIS = 44.0
"""Room for the month and year labels above the first row."""
ROW = 54.0
"""Height of one phase's row: its title, then its bars."""
MIN_WIDTH = 3.0
"""The narrowest a mark is drawn, so an overdue morning is still seen."""
MAX_TICKS = 18


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the axis: where it starts and how wide it is."""

    x: float
    width: float


@dataclass(slots=True)
class Row:
    """One phase's row: its bars and marks, and where its title goes."""

    phase: str
    number: int
    title: str
    status: str
    y: float
    first: dt.date
    """The first day the definition plans (moved with the plan)."""
    last: dt.date
    planned: Span
    actual: Span | None = None
    running: bool = False
    waiting: Span | None = None
    extension: Span | None = None
    overdue: Span | None = None
    was_overdue: bool = False
    """Whether it was ever overdue (its close came due with its conditions unmet)."""
    reminders: list[tuple[float, bool]] = field(default_factory=list)
    """Each reminder's place, and whether its moment has passed."""


@dataclass(frozen=True, slots=True)
class Tick:
    """A month's first day on the axis, its label, and its year where a year begins."""

    x: float
    label: str
    year: str | None = None


@dataclass(slots=True)
class Chart:
    """The whole picture: size, rows, month ticks, and the line of the moment shown."""

    width: float
    height: float
    rows: list[Row]
    ticks: list[Tick]
    now: float | None


class Axis:
    """Days of the plan's zone, as fractional ordinals, mapped onto the drawing."""

    def __init__(self, first: float, last: float, timezone: str) -> None:
        self.first, self.last = first, max(last, first + 1)
        self.zone = ZoneInfo(timezone)

    def day(self, day: dt.date) -> float:
        """Return the ordinal of a day's first instant."""
        return float(day.toordinal())

    def moment(self, moment: dt.datetime) -> float:
        """Return the fractional ordinal of a moment, on the plan's local clock."""
        local = moment.astimezone(self.zone)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return local.toordinal() + seconds / 86400

    def x(self, ordinal: float) -> float:
        """Return where an ordinal falls on the drawing."""
        span = WIDTH - 2 * MARGIN
        return round(MARGIN + (ordinal - self.first) / (self.last - self.first) * span, 2)

    def span(self, start: float, end: float, least: float = 0.0) -> Span:
        """Return the stretch from ``start`` to ``end`` (at least ``least`` units wide)."""
        x = self.x(start)
        return Span(x, round(max(self.x(end) - x, least), 2))


def lay_out(plan: Plan, view: dict[str, Any], ran: dict[str, Any], now: dt.datetime,
            locale: str) -> Chart:
    """Lay a plan's phases out on a date axis as of ``now`` (see the module docstring).

    ``ran`` is the ``phases`` part of the summary of the plan's own events up to ``now``.
    """
    axis = _axis(plan, view, now)
    rows = [_row(plan, phase, ran[phase["id"]], axis, now, AXIS + i * ROW)
            for i, phase in enumerate(view["phases"])]
    at = axis.moment(now)
    shown = axis.x(at) if axis.first <= at <= axis.last else None
    return Chart(WIDTH, AXIS + len(rows) * ROW + 8, rows, _ticks(axis, locale), shown)


def planned_days(plan: Plan, phase_id: str) -> tuple[dt.date, dt.date]:
    """Return a phase's first and last day as the definition plans them (moved with the plan)."""
    phase = next(p for p in plan.state.definition.phases if p.id == phase_id)
    shift = plan.state.shift_days
    return (days.shifted(phase.starts, shift) or phase.starts,
            days.shifted(phase.ends, shift) or phase.ends)


def _axis(plan: Plan, view: dict[str, Any], now: dt.datetime) -> Axis:
    tz = view["timezone"]
    probe = Axis(0, 1, tz)
    starts, ends = [], []
    for phase in view["phases"]:
        planned_first, planned_last = planned_days(plan, phase["id"])
        starts.append(probe.day(planned_first))
        ends.append(probe.day(dt.date.fromisoformat(phase["ends"])) + 1)
        ends.append(probe.day(planned_last) + 1)
        for key, into in (("opened_at", starts), ("closed_at", ends)):
            if phase[key]:
                into.append(probe.moment(dt.datetime.fromisoformat(phase[key])))
        if phase["status"] in ("open", "overdue", "waiting"):
            ends.append(probe.moment(now))
    first, last = min(starts), max(ends)
    pad = max(2.0, (last - first) / 60)
    return Axis(first - pad, last + pad, tz)


def _row(plan: Plan, phase: dict[str, Any], ran: dict[str, Any], axis: Axis, now: dt.datetime,
         y: float) -> Row:
    first, last = planned_days(plan, phase["id"])
    row = Row(phase["id"], phase["number"], phase["title"], phase["status"], y, first, last,
              axis.span(axis.day(first), axis.day(last) + 1))
    ends = axis.day(dt.date.fromisoformat(phase["ends"])) + 1
    opened = _moment(axis, phase["opened_at"])
    closed = _moment(axis, phase["closed_at"])
    end = closed if closed is not None else axis.moment(now)
    if opened is not None:
        row.actual = axis.span(opened, end, MIN_WIDTH)
        row.running = closed is None
    if ends > axis.day(last) + 1:
        row.extension = axis.span(axis.day(last) + 1, ends)
    if ran["waited"] or phase["status"] == "waiting":
        row.waiting = axis.span(axis.day(first), opened if opened is not None else end,
                                MIN_WIDTH)
    row.was_overdue = bool(ran["overdue"])
    if opened is not None and end > ends + 1 / 1440:
        row.overdue = axis.span(ends, max(end, ends), MIN_WIDTH)
    given = axis.moment(now)
    row.reminders = [(axis.x(axis.moment(d.due_at)), axis.moment(d.due_at) <= given)
                     for d in phase_deadlines(plan.state, phase["id"], ["remind"])]
    return row


def _moment(axis: Axis, text: str | None) -> float | None:
    return None if text is None else axis.moment(dt.datetime.fromisoformat(text))


def _ticks(axis: Axis, locale: str) -> list[Tick]:
    names = month_abbreviations(locale)
    start = dt.date.fromordinal(math.ceil(axis.first))
    month = dt.date(start.year, start.month, 1)
    months: list[dt.date] = []
    while month.toordinal() <= axis.last:
        if month.toordinal() >= axis.first:
            months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / MAX_TICKS))
    shown = months[::step]
    return [Tick(axis.x(axis.day(m)), names[m.month - 1],
                 str(m.year) if i == 0 or m.month <= step else None)
            for i, m in enumerate(shown)]
