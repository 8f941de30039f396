"""Commitments told for people: their lines in a plan's timeline, their part of its summary.

:mod:`workflow.views.timeline` asks this for the words of a commitment's events
(:func:`commitment_params`) and for the summary's commitments
(:func:`commitments_summary`, :func:`commitment_lines`): each commitment with the
proposals it answers (by number and channel), its milestones done on time, done
late, overdue or still to come, and the evaluator's assessment. Everything is read
from the plan's events, in log order, and said in the plan's language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from definitions.messages import join, say
from definitions.schema import Definition
from workflow.domain.milestones import due_at

Event = dict[str, Any]


@dataclass
class Told:
    """What the events said so far of one commitment."""

    number: int
    title: str
    agency: str
    state: str
    dues: dict[str, dt.date] = field(default_factory=dict)
    done: dict[str, bool] = field(default_factory=dict)
    """Each milestone reported done: on time (True) or late (False)."""
    overdue: set[str] = field(default_factory=set)
    proposals: list[str] = field(default_factory=list)
    assessment: dict[str, Any] | None = None


class Commitments:
    """The commitments of a plan as its events tell them, by stream."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        lifecycle = definition.commitments
        self.triggers = {} if lifecycle is None else {t.trigger: (t.title, t.dest)
                                                       for t in lifecycle.transitions}
        self.labels = {} if lifecycle is None else {f.field: f.label for f in lifecycle.template}
        self.by_stream: dict[str, Told] = {}

    def see(self, event: Event) -> Told:
        """Take one commitment event into account; what is known of its commitment after it."""
        data, stream = event["data"], event["stream"]
        if event["type"] == "CommitmentDrafted":
            fields = data["fields"]
            self.by_stream[stream] = Told(data["number"], fields["title"],
                                          fields["lead_agency"], self._initial())
        told = self.by_stream[stream]
        _SEEN.get(event["type"], _nothing)(self, told, event)
        return told

    def _initial(self) -> str:
        lifecycle = self.definition.commitments
        return "" if lifecycle is None else lifecycle.initial

    def late(self, due: dt.date, moment: str) -> bool:
        """Whether a report at ``moment`` came after the end of the due day."""
        return dt.datetime.fromisoformat(moment) >= due_at(due, self.definition.timezone)


def _drafted(view: Commitments, told: Told, event: Event) -> None:
    for milestone in event["data"]["milestones"]:
        told.dues[milestone["milestone"]] = dt.date.fromisoformat(milestone["due"])
    told.proposals = []


def _revised(view: Commitments, told: Told, event: Event) -> None:
    data = event["data"]
    told.title = data.get("fields", {}).get("title", told.title)
    told.agency = data.get("fields", {}).get("lead_agency", told.agency)
    for milestone in data.get("milestones", ()):
        if "due" in milestone:
            told.dues[milestone["milestone"]] = dt.date.fromisoformat(milestone["due"])
            told.overdue.discard(milestone["milestone"])


def _linked(view: Commitments, told: Told, event: Event) -> None:
    proposal = event["data"]["proposal"]
    if event["type"] == "ProposalLinked":
        told.proposals.append(proposal)
    elif proposal in told.proposals:
        told.proposals.remove(proposal)


def _moved(view: Commitments, told: Told, event: Event) -> None:
    told.state = view.triggers[event["data"]["trigger"]][1]


def _reported(view: Commitments, told: Told, event: Event) -> None:
    data = event["data"]
    if data["done"]:
        key = data["milestone"]
        told.done[key] = not view.late(told.dues[key], event["occurred_at"])


def _overdue(view: Commitments, told: Told, event: Event) -> None:
    told.overdue.add(event["data"]["milestone"])


def _assessed(view: Commitments, told: Told, event: Event) -> None:
    lifecycle = view.definition.commitments
    told.state = "" if lifecycle is None else lifecycle.assessed
    told.assessment = event["data"]


def _nothing(view: Commitments, told: Told, event: Event) -> None:
    pass


_SEEN = {"CommitmentDrafted": _drafted, "CommitmentRevised": _revised,
         "ProposalLinked": _linked, "ProposalUnlinked": _linked,
         "CommitmentTransitioned": _moved, "MilestoneReported": _reported,
         "MilestoneOverdue": _overdue, "CommitmentAssessed": _assessed}

KINDS = (*_SEEN, "MilestoneDueSoon")
"""The commitment events the timeline tells."""


