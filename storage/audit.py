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
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from definitions.messages import resolved, say
from storage.audit_projections import check_projections
from storage.chain import (
    EVENT_COLUMNS,
    ChainResult,
    Finding,
    Moments,
    check_chain,
    collect,
    log_query,
    start_worker,
    streamed,
)
from storage.database import reading
from storage.event_data import event_data
from storage.eventstore import (
    GENESIS,
    Head,
    read_head,
)
from storage.sql import Dialect, dialect_of
from storage.tables import events
from workflow.domain.errors import IllegalEvent
from workflow.domain.events import Actor
from workflow.domain.ogp_facts import read_data
from workflow.domain.replay import Replay


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


def report_data(report: AuditReport) -> dict[str, Any]:
    """Return verify's report as the JSON data ``cocrea verify --json`` prints."""
    finding = report.finding
    return {"ok": report.ok, "events": report.events, "plans": report.plans,
            "proposals": report.proposals,
            "head": {"position": report.head.position, "hash": report.head.hash},
            "finding": None if finding is None else
            {"position": finding.position, "message": finding.message}}


def digest(engine: Engine) -> Head:
    """Return the log's head: what an auditor keeps outside the database."""
    with reading(engine) as conn:
        return read_head(conn)


PARALLEL_FROM = 50_000
"""From this many events on, the chain pass runs in a second process beside the replay."""


def verify(engine: Engine, kept: Head | None = None, locale: str | None = None,
           parallel: bool | None = None) -> AuditReport:
    """Check the whole log and the projections; see the module docstring.

    A finding about one plan is said in its language, any other in ``locale`` (the
    deployment's when None).

    ``parallel`` forces the chain pass into a worker process (True) or keeps it
    here (False); by default large logs use the worker.
    """
    report, replay, locale = AuditReport(), Replay(), resolved(locale)
    dialect = dialect_of(engine.dialect.name)
    with reading(engine) as conn:
        upto = int(conn.execute(select(func.coalesce(func.max(events.c.position), 0)))
                   .scalar_one())
        if parallel if parallel is not None else upto >= PARALLEL_FROM:
            chain, replayed, projected = _both_in_parallel(engine, conn, dialect, upto, kept,
                                                           replay, locale)
        else:
            with streamed(conn, dialect, log_query(EVENT_COLUMNS, upto)) as rows:
                chain = check_chain(rows, dialect, kept, locale)
            replayed, projected = _replay_and_compare(conn, dialect, upto, replay, locale)
        report.events, report.head = chain.events, chain.head
        report.finding = (earliest(chain.finding, replayed)
                          or _check_head(conn, report, locale) or _last(projected))
    report.plans, report.proposals = len(replay.plans), len(replay.proposals)
    return report


Projected = Finding | Exception | None
"""What comparing the projections gave: a finding, none, or the error it raised."""


def _both_in_parallel(engine: Engine, conn: Connection, dialect: Dialect, upto: int,
                      kept: Head | None, replay: Replay,
                      locale: str) -> tuple[ChainResult, Finding | None, Projected]:
    url = engine.url.render_as_string(hide_password=False)
    worker = start_worker(url, upto, kept, locale)
    try:
        replayed, projected = _replay_and_compare(conn, dialect, upto, replay, locale)
    except BaseException:
        worker.kill()
        raise
    return collect(worker), replayed, projected


def _replay_and_compare(conn: Connection, dialect: Dialect, upto: int, replay: Replay,
                        locale: str) -> tuple[Finding | None, Projected]:
    """Replay the log, then (if it replayed) compare the projections with it.

    The projections are compared while the chain worker is still hashing, but
    verify reports what that gave (see :func:`_last`) only when the chain, the
    replay and the head all fit, as if they had been compared last.
    """
    query = log_query(_replay_columns(conn, dialect), upto)
    with streamed(conn, dialect, query) as rows, collector_paused():
        replayed = replay_rows(rows, dialect, replay, locale)
    if replayed is not None:
        return replayed, None
    try:
        with collector_paused():
            return None, check_projections(conn, dialect, replay, locale)
    except Exception as exc:  # raised by _last, once nothing in the log explains it
        return None, exc


