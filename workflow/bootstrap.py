"""The composition root: the one place that wires storage, services, runner and dispatcher.

Every entry point (the CLI, the API and its workers, the scheduler, the
simulation) asks :func:`bootstrap` for a :class:`Cocrea` over a database and
takes from it what it needs, so how the parts fit together is written once.
Commands that only read open the database read-only (:func:`bootstrap` with
``readonly=True``): they never migrate and cannot write, and a database whose
schema is behind says so, naming ``cocrea db upgrade``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine

from notifications.channels import Channel
from notifications.dispatcher import Dispatcher
from notifications.setup import channels_from_env
from notifications.templates import renderer
from storage import schedule
from storage.database import database_url, open_engine, upgrade
from storage.eventstore import CommandMeta
from storage.leases import DatabaseLease
from storage.uow import SqlUnitOfWork
from workflow.adapters.apscheduler import Wakeups
from workflow.domain.clock import Clock, utc_now
from workflow.runner import DeadlineRunner, NextDue, process_name
from workflow.services import Services


@dataclass
class Cocrea:
    """cocrea over one database and one clock: services, the deadline runner, the outbox."""

    engine: Engine
    clock: Clock = utc_now
    meta: CommandMeta = field(default_factory=CommandMeta)

    def services(self, meta: CommandMeta | None = None) -> Services:
        """Return the services; ``meta`` ties the events of a request together."""
        engine, tags = self.engine, meta or self.meta
        return Services(lambda: SqlUnitOfWork(engine, tags), self.clock)

    def runner(self, claimer: str | None = None) -> DeadlineRunner:
        """Return the deadline runner: fires what is due by this clock, through the services."""
        engine = self.engine
        return DeadlineRunner(self.services(),
                              lambda now, n: schedule.due_deadlines(engine, now, n),
                              self.clock, claimer)

    def next_due(self) -> NextDue:
        """Return a function telling when the earliest pending deadline is due."""
        engine = self.engine
        return lambda: schedule.next_due(engine)

    def wakeups(self, poll_seconds: float, lease_seconds: float | None = None) -> Wakeups:
        """Return APScheduler's wake-ups of the runner (under a database lease when given)."""
        lease = (None if lease_seconds is None
                 else DatabaseLease(self.engine, process_name(), lease_seconds, utc_now))
        return Wakeups(self.runner(), self.next_due(), self.clock, poll_seconds, lease)

    def dispatcher(self, channels: Mapping[str, Channel] | None = None) -> Dispatcher:
        """Return the outbox dispatcher over the channels the environment configures."""
        found = channels_from_env() if channels is None else channels
        return Dispatcher(self.engine, found, self.clock, render=renderer())

    def upgrade(self) -> None:
        """Bring the database's schema to the newest migration."""
        upgrade(self.engine)


def bootstrap(url: str | None = None, *, clock: Clock = utc_now, readonly: bool = False,
              migrate: bool = True, engine: Engine | None = None) -> Cocrea:
    """Wire cocrea over the database at ``url`` (else ``COCREA_DATABASE_URL``, else SQLite).

    ``readonly`` opens it for reading only (no migration, no write possible);
    otherwise it is migrated unless ``migrate`` is False. An ``engine`` already
    open is used as it is.
    """
    if engine is None:
        engine = open_engine(database_url(url), migrate=migrate and not readonly,
                             readonly=readonly)
    return Cocrea(engine, clock)
