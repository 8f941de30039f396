"""A plan's history told for people: one line per event, and a closing summary.

``cocrea simulate`` prints these; they read the plan's events (as plain data,
in log order) and its definition, and say everything in the plan's language
with local dates and times, naming the committee, groups, channels, phases and
decisions as the definition does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from definitions.messages import join, say
from definitions.roles import SYSTEM_ROLE
from definitions.schema import Definition
from workflow.domain import quorum
from workflow.domain.deadlines import local
from workflow.domain.state import DecisionState, Member
from workflow.views.commitment_story import (
    KINDS,
    Commitments,
    commitment_lines,
    commitment_params,
    commitments_summary,
)

Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Line:
    """One moment of the timeline: local time, what happened, who or what did it."""

    at: str
    what: str
    who: str


class Names:
    """Titles by id from a definition, and proposal numbers from the events seen so far."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.phases = {p.id: p.title for p in definition.phases}
        self.decisions = {d.id: d.title for d in definition.committee.decisions}
        self.activities = {a.id: a.title for p in definition.phases for a in p.activities}
        self.groups = {g.id: g.name for g in definition.committee.groups}
        self.triggers = {t.trigger: t.title for t in definition.proposals.transitions}
        self.channels = {c.id: c.name for c in definition.proposals.channels}
        self.members: dict[str, str] = {}
        self.numbers: dict[str, int] = {}
        self.commitments = Commitments(definition)

    def when(self, event: Event) -> str:
        """Return the event's moment, local to the plan, to the minute."""
        moment = dt.datetime.fromisoformat(event["occurred_at"])
        return local(moment, self.definition.timezone).strftime("%Y-%m-%d %H:%M")


def timeline(events: list[Event], definition: Definition) -> list[Line]:
    """Tell each event in a line, in log order (a run of supports of one proposal: one line)."""
    names, lines = Names(definition), list[Line]()
    previous: Event | None = None
    run = 0
    for e in events:
        line = Line(names.when(e), describe(e, names), who(e, definition.locale))
        run = run + 1 if previous is not None and _same_run(previous, e, names) else 1
        if run > 1:
            what = say(definition.locale, "timeline.supports_run", count=run,
                       number=names.numbers[e["stream"]], supports=e["data"]["supports"])
            lines[-1] = Line(line.at, what, line.who)
        else:
            lines.append(line)
        previous = e
    return lines


def who(event: Event, locale: str) -> str:
    """Return who caused an event, as people read it (the system in the plan's language)."""
    return say(locale, "actor.system") if event["role"] == SYSTEM_ROLE else str(event["actor"])


def _same_run(before: Event, event: Event, names: Names) -> bool:
    """Whether two supports in a row are of one proposal, by the same, in the same minute."""
    return (event["type"] == before["type"] == "ProposalSupported"
            and before["stream"] == event["stream"] and before["actor"] == event["actor"]
            and names.when(before) == names.when(event))


def describe(event: Event, names: Names) -> str:
    """Say what one event did, in the plan's language."""
    locale, data, kind = names.definition.locale, event["data"], event["type"]
    params: dict[str, Any] = {**data}
    if "phase" in data:
        params["phase"] = names.phases[data["phase"]]
    if "unmet" in data:
        params["unmet"] = "; ".join(data["unmet"])
    if "decision" in data:
        params["decision"] = names.decisions[data["decision"]]
    _kind_params(event, names, params)
    return say(locale, f"timeline.{kind}", **params)


def _kind_params(event: Event, names: Names, params: dict[str, Any]) -> None:
    found = KIND_PARAMS.get(event["type"])
    if found is not None:
        found(event, names, params)
    elif event["type"] in KINDS:
        commitment_params(event, names.commitments, names.numbers, params)


def _plan_created(event: Event, names: Names, params: dict[str, Any]) -> None:
    params["title"] = names.definition.title


def _member_added(event: Event, names: Names, params: dict[str, Any]) -> None:
    data = event["data"]
    names.members[data["member"]] = data["name"]
    params["group"] = names.groups[data["group"]]
    params["committee"] = names.definition.committee.name


def _vote_cast(event: Event, names: Names, params: dict[str, Any]) -> None:
    data, locale = event["data"], names.definition.locale
    params["member"] = names.members.get(data["member"], data["member"])
    params["sense"] = say(locale, "vote.for" if data["approve"] else "vote.against")


def _activity_done(event: Event, names: Names, params: dict[str, Any]) -> None:
    params["activity"] = names.activities[event["data"]["activity"]]


