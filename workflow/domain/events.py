"""Events: the immutable facts every aggregate is rebuilt from.

A :class:`DomainEvent` is what an aggregate records while it handles a command;
a :class:`RecordedEvent` is the same fact once the log has given it a global
position and chained its hash to the previous event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from definitions.roles import SYSTEM_ROLE


@dataclass(frozen=True)
class Actor:
    """Who causes a change: a name and the role it acted in.

    An ``implementer`` acts for one implementing agency (``agency``); the events it
    causes on a commitment record the agency, so replay knows it too.
    """

    name: str
    role: str = "staff"
    agency: str | None = None


SYSTEM = Actor("sistema", SYSTEM_ROLE)


@dataclass(frozen=True)
class DomainEvent:
    """A fact recorded by an aggregate, not yet written to the log."""

    stream_id: str
    stream_type: str
    version: int
    type: str
    data: dict[str, Any]
    actor: Actor
    occurred_at: dt.datetime


@dataclass(frozen=True)
class RecordedEvent:
    """A fact in the log: a domain event with its position, ids and hash."""

    position: int
    event_id: str
    event: DomainEvent
    causation_id: str | None = None
    correlation_id: str | None = None
    hash: str = field(default="", compare=False)

    @property
    def type(self) -> str:
        """The event's type, e.g. ``PhaseOpened``."""
        return self.event.type
