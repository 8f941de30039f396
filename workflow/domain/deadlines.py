"""Deadlines: the dated moments of a plan, computed from its state and events.

A phase opens at the first instant of its first day and closes at the first
instant of the day after its last, in the plan's time zone; a reminder
("closes in N days") is due N days before the close. Every such moment is a
:class:`Deadline`; storage keeps them in its deadlines table, written in the
same transaction as the event that creates, moves or ends them
(:func:`schedule`), and the scheduler fires them (``phase_clock.on_deadline``).

A commitment's milestones are deadlines too (kinds ``due`` and ``due_soon``, see
:mod:`workflow.domain.milestones`); their ``phase_id`` holds the milestone's subject.

Times are UTC here; people read them in the plan's zone (:func:`local`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from workflow.domain.errors import IllegalEvent
from workflow.domain.events import DomainEvent
from workflow.domain.state import PhaseRegion, PlanState

Kind = Literal["open", "close", "remind", "due", "due_soon"]
ALL_KINDS: tuple[Kind, ...] = ("open", "close", "remind")
"""The kinds of a phase's deadlines."""
MILESTONE_KINDS: tuple[Kind, ...] = ("due", "due_soon")
"""The kinds of a milestone's deadlines: its due date and its reminders."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated moment of a plan (``days`` for a reminder).

    ``phase_id`` is its subject: a phase's id, or a milestone's ``c3/m2``.
    """

    plan_id: str
    phase_id: str
    kind: Kind
    due_at: dt.datetime
    days: int | None = None

    @property
    def deadline_id(self) -> str:
        """A stable id: the same moment of the same phase always has the same id.

        The moment is written ``%Y%m%dT%H%M%SZ`` in UTC, field by field (twice as fast
        as ``strftime``, the same text for the four-digit years a plan may have).
        """
        suffix = f"-{self.days}" if self.days is not None else ""
        u = self.due_at.astimezone(dt.UTC)
        return (f"{self.plan_id}/{self.phase_id}/{self.kind}{suffix}/{u.year:04d}{u.month:02d}"
                f"{u.day:02d}T{u.hour:02d}{u.minute:02d}{u.second:02d}Z")


@dataclass(slots=True)
class Schedule:
    """What a batch of plan events does to the deadlines table."""

    add: list[Deadline] = field(default_factory=list)
    cancel: list[tuple[str, str, tuple[Kind, ...]]] = field(default_factory=list)
    """(plan, phase, kinds): the pending deadlines of those kinds that no longer apply."""


@cache
def zone(name: str) -> ZoneInfo:
    """Return the time zone named ``name`` (cached)."""
    return ZoneInfo(name)


@lru_cache(maxsize=8192)
def day_starts(day: dt.date, tz: str) -> dt.datetime:
    """Return the first instant of ``day`` in zone ``tz``, in UTC.

    Cached: a plan's phases and milestones fall on a few hundred days of its two
    years, and replaying a plan of 1,000 commitments asks for 20,000 of them.

    Where a daylight-saving change skips midnight, the day starts at the first
    local time that exists (the wall clock before the gap, read with the
    offset before it, lands just after the gap).
    """
    local_midnight = dt.datetime.combine(day, dt.time(0), tzinfo=zone(tz))
    return local_midnight.astimezone(dt.UTC)


def opens_at(region: PhaseRegion, tz: str) -> dt.datetime:
    """When a phase opens: the first instant of its first day."""
    return day_starts(region.starts_on, tz)


def closes_at(region: PhaseRegion, tz: str) -> dt.datetime:
    """When a phase closes: the end of its last day (the first instant of the next)."""
    return day_starts(region.ends_on + dt.timedelta(days=1), tz)


def local(moment: dt.datetime, tz: str) -> dt.datetime:
    """Return ``moment`` in zone ``tz`` (for people)."""
    return moment.astimezone(zone(tz))


def phase_deadlines(state: PlanState, phase_id: str, kinds: Iterable[Kind],
                    after: dt.datetime | None = None) -> list[Deadline]:
    """Return a phase's deadlines of ``kinds`` (reminders due after ``after`` only)."""
    tz = state.definition.timezone
    region = state.phases[phase_id]
    wanted = set(kinds)
    found: list[Deadline] = []
    if "open" in wanted:
        found.append(Deadline(state.plan_id, phase_id, "open", opens_at(region, tz)))
    close = closes_at(region, tz)
    if "close" in wanted:
        found.append(Deadline(state.plan_id, phase_id, "close", close))
    if "remind" in wanted:
        phase = next(p for p in state.definition.phases if p.id == phase_id)
        for days in phase.reminders:
            due = day_starts(region.ends_on + dt.timedelta(days=1 - days), tz)
            if after is None or due > after:
                found.append(Deadline(state.plan_id, phase_id, "remind", due, days))
    return found


