"""Riverside's commitments: a lifecycle unlike Cuenca's, and milestones across daylight saving.

Riverside (America/Chicago) adopts a commitment without a vote of its forum, can pause
and resume one, lets a revision after adoption through with a reason alone, and reminds
of a milestone a month and a week before it is due. In memory (the fast lane): the same
services as on a database.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflow.riverside import CLERK, PLAN, Riverside, with_published_ideas
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
