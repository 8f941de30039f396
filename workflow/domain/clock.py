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


def local_iso(moment: dt.datetime | None, timezone: str) -> str | None:
    """Return ``moment`` as ISO 8601 in the plan's zone (with its offset), or None."""
    return moment.astimezone(ZoneInfo(timezone)).isoformat() if moment else None


FLOOR = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
"""The earliest moment an as-of reads: no event can be older (see :mod:`definitions.days`)."""
CEILING = dt.datetime.max.replace(tzinfo=dt.UTC)
"""The latest moment an as-of reads: the last one UTC can hold."""


def read_moment(text: str, timezone: str) -> dt.datetime:
    """Read an ISO date or date-time as written; without an offset it is in the plan's zone.

    A bare date means the end of that day (the state once the day is over). The
    result keeps its own zone (it is not converted to UTC, which may not hold
    it). Raises ValueError when ``text`` is not ISO 8601.
    """
    text = text.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        moment = dt.datetime.combine(day, dt.time.max)
    else:
        moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def parse_moment(text: str, timezone: str) -> dt.datetime:
    """Parse an as-of moment (see :func:`read_moment`) into UTC, held between FLOOR and CEILING.

    Every recorded event lies between the two, so a moment beyond them reads the
    same history as the nearest of them: the state as of 9999-12-31 is the state
    now, and as of 0001-01-01 nothing had happened yet. Raises ValueError when
    ``text`` is not ISO 8601.
    """
    return utc_within(read_moment(text, timezone))


def utc_within(moment: dt.datetime) -> dt.datetime:
    """Return an aware ``moment`` in UTC, or the nearest of FLOOR and CEILING if beyond them."""
    try:
        utc = moment.astimezone(dt.UTC)
    except OverflowError:  # past year 9999 or before year 1 once in UTC
        return CEILING if moment.year > FLOOR.year else FLOOR
    return min(max(utc, FLOOR), CEILING)


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
