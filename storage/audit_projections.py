"""Verify's last step: every projection row must equal the state the log replays to.

Plans (their row, snapshot, phases, members, decisions, votes, activities),
proposals (streamed, column by column), supporters, imported proposals' origins,
commitments (their rows, milestones and links: :mod:`storage.audit_commitments`, read
from the database only) and deadlines (moment, status, outcome).
A row that differs names the last event of its stream; a row the log does not
explain, or a replayed one without its row, is named too.

The rows come from a :class:`Projections`: the database in verify's snapshot
(:class:`StoredProjections`), or the tables an evidence pack ships
(``storage.pack_read``), compared by the same functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from operator import attrgetter
from typing import Any, Protocol

from sqlalchemy import Connection, Table, func, select

from definitions.messages import say
from storage import projections as p
from storage import sql
from storage import tables as t
from storage.audit_commitments import check_commitments
from storage.chain import Finding, streamed
from storage.eventstore import utc
from storage.sql import Dialect
from storage.tables import events
from storage.uow import PlanRow, plan_from_row
from workflow.domain.deadlines import Expected
from workflow.domain.plan import Plan
from workflow.domain.replay import Replay

DEADLINE_COLUMNS = ("deadline_id, plan_id, phase_id, kind, days, due_at, status, outcome,"
                    " fired_at, fired_by")
STREAMED: dict[str, tuple[str, str]] = {
    "proposals": (sql.PROPOSAL_COLUMNS, "proposal_id"),
    "supports": ("proposal_id, supporter", "proposal_id, supporter"),
    "deadlines": (DEADLINE_COLUMNS, "deadline_id"),
    "proposal_origins": (sql.ORIGIN_COLUMNS, "proposal_id"),
}
"""The tables compared row by row as they stream: their columns (in the order the
comparisons read them) and their order."""
PLAN_TABLES: tuple[tuple[Table, Callable[[Any], list[dict[str, Any]]]], ...] = (
    (t.phases, p.phase_rows), (t.members, p.member_rows), (t.decisions, p.decision_rows),
    (t.votes, p.vote_rows), (t.activities, p.activity_rows))
"""The tables of a plan's parts, each with the function that makes its rows from the state."""


