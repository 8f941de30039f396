"""Replay as of a moment: the plan rebuilt from its events reads as it did at that moment."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from storage.audit import replay_as_of
from tests.storage import scenario
from tests.storage.scenario import PLAN, Scenario
from workflow.reads import show_plan
from workflow.views.plan import plan_view

Moments = list[tuple[dt.datetime, dict[str, Any]]]


def recorded_scenario(url: str) -> tuple[Scenario, Moments]:
    """Drive the scenario, recording the plan's view and the clock after every command."""
    moments: Moments = []

    def record(scn: Scenario) -> None:
        moments.append((scn.clock.now, show_plan(scn.engine, PLAN)))

    return scenario.build(url, observe=record), moments


def view_as_of(engine: Engine, moment: dt.datetime) -> dict[str, Any] | None:
    rebuilt = replay_as_of(engine, PLAN, moment)
    if PLAN not in rebuilt.plans:
        return None
    counts = rebuilt.counts(PLAN)
    return plan_view(rebuilt.plans[PLAN], counts)


def test_replaying_as_of_each_recorded_moment_gives_the_view_seen_then(db_url: str) -> None:
    scn, moments = recorded_scenario(db_url)
    assert len(moments) > 40
    for moment, seen in moments:
        assert view_as_of(scn.engine, moment) == seen, moment.isoformat()


def test_replaying_just_before_a_command_gives_the_view_seen_before_it(db_url: str) -> None:
    scn, moments = recorded_scenario(db_url)
    for (_, before), (moment, _) in itertools.pairwise(moments):
        just_before = moment - dt.timedelta(microseconds=1)
        assert view_as_of(scn.engine, just_before) == before, moment.isoformat()


def test_before_the_plan_was_created_there_is_nothing_to_replay(db_url: str) -> None:
    scn, moments = recorded_scenario(db_url)
    assert view_as_of(scn.engine, moments[0][0] - dt.timedelta(seconds=1)) is None


def test_replaying_without_a_moment_gives_the_current_view(db_url: str) -> None:
    scn, moments = recorded_scenario(db_url)
    rebuilt = replay_as_of(scn.engine, PLAN)
    counts = rebuilt.counts(PLAN)
    assert plan_view(rebuilt.plans[PLAN], counts) == moments[-1][1] == show_plan(
        scn.engine, PLAN)


def test_plan_show_and_replay_list_activities_and_members_in_the_same_order(
        db_url: str) -> None:
    scn = scenario.fresh(db_url)
    for name in ("Zoila Zhunio", "Ana Quizhpi"):
        scn.services.add_member(PLAN, name, "sociedad_civil", scenario.STAFF)
    shown, replayed = show_plan(scn.engine, PLAN), view_as_of(scn.engine, scn.clock.now)
    assert replayed is not None
    for key in ("committee", "activities"):
        assert [x["id"] for x in shown[key]] == [x["id"] for x in replayed[key]], key


def cli_replay(url: str, *moments: str) -> list[scenario.Ran]:
    return scenario.cocrea(*(["replay", PLAN, "--as-of", m, "--json", "--db", url]
                             for m in moments))


def without_as_of(output: str) -> dict[str, Any]:
    view: dict[str, Any] = json.loads(output)
    assert "as_of" in view
    del view["as_of"]
    assert view.pop("commitments") == []  # the driven scenario drafts none
    return view


def test_the_cli_replays_as_of_a_moment_given_with_an_offset_or_in_local_time(
        db_url: str) -> None:
    _, moments = recorded_scenario(db_url)
    (committee, seen_then), (phase_one, seen_later) = moments[12], moments[20]
    local = phase_one.astimezone(ZoneInfo("America/Guayaquil")).replace(tzinfo=None)
    with_offset, in_local_time = cli_replay(db_url, committee.isoformat(), local.isoformat())
    assert with_offset.code == 0 and in_local_time.code == 0, with_offset.err
    assert without_as_of(with_offset.out) == seen_then
    assert without_as_of(in_local_time.out) == seen_later


def test_the_cli_reads_a_bare_date_as_the_end_of_that_day(db_url: str) -> None:
    _, moments = recorded_scenario(db_url)
    day = moments[-1][0].astimezone(ZoneInfo("America/Guayaquil")).date()
    whole_day, day_before = cli_replay(db_url, day.isoformat(),
                                       (day - dt.timedelta(days=1)).isoformat())
    assert whole_day.code == 0, whole_day.err
    assert without_as_of(whole_day.out) == moments[-1][1]
    assert day_before.code == 1 and PLAN in day_before.err
