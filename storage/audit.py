"""The auditor's tools: verify the whole log, print its digest, rebuild a plan as of a moment.

Verify streams the log in position order (it never holds the log in memory):
positions must be gapless from 1, each hash must chain to the one before, each
event must replay legally on the pinned definition's machines, the head row
must point at the last event, an outside digest (if given) must still be in
the log, and every projection must equal the replayed state. It stops at the
first event that does not fit and names it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from storage import projections as p
from storage import sql
from storage import tables as t
from storage.chain import ChainResult, Finding, check_chain, collect, start_worker
from storage.database import reading
from storage.eventstore import (
    GENESIS,
    Head,
    read_head,
    recorded,
    scan,
    utc,
)
from storage.sql import Dialect, dialect_of
from storage.tables import events
from storage.uow import proposal_from_row, read_plan
from workflow.events import Actor
from workflow.messages import say
from workflow.plan import IllegalEvent
from workflow.replay import Replay
from workflow.state import ProposalState


@dataclass
class AuditReport:
    """What verify checked, and the finding that stopped it (None when all fits)."""

    events: int = 0
    plans: int = 0
    proposals: int = 0
    head: Head = field(default_factory=lambda: Head(0, GENESIS))
    finding: Finding | None = None

    @property
    def ok(self) -> bool:
        """Whether the log and projections passed every check."""
        return self.finding is None


def digest(engine: Engine) -> Head:
    """Return the log's head: what an auditor keeps outside the database."""
    with reading(engine) as conn:
        return read_head(conn)


PARALLEL_FROM = 50_000
"""From this many events on, the chain pass runs in a second process beside the replay."""


def verify(engine: Engine, kept: Head | None = None, locale: str = "es",
           parallel: bool | None = None) -> AuditReport:
    """Check the whole log and the projections; see the module docstring.

    ``parallel`` forces the chain pass into a worker process (True) or keeps it
    here (False); by default large logs use the worker.
    """
    report, replay = AuditReport(), Replay()
    dialect = dialect_of(engine.dialect.name)
    with reading(engine) as conn:
        upto = int(conn.execute(select(func.coalesce(func.max(events.c.position), 0)))
                   .scalar_one())
        if parallel if parallel is not None else upto >= PARALLEL_FROM:
            chain, replayed = _both_in_parallel(engine, conn, dialect, upto, kept, replay, locale)
        else:
            chain = check_chain(event_rows(conn, dialect, upto), dialect, kept, locale)
            replayed = _replay(event_rows(conn, dialect, upto), dialect, replay, locale)
        report.events, report.head = chain.events, chain.head
        report.finding = (_earliest(chain.finding, replayed)
                          or _check_head(conn, report, locale)
                          or _check_projections(conn, dialect, replay, locale)
                          or _check_deadlines(conn, dialect, replay, locale))
    report.plans, report.proposals = len(replay.plans), len(replay.proposals)
    return report


def _both_in_parallel(engine: Engine, conn: Connection, dialect: Dialect, upto: int,
                      kept: Head | None, replay: Replay,
                      locale: str) -> tuple[ChainResult, Finding | None]:
    url = engine.url.render_as_string(hide_password=False)
    worker = start_worker(url, upto, kept, locale)
    try:
        replayed = _replay(event_rows(conn, dialect, upto), dialect, replay, locale)
    except BaseException:
        worker.kill()
        raise
    return collect(worker), replayed


def _earliest(chain: Finding | None, replayed: Finding | None) -> Finding | None:
    """Return the first finding by position; at one event the chain's explains the replay's."""
    if chain is None or replayed is None:
        return chain or replayed
    return replayed if (replayed.position or 0) < (chain.position or 0) else chain


EVENT_COLUMNS = ("position, event_id, stream_id, stream_type, plan_id, version, type, data,"
                 " actor, actor_role, occurred_at, causation_id, correlation_id, hash")


def event_rows(conn: Connection, dialect: Dialect, upto: int) -> Iterator[tuple[Any, ...]]:
    """Stream events 1..``upto`` as plain tuples in position order."""
    query = f"SELECT {EVENT_COLUMNS} FROM events WHERE position <= {int(upto)} ORDER BY position"
    return _stream(conn, dialect, query)


def _stream(conn: Connection, dialect: Dialect, query: str) -> Iterator[tuple[Any, ...]]:
    """Stream a query's rows as plain tuples, in batches (server-side on PostgreSQL)."""
    driver: Any = conn.connection.driver_connection
    name = f"cocrea_audit_{next(_CURSORS)}"
    cursor = driver.cursor(name=name) if dialect.postgresql else driver.cursor()
    try:
        cursor.execute(query)
        while batch := cursor.fetchmany(BATCH):
            yield from batch
    finally:
        cursor.close()


BATCH = 2000
_CURSORS = itertools.count()


def _replay(rows: Iterator[tuple[Any, ...]], dialect: Dialect, replay: Replay,
            locale: str) -> Finding | None:
    """Replay every event on the pinned machines; the first illegal one is the finding.

    The auditor's hot loop (a million events): plain tuples, no event objects.
    """
    actors: dict[tuple[str, str], Actor] = {}
    for (position, _, stream, kind, _, version, event_type, data, actor, role, moment,
         *_rest) in rows:
        try:
            who = actors.get((actor, role)) or actors.setdefault((actor, role), Actor(actor, role))
            replay.apply_fields(position, stream, kind, version, event_type, json.loads(data),
                                who, dialect.read_time(moment))
        except (IllegalEvent, ValueError) as exc:
            return Finding(position, say(locale, "audit.illegal", position=position,
                                         type=event_type, detail=exc))
    return None


