"""Supports and a process's own fields over HTTP: the intake platform relays, staff shortlist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import Live, live_api
from tests.workflow.riverside import CLERK, PLAN, Riverside, with_published_ideas


@pytest.fixture
def supporting(db_url: str) -> Iterator[tuple[Live, Riverside, str]]:
    plan, (idea,) = with_published_ideas(1, db_url)
    plan.until("2025-05-16 12:00")
    with live_api(db_url, clock=plan.clock) as live:
        yield live, plan, idea


def test_the_platform_relays_supports_each_key_counting_once(
        supporting: tuple[Live, Riverside, str]) -> None:
    live, _, idea = supporting
    platform = live.client(live.token("intake", "Riverside Speaks"))

    first = platform.post(f"/proposals/{idea}/supports", json={"supporter": "k-1"})
    again = platform.post(f"/proposals/{idea}/supports", json={"supporter": "k-1"})
    second = platform.post(f"/proposals/{idea}/supports", json={"supporter": "k-2"})

    assert (first.status_code, first.json()) == (201, {"proposal": idea, "supports": 1})
    assert again.status_code == 409
    assert again.json()["detail"] == (f"this key already supported the proposal “{idea}”: "
                                      "each support counts once")
    assert second.json()["supports"] == 2
    public = live.client().get(f"/proposals/{idea}").json()
    assert public["supports"] == 2
    assert "k-1" not in str(public)


def test_only_the_platform_and_staff_relay_supports(
        supporting: tuple[Live, Riverside, str]) -> None:
    live, _, idea = supporting
    auditor = live.client(live.token("auditor"))
    assert auditor.post(f"/proposals/{idea}/supports",
                        json={"supporter": "k-1"}).status_code == 403
    assert live.client().post(f"/proposals/{idea}/supports",
                              json={"supporter": "k-1"}).status_code == 401


def test_a_field_of_the_wrong_type_is_a_422_naming_it_and_a_good_one_is_kept(
        supporting: tuple[Live, Riverside, str]) -> None:
    live, plan, idea = supporting
    for n in range(5):
        plan.staff.support(idea, f"s{n}", CLERK)
    for name in ("Luis Herrera", "Aisha Khan", "Ben Carter"):
        plan.staff.vote(PLAN, "shortlist_criteria", plan.members[name], True, CLERK)
    plan.until("2025-07-02 10:00")
    staff = live.client(live.token("staff"))

    wrong = staff.post(f"/proposals/{idea}/triggers/shortlist",
                       json={"fields": {"estimated_cost": "lots", "priority": "high"}})
    right = staff.post(f"/proposals/{idea}/triggers/shortlist",
                       json={"fields": {"estimated_cost": 4200, "priority": "medium"}})

    assert wrong.status_code == 422 and wrong.json()["field"] == "estimated_cost"
    assert right.status_code == 200, right.text
    shown = live.client().get(f"/proposals/{idea}").json()
    assert shown["fields"] == {"estimated_cost": 4200, "priority": "medium"}
    assert shown["history"][-1]["fields"] == {"estimated_cost": 4200, "priority": "medium"}