def schedule(state: PlanState, events: Iterable[DomainEvent]) -> Schedule:
    """Return the deadline changes of a plan's new events (``state`` is after them)."""
    result = Schedule()
    plan_id = state.plan_id
    for event in events:
        phase_id = str(event.data.get("phase"))
        if event.type == "PlanCreated":
            for phase in state.phases:
                result.add += phase_deadlines(state, phase, ALL_KINDS)
        elif event.type == "PhaseOpened":
            result.cancel.append((plan_id, phase_id, ("open",)))
        elif event.type == "PhaseClosed":
            result.cancel.append((plan_id, phase_id, ALL_KINDS))
        elif event.type == "PhaseExtended":
            result.cancel.append((plan_id, phase_id, ("close", "remind")))
            result.add += phase_deadlines(state, phase_id, ("close", "remind"),
                                          after=event.occurred_at)
    return result


def lateness(due_at: dt.datetime, fired_at: dt.datetime) -> dict[str, object]:
    """Return the timing an event fired by a deadline records: due, and how late it ran."""
    late = max(0.0, (fired_at - due_at).total_seconds())
    return {"due_at": due_at.astimezone(dt.UTC).isoformat(), "late_seconds": round(late, 3)}


def acts(kind: str, region: PhaseRegion, now: dt.datetime, tz: str) -> bool:
    """Whether a due deadline of ``kind`` has something to do to its phase at ``now``.

    An opening acts on a scheduled phase, a close on an open one, a reminder on a
    running phase before its close. Otherwise firing it does nothing, and says so
    (``DeadlineSkipped``).
    """
    if kind == "open":
        return region.state == "scheduled"
    if kind == "close":
        return region.state == "open"
    return region.running and now < closes_at(region, tz)


FIRED_KINDS: dict[str, str] = {"PhaseOpened": "open", "PhaseHeld": "open",
                               "PhaseClosed": "close", "PhaseOverdue": "close",
                               "PhaseClosingSoon": "remind", "MilestoneOverdue": "due",
                               "MilestoneDueSoon": "due_soon"}
"""The kind of deadline each event type answers (``DeadlineSkipped`` names its own)."""


@dataclass(slots=True)
class Expected:
    """What the log says a deadline row must hold: moment, status, outcome, when it fired."""

    deadline: Deadline
    status: str = "pending"
    outcome: str | None = None
    fired_at: dt.datetime | None = None


class DeadlineLedger:
    """The deadlines a replayed log implies, for verify to compare with the table.

    Every event that schedules, cancels or fires a deadline says so (``schedule``,
    and the ``deadline`` that an event fired by one records: a deadline that did
    nothing records ``DeadlineSkipped``). So the log alone gives every row's
    status, outcome and firing moment; an event that names a deadline it cannot
    have fired (not pending, another subject, kind or moment, fired before due)
    raises IllegalEvent. A deadline scheduled again under the id of an earlier
    row (a milestone moved back to a date it had) is that row, pending again.
    """

    def __init__(self) -> None:
        self.expected: dict[str, Expected] = {}
        self._by_phase: dict[tuple[str, str], dict[str, Expected]] = {}

    def record(self, state: PlanState, event: DomainEvent) -> None:
        """Account for one plan event, applied (``state`` is after it)."""
        self.account(event, schedule(state, [event]), str(event.data.get("phase")))

    def account(self, event: DomainEvent, changes: Schedule, subject: str) -> None:
        """Account for one event's deadline changes; ``subject`` is what it fired, if it did."""
        fired = event.data.get("deadline")
        if fired is not None:
            self._fire(fired, event, subject)
        for plan_id, phase_id, kinds in changes.cancel:
            for item in self._by_phase.get((plan_id, phase_id), {}).values():
                if item.deadline.kind in kinds and item.status == "pending":
                    item.status = "cancelled"
        for deadline in changes.add:
            key = deadline.deadline_id  # formatted once: a plan of 1,000 commitments has 20,000
            item = self.expected[key] = Expected(deadline)
            self._by_phase.setdefault((deadline.plan_id, deadline.phase_id), {})[key] = item

    def _fire(self, fired: str, event: DomainEvent, subject: str) -> None:
        item = self.expected.get(fired)
        if item is None or item.status != "pending":
            raise IllegalEvent("illegal.deadline_not_pending", type=event.type, deadline=fired)
        misfit = _misfit(item.deadline, event, subject)
        if misfit:
            key, params = misfit
            raise IllegalEvent(key, type=event.type, deadline=fired, **params)
        item.status, item.outcome, item.fired_at = "fired", event.type, event.occurred_at


def _misfit(deadline: Deadline, event: DomainEvent,
            subject: str) -> tuple[str, dict[str, Any]] | None:
    """Say how an event that names ``deadline`` as its cause does not fit it, if it does not.

    ``subject`` is the phase (or milestone) the event is about. The answer is a
    message key and its parameters.
    """
    data = event.data
    kind = FIRED_KINDS.get(event.type, data.get("kind"))
    if (subject, kind, data.get("days")) != (deadline.phase_id, deadline.kind, deadline.days):
        return "illegal.deadline_kind", {
            "kind": deadline.kind, "phase": deadline.phase_id, "days": deadline.days,
            "named_kind": kind, "named_phase": subject, "named_days": data.get("days")}
    if dt.datetime.fromisoformat(data["due_at"]) != deadline.due_at:
        return "illegal.deadline_due", {"due_at": deadline.due_at.isoformat(),
                                        "named_due_at": data["due_at"]}
    if event.occurred_at < deadline.due_at:
        return "illegal.deadline_early", {"at": event.occurred_at.isoformat()}
    return None