def _deadline_skipped(event: Event, names: Names, params: dict[str, Any]) -> None:
    data = event["data"]
    params["kind"] = say(names.definition.locale, f"deadline.{data['kind']}",
                         days=data.get("days"))


def _meeting_recorded(event: Event, names: Names, params: dict[str, Any]) -> None:
    data = event["data"]
    params["committee"] = names.definition.committee.name
    params["when"] = names.when({"occurred_at": data["held_at"]})
    params["count"] = sum(data["attendance"].values())


def _proposal_params(event: Event, names: Names, params: dict[str, Any]) -> None:
    data, stream = event["data"], event["stream"]
    if event["type"] in ("ProposalSubmitted", "ProposalImported"):
        names.numbers[stream] = data["number"]
        params["channel"] = channel_name(names.definition, data["channel"], data.get("mesa"))
        if "origin" in data:
            params["reference"] = data["origin"]["reference"]
            received = dt.datetime.fromisoformat(data["received_at"])
            params["received"] = local(received, names.definition.timezone).strftime(
                "%Y-%m-%d %H:%M")
        return
    params["number"] = names.numbers[stream]
    if event["type"] == "ProposalSupported":
        return
    params["trigger"] = names.triggers[data["trigger"]]
    params["state"] = dest_of(names.definition, data["trigger"])
    if data.get("into"):
        params["trigger"] = say(names.definition.locale, "timeline.trigger_into",
                                trigger=params["trigger"],
                                number=names.numbers.get(data["into"], "?"))


KIND_PARAMS: dict[str, Callable[[Event, Names, dict[str, Any]], None]] = {
    "PlanCreated": _plan_created, "MemberAdded": _member_added, "VoteCast": _vote_cast,
    "ActivityDone": _activity_done, "DeadlineSkipped": _deadline_skipped,
    "MeetingRecorded": _meeting_recorded, "ProposalSubmitted": _proposal_params,
    "ProposalImported": _proposal_params, "ProposalTransitioned": _proposal_params,
    "ProposalSupported": _proposal_params,
}
"""What each kind of event adds to its line's words."""


def dest_of(definition: Definition, trigger: str) -> str:
    """Return the state a proposal trigger leads to."""
    return next(t.dest for t in definition.proposals.transitions if t.trigger == trigger)


def channel_name(definition: Definition, channel: str, mesa: int | None) -> str:
    """Name a proposal's channel as the definition does, with its mesa when it has one."""
    name = next(c.name for c in definition.proposals.channels if c.id == channel)
    if not mesa:
        return name
    return say(definition.locale, "timeline.channel_mesa", channel=name, mesa=mesa)


def _mesa(data: dict[str, Any]) -> str:
    return f" {data['mesa']}" if data.get("mesa") else ""


def summary(events: list[Event], definition: Definition) -> dict[str, Any]:
    """Sum a plan's history up: phases as they really ran, proposals, decisions."""
    tz, phases = definition.timezone, {}
    history: dict[str, dict[str, Any]] = defaultdict(dict)
    for e in events:
        phase = e["data"].get("phase")
        if phase and e["type"] in ("PhaseOpened", "PhaseClosed", "PhaseOverdue", "PhaseHeld",
                                   "PhaseExtended"):
            history[phase].setdefault(e["type"], _minute(e["occurred_at"], tz))
            if e["type"] == "PhaseExtended":
                history[phase]["until"] = e["data"]["until"]  # the last extension wins
    for p in definition.phases:
        seen = history[p.id]
        phases[p.id] = {"number": p.number, "title": p.title, "starts": p.starts.isoformat(),
                        "ends": p.ends.isoformat(), "extended_to": seen.get("until"),
                        "opened": seen.get("PhaseOpened"), "closed": seen.get("PhaseClosed"),
                        "waited": "PhaseHeld" in seen, "overdue": "PhaseOverdue" in seen}
    found = {"phases": phases, "proposals": _proposals(events, definition),
             "committee": definition.committee.name,
             "decisions": _decisions(events, definition)}
    if definition.commitments is not None:
        found["commitments"] = _commitments(events, definition)
    return found


def _commitments(events: list[Event], definition: Definition) -> dict[str, Any]:
    """Sum each commitment up, with its proposals by number and channel."""
    view, numbers, channels = Commitments(definition), {}, {}
    for e in events:
        data = e["data"]
        if e["type"] == "ProposalSubmitted":
            numbers[e["stream"]] = data["number"]
            channels[e["stream"]] = channel_name(definition, data["channel"], data.get("mesa"))
        elif e["type"] in KINDS:
            view.see(e)
    return commitments_summary(view, channels, numbers)