def commitment_params(event: Event, view: Commitments, numbers: dict[str, int],
                      params: dict[str, Any]) -> None:
    """Fill in what a commitment event's line says (its number, title, milestone, ...)."""
    before = view.by_stream.get(event["stream"])
    was_done = dict(before.done) if before is not None else {}
    told = view.see(event)
    locale, data = view.definition.locale, event["data"]
    params.update(number=told.number, title=told.title, agency=told.agency)
    kind = event["type"]
    if kind in ("ProposalLinked", "ProposalUnlinked"):
        params["proposal_number"] = numbers.get(data["proposal"], "?")
    elif kind == "CommitmentTransitioned":
        params["trigger"], params["state"] = view.triggers[data["trigger"]]
    elif kind == "CommitmentRevised":
        params.update(_revision(view, data))
    elif kind == "MilestoneReported":
        params["report"] = _report(locale, data, told, was_done)
    elif kind == "CommitmentAssessed":
        params.update(_assessment(locale, data))


def _revision(view: Commitments, data: dict[str, Any]) -> dict[str, Any]:
    locale = view.definition.locale
    changed = [view.labels.get(name, name) for name in data.get("fields", {})]
    changed += [say(locale, "timeline.milestone_named", milestone=m["milestone"])
                for m in data.get("milestones", ())]
    because = say(locale, "timeline.because", reason=data["reason"]) if data.get("reason") else ""
    return {"changed": join(changed, locale), "because": because}


def _report(locale: str, data: dict[str, Any], told: Told, was_done: dict[str, bool]) -> str:
    key = data["milestone"]
    if not data["done"] or key in was_done:
        return say(locale, "timeline.milestone_progress")
    return say(locale, "timeline.milestone_done" if told.done[key]
               else "timeline.milestone_done_late")


def _assessment(locale: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"completion_words": say(locale, f"completion.{data['completion']}"),
            "opened_words": say(locale, f"opened.{data['opened_government']}"),
            "correction": say(locale, "timeline.correction") if data.get("corrects") else ""}


def commitments_summary(view: Commitments, channels: dict[str, str],
                        numbers: dict[str, int]) -> dict[str, Any]:
    """Sum up each commitment: proposals with channels, milestones, the assessment."""
    found: dict[str, Any] = {}
    for stream, told in view.by_stream.items():
        late = sum(1 for on_time in told.done.values() if not on_time)
        open_overdue = [m for m in told.overdue if m not in told.done]
        assessed = told.assessment or {}
        found[stream] = {
            "number": told.number, "title": told.title, "lead_agency": told.agency,
            "state": told.state,
            "proposals": [{"number": numbers.get(p), "channel": channels.get(p)}
                          for p in told.proposals],
            "milestones": {"total": len(told.dues), "on_time": len(told.done) - late,
                           "late": late, "overdue": len(open_overdue),
                           "pending": len(told.dues) - len(told.done) - len(open_overdue)},
            "completion": assessed.get("completion"),
            "opened_government": assessed.get("opened_government")}
    return found


def commitment_lines(commitments: dict[str, Any], locale: str) -> list[str]:
    """Say the summary's commitments in lines for a person."""
    lines = [say(locale, "sim.commitments", count=len(commitments))]
    for c in commitments.values():
        lines.append(say(locale, "sim.commitment", number=c["number"], title=c["title"],
                         agency=c["lead_agency"], state=c["state"]))
        lines.append(say(locale, "sim.commitment_proposals",
                         proposals=_by_channel(c["proposals"], locale)))
        m = c["milestones"]
        lines.append(say(locale, "sim.commitment_milestones", count=m["total"],
                         on_time=m["on_time"], late=m["late"], overdue=m["overdue"],
                         pending=m["pending"]))
        if c["completion"]:
            lines.append(say(locale, "sim.commitment_assessed",
                             completion=say(locale, f"completion.{c['completion']}"),
                             opened=say(locale, f"opened.{c['opened_government']}")))
    return lines


def _by_channel(proposals: list[dict[str, Any]], locale: str) -> str:
    grouped: dict[str, list[str]] = defaultdict(list)
    for p in proposals:
        grouped[p["channel"] or "?"].append(str(p["number"]))
    return join([say(locale, "sim.channel_numbers", channel=channel, numbers=", ".join(nums))
                 for channel, nums in grouped.items()], locale)
