"""The OGP report, rule by rule, on plans run in memory and built to meet or break each rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from definitions.loader import parse_definition
from definitions.registry import rule_set
from tests.workflow.riverside import CLERK, PLAN, PLATFORM, Riverside, at, created
from workflow.domain import ogp
from workflow.domain.errors import InvalidInput, NotFound
from workflow.domain.events import Actor
from workflow.domain.replay import Replay
from workflow.testing import MemoryStore

RIVERSIDE = (Path(__file__).parents[2] / "definitions" / "riverside-2025.yaml").read_text(
    encoding="utf-8")


def judged(store: MemoryStore, as_of: str) -> dict[str, ogp.Judgement]:
    """Judge the plan in ``store`` as of a local moment: each rule's judgement by its id."""
    moment = at(as_of)
    replay, events = Replay(), []
    for recorded in store.events:
        if recorded.event.occurred_at <= moment:
            replay.apply(recorded)
            e = recorded.event
            events.append({"position": recorded.position, "type": e.type, "data": e.data,
                           "occurred_at": e.occurred_at.isoformat(), "stream": e.stream_id})
    proposals = [p for p in replay.proposals.values() if p.plan_id == PLAN]
    facts = ogp.Facts(replay.plans[PLAN].state, proposals, events, moment)
    return {rule.id: j for rule, j in ogp.report(rule_set(), facts)}


def meet(plan: Riverside, when: str, **attendance: int) -> None:
    plan.until(when)
    plan.staff.record_meeting(PLAN, at(when), attendance or {"city": 2, "civil_society": 3},
                              f"https://riverside.example.org/minutes/{when[:10]}", CLERK)


def test_a_forum_of_both_sectors_is_met_with_its_members_as_evidence() -> None:
    plan = created()
    found = judged(plan.store, "2025-02-20 12:00")["forum_multistakeholder"]
    assert found.status == "met"
    assert found.evidence[0].what == "Maria Alvarez joins (City government)"


def test_a_forum_whose_groups_say_no_sector_is_not_known_never_met() -> None:
    plan = created(definition=parse_definition(RIVERSIDE.replace("      sector: government\n",
                                                                  "")))

    found = judged(plan.store, "2025-02-20 12:00")["forum_multistakeholder"]

    assert found.status == "unknown"
    assert "which sector each forum group is" in str(found.missing)


def test_meetings_seven_months_apart_break_the_six_month_rule_naming_the_gap() -> None:
    plan = created()
    meet(plan, "2025-02-25 18:00")
    meet(plan, "2025-09-30 18:00")

    found = judged(plan.store, "2025-10-01 12:00")["forum_meets"]

    assert found.status == "not_met"
    assert found.missing == ("the forum went more than 6 months without meeting: from "
                             "2025-02-25 18:00 to 2025-09-30 18:00")


def test_meetings_every_few_months_meet_the_rule_and_none_at_all_is_not_known() -> None:
    plan = created()
    assert judged(plan.store, "2025-03-01 12:00")["forum_meets"].status == "unknown"
    for when in ("2025-02-25 18:00", "2025-06-10 18:00", "2025-10-20 18:00"):
        meet(plan, when)
    found = judged(plan.store, "2025-11-01 12:00")["forum_meets"]
    assert found.status == "met" and [e.position for e in found.evidence]


def test_reception_closed_without_a_single_idea_is_no_public_input() -> None:
    plan = created()
    plan.until("2025-06-01 12:00")
    found = judged(plan.store, "2025-06-01 12:00")["public_input"]
    assert (found.status, found.missing) == ("not_met",
                                             "proposal reception closed with 0 proposals")


def test_the_record_must_move_every_four_months_and_hold_documents() -> None:
    plan = created()
    found = judged(plan.store, "2025-08-01 12:00")["public_record"]
    assert found.status == "not_met"
    assert found.missing is not None and "more than 4 months without news" in found.missing


def test_ideas_left_unanswered_when_everything_closed_are_named() -> None:
    plan = created()
    plan.until("2025-04-02 10:00")
    idea = plan.idea("Open contracts")
    plan.until("2025-11-16 12:00")

    found = judged(plan.store, "2025-11-16 12:00")["reasoned_response"]

    assert found.status == "not_met"
    assert found.missing == f"1 proposal was left without a reasoned response: {idea}"


