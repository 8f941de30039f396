"""A plan's calendar feed (iCalendar, RFC 5545): its phases and reminders, in its language.

Each phase is an all-day event from its first day to the day after its last
(``DTEND`` is exclusive), on the dates it has now: an extension moves its end.
Each reminder ("closes in N days") is an all-day event of its own on the day it
is due, not an alarm (``VALARM``): it is a dated fact of the process that every
subscriber should see on that day, and the common calendar applications drop
the alarms of a subscribed feed (or would ring them on every citizen's phone).

Everything in the feed is a function of the log, so the same log gives the same
bytes: an event's ``UID`` is stable (``{plan}/{phase}@{host}``, see
:func:`workflow.public.settings.uid_domain`), its ``SEQUENCE`` is how many times
its phase was extended (``PhaseExtended`` events), its ``DTSTAMP`` and
``LAST-MODIFIED`` the moment of the last event that touched its phase. A
calendar application subscribed to ``/plans/{plan}/calendar.ics`` keeps up
(``REFRESH-INTERVAL``: an hour).

Each kind of dated thing is one function of :data:`ENTRIES`. A commitment's
milestone is an all-day event on its due day (``{plan}/c{n}/{milestone}@{host}``),
its ``SEQUENCE`` how many revisions moved that date, its ``DTSTAMP`` the last event
of its commitment that touched it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from definitions.messages import long_date, say
from definitions.schema import Phase
from storage.public import Record
from workflow.domain.deadlines import day_starts
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState
from workflow.public.history import Facts, facts
from workflow.public.settings import public_url, uid_domain

REFRESH = dt.timedelta(hours=1)
"""How often a subscribed calendar application should fetch the feed again."""


@dataclass(frozen=True)
class Entry:
    """One all-day event of the feed (``ends``: the day after its last day)."""

    key: str
    summary: str
    description: str
    starts: dt.date
    ends: dt.date
    sequence: int
    stamp: dt.datetime


def phase_entries(given: Facts) -> Iterator[Entry]:
    """Each phase, from its first day to its last (as extended), in date order."""
    state, lo = given.plan.state, given.plan.locale
    title = state.definition.title
    for phase in _by_date(given.plan):
        region, log = state.phases[phase.id], given.log(phase.id)
        planned_ends = phase.ends + dt.timedelta(days=state.shift_days)
        lines = [title, phase.description.strip(),
                 say(lo, "calendar.planned", starts=long_date(phase.starts + dt.timedelta(
                     days=state.shift_days), lo), ends=long_date(planned_ends, lo))]
        if region.ends_on != planned_ends:
            lines.append(say(lo, "calendar.extended", ends=long_date(region.ends_on, lo)))
        yield Entry(phase.id, say(lo, "calendar.phase", number=phase.number, title=phase.title),
                    "\n".join(line for line in lines if line), region.starts_on,
                    region.ends_on + dt.timedelta(days=1), log.extensions, log.touched)


def reminder_entries(given: Facts) -> Iterator[Entry]:
    """Each reminder ("closes in N days") on its day, unless its phase closed before it."""
    state, lo, tz = given.plan.state, given.plan.locale, given.plan.state.definition.timezone
    for phase in _by_date(given.plan):
        region, log = state.phases[phase.id], given.log(phase.id)
        for days in phase.reminders:
            day = region.ends_on + dt.timedelta(days=1 - days)
            closed = region.closed_at is not None and region.closed_at <= day_starts(day, tz)
            if day < region.starts_on or closed:
                continue
            yield Entry(f"{phase.id}/remind-{days}", say(
                lo, "notice.phase_closing_soon.subject", phase_number=phase.number,
                phase_title=phase.title, days=days), say(
                lo, "calendar.reminder", number=phase.number, title=phase.title,
                ends=long_date(region.ends_on, lo)), day, day + dt.timedelta(days=1),
                log.extensions, log.touched)


def milestone_entries(given: Facts) -> Iterator[Entry]:
    """Each commitment's milestones on their due day (as revised), by commitment."""
    lo = given.plan.locale
    for c in given.commitments:
        moves, touched = _milestone_log(given, c)
        for m in c.milestones.values():
            lines = [say(lo, "calendar.commitment", number=c.number, title=c.title),
                     say(lo, "calendar.milestone_responsible", responsible=m.responsible)]
            if m.done_at is not None:
                lines.append(say(lo, "calendar.milestone_done", day=long_date(m.done_at.astimezone(
                    ZoneInfo(given.plan.state.definition.timezone)).date(), lo)))
            yield Entry(f"c{c.number}/{m.milestone_id}",
                        say(lo, "calendar.milestone", number=c.number,
                            description=m.description), "\n".join(lines), m.due,
                        m.due + dt.timedelta(days=1), moves.get(m.milestone_id, 0),
                        touched.get(m.milestone_id, c.drafted_at))