def _minute(moment: str, tz: str) -> str:
    return local(dt.datetime.fromisoformat(moment), tz).strftime("%Y-%m-%d %H:%M")


def _proposals(events: list[Event], definition: Definition) -> dict[str, Any]:
    """Count proposals by channel: their final state, and the outcome before the answer."""
    channel: dict[str, str] = {}
    named: dict[str, str] = {}
    path: dict[str, list[str]] = {}
    for e in events:
        data = e["data"]
        if e["type"] in ("ProposalSubmitted", "ProposalImported"):
            channel[e["stream"]] = where = data["channel"] + _mesa(data)
            named[where] = channel_name(definition, data["channel"], data.get("mesa"))
            path[e["stream"]] = [definition.proposals.initial]
        elif e["type"] == "ProposalTransitioned":
            path[e["stream"]].append(dest_of(definition, data["trigger"]))
    final = set(definition.proposals.final)
    by_channel: dict[str, dict[str, Counter[str]]] = defaultdict(
        lambda: {"state": Counter(), "outcome": Counter()})
    for stream, where in channel.items():
        states = path[stream]
        by_channel[where]["state"][states[-1]] += 1
        outcome = states[-2] if states[-1] in final and len(states) > 1 else states[-1]
        by_channel[where]["outcome"][outcome] += 1
    return {"total": len(channel),
            "by_channel": {k: {"name": named[k],
                               **{kind: dict(sorted(c.items())) for kind, c in v.items()}}
                           for k, v in sorted(by_channel.items())}}


def _decisions(events: list[Event], definition: Definition) -> dict[str, Any]:
    """Say where each decision stands at the end: its status (as ``plan show`` says it), votes."""
    members: dict[str, Member] = {}
    states = {d.id: DecisionState(d.id) for d in definition.committee.decisions}
    approved: dict[str, str] = {}
    for e in events:
        data = e["data"]
        if e["type"] == "MemberAdded":
            members[data["member"]] = Member(data["member"], data["name"], data["group"])
        elif e["type"] == "VoteCast":
            states[data["decision"]].votes[data["member"]] = data["approve"]
        elif e["type"] == "DecisionApproved":
            states[data["decision"]].approved_at = dt.datetime.fromisoformat(e["occurred_at"])
            approved[data["decision"]] = _minute(e["occurred_at"], definition.timezone)
    found: dict[str, Any] = {}
    for d in definition.committee.decisions:
        where = quorum.standing(d, states[d.id], members)
        found[d.id] = {"title": d.title, "status": where.status,
                       "why": quorum.reason(where, definition), "approved": approved.get(d.id),
                       "for": where.tally.approvals, "against": where.tally.rejections}
    return found


def summary_lines(data: dict[str, Any], locale: str) -> list[str]:
    """Say a summary (from :func:`summary`) in lines for a person."""
    lines = [say(locale, "sim.phases")]
    for phase in data["phases"].values():
        marks = [say(locale, f"sim.{k}") for k in ("waited", "overdue") if phase[k]]
        if phase["extended_to"]:
            marks.append(say(locale, "sim.extended", until=phase["extended_to"]))
        lines.append(say(locale, "sim.phase", **phase, opened_at=phase["opened"] or "—",
                         closed_at=phase["closed"] or "—",
                         marks=say(locale, "sim.marks", marks=join(marks, locale))
                         if marks else ""))
    props = data["proposals"]
    lines.append(say(locale, "sim.proposals", total=props["total"]))
    for counts in props["by_channel"].values():
        states = ", ".join(f"{state} {n}" for state, n in counts["state"].items())
        outcomes = ", ".join(f"{state} {n}" for state, n in counts["outcome"].items())
        lines.append(say(locale, "sim.channel", channel=counts["name"], states=states,
                         outcomes=outcomes))
    lines.append(say(locale, "sim.decisions", committee=data["committee"]))
    for decision in data["decisions"].values():
        when = decision["approved"] or say(locale, f"decision.{decision['status']}")
        lines.append(say(locale, "sim.decision", title=decision["title"], when=when,
                         votes_for=decision["for"], against=decision["against"]))
        if decision["why"]:
            lines.append(say(locale, "sim.decision_why", why=decision["why"]))
    if "commitments" in data:
        lines += commitment_lines(data["commitments"], locale)
    return lines
