"""The deadline runner: the one code path that fires due deadlines.

:class:`DeadlineRunner` asks storage which deadlines are due by the clock's now
and fires each through the services (claim, fire as the system actor, commit). A
deadline another process fired first is simply skipped. ``cocrea simulate``
drives the same runner on a virtual clock (:func:`advance`); the live scheduler
wakes it through :mod:`workflow.adapters.apscheduler`.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from workflow.commands import FireDeadline
from workflow.domain.clock import Clock, VirtualClock, utc_now
from workflow.domain.errors import WorkflowError
from workflow.services import Services

DueQuery = Callable[[dt.datetime, int], list[str]]
NextDue = Callable[[], dt.datetime | None]
BATCH = 500
LONGEST_SLEEP = dt.timedelta(days=1)
"""The longest a wake-up is armed ahead: waking early only arms the next one."""

log = structlog.get_logger("cocrea.scheduler")


def process_name() -> str:
    """Name this process in the deadlines it claims: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class Fired:
    """A deadline this runner fired, and what it did."""

    deadline_id: str
    outcome: str


class DeadlineRunner:
    """Fires every deadline due by the clock's now, each once across all processes."""

    def __init__(self, services: Services, due: DueQuery, clock: Clock = utc_now,
                 claimer: str | None = None) -> None:
        self._services = services
        self._due = due
        self._clock = clock
        self._claimer = claimer or process_name()

    def run_due(self) -> list[Fired]:
        """Fire what is due now, earliest first; return what this runner fired."""
        now = self._clock()
        fired: list[Fired] = []
        failed: set[str] = set()
        while True:
            batch = [d for d in self._due(now, BATCH + len(failed)) if d not in failed]
            for deadline_id in batch:
                try:
                    outcome = self._services.handle(FireDeadline(deadline_id, self._claimer))
                except WorkflowError as exc:
                    # Left pending: the next wake-up tries again.
                    failed.add(deadline_id)
                    log.error("deadline_failed", deadline=deadline_id, error=str(exc))
                    continue
                if outcome is not None:
                    fired.append(Fired(deadline_id, outcome))
                    log.info("deadline_fired", deadline=deadline_id, outcome=outcome)
            if len(batch) < BATCH:
                return fired


def advance(clock: VirtualClock, runner: DeadlineRunner, next_due: NextDue,
            until: dt.datetime | None = None) -> list[Fired]:
    """Move a virtual clock from deadline to deadline up to ``until``, firing each when due.

    This is how ``cocrea simulate`` (and the tests) run time: the same runner
    and deadline code as the live scheduler, with no waiting in between.
    """
    fired: list[Fired] = []
    while (due := next_due()) is not None and (until is None or due <= until):
        clock.move_to(due)
        batch = runner.run_due()
        if not batch:
            break  # what is due cannot be fired (logged): do not spin on it
        fired += batch
    if until is not None:
        clock.move_to(until)
    return fired
