"""Notices: who must be told of which events, decided with the events themselves.

A notice becomes an outbox row in the same transaction as the event that
causes it, so nothing is told that did not happen and nothing that happened
goes untold; the notifications package delivers them. Its key is the event's
id and the topic, stable across retries so a receiver can drop duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workflow.events import RecordedEvent
from workflow.state import PlanState

STAFF_AND_COMMITTEE = ("staff", "committee")

TOPICS: dict[str, str] = {
    "PhaseOverdue": "phase_overdue",
    "PhaseHeld": "phase_waiting",
    "PhaseClosingSoon": "phase_closing_soon",
}
"""Which plan events are told, under which topic (all to staff and the committee)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to send about one event: its topic, its audience and what it says."""

    message_id: str
    plan_id: str
    position: int
    topic: str
    audience: tuple[str, ...]
    data: dict[str, Any]

    @property
    def deliveries(self) -> list[tuple[str, str]]:
        """(channel, recipient) pairs: for now the log, once per audience.

        Rules declared in the definition (email to members, webhooks) replace
        this with real recipients; the outbox and dispatcher already take them.
        """
        return [("log", audience) for audience in self.audience]


def notices_for(state: PlanState, recorded: Iterable[RecordedEvent]) -> list[Notice]:
    """Return the notices a plan's newly recorded events call for."""
    titles = {p.id: p.title for p in state.definition.phases}
    found = []
    for record in recorded:
        topic = TOPICS.get(record.type)
        if topic is None:
            continue
        data = dict(record.event.data)
        data["title"] = titles[data["phase"]]
        found.append(Notice(f"{record.event_id}:{topic}", state.plan_id, record.position, topic,
                            STAFF_AND_COMMITTEE, data))
    return found
