"""The days cocrea can plan: from 1001-01-01 to 9998-12-31.

Every day a person gives (a phase's dates, the day a plan is moved to, an
extension) and every moment that drives a clock (a scenario's steps, a
rehearsal's start) must fall in these years. Python's dates stop at years 1 and
9999; cocrea turns a day into moments in a time zone up to 14 hours from UTC,
and into the day after it (a phase closes at the start of the day after its
last), and stores every moment in UTC with a four-digit year (the hash chain,
the deadline ids and SQLite's text columns are written that way). A year of
margin at each end keeps all of that representable, and four digits long.
"""

from __future__ import annotations

import datetime as dt

FIRST_DAY = dt.date(1001, 1, 1)
LAST_DAY = dt.date(9998, 12, 31)


def in_range(day: dt.date) -> bool:
    """Whether ``day`` (a date, or the date a moment is written with) can be planned."""
    return FIRST_DAY <= day <= LAST_DAY


def shifted(day: dt.date, days: int) -> dt.date | None:
    """Return ``day`` moved by ``days``, or None when that leaves the days cocrea can plan."""
    ordinal = day.toordinal() + days
    if not FIRST_DAY.toordinal() <= ordinal <= LAST_DAY.toordinal():
        return None
    return dt.date.fromordinal(ordinal)
