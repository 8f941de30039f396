"""Milestones are deadlines: each due date (and its reminders) is a row of the deadlines table.

A milestone is due at the end of its due day in the plan's zone (the first instant
of the next day, as a phase closes); a reminder ("due in N days", the definition's
``milestones.reminders``) is due N days before. Its deadlines are pending while
the commitment is in one of its ``implementation`` states and the milestone is not
reported done:

- entering implementation (the approval) schedules every milestone not done (the
  due date even if it has passed: it fires at once and the milestone is overdue;
  reminders only still to come);
- a revision that moves a due date (or adds a milestone) cancels and reschedules;
- a report that marks a milestone done, or leaving implementation, cancels.

The deadlines table keys a milestone's rows by its plan and, in ``phase_id``, the
subject ``c<number>/<milestone>`` (``c3/m2``), so cancelling one milestone's rows is
the same update as a phase's. The schedule is worked out from the events alone,
so verify derives the same rows from the log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from workflow.domain.catalog import Catalog
from workflow.domain.deadlines import MILESTONE_KINDS, Deadline, Schedule, day_starts
from workflow.domain.events import DomainEvent
from workflow.domain.state import CommitmentState, MilestoneState

_SUBJECT = re.compile(r"^c([1-9][0-9]*)/(m[1-9][0-9]*)$")


def subject(number: int, milestone_id: str) -> str:
    """Return the deadlines' subject of a commitment's milestone: ``c3/m2``."""
    return f"c{number}/{milestone_id}"


def parse_subject(text: str) -> tuple[int, str] | None:
    """Return (commitment number, milestone id) of a subject, or None if it is a phase's."""
    found = _SUBJECT.match(text)
    return None if found is None else (int(found.group(1)), found.group(2))


def due_at(day: dt.date, tz: str) -> dt.datetime:
    """When a milestone due on ``day`` is overdue: the end of that day in zone ``tz``."""
    return day_starts(day + dt.timedelta(days=1), tz)


def milestone_deadlines(state: CommitmentState, milestone: MilestoneState, catalog: Catalog,
                        after: dt.datetime) -> list[Deadline]:
    """Return a milestone's due deadline and its reminders still due after ``after``."""
    tz = catalog.definition.timezone
    where = subject(state.number, milestone.milestone_id)
    found = [Deadline(state.plan_id, where, "due", due_at(milestone.due, tz))]
    reminders = () if catalog.commitments is None else (
        catalog.commitments.lifecycle.milestones.reminders)
    for days in reminders:
        moment = day_starts(milestone.due + dt.timedelta(days=1 - days), tz)
        if moment > after:
            found.append(Deadline(state.plan_id, where, "due_soon", moment, days))
    return found


def milestone_schedule(state: CommitmentState, catalog: Catalog,
                       events: Iterable[DomainEvent]) -> Schedule:
    """Return the deadline changes of a commitment's new events (``state`` is after them)."""
    result = Schedule()
    for event in events:
        for change in _changes(state, catalog, event):
            if isinstance(change, Deadline):
                result.add.append(change)
            else:
                result.cancel.append((state.plan_id, change, MILESTONE_KINDS))
    return result


def _changes(state: CommitmentState, catalog: Catalog,
             event: DomainEvent) -> Iterator[Deadline | str]:
    """Yield what one event does: deadlines to add, subjects whose pending ones to cancel."""
    assert catalog.commitments is not None  # a commitment's plan pins its commitments
    lifecycle, data = catalog.commitments, event.data
    running = lifecycle.lifecycle.implementation
    if event.type == "CommitmentTransitioned":
        dest = lifecycle.machine.destination(data["from"], data["trigger"])
        entering = data["from"] not in running and dest in running
        leaving = data["from"] in running and dest not in running
        if entering or leaving:
            yield from _every(state, catalog, event.occurred_at, add=entering)
    elif event.type == "CommitmentDrafted" and state.state in running:
        yield from _every(state, catalog, event.occurred_at, add=True)
    elif event.type == "CommitmentRevised" and state.state in running:
        for entry in data.get("milestones", ()):
            milestone = state.milestones[entry["milestone"]]
            if "due" in entry and not milestone.done:
                yield subject(state.number, milestone.milestone_id)
                yield from milestone_deadlines(state, milestone, catalog, event.occurred_at)
    elif event.type == "MilestoneReported" and data["done"]:
        yield subject(state.number, data["milestone"])


def _every(state: CommitmentState, catalog: Catalog, now: dt.datetime,
           add: bool) -> Iterator[Deadline | str]:
    for milestone in state.milestones.values():
        if milestone.done:
            continue
        if add:
            yield from milestone_deadlines(state, milestone, catalog, now)
        else:
            yield subject(state.number, milestone.milestone_id)


def judged(milestone: MilestoneState, tz: str) -> str:
    """Say whether a milestone is done (on time), late, overdue or pending.

    ``done``: reported done by the end of its due day in zone ``tz``; ``late``: done
    after it; ``overdue``: past it and not done; ``pending``: neither yet.
    """
    if milestone.done_at is not None:
        return "late" if milestone.done_at >= due_at(milestone.due, tz) else "done"
    return "overdue" if milestone.overdue_at is not None else "pending"
