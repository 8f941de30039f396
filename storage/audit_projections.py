"""Verify's last step: every projection row must equal the state the log replays to.

Plans (their row, snapshot, phases, members, decisions, votes, activities),
proposals (streamed, column by column), commitments (their rows, milestones and
links: :mod:`storage.audit_commitments`) and deadlines (moment, status, outcome).
A row that differs names the last event of its stream; a row the log does not
explain, or a replayed one without its row, is named too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, func, select

from definitions.messages import say
from storage import projections as p
from storage import sql
from storage import tables as t
from storage.audit_commitments import check_commitments
from storage.chain import Finding, streamed
from storage.eventstore import utc
from storage.sql import Dialect
from storage.tables import events
from storage.uow import read_plan
from workflow.domain.deadlines import Expected
from workflow.domain.replay import Replay


def check_projections(conn: Connection, dialect: Dialect, replay: Replay,
                      locale: str) -> Finding | None:
    """Return the first projection that does not equal the replay, or None."""
    return (_check_plans(conn, dialect, replay, locale)
            or _check_supporters(conn, dialect, replay, locale)
            or check_commitments(conn, replay, locale,
                                 lambda stream, words: _stale(conn, stream, words))
            or _check_deadlines(conn, dialect, replay, locale))


def _check_supporters(conn: Connection, dialect: Dialect, replay: Replay,
                      locale: str) -> Finding | None:
    """Every supporter row must be one the log recorded, and every recorded one a row."""
    seen: dict[str, int] = {}
    query = "SELECT proposal_id, supporter FROM supports ORDER BY proposal_id"
    with streamed(conn, dialect, query) as rows:
        for proposal_id, supporter in rows:
            known = replay.supporters.get(proposal_id)
            if known is None or bytes.fromhex(supporter) not in known:
                return _support_misfit(conn, replay, proposal_id, locale)
            seen[proposal_id] = seen.get(proposal_id, 0) + 1
    for proposal_id, known in replay.supporters.items():
        if seen.get(proposal_id, 0) != len(known):
            return _support_misfit(conn, replay, proposal_id, locale)
    return None


def _support_misfit(conn: Connection, replay: Replay, proposal_id: str,
                    locale: str) -> Finding:
    replayed = replay.proposals.get(proposal_id)
    plan_id = "" if replayed is None else replayed.plan_id
    return _stale(conn, proposal_id, _plan_locale(replay, plan_id, locale))


def _check_plans(conn: Connection, dialect: Dialect, replay: Replay,
                       locale: str) -> Finding | None:
    for plan_id, plan in replay.plans.items():
        if not _plan_fits(conn, plan_id, plan.state):
            return _stale(conn, plan_id, plan.locale)
    stored_plans = set(conn.execute(select(t.plans.c.plan_id)).scalars())
    for extra in sorted(stored_plans - set(replay.plans)):
        return Finding(None, say(locale, "audit.extra", stream=extra), locale)
    return _check_proposals(conn, dialect, replay, locale)


def _check_proposals(conn: Connection, dialect: Dialect, replay: Replay,
                     locale: str) -> Finding | None:
    """Compare each ``proposals`` row, column by column, with the replayed proposal of its id."""
    columns, read, seen = attrgetter(*p.PROPOSAL_ORDER), dialect.read_time, 0
    query = f"SELECT {sql.PROPOSAL_COLUMNS} FROM proposals ORDER BY proposal_id"
    with streamed(conn, dialect, query) as rows:
        for row in rows:
            replayed = replay.proposals.get(row[0])
            if replayed is None:
                return Finding(None, say(locale, "audit.extra", stream=row[0]), locale)
            if _read_moments(row, read) != columns(replayed):
                return _stale(conn, row[0], _plan_locale(replay, replayed.plan_id, locale))
            seen += 1
    if seen != len(replay.proposals):
        missing = next(iter(sorted(set(replay.proposals) - _stored_ids(conn))), "?")
        plan_id = replay.proposals[missing].plan_id if missing in replay.proposals else ""
        return _stale(conn, missing, _plan_locale(replay, plan_id, locale))
    return None


def _read_moments(row: tuple[Any, ...], read: Callable[[Any], dt.datetime]) -> tuple[Any, ...]:
    """Return a ``proposals`` row as the state it stands for: moments read, fields parsed."""
    return (*row[:11], read(row[11]), None if row[12] is None else read(row[12]),
            json.loads(row[13]) if row[13] else {}, *row[14:])


DEADLINE_COLUMNS = ("deadline_id, plan_id, phase_id, kind, days, due_at, status, outcome,"
                    " fired_at, fired_by")

Misfit = tuple[str, dict[str, Any]]
"""How a deadline row differs from the log: a message key and its parameters (for
``audit.deadline_status``, the row's and the log's (status, outcome) pairs)."""


def _check_deadlines(conn: Connection, dialect: Dialect, replay: Replay,
                     locale: str) -> Finding | None:
    """Check every deadline row against what the log alone implies.

    Its moment, status and outcome, and when (and that someone) fired it; a row
    the log never scheduled, or a scheduled one without its row, is named too,
    with its plan and phase, in the plan's language.
    """
    expected, read, seen = replay.deadlines.expected, dialect.read_time, 0
    query = f"SELECT {DEADLINE_COLUMNS} FROM deadlines ORDER BY deadline_id"
    with streamed(conn, dialect, query) as rows:
        for row in rows:
            item = expected.get(row[0])
            misfit = _deadline_misfit(row, item, read)
            if misfit is not None:
                where = item.deadline if item is not None else None
                plan, phase = (where.plan_id, where.phase_id) if where else (row[1], row[2])
                return _deadline_finding(replay, row[0], plan, phase, misfit, locale)
            seen += 1
    if seen != len(expected):
        stored = set(conn.execute(select(t.deadlines.c.deadline_id)).scalars())
        missing = expected[min(set(expected) - stored)].deadline
        return _deadline_finding(replay, missing.deadline_id, missing.plan_id,
                                 missing.phase_id, ("audit.deadline_missing", {}), locale)
    return None


def _deadline_misfit(row: tuple[Any, ...], item: Expected | None,
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


def _stored_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(t.proposals.c.proposal_id)).scalars())


def _last_position(conn: Connection, stream: str) -> int | None:
    """Return the position of a stream's last event (looked up once a mismatch is found)."""
    found = conn.execute(select(func.max(events.c.position))
                         .where(events.c.stream_id == stream)).scalar()
    return None if found is None else int(found)


def _stale(conn: Connection, stream: str, locale: str) -> Finding:
    position = _last_position(conn, stream)
    return Finding(position, say(locale, "audit.projection", stream=stream, position=position),
                   locale)
