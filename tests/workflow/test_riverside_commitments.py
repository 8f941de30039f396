"""Riverside's commitments: a lifecycle unlike Cuenca's, and milestones across daylight saving.

Riverside (America/Chicago) adopts a commitment without a vote of its forum, can pause
and resume one, lets a revision after adoption through with a reason alone, and reminds
of a milestone a month and a week before it is due. Its milestones fall on the days
the clocks change: due at the end of the due day, local time, whatever the offset was
when the day began. In memory (the fast lane), and the deadlines table on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from storage import tables as t
from storage.database import open_engine
from storage.eventstore import utc
from tests.workflow.riverside import CLERK, PLAN, Riverside, at, with_published_ideas
from workflow.domain.errors import GuardFailed, InvalidInput
from workflow.domain.events import Actor
from workflow.domain.state import CommitmentState

AGENCY = "Department of Public Works"
WORKS = Actor("Dana Ruiz", "implementer", agency=AGENCY)
EVALUATOR = Actor("Independent Reporting Mechanism", "evaluator")
DROPPED = "The state grant that paid for the crews was withdrawn in the spring."


@pytest.fixture
def plan() -> tuple[Riverside, list[str]]:
    """Riverside on 2 June 2025: two ideas published, the ideas phase closed."""
    plan, ideas = with_published_ideas(2)
    plan.until("2025-06-02 09:00")
    assert plan.phase("ideas") == "closed"
    return plan, ideas


def content(ideas: list[str], **changes: Any) -> dict[str, Any]:
    """A pothole tracker answering the first idea; its first milestone is due on the day
    daylight saving ends (2 November 2025), its second on the day it starts (8 March 2026)."""
    return {
        "title": "A live tracker for pothole repairs",
        "problem": "Residents report potholes by phone and never hear what became of them.",
        "description": "A public map of every reported pothole and when it is fixed.",
        "contribution": "Every report gets a visible answer and a date.",
        "ogp_values": ["transparency", "public_accountability"],
        "lead_agency": AGENCY,
        "starts": "2025-09-01", "ends": "2026-06-30",
        "milestones": [
            {"description": "Map published with last year's repairs", "output": "Public map",
             "starts": "2025-09-01", "due": "2025-11-02", "responsible": "GIS team"},
            {"description": "Residents report from the map", "output": "Reporting form",
             "starts": "2025-11-03", "due": "2026-03-08", "responsible": "311 team"}],
        "proposals": ideas[:1],
        **changes}


def adopted(plan: Riverside, ideas: list[str]) -> str:
    """Draft the tracker and adopt it; its id."""
    key = plan.staff.draft_commitment(PLAN, content(ideas), CLERK)
    plan.staff.fire_commitment(key, "adopt", {}, CLERK)
    return key


def commitment(plan: Riverside, key: str) -> CommitmentState:
    """The state of a commitment, as the store holds it."""
    return plan.store.commitments[key]


def test_drafting_waits_until_the_ideas_are_in() -> None:
    plan, ideas = with_published_ideas(1)

    with pytest.raises(GuardFailed):
        plan.staff.draft_commitment(PLAN, content(ideas), CLERK)

    assert plan.store.commitments == {}


def test_staff_adopt_a_commitment_without_a_vote_of_the_forum_once_it_answers_an_idea(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    key = riverside.staff.draft_commitment(PLAN, content(ideas, proposals=[]), CLERK)
    with pytest.raises(GuardFailed):
        riverside.staff.fire_commitment(key, "adopt", {}, CLERK)
    riverside.staff.link(key, ideas[1], CLERK)

    state = riverside.staff.fire_commitment(key, "adopt", {}, CLERK)

    assert state.state == "adopted"
    assert state.approved_at == riverside.clock()
    assert not riverside.store.plans[PLAN].decisions["shortlist_criteria"].approved


def test_after_adoption_a_revision_needs_a_reason_and_no_vote(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    key = adopted(riverside, ideas)

    with pytest.raises(InvalidInput):
        riverside.staff.revise_commitment(key, {"budget": "USD 80,000"}, CLERK)
    state = riverside.staff.revise_commitment(
        key, {"budget": "USD 80,000", "reason": "The county pays for the sensors"}, CLERK)

    assert state.fields["budget"] == "USD 80,000"


def test_a_commitment_pauses_with_a_reason_resumes_and_can_be_dropped_while_paused(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    key = adopted(riverside, ideas)
    riverside.staff.fire_commitment(key, "start", {}, CLERK)
    with pytest.raises(GuardFailed):
        riverside.staff.fire_commitment(key, "pause", {"response": "No money"}, CLERK)

    riverside.staff.fire_commitment(key, "pause", {"response": DROPPED}, CLERK)
    assert riverside.staff.fire_commitment(key, "resume", {}, CLERK).state == "in_progress"
    riverside.staff.fire_commitment(key, "pause", {"response": DROPPED}, CLERK)
    assert riverside.staff.fire_commitment(key, "drop", {"response": DROPPED},
                                           CLERK).state == "dropped"

    assessed = riverside.staff.assess(key, "limited", "marginal", "Stopped halfway.",
                                      ["https://irm.example.org/riverside"], EVALUATOR)
    assert assessed.state == "assessed"


def test_only_the_lead_department_declares_it_completed_every_milestone_done(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    key = adopted(riverside, ideas)
    riverside.staff.fire_commitment(key, "start", {}, CLERK)
    riverside.staff.report(key, "m1", "Map online", ["https://riverside.example.org/map"],
                           True, WORKS)
    with pytest.raises(GuardFailed):
        riverside.staff.fire_commitment(key, "complete", {}, WORKS)
    riverside.staff.report(key, "m2", "Form online", ["https://riverside.example.org/311"],
                           True, WORKS)
    with pytest.raises(GuardFailed):
        riverside.staff.fire_commitment(key, "complete", {}, CLERK)

    assert riverside.staff.fire_commitment(key, "complete", {}, WORKS).state == "completed"


def test_milestone_deadlines_fall_at_local_midnight_on_either_side_of_a_clock_change(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    adopted(riverside, ideas)

    pending = sorted((d.deadline.phase_id, d.deadline.kind, d.deadline.days,
                      d.deadline.due_at.isoformat())
                     for d in riverside.store.deadlines.values()
                     if d.deadline.phase_id.startswith("c1/") and d.status == "pending")

    # 2 November 2025 ends at midnight CST (UTC-6), though it began in CDT (UTC-5);
    # 8 March 2026 ends at midnight CDT (UTC-5), though it began in CST (UTC-6).
    assert pending == [
        ("c1/m1", "due", None, "2025-11-03T06:00:00+00:00"),
        ("c1/m1", "due_soon", 7, "2025-10-27T05:00:00+00:00"),
        ("c1/m1", "due_soon", 30, "2025-10-04T05:00:00+00:00"),
        ("c1/m2", "due", None, "2026-03-09T05:00:00+00:00"),
        ("c1/m2", "due_soon", 7, "2026-03-02T06:00:00+00:00"),
        ("c1/m2", "due_soon", 30, "2026-02-07T06:00:00+00:00")]


def test_a_milestone_due_the_day_the_clocks_go_back_is_overdue_only_after_that_days_end(
        plan: tuple[Riverside, list[str]]) -> None:
    riverside, ideas = plan
    key = adopted(riverside, ideas)

    riverside.until("2025-11-02 23:30")
    assert commitment(riverside, key).milestones["m1"].overdue_at is None
    riverside.until("2025-11-03 00:30")

    overdue_at = commitment(riverside, key).milestones["m1"].overdue_at
    assert overdue_at == dt.datetime(2025, 11, 3, 6, 0, tzinfo=dt.UTC) == at("2025-11-03 00:00")
    told = [n for n in riverside.store.outbox if n.topic == "milestone_overdue"]
    assert {r.kind for n in told for r in n.recipients} >= {"staff"}


def test_the_deadlines_table_holds_the_same_instants_and_fires_the_overdue_one_on_time(
        db_url: str) -> None:
    riverside, ideas = with_published_ideas(2, db_url)
    riverside.until("2025-06-02 09:00")
    adopted(riverside, ideas)
    riverside.until("2025-11-03 00:30")

    engine = open_engine(db_url, migrate=False)
    d, e = t.deadlines.c, t.events.c
    with engine.connect() as conn:
        rows = conn.execute(select(d.kind, d.days, d.due_at, d.status, d.fired_at)
                            .where(d.phase_id == "c1/m1").order_by(d.due_at)).all()
        overdue = conn.execute(select(e.occurred_at).where(
            e.type == "MilestoneOverdue")).scalars().all()
    engine.dispose()

    assert [(r.kind, r.days, utc(r.due_at).isoformat(), r.status) for r in rows] == [
        ("due_soon", 30, "2025-10-04T05:00:00+00:00", "fired"),
        ("due_soon", 7, "2025-10-27T05:00:00+00:00", "fired"),
        ("due", None, "2025-11-03T06:00:00+00:00", "fired")]
    assert [utc(moment) for moment in overdue] == [at("2025-11-03 00:00")]
