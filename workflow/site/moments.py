"""The moment a page shows: now, or a past one asked for with ``?as_of=``.

``as_of`` reads as the API's state endpoint reads it (:func:`workflow.domain.clock.parse_moment`:
an ISO date or date-time, local to the plan's zone without an offset, a bare date
meaning the end of that day). A moment that has not come yet shows the plan now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workflow.domain.clock import parse_moment
from workflow.domain.failures import invalid

LONGEST = 64
"""The longest ``as_of`` read (as the API's): no ISO 8601 moment is longer."""


@dataclass(frozen=True, slots=True)
class Moment:
    """What a page shows: ``at`` is the past moment replayed (None: the plan now)."""

    asked: str | None
    """``as_of`` as the reader wrote it (None when not given)."""
    at: dt.datetime | None
    shown: dt.datetime
    """The moment the page is as of: ``at``, or now."""

    @property
    def past(self) -> bool:
        """Whether the page shows a past moment (replayed from the log)."""
        return self.at is not None

    @property
    def later(self) -> bool:
        """Whether the reader asked for a moment that has not come yet (shown: now)."""
        return self.asked is not None and self.at is None


def moment(asked: str | None, timezone: str, locale: str, now: dt.datetime) -> Moment:
    """Read ``as_of`` in ``timezone``; InvalidInput (``as_of``, in ``locale``) if no moment."""
    text = (asked or "").strip()
    if not text:
        return Moment(None, None, now)
    try:
        if len(text) > LONGEST:
            raise ValueError(text)
        at = parse_moment(text, timezone)
    except ValueError as exc:
        raise invalid(locale, "as_of", "cli.bad_moment", value=text[:LONGEST]) from exc
    return Moment(text, None, now) if at >= now else Moment(text, at, at)
