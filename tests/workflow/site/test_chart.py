"""The timeline picture's layout, from a plan's view, without a database or a browser."""

from __future__ import annotations

import datetime as dt

from definitions.registry import shipped_definition
from workflow.domain.events import Actor
from workflow.domain.plan import Plan
from workflow.site.chart import WIDTH, lay_out
from workflow.views.plan import plan_view

GYE = dt.timezone(dt.timedelta(hours=-5))
STAFF = Actor("tecnica", "staff")


def plan(shift: int = 0) -> Plan:
    return Plan.create("cuenca-2022", shipped_definition("cuenca-2022"), shift, STAFF,
                       dt.datetime(2022, 7, 1, tzinfo=dt.UTC))


def ran(**marks: bool) -> dict[str, dict[str, bool]]:
    return {p.id: {"waited": False, "overdue": False, **marks}
            for p in shipped_definition("cuenca-2022").phases}


def test_every_phase_is_a_row_by_its_first_day_on_one_axis() -> None:
    cuenca = plan()
    chart = lay_out(cuenca, plan_view(cuenca, {}), ran(), dt.datetime(2022, 10, 15, tzinfo=GYE),
                    "es")
    rows = [r.phase for r in chart.rows]
    assert rows == ["planeacion_inicial", "vision_estrategica", "difusion",
                    "designacion_evaluador", "recepcion_propuestas", "retroalimentacion",
                    "consolidacion"]
    assert [r.y for r in chart.rows] == sorted(r.y for r in chart.rows)
    widths = {r.phase: r.planned.width / ((r.last - r.first).days + 1) for r in chart.rows}
    assert max(widths.values()) - min(widths.values()) < 0.01
    assert all(r.planned.x >= 0 and r.planned.x + r.planned.width <= WIDTH for r in chart.rows)
    assert chart.now is not None and all(r.actual is None for r in chart.rows)
    assert [t.year for t in chart.ticks if t.year] == ["2022", "2023", "2024"]


def test_a_running_phase_is_solid_to_the_moment_shown_and_past_its_end_overdue() -> None:
    cuenca = plan()
    region = cuenca.state.phases["planeacion_inicial"]
    region.state, region.opened_at = "overdue", dt.datetime(2022, 7, 11, tzinfo=GYE)
    shown = dt.datetime(2022, 7, 25, 12, tzinfo=GYE)
    row = lay_out(cuenca, plan_view(cuenca, {}), ran(overdue=True), shown, "es").rows[0]
    assert row.actual and row.running and row.overdue and row.was_overdue
    end = row.planned.x + row.planned.width
    assert abs(row.overdue.x - end) < 0.01
    assert abs(row.actual.x + row.actual.width - (row.overdue.x + row.overdue.width)) < 0.01


def test_an_extension_is_drawn_beyond_the_planned_days_of_a_moved_plan() -> None:
    cuenca = plan(shift=365)
    region = cuenca.state.phases["recepcion_propuestas"]
    region.ends_on += dt.timedelta(days=7)
    chart = lay_out(cuenca, plan_view(cuenca, {}), ran(), dt.datetime(2023, 1, 1, tzinfo=GYE),
                    "en")
    row = next(r for r in chart.rows if r.phase == "recepcion_propuestas")
    assert row.first == dt.date(2023, 9, 26) and row.last == dt.date(2023, 11, 18)
    assert row.extension and abs(row.extension.x - (row.planned.x + row.planned.width)) < 0.01
    assert len(row.reminders) == 2 and not any(past for _, past in row.reminders)
    assert chart.now is None  # 2023-01-01 is before this moved plan's first day
