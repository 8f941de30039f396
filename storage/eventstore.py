"""The append-only event log: appending under the head lock, chaining hashes, reading in order.

Each event's hash is SHA-256 over the previous event's hash, a canonical JSON
header of its columns and its data text, so editing, deleting or reordering a
row breaks the chain at that row. The ``log_head`` row (position and hash of
the last event) is locked first by every write, which makes positions gapless
and in commit order on PostgreSQL as on SQLite (where BEGIN IMMEDIATE already
holds the database's write lock).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, select, update
from sqlalchemy.exc import IntegrityError

from storage.tables import events, log_head
from workflow.canonical import canonical_json, sha256_hex
from workflow.errors import ConcurrencyError
from workflow.events import Actor, DomainEvent, RecordedEvent
from workflow.messages import say

GENESIS = "0" * 64
HEADER_COLUMNS = ("position", "event_id", "stream_id", "stream_type", "plan_id", "version",
                  "type", "actor", "actor_role", "occurred_at", "causation_id",
                  "correlation_id")


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


def chain_hash(previous: str, row: dict[str, Any]) -> str:
    """Return the hash of an event row chained to the ``previous`` event's hash."""
    header = [row[c].isoformat() if c == "occurred_at" else row[c] for c in HEADER_COLUMNS]
    return sha256_hex(f"{previous}\n{canonical_json(header)}\n{row['data']}")


def lock_head(conn: Connection) -> Head:
    """Lock the log's head row for this transaction and return it."""
    row = conn.execute(select(log_head.c.position, log_head.c.hash)
                       .where(log_head.c.id == 1).with_for_update()).one()
    return Head(row.position, row.hash)


def append(conn: Connection, head: Head, new: Sequence[DomainEvent], plan_id: str,
           meta: CommandMeta, locale: str = "es") -> tuple[Head, list[RecordedEvent]]:
    """Append ``new`` after ``head`` and move the head; a version clash is a ConcurrencyError."""
    rows, recorded, previous = [], [], head.hash
    for offset, event in enumerate(new, start=1):
        row = _row(head.position + offset, event, plan_id, meta)
        row["hash"] = previous = chain_hash(previous, row)
        rows.append(row)
        recorded.append(RecordedEvent(row["position"], row["event_id"], event,
                                      meta.causation_id, meta.correlation_id, previous))
    if not rows:
        return head, []
    try:
        conn.execute(events.insert(), rows)
    except IntegrityError as exc:
        raise _clash(conn, new, locale) from exc
    moved = Head(rows[-1]["position"], previous)
    conn.execute(update(log_head).where(log_head.c.id == 1)
                 .values(position=moved.position, hash=moved.hash))
    return moved, recorded


def _row(position: int, event: DomainEvent, plan_id: str, meta: CommandMeta) -> dict[str, Any]:
    return {"position": position, "event_id": str(uuid.uuid4()), "stream_id": event.stream_id,
            "stream_type": event.stream_type, "plan_id": plan_id, "version": event.version,
            "type": event.type, "data": canonical_json(event.data), "actor": event.actor.name,
            "actor_role": event.actor.role, "occurred_at": utc(event.occurred_at),
            "causation_id": meta.causation_id, "correlation_id": meta.correlation_id}


def _clash(conn: Connection, new: Sequence[DomainEvent], locale: str) -> ConcurrencyError:
    """Build the clash error, reading the stream's version on a fresh read-only connection.

    PostgreSQL refuses reads in the failed transaction, and on SQLite a write
    transaction would wait for the lock our own transaction holds.
    """
    stream = new[0].stream_id
    with conn.engine.connect().execution_options(readonly=True) as fresh:
        actual = stream_version(fresh, stream)
    expected = new[0].version - 1
    return ConcurrencyError(say(locale, "error.concurrency", stream=stream, expected=expected,
                                actual=actual), stream, expected, actual)


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


def scan(conn: Connection, *conditions: Any, batch: int = 2000) -> Iterator[Row[Any]]:
    """Yield event rows in position order, streamed in batches (never the whole log at once)."""
    query = select(events).where(*conditions).order_by(events.c.position)
    yield from conn.execute(query, execution_options={"yield_per": batch})


def recorded(row: Row[Any]) -> RecordedEvent:
    """Turn an events row into a RecordedEvent (parsing its data)."""
    event = DomainEvent(row.stream_id, row.stream_type, row.version, row.type,
                        json.loads(row.data), Actor(row.actor, row.actor_role),
                        utc(row.occurred_at))
    return RecordedEvent(row.position, row.event_id, event, row.causation_id,
                         row.correlation_id, row.hash)