def streamed_query(table: str, plan_id: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """Return the query of a :data:`STREAMED` table (one plan's rows, or all) and its params."""
    columns, order = STREAMED[table]
    if plan_id is None:
        return f"SELECT {columns} FROM {table} ORDER BY {order}", ()
    scope = ("proposal_id IN (SELECT proposal_id FROM proposals WHERE plan_id = ?)"
             if table == "supports" else "plan_id = ?")
    return f"SELECT {columns} FROM {table} WHERE {scope} ORDER BY {order}", (plan_id,)


class Projections(Protocol):
    """Where the projection rows come from: the database, or an evidence pack."""

    def read_time(self, value: Any) -> dt.datetime:
        """Return a stored moment as an aware UTC datetime."""
        ...

    def rows(self, table: str) -> AbstractContextManager[Iterable[Sequence[Any]]]:
        """Stream the rows of a :data:`STREAMED` table, its columns and order."""
        ...

    def plan_ids(self) -> set[str]:
        """Return the ids of the ``plans`` rows."""
        ...

    def plan_row(self, plan_id: str) -> PlanRow | None:
        """Return a plan's row (None: it has none)."""
        ...

    def plan_rows(self, table: Table, plan_id: str) -> list[dict[str, Any]]:
        """Return the rows of a plan's parts in ``table`` (one of :data:`PLAN_TABLES`)."""
        ...

    def last_position(self, stream: str) -> int | None:
        """Return the position of a stream's last event (asked once a misfit is found)."""
        ...


class StoredProjections:
    """The projections in the database, read on verify's connection (one snapshot)."""

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        self.conn, self.dialect = conn, dialect
        self.read_time = dialect.read_time

    def rows(self, table: str) -> AbstractContextManager[Iterable[Sequence[Any]]]:
        """Stream a table's rows on the driver's own cursor."""
        return streamed(self.conn, self.dialect, streamed_query(table)[0])

    def plan_ids(self) -> set[str]:
        """Return the ids of the ``plans`` rows."""
        return set(self.conn.execute(select(t.plans.c.plan_id)).scalars())

    def plan_row(self, plan_id: str) -> PlanRow | None:
        """Return a plan's row."""
        columns = [t.plans.c[name] for name in PlanRow._fields]
        found = self.conn.execute(select(*columns).where(t.plans.c.plan_id == plan_id)).first()
        return None if found is None else PlanRow(*found)

    def plan_rows(self, table: Table, plan_id: str) -> list[dict[str, Any]]:
        """Return the rows of a plan's parts, read with SQLAlchemy (typed)."""
        found = self.conn.execute(select(table).where(table.c.plan_id == plan_id)).mappings()
        return [dict(r) for r in found]

    def last_position(self, stream: str) -> int | None:
        """Return the position of a stream's last event."""
        found = self.conn.execute(select(func.max(events.c.position))
                                  .where(events.c.stream_id == stream)).scalar()
        return None if found is None else int(found)


def check_projections(conn: Connection, dialect: Dialect, replay: Replay,
                      locale: str) -> Finding | None:
    """Return the first projection in the database that does not equal the replay, or None."""
    source = StoredProjections(conn, dialect)
    return (compare_projections(source, replay, locale)
            or check_commitments(conn, dialect, replay, locale,
                                 lambda stream, words: _stale(source, stream, words)))


def compare_projections(source: Projections, replay: Replay, locale: str) -> Finding | None:
    """Return the first projection of ``source`` that does not equal the replay, or None."""
    return (_check_plans(source, replay, locale)
            or _check_supporters(source, replay, locale)
            or _check_origins(source, replay, locale)
            or _check_deadlines(source, replay, locale))


def _check_origins(source: Projections, replay: Replay, locale: str) -> Finding | None:
    """Compare each origin row with what its proposal's ``ProposalImported`` recorded.

    A row of a proposal that was not imported is named, and so is an imported
    proposal without its row.
    """
    seen = 0
    with source.rows("proposal_origins") as rows:
        for row in rows:
            imported = replay.origins.get(row[0])
            if imported is None:
                return Finding(None, say(locale, "audit.extra_origin", proposal=row[0]), locale)
            if (*row[:4], int(row[4]), *row[5:]) != p.origin_row(row[0], imported):
                return _stale(source, row[0], _plan_locale(replay, imported.plan_id, locale))
            seen += 1
    if seen != len(replay.origins):
        missing = min(set(replay.origins) - _stored_ids(source, "proposal_origins"))
        return _stale(source, missing, _plan_locale(replay, replay.origins[missing].plan_id,
                                                    locale))
    return None


def _check_supporters(source: Projections, replay: Replay, locale: str) -> Finding | None:
    """Every supporter row must be one the log recorded, and every recorded one a row."""
    seen: dict[str, int] = {}
    with source.rows("supports") as rows:
        for proposal_id, supporter in rows:
            known = replay.supporters.get(proposal_id)
            if known is None or bytes.fromhex(supporter) not in known:
                return _support_misfit(source, replay, proposal_id, locale)
            seen[proposal_id] = seen.get(proposal_id, 0) + 1
    for proposal_id, known in replay.supporters.items():
        if seen.get(proposal_id, 0) != len(known):
            return _support_misfit(source, replay, proposal_id, locale)
    return None


def _support_misfit(source: Projections, replay: Replay, proposal_id: str,
                    locale: str) -> Finding:
    replayed = replay.proposals.get(proposal_id)
    plan_id = "" if replayed is None else replayed.plan_id
    return _stale(source, proposal_id, _plan_locale(replay, plan_id, locale))


def _check_plans(source: Projections, replay: Replay, locale: str) -> Finding | None:
    for plan_id, plan in replay.plans.items():
        if not _plan_fits(source, plan_id, plan):
            return _stale(source, plan_id, plan.locale)
    for extra in sorted(source.plan_ids() - set(replay.plans)):
        return Finding(None, say(locale, "audit.extra", stream=extra), locale)
    return _check_proposals(source, replay, locale)


def _check_proposals(source: Projections, replay: Replay, locale: str) -> Finding | None:
    """Compare each ``proposals`` row, column by column, with the replayed proposal of its id."""
    columns, read, seen = attrgetter(*p.PROPOSAL_ORDER), source.read_time, 0
    with source.rows("proposals") as rows:
        for row in rows:
            replayed = replay.proposals.get(row[0])
            if replayed is None:
                return Finding(None, say(locale, "audit.extra", stream=row[0]), locale)
            if _read_moments(row, read) != columns(replayed):
                return _stale(source, row[0], _plan_locale(replay, replayed.plan_id, locale))
            seen += 1
    if seen != len(replay.proposals):
        missing = next(iter(sorted(set(replay.proposals) - _stored_ids(source, "proposals"))),
                       "?")
        plan_id = replay.proposals[missing].plan_id if missing in replay.proposals else ""
        return _stale(source, missing, _plan_locale(replay, plan_id, locale))
    return None


def _read_moments(row: Sequence[Any], read: Callable[[Any], dt.datetime]) -> tuple[Any, ...]:
    """Return a ``proposals`` row as the state it stands for: moments read, fields parsed."""
    return (*row[:11], read(row[11]), None if row[12] is None else read(row[12]),
            json.loads(row[13]) if row[13] else {}, *row[14:])


Misfit = tuple[str, dict[str, Any]]
"""How a deadline row differs from the log: a message key and its parameters (for
``audit.deadline_status``, the row's and the log's (status, outcome) pairs)."""


def _check_deadlines(source: Projections, replay: Replay, locale: str) -> Finding | None:
    """Check every deadline row against what the log alone implies.

    Its moment, status and outcome, and when (and that someone) fired it; a row
    the log never scheduled, or a scheduled one without its row, is named too,
    with its plan and phase, in the plan's language.
    """
    expected, read, seen = replay.deadlines.expected, source.read_time, 0
    with source.rows("deadlines") as rows:
        for row in rows:
            item = expected.get(row[0])
            misfit = _deadline_misfit(row, item, read)
            if misfit is not None:
                where = item.deadline if item is not None else None
                plan, phase = (where.plan_id, where.phase_id) if where else (row[1], row[2])
                return _deadline_finding(replay, row[0], plan, phase, misfit, locale)
            seen += 1
    if seen != len(expected):
        stored = _stored_ids(source, "deadlines")
        missing = expected[min(set(expected) - stored)].deadline
        return _deadline_finding(replay, missing.deadline_id, missing.plan_id,
                                 missing.phase_id, ("audit.deadline_missing", {}), locale)
    return None


def _deadline_misfit(row: Sequence[Any], item: Expected | None,
                     read: Callable[[Any], dt.datetime]) -> Misfit | None:
    """Say how a deadline row differs from what the log implies (None: it does not)."""
    _, plan_id, phase_id, kind, days, due_at, status, outcome, fired_at, fired_by = row
    if item is None:
        return "audit.deadline_extra", {}
    d = item.deadline
    if (plan_id, phase_id, kind, days, read(due_at)) != (
            d.plan_id, d.phase_id, d.kind, d.days, d.due_at):
        return "audit.deadline_moved", {}
    if (status, outcome) != (item.status, item.outcome):
        return "audit.deadline_status", {"row": (status, outcome),
                                         "expected": (item.status, item.outcome)}
    at = None if fired_at is None else read(fired_at)
    if at != item.fired_at or bool(fired_by) != (item.fired_at is not None):
        shown = {"fired_at": "—" if at is None else at.isoformat(), "fired_by": fired_by or "—"}
        if item.fired_at is None:
            return "audit.deadline_unfired", {**shown, "status": status}
        return "audit.deadline_fired", {**shown, "expected": item.fired_at.isoformat()}
    return None


def _deadline_finding(replay: Replay, deadline_id: str, plan_id: str, phase_id: str,
                      misfit: Misfit, locale: str) -> Finding:
    """Name a deadline that does not fit the log, in its plan's language when the log has it."""
    key, params = misfit
    words = _plan_locale(replay, plan_id, locale)
    if key == "audit.deadline_status":  # the statuses come as (status, outcome) pairs
        params = {name: _row_words(words, *params[name]) for name in ("row", "expected")}
    return Finding(None, say(words, key, deadline=deadline_id, plan=plan_id, phase=phase_id,
                             **params), words)


def _plan_locale(replay: Replay, plan_id: str, otherwise: str) -> str:
    """Return the language of a plan the log has, else ``otherwise``."""
    plan = replay.plans.get(plan_id)
    return plan.locale if plan is not None else otherwise


def _row_words(locale: str, status: str, outcome: str | None) -> str:
    """Say a deadline's status, with its outcome when it has one."""
    if outcome is None:
        return say(locale, "audit.deadline_row", status=status)
    return say(locale, "audit.deadline_row_outcome", status=status, outcome=outcome)


def _plan_fits(source: Projections, plan_id: str, plan: Plan) -> bool:
    """Whether a plan's row, snapshot and parts' rows equal its replayed state."""
    try:
        row = source.plan_row(plan_id)
        if row is None:
            return False
        loaded = plan_from_row(row._replace(created_at=utc(row.created_at)), plan.catalog)
    except Exception:
        return False
    return loaded.state == plan.state and all(
        _canon(source.plan_rows(table, plan_id)) == _canon(rows(plan.state))
        for table, rows in PLAN_TABLES)


def _canon(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    def norm(v: Any) -> Any:
        return utc(v) if isinstance(v, dt.datetime) else v

    return sorted((tuple(norm(r[k]) for k in sorted(r)) for r in rows), key=repr)


def _stored_ids(source: Projections, table: str) -> set[str]:
    with source.rows(table) as rows:
        return {row[0] for row in rows}


def _stale(source: Projections, stream: str, locale: str) -> Finding:
    position = source.last_position(stream)
    return Finding(position, say(locale, "audit.projection", stream=stream, position=position),
                   locale)


@contextmanager
def listed(rows: Iterable[Sequence[Any]]) -> Iterator[Iterable[Sequence[Any]]]:
    """Hand over rows already at hand as :meth:`Projections.rows` hands over a cursor."""
    yield rows