def _milestone_log(given: Facts, c: CommitmentState) -> tuple[dict[str, int], dict[str,
                                                                                 dt.datetime]]:
    """Count the revisions that moved each milestone's due day; when each was last touched."""
    moves: dict[str, int] = {}
    touched: dict[str, dt.datetime] = {}
    for event in given.streams.get(c.commitment_id, ()):
        data = event.data
        if event.type == "CommitmentDrafted":
            touched |= {m["milestone"]: event.occurred_at for m in data["milestones"]}
        elif event.type == "CommitmentRevised":
            for entry in data.get("milestones", ()):
                touched[entry["milestone"]] = event.occurred_at
                moves[entry["milestone"]] = moves.get(entry["milestone"], 0) + ("due" in entry)
        elif event.type in ("MilestoneReported", "MilestoneOverdue"):
            touched[data["milestone"]] = event.occurred_at
    return moves, touched


ENTRIES: tuple[Callable[[Facts], Iterable[Entry]], ...] = (phase_entries, reminder_entries,
                                                           milestone_entries)
"""Every kind of dated thing the feed holds, in the order it lists them."""


def _by_date(plan: Plan) -> list[Phase]:
    phases = plan.state.phases
    return sorted(plan.state.definition.phases,
                  key=lambda p: (phases[p.id].starts_on, p.number))


def calendar(record: Record, env: Mapping[str, str] | None = None) -> bytes:
    """Return the plan's calendar feed as iCalendar bytes (UTF-8, CRLF lines)."""
    found = facts(record.plan, record.plan_events())
    found.commitments = list(record.commitments())
    found.streams = {c.commitment_id: list(record.stream_events(c.commitment_id))
                     for c in found.commitments}
    return feed(found, [entry for entries in ENTRIES for entry in entries(found)], env)


def feed(given: Facts, entries: Iterable[Entry], env: Mapping[str, str] | None = None) -> bytes:
    """Write ``entries`` as the plan's calendar (name, description, zone, refresh, links)."""
    plan, lo = given.plan, given.plan.locale
    plan_id, definition = plan.state.plan_id, plan.state.definition
    domain, base = uid_domain(env), public_url(env)
    cal = Calendar()
    for name, value in (("prodid", f"-//cocrea//cocrea//{lo.upper()}"), ("version", "2.0"),
                        ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                        ("uid", f"{plan_id}@{domain}"), ("name", definition.title),
                        ("x-wr-calname", definition.title),
                        ("description", say(lo, "calendar.description", title=definition.title,
                                            plan=plan_id)),
                        ("x-wr-timezone", definition.timezone),
                        ("x-published-ttl", vDuration(REFRESH))):
        cal.add(name, value)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    if base:
        cal.add("url", f"{base}/plans/{plan_id}")
        cal.add("source", f"{base}/plans/{plan_id}/calendar.ics", parameters={"VALUE": "URI"})
    for entry in entries:
        cal.add_component(_event(entry, f"{plan_id}/{entry.key}@{domain}", lo, given.created))
    return bytes(cal.to_ical())


def _event(entry: Entry, uid: str, locale: str, created: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", entry.stamp.astimezone(dt.UTC))
    event.add("created", created.astimezone(dt.UTC))
    event.add("last-modified", entry.stamp.astimezone(dt.UTC))
    event.add("sequence", entry.sequence)
    event.add("dtstart", entry.starts)
    event.add("dtend", entry.ends)
    event.add("summary", entry.summary, parameters={"LANGUAGE": locale})
    event.add("description", entry.description, parameters={"LANGUAGE": locale})
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # months-long phases must not make anyone look busy
    return event
