"""The SQL unit of work: one command, one transaction, everything or nothing.

Entering takes the write lock (the log head), so the aggregates read inside see
the newest committed state; ``commit`` appends every tracked aggregate's new
events after the head, writes their projections, and commits once. Leaving
without committing rolls back: an error anywhere leaves nothing written.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from storage import projections
from storage import tables as t
from storage.eventstore import CommandMeta, Head, append, lock_head, utc
from storage.snapshots import load_plan
from workflow.catalog import Catalog, cached_catalog, pinned_catalog
from workflow.errors import StorageError
from workflow.events import RecordedEvent
from workflow.failures import not_found
from workflow.guards import ProposalCensus
from workflow.messages import say
from workflow.plan import Plan
from workflow.proposal import Proposal
from workflow.state import ProposalState


class SqlCensus:
    """Counts a plan's proposals by state with SQL."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Return how many proposals of the plan are not in ``states``, and a few ids."""
        where = (t.proposals.c.plan_id == plan_id, t.proposals.c.state.not_in(states))
        count = self._conn.execute(select(func.count()).where(*where)).scalar_one()
        ids = self._conn.execute(select(t.proposals.c.proposal_id).where(*where)
                                 .order_by(t.proposals.c.number).limit(3)).scalars()
        return int(count), list(ids)


def plan_catalog(conn: Connection, plan_id: str, content_hash: str) -> Catalog:
    """Return the catalog of a plan's pinned definition, read from its first event if needed."""
    found = cached_catalog(content_hash)
    if found is not None:
        return found
    data = conn.execute(select(t.events.c.data).where(t.events.c.stream_id == plan_id,
                                                      t.events.c.version == 1)).scalar_one()
    return pinned_catalog(json.loads(data)["definition"], content_hash)


def read_plan(conn: Connection, plan_id: str, locale: str = "es") -> Plan:
    """Load a plan from its projection row and snapshot (NotFound when there is none)."""
    row = conn.execute(select(t.plans).where(t.plans.c.plan_id == plan_id)).one_or_none()
    if row is None:
        raise not_found(locale, "plan", plan_id)
    catalog = plan_catalog(conn, plan_id, row.definition_hash)
    state = load_plan(row, catalog.definition, json.loads(row.snapshot))
    return Plan(state, catalog)


def read_proposal(conn: Connection, proposal_id: str) -> ProposalState | None:
    """Read a proposal's state from its projection row, or None."""
    row = conn.execute(select(t.proposals)
                       .where(t.proposals.c.proposal_id == proposal_id)).one_or_none()
    return None if row is None else proposal_from_row(row)


def proposal_from_row(row: Any) -> ProposalState:
    """Turn a ``proposals`` row into a proposal's state."""
    return ProposalState(row.proposal_id, row.plan_id, row.number, row.title, row.body,
                         row.channel, row.mesa, utc(row.submitted_at), row.state, row.version,
                         row.response, row.merged_into,
                         utc(row.updated_at) if row.updated_at else None)


class SqlUnitOfWork:
    """A command's transaction over a SQLAlchemy engine."""

    def __init__(self, engine: Engine, meta: CommandMeta | None = None,
                 locale: str = "es") -> None:
        self._engine = engine
        self._meta = meta or CommandMeta()
        self._locale = locale
        self._plans: dict[str, Plan] = {}
        self._tracked: list[Plan | Proposal] = []

    def __enter__(self) -> Self:
        """Begin the transaction and lock the log head."""
        try:
            self._conn = self._engine.connect()
            self._tx = self._conn.begin()
            self._head: Head = lock_head(self._conn)
        except SQLAlchemyError as exc:
            raise StorageError(say(self._locale, "error.database", detail=exc)) from exc
        self.census: ProposalCensus = SqlCensus(self._conn)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back unless committed; database errors become StorageError."""
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self._conn.close()
        if isinstance(error, SQLAlchemyError):
            detail = str(error).splitlines()[0]
            raise StorageError(say(self._locale, "error.database", detail=detail)) from error

    def plan(self, plan_id: str) -> Plan:
        """Load a plan once per unit of work."""
        if plan_id not in self._plans:
            self._plans[plan_id] = read_plan(self._conn, plan_id, self._locale)
        return self._plans[plan_id]

    def plan_exists(self, plan_id: str) -> bool:
        """Whether a plan with this id exists."""
        query = select(t.plans.c.plan_id).where(t.plans.c.plan_id == plan_id)
        return self._conn.execute(query).first() is not None

    def proposal_state(self, proposal_id: str) -> ProposalState | None:
        """Read a proposal's state, or None."""
        return read_proposal(self._conn, proposal_id)

    def proposal(self, proposal_id: str) -> Proposal:
        """Load a proposal with its plan's catalog (NotFound when there is none)."""
        state = self.proposal_state(proposal_id)
        if state is None:
            raise not_found(self._locale, "proposal", proposal_id)
        return Proposal(state, self.plan(state.plan_id).catalog)

    def add(self, aggregate: Plan | Proposal) -> None:
        """Track an aggregate whose pending events commit() writes."""
        self._tracked.append(aggregate)

    def commit(self) -> list[RecordedEvent]:
        """Append every tracked aggregate's events, write projections, commit once."""
        written: list[RecordedEvent] = []
        for aggregate in self._tracked:
            if aggregate.pending:
                written += self._write(aggregate)
        self._tx.commit()
        return written

    def _write(self, aggregate: Plan | Proposal) -> list[RecordedEvent]:
        new = aggregate.pending
        plan_id = aggregate.state.plan_id
        self._head, recorded = append(self._conn, self._head, new, plan_id, self._meta,
                                      self._locale)
        if isinstance(aggregate, Plan):
            projections.write_plan(self._conn, aggregate.state, new)
        else:
            count = self.plan(plan_id).state.proposal_count
            projections.write_proposal(self._conn, aggregate.state, new[0].version == 1, count)
        aggregate.pending = []
        return recorded
