"""Scenario files: local times that a time zone skips or repeats."""

from __future__ import annotations

import datetime as dt

import pytest

from definitions.scenario import parse_scenario
from tests.definitions.sample import line_of
from workflow.domain.errors import DefinitionError
from workflow.simulation.run import local_moment

MADRID = "Europe/Madrid"  # 2022-03-27 02:00 → 03:00; 2022-10-30 03:00 → 02:00

SCENARIO = """\
definition: muestra
title: Un escenario en Madrid
created_at: "2022-03-26 09:00"
created_by: sec
actors:
  sec: {name: Secretaría, role: staff}
steps:
  - {at: "2022-03-27 01:30", by: sec, do: add_member, name: Ana, group: sociedad}
  - {at: "2022-03-27 03:30", by: sec, do: add_member, name: Beto, group: sociedad}
"""


def problems(text: str, locale: str = "es") -> list[tuple[str, int | None, str]]:
    with pytest.raises(DefinitionError) as caught:
        parse_scenario(text, "escenario.yaml", locale, MADRID)
    return [(p.path, p.line, p.message) for p in caught.value.problems]


def test_a_step_at_a_time_the_clocks_skip_is_refused_naming_its_line() -> None:
    text = SCENARIO.replace("2022-03-27 03:30", "2022-03-27 02:30")

    assert problems(text) == [(
        "steps[1].at", line_of(text, "02:30"),
        "'at' (2022-03-27 02:30:00) no existe en Europe/Madrid: ese día los relojes se adelantan "
        "y se saltan esa hora; escriba una hora que exista, o con su desfase (+HH:MM)")]


def test_a_plan_created_at_a_skipped_time_is_refused_too_in_the_scenarios_language() -> None:
    text = SCENARIO.replace("2022-03-26 09:00", "2022-03-27 02:00")

    assert problems(text, "en") == [(
        "created_at", 3,
        "'created_at' (2022-03-27 02:00:00) does not exist in Europe/Madrid: that day the clocks "
        "go forward and skip it; write a time that exists, or one with its offset (+HH:MM)")]


def test_the_skipped_hour_written_with_its_offset_is_a_moment_like_any_other() -> None:
    parse_scenario(SCENARIO.replace("2022-03-27 03:30", "2022-03-27 02:30+01:00"),
                   "escenario.yaml", "es", MADRID)


def test_times_around_the_gap_are_fine() -> None:
    parse_scenario(SCENARIO, "escenario.yaml", "es", MADRID)


def test_a_time_the_autumn_fold_repeats_is_the_first_of_the_two() -> None:
    parse_scenario(SCENARIO.replace("2022-03-27", "2022-10-30"), "escenario.yaml", "es", MADRID)

    first = local_moment(dt.datetime(2022, 10, 30, 2, 30), MADRID)

    assert first == dt.datetime(2022, 10, 30, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST, not CET
