"""The append-only event log: appending under the head lock, chaining hashes, reading in order.

Each event's hash is SHA-256 over the previous event's hash, a canonical JSON
header of its columns (its moment as fixed UTC text, see
:func:`storage.sql.hash_time`) and its data text, so editing, deleting or
reordering a row breaks the chain at that row. The ``log_head`` row (position
and hash of the last event) is locked first by every write, which makes
positions gapless and in commit order on PostgreSQL as on SQLite (where
BEGIN IMMEDIATE already holds the database's write lock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, select

from storage import sql
from storage.sql import Dialect, hash_time
from storage.tables import events, log_head
from workflow.domain.canonical import canonical_json, canonical_list
from workflow.domain.events import Actor, DomainEvent, RecordedEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class CommandMeta:
    """Ids that tie a command's events together (request id, causing event)."""

    correlation_id: str | None = None
    causation_id: str | None = None


@dataclass(frozen=True)
class Head:
    """The last event's position and hash (position 0 and the genesis hash when empty)."""

    position: int
    hash: str


def utc(value: dt.datetime) -> dt.datetime:
    """Return ``value`` as an aware UTC datetime (SQLite hands back naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def chain_digest(previous: str, header_json: bytes, data: bytes) -> str:
    """Return an event's hash: SHA-256 of the previous hash, its header and its data, a line each.

    The one formula of the chain; :func:`chain_hash` and verify's faster pass
    (:func:`storage.chain.link`) both hash through it.
    """
    return hashlib.sha256(b"%b\n%b\n%b" % (previous.encode(), header_json, data)).hexdigest()


def chain_hash(previous: str, header: Sequence[Any], data: str) -> str:
    """Return the hash of an event (its header columns and data text) chained to ``previous``."""
    return chain_digest(previous, canonical_list(header).encode(), data.encode())


def header(row: Sequence[Any], moment: str) -> list[Any]:
    """Return the header an event's hash covers, in order, from its ``events`` row.

    ``row`` holds the table's columns in order (position ... correlation_id; the
    hash itself may follow); ``moment`` is its time as :func:`storage.sql.hash_time`
    text. The one place that fixes which columns the chain covers.
    """
    return [*row[:7], row[8], row[9], moment, row[11], row[12]]


def row_header(row: Mapping[Any, Any]) -> list[Any]:
    """Return the header of an events row read with SQLAlchemy (its moment a datetime)."""
    return header(tuple(row[c.name] for c in events.columns), hash_time(utc(row["occurred_at"])))


def append(cur: Any, dialect: Dialect, head: Head, new: Sequence[DomainEvent], plan_id: str,
           meta: CommandMeta) -> tuple[Head, list[RecordedEvent]]:
    """Append ``new`` after ``head`` on a DBAPI cursor and move the head.

    A version clash raises the driver's IntegrityError (UNIQUE(stream_id, version));
    the unit of work turns it into a ConcurrencyError.
    """
    rows, recorded_events, previous = [], [], head.hash
    moments: dict[dt.datetime, tuple[Any, str]] = {}  # an import's events share their moment
    for position, event in enumerate(new, start=head.position + 1):
        event_id, data = str(uuid.uuid4()), canonical_json(event.data)
        at = moments.get(event.occurred_at)
        if at is None:
            at = moments[event.occurred_at] = (dialect.time(event.occurred_at),
                                               hash_time(event.occurred_at))
        row = (position, event_id, event.stream_id, event.stream_type, plan_id,
               event.version, event.type, data, event.actor.name, event.actor.role,
               at[0], meta.causation_id, meta.correlation_id)
        previous = chain_hash(previous, header(row, at[1]), data)
        rows.append((*row, previous))
        recorded_events.append(RecordedEvent(position, event_id, event, meta.causation_id,
                                             meta.correlation_id, previous))
    if not rows:
        return head, []
    if len(rows) == 1:  # most commands: executemany costs more than execute for one row
        cur.execute(dialect.text(sql.INSERT_EVENT), rows[0])
    else:
        cur.executemany(dialect.text(sql.INSERT_EVENT), rows)
    moved = Head(head.position + len(rows), previous)
    cur.execute(dialect.text(sql.MOVE_HEAD), (moved.position, moved.hash))
    return moved, recorded_events


def stream_version(conn: Connection, stream_id: str) -> int:
    """Return the newest version of a stream (0 when it has no events)."""
    found = conn.execute(select(func.max(events.c.version))
                         .where(events.c.stream_id == stream_id)).scalar()
    return int(found or 0)


def read_head(conn: Connection) -> Head:
    """Return the log's head without locking it."""
    row = conn.execute(select(log_head.c.position, log_head.c.hash)
                       .where(log_head.c.id == 1)).one()
    return Head(row.position, row.hash)


def scan(conn: Connection, *conditions: Any, batch: int = 2000,
         limit: int | None = None) -> Iterator[Row[Any]]:
    """Yield event rows in position order, streamed in batches (never the whole log at once)."""
    query = select(events).where(*conditions).order_by(events.c.position).limit(limit)
    yield from conn.execute(query, execution_options={"yield_per": batch})


def recorded(row: Row[Any]) -> RecordedEvent:
    """Turn an events row into a RecordedEvent (parsing its data)."""
    event = DomainEvent(row.stream_id, row.stream_type, row.version, row.type,
                        json.loads(row.data), Actor(row.actor, row.actor_role),
                        utc(row.occurred_at))
    return RecordedEvent(row.position, row.event_id, event, row.causation_id,
                         row.correlation_id, row.hash)
