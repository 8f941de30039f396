"""A lease in the database: one holder at a time, renewed while alive, taken over on expiry.

``hold`` is one conditional write: it succeeds when the lease is free, expired,
or already ours (then it is renewed), so of several workers asking at once
exactly one holds it, and a worker that dies loses it ``ttl`` later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from storage import tables as t

SCHEDULER = "scheduler"


def hold(engine: Engine, holder: str, ttl: dt.timedelta, now: dt.datetime,
         name: str = SCHEDULER) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``now + ttl``; whether it is held."""
    c, now = t.leases.c, now.astimezone(dt.UTC)
    until = now + ttl
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    try:
        with engine.begin() as conn:
            conn.execute(insert(t.leases).values(name=name, holder=holder, expires_at=until)
                         .on_conflict_do_nothing(index_elements=["name"]))
            done = conn.execute(update(t.leases)
                                .where(c.name == name,
                                       or_(c.holder == holder, c.expires_at < now))
                                .values(holder=holder, expires_at=until))
    except SQLAlchemyError:
        return False
    return done.rowcount == 1


def holder_of(engine: Engine, name: str = SCHEDULER) -> tuple[str, dt.datetime] | None:
    """Return who holds the lease and until when (None when nobody ever did)."""
    c = t.leases.c
    with engine.connect() as conn:
        row = conn.execute(select(c.holder, c.expires_at).where(c.name == name)).one_or_none()
    if row is None:
        return None
    expires = row.expires_at
    return row.holder, expires.replace(tzinfo=dt.UTC) if expires.tzinfo is None else expires


def release(engine: Engine, holder: str, name: str = SCHEDULER) -> None:
    """Give the lease up at once (on a clean shutdown), if ``holder`` has it."""
    c = t.leases.c
    with engine.begin() as conn:
        conn.execute(update(t.leases).where(c.name == name, c.holder == holder)
                     .values(expires_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))


class DatabaseLease:
    """The scheduler's lease for one process (implements ``workflow.runner.Lease``)."""

    def __init__(self, engine: Engine, holder: str, ttl_seconds: float,
                 clock: Callable[[], dt.datetime], name: str = SCHEDULER) -> None:
        self._engine, self._holder, self._name = engine, holder, name
        self._ttl, self._clock = dt.timedelta(seconds=ttl_seconds), clock

    def hold(self) -> bool:
        """Take or renew the lease; whether this process holds it now."""
        return hold(self._engine, self._holder, self._ttl, self._clock(), self._name)

    def release(self) -> None:
        """Give the lease up so another process takes over at its next poll."""
        release(self._engine, self._holder, self._name)
