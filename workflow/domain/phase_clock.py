"""What time does to a plan's phases: due deadlines, and phases waiting on conditions.

:func:`on_deadline` is what the scheduler asks of a plan when one of its
deadlines is due. It acts as the system actor and records in the event when
the deadline was due and how late it ran:

- opening day: the phase opens if its opening conditions hold, else it waits
  (``PhaseHeld``, with the unmet conditions in words);
- closing moment: the phase closes if its closing conditions hold, else it is
  overdue (``PhaseOverdue``, with the unmet conditions);
- a reminder: ``PhaseClosingSoon`` while the phase runs;
- a deadline with nothing to do (its phase is not in the state it acts on: a
  close or a reminder while the phase still waits to open, a reminder that
  comes after the close): ``DeadlineSkipped``, with the phase's state and why
  in words, so the log records what every fired deadline did.

:func:`settle` runs after every command on a plan, in the same transaction: a
waiting phase opens as soon as its conditions hold, and an overdue phase whose
definition says ``when_overdue: close_when_met`` closes as soon as its do. One
change may allow the next (a closing phase lets the next one open), so it
repeats until nothing moves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from definitions.messages import say
from workflow.domain.deadlines import Deadline, acts, closes_at, lateness
from workflow.domain.events import SYSTEM
from workflow.domain.guards import ProposalCensus
from workflow.domain.plan import Plan
from workflow.domain.state import PhaseRegion

SKIPPED = "DeadlineSkipped"
"""The event (and outcome) of a deadline that fired with nothing to do."""


def on_deadline(plan: Plan, deadline: Deadline, now: dt.datetime,
                census: ProposalCensus | None) -> str:
    """Do what a due deadline asks of its phase; return the type of the event it recorded."""
    region = plan.state.phases[deadline.phase_id]
    timing: dict[str, Any] = {"deadline": deadline.deadline_id,
                              **lateness(deadline.due_at, now)}
    if not acts(deadline.kind, region, now, plan.state.definition.timezone):
        _skip(plan, deadline, region, now, census, timing)
        return SKIPPED
    before = len(plan.pending)
    if deadline.kind == "open":
        _open_or_hold(plan, region, now, census, timing)
    elif deadline.kind == "close":
        _close_or_overdue(plan, region, now, census, timing)
    else:
        closes = _closes(plan, region).isoformat()
        plan.record("PhaseClosingSoon", {"phase": region.phase_id, "days": deadline.days,
                                         "closes_at": closes, **timing}, SYSTEM, now, census)
    outcome = plan.pending[before].type
    settle(plan, now, census)
    return outcome


def _skip_reason(locale: str, kind: str, state: str) -> str:
    """Say, in words, why a deadline of ``kind`` does nothing to a phase in ``state``."""
    if kind == "remind" and state in ("open", "overdue"):
        return say(locale, "reason.skip_after_close")
    key = "reason.skip_not_scheduled" if kind == "open" else "reason.skip_not_open"
    return say(locale, key, status=say(locale, f"status.{state}"))


def _skip(plan: Plan, deadline: Deadline, region: PhaseRegion, now: dt.datetime,
          census: ProposalCensus | None, timing: dict[str, Any]) -> None:
    days = {} if deadline.days is None else {"days": deadline.days}
    plan.record(SKIPPED, {"phase": region.phase_id, "kind": deadline.kind, **days,
                          "state": region.state,
                          "reason": _skip_reason(plan.locale, deadline.kind, region.state),
                          **timing}, SYSTEM, now, census)


def settle(plan: Plan, now: dt.datetime, census: ProposalCensus | None) -> None:
    """Open waiting phases and close self-closing overdue ones whose conditions now hold."""
    if not plan.needs_settling():
        return
    moved = True
    while moved:
        moved = False
        for region in plan.state.phases.values():
            if region.state == "waiting" and not plan.unmet(region.phase_id, "open", SYSTEM,
                                                            census):
                _record(plan, "PhaseOpened", region, "reason.conditions_met", now, census)
                if now >= _closes(plan, region):
                    _close_or_overdue(plan, region, now, census, {})
                moved = True
            elif region.state == "overdue" and _closes_by_itself(plan, region) and not (
                plan.unmet(region.phase_id, "close", SYSTEM, census)
            ):
                _record(plan, "PhaseClosed", region, "reason.closed_when_met", now, census)
                moved = True


def _open_or_hold(plan: Plan, region: PhaseRegion, now: dt.datetime,
                  census: ProposalCensus | None, timing: dict[str, Any]) -> None:
    problems = plan.unmet(region.phase_id, "open", SYSTEM, census)
    if problems:
        _record(plan, "PhaseHeld", region, "reason.held", now, census, unmet=problems, **timing)
    else:
        _record(plan, "PhaseOpened", region, "reason.opening_day", now, census, **timing)


def _close_or_overdue(plan: Plan, region: PhaseRegion, now: dt.datetime,
                      census: ProposalCensus | None, timing: dict[str, Any]) -> None:
    problems = plan.unmet(region.phase_id, "close", SYSTEM, census)
    if problems:
        key = "reason.overdue_closes" if _closes_by_itself(plan, region) else "reason.overdue"
        _record(plan, "PhaseOverdue", region, key, now, census, unmet=problems, **timing)
    else:
        _record(plan, "PhaseClosed", region, "reason.closing_day", now, census, **timing)


def _record(plan: Plan, event_type: str, region: PhaseRegion, reason_key: str,
            now: dt.datetime, census: ProposalCensus | None, **data: Any) -> None:
    reason = say(plan.locale, reason_key)
    plan.record(event_type, {"phase": region.phase_id, "reason": reason, **data}, SYSTEM, now,
                census)


def _closes(plan: Plan, region: PhaseRegion) -> dt.datetime:
    return closes_at(region, plan.state.definition.timezone)


def _closes_by_itself(plan: Plan, region: PhaseRegion) -> bool:
    return plan.catalog.phases[region.phase_id].when_overdue == "close_when_met"
