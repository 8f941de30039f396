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

from notifications.channels import Channel, DeliveryError, Message
from storage import outbox
from storage.outbox import Outgoing

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


def plain(message: Outgoing) -> Message:
    """Render a message as its topic and data (the log's form; mail templates come next)."""
    text = "\n".join(f"{k}: {v}" for k, v in sorted(message.data.items()))
    return Message(message.message_id, message.recipient, message.topic, text,
                   {"plan": message.plan_id, "topic": message.topic, "data": message.data})


class Dispatcher:
    """Delivers the outbox through the configured channels."""

    def __init__(self, engine: Engine, channels: Mapping[str, Channel],
                 clock: Callable[[], dt.datetime], policy: Policy | None = None,
                 render: Render = plain) -> None:
        self._engine, self._channels, self._clock = engine, channels, clock
        self._policy, self._render = policy or Policy(), render

    def run_once(self) -> Pass:
        """Claim one batch of due messages and settle every one of them."""
        now, done = self._clock(), Pass()
        for message in outbox.claim(self._engine, now, now + self._policy.claim,
                                    self._policy.batch):
            self._send(message, done)
        return done

    def _send(self, message: Outgoing, done: Pass) -> None:
        channel = self._channels.get(message.channel)
        try:
            if channel is None:
                raise DeliveryError(f"the channel {message.channel!r} is not configured")
            channel.send(self._render(message))
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
