"""What the public record reads: one plan and its log, in one snapshot, streamed.

The calendar feed and the open-data package (``workflow.public``) read a plan
through a :class:`Record`, inside one read-only transaction that sees one
snapshot of the database (:func:`storage.database.reading`), so what they say
of the phases, the proposals and the events fits together. Every read streams:
proposals and events come a batch at a time, never the whole log at once.

Nothing here reads the ``contacts`` table or the outbox: the public record
never holds an email address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from storage import tables as t
from storage.chain import streamed
from storage.commitments import restore_commitment
from storage.database import reading
from storage.eventstore import recorded, scan, utc
from storage.sql import PROPOSAL_COLUMNS, Dialect, dialect_of
from storage.uow import proposal_from_row, read_plan
from workflow.domain.events import DomainEvent
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState, ProposalState

EVENT_COLUMNS = ("position", "event_id", "stream_id", "version", "type", "actor", "actor_role",
                 "occurred_at", "causation_id", "correlation_id", "data", "hash")
"""The columns of :meth:`Record.event_rows`, in order (``cocrea events``' columns)."""
PLAN_EVENTS = (f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE plan_id = ?"
               " ORDER BY position")
PLAN_PROPOSALS = (f"SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE plan_id = ?"
                  " ORDER BY number")
SQLITE_TEXT = len("2022-07-18 15:30:00.000000")
"""How SQLite keeps a moment (SQLAlchemy's text form, see storage.sql.SQLITE_TIME)."""


@dataclass(frozen=True)
class Record:
    """A plan and the reads of its public record, on one connection's snapshot."""

    conn: Connection
    plan: Plan
    dialect: Dialect

    @property
    def plan_id(self) -> str:
        """The plan's id."""
        return self.plan.state.plan_id

    def plan_events(self) -> Iterator[DomainEvent]:
        """Yield the plan's own events (phases, committee, activities) in log order."""
        for row in scan(self.conn, t.events.c.stream_id == self.plan_id):
            yield recorded(row).event

    def proposals(self) -> Iterator[ProposalState]:
        """Yield the plan's proposals by number, read a batch at a time."""
        with streamed(self.conn, self.dialect, PLAN_PROPOSALS, (self.plan_id,)) as rows:
            for row in rows:
                yield proposal_from_row(row, self.dialect)

    def merges(self) -> dict[str, str]:
        """Return where each merged proposal of the plan went (its id: the one it went into)."""
        p = t.proposals.c
        query = select(p.proposal_id, p.merged_into).where(p.plan_id == self.plan_id,
                                                           p.merged_into.is_not(None))
        return {row.proposal_id: row.merged_into for row in self.conn.execute(query)}

    def commitments(self) -> Iterator[CommitmentState]:
        """Yield the plan's commitments by number (a commitment holds nobody's contact)."""
        c = t.commitments.c
        query = select(t.commitments).where(c.plan_id == self.plan_id).order_by(c.number)
        for row in self.conn.execute(query).mappings():
            yield restore_commitment(dict(row), utc)

    def stream_events(self, stream_id: str) -> Iterator[DomainEvent]:
        """Yield one stream's events (a commitment's) in log order."""
        for row in scan(self.conn, t.events.c.stream_id == stream_id):
            yield recorded(row).event

    def event_rows(self) -> Iterator[tuple[Any, ...]]:
        """Yield every event of the plan and its proposals in log order, as driver rows.

        Columns as :data:`EVENT_COLUMNS`; ``occurred_at`` as the driver gives it
        (see :meth:`moment`); ``data`` is the stored text the hash chain covers.
        """
        with streamed(self.conn, self.dialect, PLAN_EVENTS, (self.plan_id,)) as rows:
            yield from rows

    def moment_text(self, stored: Any) -> str:
        """Return an ``occurred_at`` of :meth:`event_rows` as ``cocrea events`` writes it.

        That is ISO 8601 in UTC (``+00:00``, microseconds only when there are some),
        cut straight from SQLite's stored text, which costs a tenth of parsing it.
        """
        if isinstance(stored, str) and len(stored) == SQLITE_TEXT and stored[10] == " ":
            micro = stored[19:]
            return f"{stored[:10]}T{stored[11:19]}{'' if micro == '.000000' else micro}+00:00"
        return self.dialect.read_time(stored).isoformat()

    def last_event(self) -> tuple[int, str, dt.datetime]:
        """Return the position, hash and moment of the plan's newest event (every read sees it)."""
        e = t.events.c
        query = (select(e.position, e.hash, e.occurred_at).where(e.plan_id == self.plan_id)
                 .order_by(e.position.desc()).limit(1))
        position, hashed, moment = self.conn.execute(query).one()
        return int(position), str(hashed), utc(moment)


@contextmanager
def record(engine: Engine, plan_id: str) -> Iterator[Record]:
    """Open a plan's public record (NotFound, in the deployment's language, without one)."""
    with reading(engine) as conn:
        yield Record(conn, read_plan(conn, plan_id), dialect_of(engine.dialect.name))
