"""APScheduler 3 wakes the deadline runner: at start-up, at the next due moment, on a poll.

:class:`Wakeups` keeps in-memory jobs only: APScheduler's job stores must never be
shared between processes, and ours are not the record of what is due; the
deadlines table is. It runs the runner once at start-up, so deadlines that passed
while nothing ran are fired then, late, and record how late; then at the next due
moment, and every ``poll_seconds`` to see deadlines other processes wrote. With a
:class:`Lease` (several API workers), only the process holding it fires deadlines;
the others keep asking at each poll and take over once it expires. Jobs run
however late they are (``misfire_grace_time=None``): APScheduler's default grace
of one second would silently drop a wake-up.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Protocol

import structlog
from apscheduler.schedulers.background import BackgroundScheduler

from workflow.domain.clock import Clock, utc_now
from workflow.domain.errors import WorkflowError
from workflow.runner import LONGEST_SLEEP, DeadlineRunner, NextDue

log = structlog.get_logger("cocrea.scheduler")


class Lease(Protocol):
    """The right to be the one active scheduler among several processes."""

    def hold(self) -> bool:
        """Take or renew the lease; whether this process holds it now."""
        ...

    def release(self) -> None:
        """Give it up (clean shutdown), so another process takes over at once."""
        ...


class Wakeups:
    """APScheduler wakes the runner: at start-up, at the next due moment, and on a poll."""

    def __init__(self, runner: DeadlineRunner, next_due: NextDue, clock: Clock = utc_now,
                 poll_seconds: float = 30.0, lease: Lease | None = None) -> None:
        self._runner = runner
        self._next_due = next_due
        self._clock = clock
        self._poll = poll_seconds
        self._lease = lease
        self._busy = threading.Lock()
        self._side = threading.Lock()
        self._stopping = threading.Event()
        self._scheduler = BackgroundScheduler(
            timezone=dt.UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})

    def every(self, seconds: float, job: Callable[[], object], name: str) -> None:
        """Also run ``job`` every ``seconds`` from the start (e.g. the outbox dispatcher).

        It runs under its own lock, so it never holds up the deadlines; shutdown
        waits for a run in progress; an error is logged and the next run goes on.
        """
        self._scheduler.add_job(self._guarded(job, name), "interval", seconds=seconds, id=name,
                                next_run_time=utc_now())

    def _guarded(self, job: Callable[[], object], name: str) -> Callable[[], None]:
        def run() -> None:
            if self._stopping.is_set() or not self._side.acquire(blocking=False):
                return
            try:
                job()
            except Exception as exc:  # a failed run must not stop the next one
                log.error("job_failed", job=name, error=f"{type(exc).__name__}: {exc}")
            finally:
                self._side.release()
        return run

    def start(self) -> None:
        """Start: catch up at once, then follow the deadlines."""
        self._scheduler.add_job(self.wake, "interval", seconds=self._poll, id="poll",
                                next_run_time=utc_now())
        self._scheduler.start()

    def shutdown(self) -> None:
        """Stop, letting a running wake-up finish (its transaction commits or rolls back).

        The wake-up is waited for here, under our own lock, and APScheduler is then
        stopped without waiting: its ``shutdown(wait=True)`` deadlocks against a job
        that is adding a job (the executor and job store locks, taken in turn).
        """
        self._stopping.set()
        with self._busy, self._side:
            self._scheduler.shutdown(wait=False)
            if self._lease is not None:
                self._lease.release()

    def wake(self) -> None:
        """Fire what is due, then sleep until the next due moment (one wake-up at a time)."""
        if self._stopping.is_set() or not self._busy.acquire(blocking=False):
            return
        try:
            if self._lease is not None and not self._lease.hold():
                return  # another worker runs the scheduler; ask again at the next poll
            self._runner.run_due()
            self._arm()
        except WorkflowError as exc:
            log.error("wake_failed", error=str(exc))
        finally:
            self._busy.release()

    def _arm(self) -> None:
        due = self._next_due()
        if due is None or self._stopping.is_set():
            return
        # The clock may be a rehearsal clock: wake at the real moment it reads ``due``
        # (within a day: a rehearsal in year 1001 may wait for a deadline in 9998).
        real = utc_now() + min(max(dt.timedelta(0), due - self._clock()), LONGEST_SLEEP)
        self._scheduler.add_job(self.wake, "date", run_date=real, id="wake",
                                replace_existing=True)
