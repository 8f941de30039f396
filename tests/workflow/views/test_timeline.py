"""How people read what deadlines did: the timeline and ``cocrea scheduler list``, es and en."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from storage import queries
from tests.storage.scenario import cuenca
from tests.support.clocked import Clocked, at, clocked
from workflow.cli.app import app
from workflow.views.timeline import Line, timeline

VISION = "Desarrollo de la visión estratégica de Gobierno Abierto"


def waiting_vision(url: str, locale: str) -> Clocked:
    """A Cuenca plan in ``locale`` left alone: visión waits from 07-18, its reminder passes."""
    definition = cuenca().model_copy(update={"locale": locale})
    c = clocked(url, definition, at("2022-07-01 09:00"))
    c.advance(at("2022-08-13 09:00"))
    return c


@pytest.mark.parametrize(("locale", "system", "told"), [
    ("es", "sistema", f"Plazo sin efecto de la fase «{VISION}», recordatorio (7 días antes "
                      "del cierre): la fase no está abierta (está en espera)"),
    ("en", "system", f"Deadline with no effect for the phase “{VISION}”, reminder (7 days "
                     "before the close): the phase is not open (it is waiting)"),
])
def test_a_deadline_that_did_nothing_is_told_in_the_timeline_in_the_plans_language(
        sqlite_url: str, locale: str, system: str, told: str) -> None:
    c = waiting_vision(sqlite_url, locale)
    events = list(queries.plan_events(c.engine, c.plan_id))
    definition = queries.load_plan(c.engine, c.plan_id).state.definition

    assert timeline(events, definition)[-1] == Line("2022-08-13 00:00", told, system)


@pytest.mark.parametrize(("locale", "listed"), [
    ("es", f"2022-08-13T00:00:00-05:00  {VISION}: recordatorio (7 días antes del "
           "cierre) — disparado (sin efecto: la fase no estaba en el estado sobre el que actúa)"),
    ("en", f"2022-08-13T00:00:00-05:00  {VISION}: reminder (7 days before the close) "
           "— fired (no effect: the phase was not in the state it acts on)"),
])
def test_the_scheduler_lists_a_deadline_that_did_nothing_in_the_plans_language(
        sqlite_url: str, locale: str, listed: str) -> None:
    c = waiting_vision(sqlite_url, locale)

    result = CliRunner().invoke(app, ["scheduler", "list", c.plan_id, "--db", sqlite_url])

    assert result.exit_code == 0, result.output
    assert listed in result.output.splitlines()
