"""The forum's meetings: when it met, how many of each group came, and where the minutes are.

OGP asks a forum to meet at least every six months, during co-creation and during
implementation. A meeting is a plan event (``MeetingRecorded``) staff record after
the fact: its moment (not in the future), the attendance by group (only the
definition's groups, at least one person), and a link to its minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from workflow.domain.errors import IllegalEvent
from workflow.domain.failures import invalid, not_found
from workflow.domain.state import Meeting, PlanState
from workflow.domain.texts import check_line


def meeting_data(state: PlanState, held_at: dt.datetime, attendance: Mapping[str, int],
                 minutes: str | None, now: dt.datetime) -> dict[str, Any]:
    """Return a meeting's event data, or raise InvalidInput/NotFound naming what does not fit."""
    locale = state.definition.locale
    if held_at.tzinfo is None or held_at > now:
        raise invalid(locale, "held_at", "field.meeting_future")
    _check_attendance(state, attendance)
    data: dict[str, Any] = {"held_at": held_at.astimezone(dt.UTC).isoformat(),
                            "attendance": dict(attendance)}
    if minutes is not None:
        data["minutes"] = _minutes(locale, minutes)
    return data


def _check_attendance(state: PlanState, attendance: Mapping[str, int]) -> None:
    locale = state.definition.locale
    groups = {g.id for g in state.definition.committee.groups}
    for group, count in attendance.items():
        if group not in groups:
            raise not_found(locale, "group", group)
        if count < 0:
            raise invalid(locale, "attendance", "field.attendance_negative", group=group)
    if sum(attendance.values()) < 1:
        raise invalid(locale, "attendance", "field.attendance_empty")


def _minutes(locale: str, minutes: str) -> str:
    link = minutes.strip()
    check_line(locale, "minutes", link)
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(locale, "minutes", "field.url")
    return link


def apply_meeting(state: PlanState, data: Mapping[str, Any], recorded_at: dt.datetime) -> None:
    """Add a recorded meeting to the plan, or raise IllegalEvent if it does not fit."""
    groups = {g.id for g in state.definition.committee.groups}
    attendance = data["attendance"]
    held_at = dt.datetime.fromisoformat(data["held_at"])
    if (not set(attendance) <= groups or any(not isinstance(n, int) or n < 0
                                             for n in attendance.values())
            or sum(attendance.values()) < 1 or held_at > recorded_at):
        raise IllegalEvent("illegal.meeting", plan=state.plan_id)
    state.meetings.append(Meeting(held_at, dict(attendance), data.get("minutes"), recorded_at))
