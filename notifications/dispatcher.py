"""The dispatcher: sends what the outbox holds, at least once, with retries and a dead letter.

One pass claims a batch of due messages, renders each for its channel, and sends
it. A delivery marks it done; a failure schedules the next attempt after an
exponential backoff (``base × 2^(attempts-1)``, capped); after ``max_attempts``
failures the message is parked as dead, visible with ``cocrea notify list
--dead`` and sent again by ``cocrea notify retry``. Nothing is lost if the
dispatcher dies mid-batch: its claims run out and the next pass sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import structlog
from sqlalchemy import Engine

from notifications.channels import Channel, Message
from notifications.templates import render
from storage import outbox
from storage.outbox import Outgoing
from workflow.domain.errors import DeliveryError

log = structlog.get_logger("cocrea.notifications")


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts before parking, backoff, batch size, claim length."""

    max_attempts: int = 6
    base: dt.timedelta = dt.timedelta(seconds=30)
    cap: dt.timedelta = dt.timedelta(hours=1)
    batch: int = 200
    claim: dt.timedelta = dt.timedelta(minutes=2)

    def retry_at(self, attempts: int, now: dt.datetime) -> dt.datetime | None:
        """When to try again after ``attempts`` failures (None: park it as dead)."""
        if attempts >= self.max_attempts:
            return None
        delay: dt.timedelta = min(self.cap, self.base * (2 ** (attempts - 1)))
        return now + delay


@dataclass
class Pass:
    """What one pass did."""

    delivered: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)


Render = Callable[[Outgoing], Message]


class Dispatcher:
    """Delivers the outbox through the configured channels.

    It claims only messages for the channels it has: a message for a channel
    this process is not configured for (no SMTP host, no webhook secret) waits,
    pending, for a dispatcher that has it, instead of burning its attempts.
    """

    def __init__(self, engine: Engine, channels: Mapping[str, Channel],
                 clock: Callable[[], dt.datetime], policy: Policy | None = None,
                 render: Render = render) -> None:
        self._engine, self._channels, self._clock = engine, channels, clock
        self._policy, self._render = policy or Policy(), render

    def run_once(self) -> Pass:
        """Claim one batch of due messages and settle every one of them."""
        now, done = self._clock(), Pass()
        for message in outbox.claim(self._engine, now, now + self._policy.claim,
                                    self._policy.batch, tuple(self._channels)):
            self._send(message, done)
        return done

    def drain(self) -> Pass:
        """Run passes until one finds nothing due; return what they did together."""
        total = Pass()
        while True:
            done = self.run_once()
            if not (done.delivered or done.retried or done.dead):
                return total
            total.delivered += done.delivered
            total.retried += done.retried
            total.dead += done.dead

    def _send(self, message: Outgoing, done: Pass) -> None:
        try:
            self._channels[message.channel].send(self._render(message))
        except DeliveryError as exc:
            attempts = message.attempts + 1
            retry_at = self._policy.retry_at(attempts, self._clock())
            outbox.failed(self._engine, message.message_id, str(exc), retry_at)
            (done.retried if retry_at else done.dead).append(message.message_id)
            log.warning("notification_failed", message_id=message.message_id,
                        attempts=attempts, dead=retry_at is None, error=str(exc))
            return
        outbox.delivered(self._engine, message.message_id, self._clock())
        done.delivered.append(message.message_id)
