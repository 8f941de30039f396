"""Test helpers: Riverside's process (English, daylight saving, supports) driven in memory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from definitions.registry import shipped_definition
from definitions.schema import Definition
from workflow.bootstrap import bootstrap
from workflow.domain.clock import VirtualClock
from workflow.domain.events import Actor
from workflow.runner import DeadlineRunner, NextDue, advance
from workflow.testing import Driver, MemoryStore, in_memory

PLAN = "riverside-2025"
CLERK = Actor("Office of Civic Engagement", "staff")
PLATFORM = Actor("Riverside Speaks", "intake")
ZONE = ZoneInfo("America/Chicago")
CITY = ["Maria Alvarez", "Tom Becker", "Grace Okafor"]
CIVIL = ["Luis Herrera", "Aisha Khan", "Ben Carter", "Nora Lindqvist"]
ANSWER = "Thank you: the forum weighed the idea against its criteria and explains why here."


@cache
def riverside() -> Definition:
    """The shipped Riverside 2025 definition."""
    return shipped_definition(PLAN)


def at(text: str) -> dt.datetime:
    """A local moment in Riverside ("2025-05-20 12:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


@dataclass
class Riverside:
    """A Riverside plan: the driver, the store (memory or a database), the clock, its runner."""

    staff: Driver
    store: MemoryStore
    clock: VirtualClock
    runner: DeadlineRunner
    members: dict[str, str]
    next_due: NextDue

    def until(self, moment: str) -> None:
        """Let time run to a local moment, firing every deadline due on the way."""
        advance(self.clock, self.runner, self.next_due, at(moment))

    def idea(self, title: str) -> str:
        """Receive an idea online; its id."""
        return self.staff.submit_proposal(PLAN, title, f"{title}: a longer description.",
                                          "online", None, PLATFORM)

    def phase(self, phase: str) -> str:
        """The state of a phase."""
        return self.store.plans[PLAN].phases[phase].state


def created(url: str | None = None, definition: Definition | None = None) -> Riverside:
    """A Riverside plan with its forum seated and rules adopted, before the ideas phase.

    In memory, or on the database at ``url`` (then ``store`` is an empty memory store).
    """
    clock = VirtualClock(at("2025-02-10 10:00"))
    services, store = in_memory(clock)
    runner, next_due = DeadlineRunner(services, store.due, clock, "test"), store.next_due
    if url is not None:
        wired = bootstrap(url, clock=clock)
        services, runner, next_due = wired.services(), wired.runner("test"), wired.next_due()
    staff = Driver(services)
    staff.create_plan(definition or riverside(), CLERK)
    members = {name: staff.add_member(PLAN, name, "city", CLERK) for name in CITY}
    members |= {name: staff.add_member(PLAN, name, "civil_society", CLERK) for name in CIVIL}
    plan = Riverside(staff, store, clock, runner, members, next_due)
    plan.until("2025-02-20 09:00")
    staff.complete_activity(PLAN, "charter", "https://riverside.example.org/charter", CLERK)
    for name in ("Maria Alvarez", "Luis Herrera", "Aisha Khan", "Tom Becker"):
        staff.vote(PLAN, "forum_rules", members[name], True, Actor(name, "committee"))
    staff.complete_activity(PLAN, "rules", "https://riverside.example.org/rules", CLERK)
    return plan


def with_published_ideas(count: int, url: str | None = None) -> tuple[Riverside, list[str]]:
    """A Riverside plan whose ``count`` ideas are published, supports not yet open."""
    plan = created(url)
    plan.until("2025-04-02 10:00")
    ideas = [plan.idea(f"Idea {n}") for n in range(1, count + 1)]
    for idea in ideas:
        plan.staff.fire(idea, "publish", {}, CLERK)
    return plan, ideas