def _check_head(conn: Connection, report: AuditReport, locale: str) -> Finding | None:
    stored = read_head(conn)
    if stored != report.head:
        return Finding(report.head.position + 1,
                       say(locale, "audit.head", head=stored.position, last=report.head.position))
    return None


def _check_projections(conn: Connection, dialect: Dialect, replay: Replay,
                       locale: str) -> Finding | None:
    for plan_id, plan in replay.plans.items():
        if not _plan_fits(conn, plan_id, plan.state):
            return _stale(conn, plan_id, locale)
    stored_plans = set(conn.execute(select(t.plans.c.plan_id)).scalars())
    for extra in sorted(stored_plans - set(replay.plans)):
        return Finding(None, say(locale, "audit.extra", stream=extra))
    seen = 0
    for stored in _proposal_rows(conn, dialect):
        replayed = replay.proposals.get(stored.proposal_id)
        if replayed is None:
            return Finding(None, say(locale, "audit.extra", stream=stored.proposal_id))
        if stored != replayed:
            return _stale(conn, stored.proposal_id, locale)
        seen += 1
    if seen != len(replay.proposals):
        missing = next(iter(sorted(set(replay.proposals) - _stored_ids(conn))), "?")
        return _stale(conn, missing, locale)
    return None


DEADLINE_COLUMNS = "deadline_id, plan_id, phase_id, kind, days, due_at, status, outcome"


def _check_deadlines(conn: Connection, dialect: Dialect, replay: Replay,
                     locale: str) -> Finding | None:
    """Check every deadline row against what the log implies (moment, status, outcome)."""
    expected = replay.deadlines.expected
    seen = 0
    query = f"SELECT {DEADLINE_COLUMNS} FROM deadlines ORDER BY deadline_id"
    for deadline_id, plan_id, phase_id, kind, days, due_at, status, outcome in _stream(
            conn, dialect, query):
        item = expected.get(deadline_id)
        if item is None:
            return Finding(None, say(locale, "audit.deadline_extra", deadline=deadline_id))
        d = item.deadline
        if (plan_id, phase_id, kind, days, dialect.read_time(due_at)) != (
                d.plan_id, d.phase_id, d.kind, d.days, d.due_at):
            return Finding(None, say(locale, "audit.deadline_moved", deadline=deadline_id))
        skipped = (status, outcome) == ("fired", "skipped") and item.outcome is None
        if not skipped and (status, outcome) != (item.status, item.outcome):
            return Finding(None, say(locale, "audit.deadline_status", deadline=deadline_id,
                                     status=status, expected=item.status))
        seen += 1
    if seen != len(expected):
        stored = set(conn.execute(select(t.deadlines.c.deadline_id)).scalars())
        missing = next(iter(sorted(set(expected) - stored)), "?")
        return Finding(None, say(locale, "audit.deadline_missing", deadline=missing))
    return None


def _plan_fits(conn: Connection, plan_id: str, state: Any) -> bool:
    try:
        loaded = read_plan(conn, plan_id).state
    except Exception:
        return False
    tables = ((t.phases, p.phase_rows), (t.members, p.member_rows),
              (t.decisions, p.decision_rows), (t.votes, p.vote_rows),
              (t.activities, p.activity_rows))
    return loaded == state and all(
        _rows(conn, table, plan_id) == _canon(rows(state)) for table, rows in tables)


def _rows(conn: Connection, table: Any, plan_id: str) -> list[tuple[Any, ...]]:
    found = conn.execute(select(table).where(table.c.plan_id == plan_id)).mappings()
    return _canon([dict(r) for r in found])


def _canon(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    def norm(v: Any) -> Any:
        return utc(v) if isinstance(v, dt.datetime) else v

    return sorted((tuple(norm(r[k]) for k in sorted(r)) for r in rows), key=repr)


def _proposal_rows(conn: Connection, dialect: Dialect) -> Iterator[ProposalState]:
    query = f"SELECT {sql.PROPOSAL_COLUMNS} FROM proposals ORDER BY proposal_id"
    return (proposal_from_row(row, dialect) for row in _stream(conn, dialect, query))


def _stored_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(t.proposals.c.proposal_id)).scalars())


def _last_position(conn: Connection, stream: str) -> int | None:
    """Return the position of a stream's last event (looked up once a mismatch is found)."""
    found = conn.execute(select(func.max(events.c.position))
                         .where(events.c.stream_id == stream)).scalar()
    return None if found is None else int(found)


def _stale(conn: Connection, stream: str, locale: str) -> Finding:
    position = _last_position(conn, stream)
    return Finding(position, say(locale, "audit.projection", stream=stream, position=position))


def replay_as_of(engine: Engine, plan_id: str, as_of: dt.datetime | None = None) -> Replay:
    """Rebuild one plan and its proposals from the events up to ``as_of`` (inclusive)."""
    replay = Replay()
    conditions: list[Any] = [events.c.plan_id == plan_id]
    if as_of is not None:
        conditions.append(events.c.occurred_at <= as_of.astimezone(dt.UTC))
    with reading(engine) as conn:
        for row in scan(conn, *conditions):
            replay.apply(recorded(row))
    return replay
