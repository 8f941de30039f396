"""The SQL unit of work: one command, one transaction, everything or nothing.

Entering takes the write lock (the log head), so the aggregates read inside see
the newest committed state; ``commit`` appends every tracked aggregate's new
events after the head, writes their projections, and commits once. Leaving
without committing rolls back: an error anywhere leaves nothing written.

It runs fixed SQL on the DBAPI cursor of a pooled connection (see
:mod:`storage.sql` for why). Plans are read from their snapshot; the state a
proposal command reads is cached per database and plan *version* (validated
in the locked transaction), so the hot path does not parse a snapshot again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NamedTuple, Self
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, select

from definitions.messages import resolved
from storage import contacts, outbox, projections, sql
from storage import definitions as library
from storage import schedule as deadlines
from storage import tables as t
from storage.commitments import COMMITMENT_COLUMNS, LinkCensus, restore_commitment, write_commitment
from storage.eventstore import CommandMeta, Head, append, stream_version, utc
from storage.snapshots import restore_plan
from storage.sql import Dialect, dialect_of
from storage.transaction import WriteTransaction
from workflow.domain.catalog import Catalog, cached_catalog, pinned_catalog
from workflow.domain.commitment import Commitment
from workflow.domain.deadlines import Deadline, Schedule
from workflow.domain.errors import ConcurrencyError
from workflow.domain.events import DomainEvent, RecordedEvent
from workflow.domain.failures import database_failed, not_found, stale_version
from workflow.domain.guards import ProposalCensus
from workflow.domain.imports import OriginKey
from workflow.domain.library import PinnedPlan, StoredDefinition
from workflow.domain.notices import Notice
from workflow.domain.plan import Plan
from workflow.domain.proposal import Proposal
from workflow.domain.state import PlanState, ProposalState
from workflow.ports import Aggregate, Flushed, UnitOfWork

_CONTEXTS: WeakKeyDictionary[Engine, dict[str, PlanState]] = WeakKeyDictionary()


class PlanRow(NamedTuple):
    """The columns of a ``plans`` row that rebuild a plan."""

    plan_id: str
    definition_hash: str
    shift_days: int
    created_at: Any
    version: int
    proposal_count: int
    snapshot: str
    commitment_count: int


class SqlCensus(LinkCensus):
    """Counts a plan's proposals by state, and those that feed no commitment, with SQL."""

    def __init__(self, cur: Any, dialect: Dialect) -> None:
        super().__init__(cur, dialect)
        self._cur = cur
        self._dialect = dialect

    def outside(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Return how many proposals of the plan are not in ``states``, and a few ids."""
        marks = ", ".join("?" for _ in states)
        params = (plan_id, *states)
        self._cur.execute(self._dialect.text(sql.OUTSIDE_STATES.format(marks=marks)), params)
        count = int(self._cur.fetchone()[0])
        self._cur.execute(self._dialect.text(sql.OUTSIDE_EXAMPLES.format(marks=marks)), params)
        return count, [row[0] for row in self._cur.fetchall()]

    def supports(self, plan_id: str, states: tuple[str, ...]) -> int:
        """Return the supports of the plan's proposals in ``states`` (all when empty), in all."""
        where = f" AND state IN ({', '.join('?' for _ in states)})" if states else ""
        self._cur.execute(self._dialect.text(sql.SUM_SUPPORTS + where), (plan_id, *states))
        return int(self._cur.fetchone()[0])


def plan_from_row(row: PlanRow, catalog: Catalog) -> Plan:
    """Rebuild a plan from its projection row and snapshot."""
    state = restore_plan(row, catalog.definition, json.loads(row.snapshot))
    return Plan(state, catalog)


def read_plan(conn: Connection, plan_id: str, locale: str | None = None) -> Plan:
    """Load a plan with SQLAlchemy (read side; NotFound, in ``locale``, when there is none)."""
    columns = [t.plans.c[name] for name in PlanRow._fields]
    found = conn.execute(select(*columns).where(t.plans.c.plan_id == plan_id)).one_or_none()
    if found is None:
        raise not_found(resolved(locale), "plan", plan_id)
    row = PlanRow(*found)
    catalog = cached_catalog(row.definition_hash)
    if catalog is None:
        data = conn.execute(select(t.events.c.data).where(t.events.c.stream_id == plan_id,
                                                          t.events.c.version == 1)).scalar_one()
        catalog = pinned_catalog(json.loads(data)["definition"], row.definition_hash)
    return plan_from_row(row._replace(created_at=utc(row.created_at)), catalog)


def proposal_from_row(row: Any, dialect: Dialect | None = None) -> ProposalState:
    """Turn a ``proposals`` row (columns in ``sql.PROPOSAL_COLUMNS`` order) into a state."""
    read = dialect.read_time if dialect else utc
    (proposal_id, plan_id, number, title, body, channel, mesa, state, version, response,
     merged_into, submitted_at, updated_at, fields, supports, outcome) = row
    return ProposalState(proposal_id, plan_id, number, title, body, channel, mesa,
                         read(submitted_at), state, version, response, merged_into,
                         read(updated_at) if updated_at is not None else None,
                         json.loads(fields) if fields else {}, supports, outcome)


def read_proposal(conn: Connection, proposal_id: str) -> ProposalState | None:
    """Read a proposal's state with SQLAlchemy (read side), or None."""
    columns = [t.proposals.c[name.strip()] for name in sql.PROPOSAL_COLUMNS.split(",")]
    found = conn.execute(select(*columns)
                         .where(t.proposals.c.proposal_id == proposal_id)).one_or_none()
    return None if found is None else proposal_from_row(found)


def _is_new(aggregate: Aggregate) -> bool:
    """Whether an aggregate is a proposal whose one pending event is its first."""
    return (isinstance(aggregate, Proposal) and len(aggregate.pending) == 1
            and aggregate.pending[0].version == 1)


def _runs(aggregates: list[Aggregate]) -> Iterator[list[Aggregate]]:
    """Yield the aggregates with pending events in order, new proposals of one plan together.

    A run of new proposals (an import's batch) is written in bulk; anything else alone.
    """
    run: list[Aggregate] = []
    for aggregate in (a for a in aggregates if a.pending):
        if _is_new(aggregate) and (not run or run[0].state.plan_id == aggregate.state.plan_id):
            run.append(aggregate)
            continue
        if run:
            yield run
        run = [aggregate] if _is_new(aggregate) else []
        if not run:
            yield [aggregate]
    if run:
        yield run
COMMITMENT_AND_PLAN_ROWS = (
    "SELECT " + ", ".join(f"c.{c}" for c in COMMITMENT_COLUMNS)
    + ", " + ", ".join(f"p.{c.strip()}" for c in sql.PLAN_COLUMNS.split(","))
    + " FROM commitments c JOIN plans p ON p.plan_id = c.plan_id WHERE c.commitment_id = ?")


def is_version_clash(error: Exception) -> bool:
    """Whether a driver's IntegrityError is the events' UNIQUE(stream_id, version)."""
    diag = getattr(error, "diag", None)
    if diag is not None:
        return bool(diag.constraint_name == "uq_events_stream_version")
    return "events.stream_id, events.version" in str(error)


class SqlUnitOfWork(UnitOfWork):
    """A command's transaction over a SQLAlchemy engine's pooled DBAPI connection."""

    def __init__(self, engine: Engine, meta: CommandMeta | None = None,
                 locale: str | None = None) -> None:
        self._engine = engine
        self._dialect = dialect_of(engine.dialect.name)
        self._errors: Any = engine.dialect.dbapi
        self._meta = meta or CommandMeta()
        self._locale = resolved(locale)
        self._tracked: list[Aggregate] = []
        self._contexts = _CONTEXTS.setdefault(engine, {})

    def __enter__(self) -> Self:
        """Begin the transaction and lock the log head (its row is read when first needed)."""
        self._raw = self._engine.raw_connection()
        self._transaction = WriteTransaction(self._raw, self._dialect.postgresql, self._errors)
        try:
            self._cur: Any = self._raw.cursor()
            self._transaction.begin(self._cur)
            lock = " FOR UPDATE" if self._dialect.postgresql else ""
            self._head_cursor: Any = self._raw.cursor()
            self._head_cursor.execute(self._dialect.text(sql.LOCK_HEAD + lock))
        except self._errors.Error as exc:
            self._transaction.end(committed=False)
            raise database_failed(self._locale, exc) from exc
        self._head: Head | None = None
        self._plan_rows: dict[str, PlanRow] = {}
        self.census: ProposalCensus = SqlCensus(self._cur, self._dialect)
        self._committed = False
        self._first: DomainEvent | None = None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back unless committed; driver errors become StorageError."""
        self._transaction.end(self._committed)
        if isinstance(error, self._errors.Error):
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise database_failed(self._locale, detail) from error

    def _one(self, statement: str, *params: Any) -> Any:
        self._cur.execute(self._dialect.text(statement), params)
        return self._cur.fetchone()

    def _plan_row(self, plan_id: str) -> PlanRow:
        """Read a plan's row once per transaction (nothing else writes it under our lock)."""
        row = self._plan_rows.get(plan_id)
        if row is None:
            found = self._one(sql.PLAN_ROW, plan_id)
            if found is None:
                raise not_found(self._locale, "plan", plan_id)
            row = self._plan_rows[plan_id] = PlanRow(*found)
        return row

    def _locked_head(self) -> Head:
        if self._head is None:
            position, hash_ = self._head_cursor.fetchone()
            self._head = Head(position, hash_)
        return self._head

    def _catalog(self, row: PlanRow) -> Catalog:
        found = cached_catalog(row.definition_hash)
        if found is None:
            data = self._one(sql.FIRST_EVENT_DATA, row.plan_id)[0]
            found = pinned_catalog(json.loads(data)["definition"], row.definition_hash)
        return found

    def _load(self, row: PlanRow) -> Plan:
        row = row._replace(created_at=self._dialect.read_time(row.created_at))
        return plan_from_row(row, self._catalog(row))

    def plan(self, plan_id: str) -> Plan:
        """Load a plan to change it (a fresh copy, never shared)."""
        return self._load(self._plan_row(plan_id))

    def plan_context(self, plan_id: str) -> Plan:
        """Load a plan to read it (shared per version: never change what this returns)."""
        row = self._plan_row(plan_id)
        cached = self._contexts.get(plan_id)
        if cached is None or cached.version != row.version:
            cached = self._contexts[plan_id] = self._load(row).state
        cached.proposal_count = row.proposal_count
        cached.commitment_count = row.commitment_count
        return Plan(cached, self._catalog(row))

    def save_contact(self, plan_id: str, kind: str, subject: str, email: str,
                     now: dt.datetime) -> None:
        """Keep the address of a member or a consenting proponent (outside the log)."""
        contacts.save(self._cur, self._dialect, plan_id, kind, subject, email, now)

    def plan_exists(self, plan_id: str) -> bool:
        """Whether a plan with this id exists."""
        return self._one(sql.PLAN_EXISTS, plan_id) is not None

    def has_support(self, proposal_id: str, supporter: str) -> bool:
        """Whether this supporter (its digest) already backed the proposal."""
        return self._one(sql.HAS_SUPPORT, proposal_id, supporter) is not None

    def imported_origins(self, plan_id: str) -> set[OriginKey]:
        """Return the origins of the plan's imported proposals (source, host, id there)."""
        self._cur.execute(self._dialect.text(sql.PLAN_ORIGINS), (plan_id,))
        return {(source, host, int(number)) for source, host, number in self._cur.fetchall()}

    def proposal_state(self, proposal_id: str) -> ProposalState | None:
        """Read a proposal's state, or None."""
        found = self._one(sql.PROPOSAL_ROW, proposal_id)
        return None if found is None else proposal_from_row(found, self._dialect)

    def proposal(self, proposal_id: str) -> Proposal:
        """Load a proposal with its plan's catalog (NotFound when there is none).

        Its plan's row comes with it, in one statement.
        """
        found = self._one(sql.PROPOSAL_AND_PLAN_ROWS, proposal_id)
        if found is None:
            raise not_found(self._locale, "proposal", proposal_id)
        columns = len(found) - len(PlanRow._fields)
        state = proposal_from_row(found[:columns], self._dialect)
        self._plan_rows.setdefault(state.plan_id, PlanRow(*found[columns:]))
        return Proposal(state, self.plan_context(state.plan_id).catalog)

    def commitment(self, commitment_id: str) -> Commitment:
        """Load a commitment with its plan as read-only context (NotFound when there is none)."""
        found = self._one(COMMITMENT_AND_PLAN_ROWS, commitment_id)
        if found is None:
            raise not_found(self._locale, "commitment", commitment_id)
        columns = len(COMMITMENT_COLUMNS)
        state = restore_commitment(dict(zip(COMMITMENT_COLUMNS, found[:columns], strict=True)),
                                   self._dialect.read_time)
        self._plan_rows.setdefault(state.plan_id, PlanRow(*found[columns:]))
        plan = self.plan_context(state.plan_id)
        return Commitment(state, plan.catalog, plan.state)

    def claim_deadline(self, deadline_id: str, now: dt.datetime, claimer: str) -> Deadline | None:
        """Claim a pending deadline in this transaction (None: fired or cancelled already)."""
        return deadlines.claim(self._cur, self._dialect, deadline_id, now, claimer)

    def note_deadline(self, deadline_id: str, outcome: str) -> None:
        """Record what firing a claimed deadline did."""
        deadlines.note_outcome(self._cur, self._dialect, deadline_id, outcome)

    def add(self, aggregate: Aggregate) -> None:
        """Track an aggregate whose pending events commit() writes."""
        self._tracked.append(aggregate)

    def flush(self) -> Flushed:
        """Append every tracked aggregate's pending events and write its projections.

        On PostgreSQL the writes need no results, so they are queued and travel
        with the COMMIT: a version clash surfaces when the commit is waited for.
        """
        flushed: Flushed = []
        with self._clashes():
            for run in _runs(self._tracked):
                self._first = self._first or run[0].pending[0]
                if len(run) == 1:
                    flushed.append((run[0], self._write(run[0])))
                else:
                    flushed += self._write_new(run)
        self._tracked = [a for a in self._tracked if isinstance(a, Plan)]
        return flushed

    def write_schedule(self, schedule: Schedule) -> None:
        """Cancel and add deadlines as ``schedule`` says."""
        if schedule.add or schedule.cancel:
            deadlines.write_schedule(self._cur, self._dialect, schedule)

    def write_notices(self, notices: list[Notice], now: dt.datetime) -> None:
        """Put ``notices`` in the outbox, due at ``now``."""
        if notices:
            outbox.write_notices(self._cur, self._dialect, notices, now)

    def commit(self) -> None:
        """Commit what was written, durably; a version clash becomes a ConcurrencyError."""
        with self._clashes():
            self._transaction.commit(self._cur)
        self._committed = True
        for aggregate in self._tracked:
            if isinstance(aggregate, Plan):
                self._contexts[aggregate.state.plan_id] = aggregate.state

    def stored_definition(self, definition_id: str, version: int) -> StoredDefinition | None:
        """Read a stored definition's id@version, or None."""
        return library.find(self._cur, self._dialect, definition_id, version)

    def save_definition(self, stored: StoredDefinition) -> None:
        """Store a definition."""
        library.insert(self._cur, self._dialect, stored)

    def delete_definition(self, definition_id: str, version: int) -> None:
        """Remove a stored definition's id@version."""
        library.delete(self._cur, self._dialect, definition_id, version)

    def plans_pinning(self, definition_id: str) -> list[PinnedPlan]:
        """Return the plans made from any version of a definition id."""
        return library.pinning(self._cur, self._dialect, definition_id)

    def _write_new(self, run: list[Aggregate]) -> Flushed:
        """Write new proposals of one plan together: their events, rows and origins, in bulk."""
        proposals = [p for p in run if isinstance(p, Proposal)]
        firsts = [p.pending[0] for p in proposals]
        self._head, recorded = append(self._cur, self._dialect, self._locked_head(), firsts,
                                      proposals[0].state.plan_id, self._meta)
        projections.write_new_proposals(self._cur, self._dialect, [p.state for p in proposals],
                                        firsts)
        for proposal in proposals:
            proposal.pending = []
        return [(p, [r]) for p, r in zip(proposals, recorded, strict=True)]

    def _write(self, aggregate: Aggregate) -> list[RecordedEvent]:
        new = aggregate.pending
        self._head, recorded = append(self._cur, self._dialect, self._locked_head(), new,
                                      aggregate.state.plan_id, self._meta)
        if isinstance(aggregate, Plan):
            projections.write_plan(self._cur, self._dialect, aggregate.state, new)
        elif isinstance(aggregate, Commitment):
            write_commitment(self._cur, self._dialect, aggregate.state, new)
            if new[0].version == 1:
                self._cur.execute(self._dialect.text(sql.COUNT_COMMITMENTS),
                                  (aggregate.state.number, aggregate.state.plan_id))
        else:
            projections.write_proposal(self._cur, self._dialect, aggregate.state, new)
        aggregate.pending = []
        return recorded

    @contextmanager
    def _clashes(self) -> Iterator[None]:
        """Turn the events' UNIQUE(stream, version) failing into a ConcurrencyError.

        SQLite raises it at the insert, PostgreSQL (pipelined) when the commit is waited for.
        """
        try:
            yield
        except self._errors.IntegrityError as exc:
            first = self._first
            if first is None or not is_version_clash(exc):
                raise
            raise self._clash(first.stream_id, first.version - 1) from exc

    def _clash(self, stream: str, expected: int) -> ConcurrencyError:
        """Build the clash error, reading the stream's version on a fresh connection.

        PostgreSQL refuses reads in the failed transaction, and on SQLite a write
        transaction would wait for the lock our own transaction holds.
        """
        with self._engine.connect().execution_options(readonly=True) as fresh:
            actual = stream_version(fresh, stream)
        return stale_version(self._locale, stream, expected, actual)