def test_without_links_the_definition_does_not_make_the_report_says_not_known() -> None:
    plan = created()
    found = judged(plan.store, "2025-03-01 12:00")
    assert {k: j.status for k, j in found.items()
            if k in ("forum_rules_public", "timeline_in_advance", "plan_endorsed")} == {
        "forum_rules_public": "unknown", "timeline_in_advance": "unknown",
        "plan_endorsed": "unknown"}


def test_a_meeting_names_only_the_forums_groups_and_is_not_in_the_future() -> None:
    plan = created()
    with pytest.raises(NotFound):
        plan.staff.record_meeting(PLAN, at("2025-02-19 10:00"), {"press": 3}, None, CLERK)
    with pytest.raises(InvalidInput) as caught:
        plan.staff.record_meeting(PLAN, at("2025-12-19 10:00"), {"city": 3}, None, CLERK)
    assert caught.value.field == "held_at"
    with pytest.raises(InvalidInput) as empty:
        plan.staff.record_meeting(PLAN, at("2025-02-19 10:00"), {"city": 0}, None,
                                  PLATFORM)
    assert empty.value.field == "attendance"


def test_replay_refuses_a_meeting_of_a_group_the_forum_does_not_have() -> None:
    plan = created()
    meet(plan, "2025-02-25 18:00")
    forged: list[Any] = list(plan.store.events)
    last = forged[-1]
    event = last.event.__class__(last.event.stream_id, last.event.stream_type,
                                 last.event.version, last.event.type,
                                 {**last.event.data, "attendance": {"press": 4}},
                                 Actor("x", "staff"), last.event.occurred_at)
    forged[-1] = last.__class__(last.position, last.event_id, event)
    replay = Replay()
    for recorded in forged[:-1]:
        replay.apply(recorded)
    with pytest.raises(Exception, match="no encaja"):
        replay.apply(forged[-1])
    assert dt.datetime.fromisoformat(last.event.data["held_at"]).year == 2025


def linked(extra: str, edit: tuple[str, str] = ("", "")) -> Riverside:
    """A Riverside plan whose definition links the OGP report to its parts (``ogp:`` YAML)."""
    text = RIVERSIDE.replace(*edit) if edit[0] else RIVERSIDE
    return created(definition=parse_definition(f"{text.rstrip()}\n\nogp:\n{extra}"))


def test_a_timeline_published_a_week_before_co_creation_breaks_the_two_week_rule() -> None:
    plan = linked("  cocreation_starts: forum_setup\n")  # created 2025-02-10, starts 02-17

    found = judged(plan.store, "2025-03-01 12:00")["timeline_in_advance"]

    assert found.status == "not_met"
    assert found.missing == "the timeline was published 6 days before co-creation; 14 are asked"


def test_a_rules_activity_left_undone_when_its_phase_closed_breaks_the_public_rules() -> None:
    plan = linked("  forum_rules: calendar_published\n",
                  ("    close_when:\n      - kind: activities_done\n\n  - id: ideas",
                   "\n  - id: ideas"))
    assert judged(plan.store, "2025-06-01 12:00")["forum_rules_public"].status == "unknown"
    plan.until("2025-11-02 12:00")

    found = judged(plan.store, "2025-11-02 12:00")["forum_rules_public"]

    assert found.status == "not_met"
    assert found.missing == ("the activity “calendar_published” was not done with its "
                             "document and its phase has closed")


def test_a_plan_approved_by_government_members_alone_is_not_endorsed() -> None:
    plan = linked("  plan_approval: forum_rules\n",
                  ("      sector: non_government\n", "      sector: government\n"))

    found = judged(plan.store, "2025-03-01 12:00")["plan_endorsed"]

    assert found.status == "not_met"
    assert found.missing == "no non-government member voted for the plan"
    assert [e.what for e in found.evidence] == ["“forum_rules” is approved"]


def test_a_forum_silent_for_six_months_after_the_approval_breaks_the_implementation_rule(
        ) -> None:
    plan = linked("  plan_approval: forum_rules\n")
    plan.staff.record_meeting(PLAN, at("2025-02-19 18:00"), {"city": 2, "civil_society": 3},
                              "https://riverside.example.org/minutes/2025-02-19", CLERK)
    plan.until("2025-06-01 12:00")
    assert judged(plan.store, "2025-06-01 12:00")[
        "forum_meets_in_implementation"].status == "unknown"
    plan.until("2025-09-01 12:00")

    found = judged(plan.store, "2025-09-01 12:00")["forum_meets_in_implementation"]

    assert (found.status, found.missing) == (
        "not_met", "the forum has not met since the plan was approved")
