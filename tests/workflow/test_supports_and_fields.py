"""Public supports and a process's own trigger fields, through the services, in memory."""

from __future__ import annotations

import pytest

from tests.workflow.riverside import CLERK, PLAN, PLATFORM, Riverside, with_published_ideas
from workflow.domain.errors import AlreadyExists, GuardFailed, IllegalEvent, InvalidInput
from workflow.domain.events import DomainEvent, RecordedEvent
from workflow.domain.replay import Replay
from workflow.domain.supports import supporter_id


def supported(plan: Riverside, idea: str, count: int) -> None:
    for n in range(count):
        plan.staff.support(idea, f"{idea}-{n}", PLATFORM)


def shortlisting(supports: int = 5) -> tuple[Riverside, str]:
    plan, (idea,) = with_published_ideas(1)
    plan.until("2025-05-16 12:00")
    supported(plan, idea, supports)
    for name in ("Luis Herrera", "Aisha Khan", "Ben Carter"):
        plan.staff.vote(PLAN, "shortlist_criteria", plan.members[name], True, CLERK)
    plan.until("2025-07-02 10:00")
    return plan, idea


def test_a_published_idea_counts_each_supporter_once_while_support_is_open() -> None:
    plan, (idea,) = with_published_ideas(1)
    plan.until("2025-05-16 12:00")

    counts = [plan.staff.support(idea, key, PLATFORM) for key in ("k1", "k2", "k3")]

    assert counts == [1, 2, 3]
    assert plan.store.proposals[idea].supports == 3
    with pytest.raises(AlreadyExists, match="already supported the proposal"):
        plan.staff.support(idea, "k2", PLATFORM)
    assert plan.store.proposals[idea].supports == 3


def test_the_log_keeps_a_digest_of_plan_and_key_never_the_key() -> None:
    plan, (idea,) = with_published_ideas(1)
    plan.until("2025-05-16 12:00")
    plan.staff.support(idea, "vecina-42@platform", PLATFORM)

    event = plan.store.events[-1].event
    assert event.type == "ProposalSupported"
    assert event.data == {"supporter": supporter_id(PLAN, "vecina-42@platform"), "supports": 1}
    assert "vecina-42" not in str(event.data)
    assert supporter_id(PLAN, "k") != supporter_id("another-plan", "k")


def test_supports_are_refused_before_the_support_phase_and_in_other_states() -> None:
    plan, (idea,) = with_published_ideas(1)
    with pytest.raises(GuardFailed) as caught:
        plan.staff.support(idea, "k1", PLATFORM)
    assert caught.value.unmet == ["the phase “Public support for the ideas” is not open "
                                  "(it is scheduled)"]
    plan.until("2025-05-16 12:00")
    fresh = plan.idea("Too late to publish")
    with pytest.raises(GuardFailed, match="it may be supported when: published"):
        plan.staff.support(fresh, "k1", PLATFORM)


def test_shortlisting_needs_five_supports_and_a_medium_or_high_priority() -> None:
    plan, idea = shortlisting(supports=4)
    with pytest.raises(GuardFailed) as caught:
        plan.staff.fire(idea, "shortlist", {"estimated_cost": "1200", "priority": "low"}, CLERK)
    assert caught.value.unmet == ["the proposal needs 5 supports and has 4",
                                  "“Priority” must be one of: medium, high (it is low)"]


def test_own_fields_are_read_by_type_and_kept_on_the_proposal_and_in_the_event() -> None:
    plan, idea = shortlisting()
    plan.staff.fire(idea, "shortlist", {"estimated_cost": "250000", "priority": "high",
                                        "evidence": "https://riverside.example.org/c.xlsx"},
                    CLERK)

    proposal = plan.store.proposals[idea]
    assert (proposal.state, proposal.fields) == ("shortlisted", {
        "estimated_cost": 250000, "priority": "high",
        "evidence": "https://riverside.example.org/c.xlsx"})
    assert plan.store.events[-1].event.data == {
        "trigger": "shortlist", "from": "published", "fields": proposal.fields}


@pytest.mark.parametrize(("fields", "field", "problem"), [
    ({"estimated_cost": "a lot", "priority": "high"}, "estimated_cost", "a whole number"),
    ({"estimated_cost": "9000000", "priority": "high"}, "estimated_cost", "at most 5000000"),
    ({"estimated_cost": "-1", "priority": "high"}, "estimated_cost", "at least 0"),
    ({"estimated_cost": "100", "priority": "urgent"}, "priority", "low, medium, high"),
    ({"estimated_cost": "100", "priority": "high", "evidence": "ftp://x"}, "evidence",
     "full web address"),
    ({"priority": "high"}, "estimated_cost", "is required"),
    ({"estimated_cost": "100", "priority": "high", "colour": "red"}, "colour",
     "does not take this field"),
])
def test_a_field_of_the_wrong_type_or_out_of_bounds_is_refused_naming_it(
        fields: dict[str, object], field: str, problem: str) -> None:
    plan, idea = shortlisting()
    with pytest.raises(InvalidInput) as caught:
        plan.staff.fire(idea, "shortlist", fields, CLERK)
    assert caught.value.field == field and problem in str(caught.value)


def test_the_support_phase_closes_only_with_twenty_supports_among_published_ideas() -> None:
    plan, ideas = with_published_ideas(2)
    plan.until("2025-05-16 12:00")
    supported(plan, ideas[0], 12)
    supported(plan, ideas[1], 7)

    plan.until("2025-07-01 00:30")

    assert plan.phase("public_support") == "overdue"
    overdue = next(e.event for e in plan.store.events if e.type == "PhaseOverdue")
    assert overdue.data["unmet"] == ["the proposals need 20 supports in all and have 19"]


def test_replay_refuses_the_same_supporter_twice_and_a_count_that_skips() -> None:
    plan, (idea,) = with_published_ideas(1)
    plan.until("2025-05-16 12:00")
    plan.staff.support(idea, "k1", PLATFORM)
    events = list(plan.store.events)
    first = events[-1].event

    def forged(**data: object) -> RecordedEvent:
        event = DomainEvent(idea, "proposal", first.version + 1, "ProposalSupported",
                            {**first.data, **data}, first.actor, first.occurred_at)
        return RecordedEvent(len(events) + 1, "forged", event)

    other = supporter_id(PLAN, "k2")
    for forgery, reason in ((forged(supports=2), "dos veces"),
                            (forged(supporter=other, supports=3), "no sigue")):
        replay = Replay()
        for recorded in events:
            replay.apply(recorded)
        with pytest.raises(IllegalEvent, match=reason):
            replay.apply(forgery)
