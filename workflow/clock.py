"""Time: UTC in storage, the plan's zone wherever a person reads or writes a moment."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Return the current time in UTC."""
    return dt.datetime.now(dt.UTC)


def local(moment: dt.datetime | None, timezone: str) -> str | None:
    """Return ``moment`` as ISO 8601 in the plan's zone (with its offset), or None."""
    return moment.astimezone(ZoneInfo(timezone)).isoformat() if moment else None


def parse_moment(text: str, timezone: str) -> dt.datetime:
    """Parse an ISO date or date-time; without an offset it is read in the plan's zone.

    A bare date means the end of that day (the state once the day is over).
    Raises ValueError when ``text`` is not ISO 8601.
    """
    text = text.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        moment = dt.datetime.combine(day, dt.time.max)
    else:
        moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(dt.UTC)


def rehearsal_clock(start: dt.datetime) -> Clock:
    """Return a clock that reads ``start`` now and runs at real speed from there.

    For rehearsals and tests of the scheduler: it behaves as on that day.
    """
    origin = time.monotonic()
    start = start.astimezone(dt.UTC)
    return lambda: start + dt.timedelta(seconds=time.monotonic() - origin)


class VirtualClock:
    """A clock that stands still until it is moved (``cocrea simulate``)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        """Return the virtual now."""
        return self.now

    def move_to(self, moment: dt.datetime) -> None:
        """Move to ``moment`` (never back)."""
        self.now = max(self.now, moment.astimezone(dt.UTC))