def _last(projected: Projected) -> Finding | None:
    """Return the projections' finding, or raise the error comparing them raised."""
    if isinstance(projected, Exception):
        raise projected
    return projected


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the replay, then restore it as it was.

    The replay keeps one object per proposal and makes no reference cycles, so
    the collector would only walk that growing state again and again (about
    5 % of the replay of a million events); memory is freed by reference
    counting all the same. The comparison of the projections that follows makes
    no cycles either, and its tuples would set off full collections over the
    whole replay (half the time of comparing 1,000 commitments' rows). A
    collector that was already off stays off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def earliest(chain: Finding | None, replayed: Finding | None) -> Finding | None:
    """Return the first finding by position; at one event the chain's explains the replay's."""
    if chain is None or replayed is None:
        return chain or replayed
    return replayed if (replayed.position or 0) < (chain.position or 0) else chain


def _replay_columns(conn: Connection, dialect: Dialect) -> str:
    """Return the columns the replay reads, in ``replay_rows``' order (the chain reads them all).

    On SQLite the data comes as its stored UTF-8 bytes, which orjson parses as
    they are: read as text, the driver would decode them and orjson encode them
    again. (A database that stores text as UTF-16, which cocrea never creates,
    is read as text.)
    """
    utf8 = not dialect.postgresql and conn.exec_driver_sql("PRAGMA encoding").scalar() == "UTF-8"
    data = "CAST(data AS BLOB)" if utf8 else "data"
    return ("position, stream_id, stream_type, version, type,"
            f" {data}, actor, actor_role, occurred_at")


def replay_rows(rows: Iterable[Sequence[Any]], moments: Moments, replay: Replay,
                locale: str) -> Finding | None:
    """Replay every event on the pinned machines; the first illegal one is the finding.

    The auditor's hot loop (a million events): plain tuples (``_replay_columns``),
    no event objects; from the database or from an evidence pack.
    """
    actors: dict[tuple[str, str], Actor] = {}
    apply, read_time = replay.apply_fields, moments.read_time
    for position, stream, kind, version, event_type, data, actor, role, moment in rows:
        try:
            who = actors.get((actor, role)) or actors.setdefault((actor, role), Actor(actor, role))
            apply(position, stream, kind, version, event_type, event_data(data), who,
                  read_time(moment))
        except (IllegalEvent, ValueError, TypeError) as exc:  # a pack's values may be any type
            detail = exc.said(locale) if isinstance(exc, IllegalEvent) else exc
            return Finding(position, say(locale, "audit.illegal", position=position,
                                         type=event_type, detail=detail), locale)
    return None


def _check_head(conn: Connection, report: AuditReport, locale: str) -> Finding | None:
    stored = read_head(conn)
    if stored != report.head:
        return Finding(report.head.position + 1,
                       say(locale, "audit.head", head=stored.position, last=report.head.position),
                       locale)
    return None


def replay_as_of(engine: Engine, plan_id: str, as_of: dt.datetime | None = None) -> Replay:
    """Rebuild one plan and its proposals from the events up to ``as_of`` (inclusive)."""
    return history_as_of(engine, plan_id, as_of)[0]


def history_as_of(engine: Engine, plan_id: str, as_of: dt.datetime | None = None,
                  ) -> tuple[Replay, list[dict[str, Any]]]:
    """Rebuild one plan as of a moment, and return its events up to then as plain data too."""
    with reading(engine) as conn:
        return plan_history(conn, plan_id, as_of)


def plan_history(conn: Connection, plan_id: str, as_of: dt.datetime | None = None,
                 upto: int | None = None) -> tuple[Replay, list[dict[str, Any]]]:
    """Rebuild one plan from ``conn``'s snapshot, up to a moment and a position (inclusive).

    Its events are returned as plain data too, what the OGP report reads of them:
    ``position``, ``stream``, ``type``, ``occurred_at`` (ISO, UTC) and ``data`` (of a
    proposal's events, only the fields its rules read: ``read_data``). The
    rows come as verify reads them (the driver's cursor, only the replay's columns),
    each event's data parsed once and shared by the replay's fast path (no event
    objects) and the history: a plan of 100,000 proposals is nearly half a million
    events, and the OGP page reads them all.
    """
    replay, history = Replay(), list[dict[str, Any]]()
    dialect = dialect_of(conn.dialect.name)
    where: list[str] = ["plan_id = ?"]
    params: list[Any] = [plan_id]
    if as_of is not None:
        where.append("occurred_at <= ?")
        params.append(dialect.time(as_of.astimezone(dt.UTC)))
    if upto is not None:
        where.append("position <= ?")
        params.append(upto)
    query = (f"SELECT {_replay_columns(conn, dialect)} FROM events"
             f" WHERE {' AND '.join(where)} ORDER BY position")
    actors: dict[tuple[str, str], Actor] = {}
    with streamed(conn, dialect, query, tuple(params)) as rows:
        for position, stream, kind, version, event_type, raw, actor, role, at in rows:
            data, moment = event_data(raw), dialect.read_time(at)
            who = actors.get((actor, role)) or actors.setdefault((actor, role), Actor(actor, role))
            replay.apply_fields(position, stream, kind, version, event_type, data, who, moment)
            history.append({"position": position, "stream": stream, "type": event_type,
                            "occurred_at": moment.isoformat(),
                            "data": read_data(event_type, data)})
    return replay, history
