"""What the OGP report reads of a plan, and what it says of each rule.

:class:`Facts` holds a plan as it was at a moment (its replayed state, its
proposals, its events in log order) with the few questions every check asks of
it; :class:`Judgement` is a rule's outcome, with its :class:`Evidence`.
"""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from definitions.messages import say
from workflow.domain.deadlines import closes_at, local
from workflow.domain.state import PlanState, ProposalState

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
Event = dict[str, Any]

READ_OF_PROPOSALS: dict[str, tuple[str, ...]] = {
    "ProposalSubmitted": ("number",), "ProposalImported": ("number",),
    "ProposalTransitioned": ("response",), "ProposalSupported": ()}
"""What the rules read of the data of a proposal's events, the many events of a plan."""


def read_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return what the rules read of an event's data: all of a plan's own, a proposal's few."""
    keys = READ_OF_PROPOSALS.get(event_type)
    return data if keys is None else {key: data[key] for key in keys if key in data}


@dataclass(frozen=True)
class Evidence:
    """An event that shows something: where it stands in the log, when, what, and a link."""

    position: int
    at: str
    what: str
    link: str | None = None


@dataclass
class Judgement:
    """A rule's outcome: its status, the evidence for it, and what is missing when not met."""

    status: str
    evidence: list[Evidence] = field(default_factory=list)
    missing: str | None = None
    total: int | None = None
    """How many pieces of evidence there are when only the first are kept."""


@dataclass
class Facts:
    """What the log says of a plan as of a moment, gathered once for every rule."""

    plan: PlanState
    proposals: list[ProposalState]
    events: list[Event]
    as_of: dt.datetime

    @property
    def locale(self) -> str:
        """The plan's language."""
        return self.plan.definition.locale

    def when(self, moment: dt.datetime | str) -> str:
        """Return a moment in the plan's zone, to the minute."""
        at = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        return local(at, self.plan.definition.timezone).strftime("%Y-%m-%d %H:%M")

    def of_type(self, *types: str) -> list[Event]:
        """Return the events of these types, in log order."""
        return [e for e in self.events if e["type"] in types]

    def evidence(self, event: Event, key: str, link: str | None = None,
                 **params: object) -> Evidence:
        """Evidence from an event, said with the message ``ogp.evidence.<key>``."""
        return Evidence(event["position"], self.when(event["occurred_at"]),
                        say(self.locale, f"ogp.evidence.{key}", **params), link)

    def not_known(self, key: str, **params: object) -> Judgement:
        """Not known, and why (``ogp.unknown.<key>``)."""
        return Judgement(UNKNOWN, missing=say(self.locale, f"ogp.unknown.{key}", **params))

    def not_met(self, key: str, evidence: list[Evidence] | None = None,
                **params: object) -> Judgement:
        """Not met, and what is missing (``ogp.missing.<key>``)."""
        return Judgement(NOT_MET, evidence or [],
                         say(self.locale, f"ogp.missing.{key}", **params))

    def until(self) -> dt.datetime:
        """Return when the process stops having to keep its rhythm: now, or its last close."""
        regions = self.plan.phases.values()
        closes = [r.closed_at for r in regions if r.closed_at is not None]
        if len(closes) == len(regions):
            return min(max(closes), self.as_of)
        return self.as_of

    def schedule_over(self) -> bool:
        """Whether every phase's last day (as extended) has ended by the moment judged."""
        tz = self.plan.definition.timezone
        return all(closes_at(r, tz) <= self.as_of for r in self.plan.phases.values())

    def phase_closed(self, phase_id: str | None) -> bool:
        """Whether a phase has closed (False when none is named)."""
        region = self.plan.phases.get(phase_id) if phase_id else None
        return region is not None and region.state == "closed"

    def group_name(self, group: str) -> str:
        """Return a committee group's name, as the definition says."""
        return next((g.name for g in self.plan.definition.committee.groups if g.id == group),
                    group)

    def member_name(self, member_id: str) -> str:
        """Return a member's name (the id of one no longer known)."""
        member = self.plan.members.get(member_id)
        return member_id if member is None else member.name

    def sector_of(self, group: str) -> str | None:
        """Return the sector of a committee group, as the definition says."""
        return next((g.sector for g in self.plan.definition.committee.groups if g.id == group),
                    None)


