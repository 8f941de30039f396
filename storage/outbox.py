"""The outbox: rows written with the events that cause them; claimed, then settled.

A command's notices become rows in its own transaction (:func:`write_notices`).

Claiming is one conditional update per batch (pending and due, or claimed by a
dispatcher whose claim ran out, e.g. killed mid-batch), so two dispatchers never
send one message at the same time, and a message claimed by a dead one is sent
again later: delivery is at least once, and the stable message id lets a
receiver drop the duplicate.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update

from storage import tables as t
from storage.eventstore import utc
from storage.sql import Dialect
from workflow.domain.canonical import canonical_json
from workflow.domain.notices import CONTACT_KINDS, Notice

COLUMNS = ("message_id, plan_id, position, topic, channel, recipient, data, created_at, status,"
           " attempts, next_attempt_at")
INSERT_NOTICE = f"INSERT INTO outbox ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)"
INSERT_TO_CONTACT = (f"INSERT INTO outbox ({COLUMNS})"
                     " SELECT ?, ?, ?, ?, ?, email, ?, ?, 'pending', 0, ? FROM contacts"
                     " WHERE plan_id = ? AND kind = ? AND subject = ?")
"""A row to a member or a proponent: their saved address, or no row when they gave none."""


def write_notices(cur: Any, dialect: Dialect, notices: list[Notice], now: dt.datetime) -> None:
    """Insert one outbox row per notice and recipient, due at once.

    Members and proponents are reached at the address saved in ``contacts``
    (the insert selects it, so one without an address gets no row, and the
    command needs no extra round trip); the others by their name (``staff``,
    ``public``), which the channel resolves. A row's id names the recipient by
    who they are, never by their address.
    """
    plain, to_contact = [], []
    at = dialect.time(now)
    for n in notices:
        data = canonical_json(n.data)
        for r in n.recipients:
            row = (f"{n.message_id}:{r.channel}:{r.kind}:{r.key}", n.plan_id, n.position,
                   n.topic, r.channel)
            if r.channel == "log" or r.kind not in CONTACT_KINDS:
                plain.append((*row, r.key if r.kind == r.key else f"{r.kind}:{r.key}", data,
                              at, at))
            else:
                to_contact.append((*row, data, at, at, n.plan_id, r.kind, r.key))
    if plain:
        cur.executemany(dialect.text(INSERT_NOTICE), plain)
    if to_contact:
        cur.executemany(dialect.text(INSERT_TO_CONTACT), to_contact)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed message: what to send, where, and how many times it was tried."""

    message_id: str
    plan_id: str
    topic: str
    channel: str
    recipient: str
    data: dict[str, Any]
    attempts: int


def claim(engine: Engine, now: dt.datetime, until: dt.datetime, limit: int,
          channels: tuple[str, ...]) -> list[Outgoing]:
    """Claim up to ``limit`` due messages for ``channels`` until ``until``; return those got.

    It reads the due ids, then one conditional UPDATE marks them with a fresh
    claim token (a row another dispatcher took meanwhile no longer matches
    ``due``, so it is skipped), and one SELECT reads back those carrying it.
    """
    o, now, until = t.outbox.c, now.astimezone(dt.UTC), until.astimezone(dt.UTC)
    due = and_(o.channel.in_(channels),
               or_(and_(o.status == "pending", o.next_attempt_at <= now),
                   and_(o.status == "sending", o.claimed_until < now)))
    token = uuid.uuid4().hex
    with engine.connect() as conn:
        batch = list(conn.execute(select(o.message_id).where(due)
                                  .order_by(o.next_attempt_at, o.message_id)
                                  .limit(limit)).scalars())
    if not batch:
        return []
    with engine.begin() as conn:
        conn.execute(update(t.outbox).where(o.message_id.in_(batch), due)
                     .values(status="sending", claimed_until=until, claimed_by=token))
        rows = conn.execute(select(o.message_id, o.plan_id, o.topic, o.channel, o.recipient,
                                   o.data, o.attempts)
                            .where(o.message_id.in_(batch), o.claimed_by == token,
                                   o.status == "sending")
                            .order_by(o.next_attempt_at, o.message_id)).all()
    return [Outgoing(row.message_id, row.plan_id, row.topic, row.channel, row.recipient,
                     json.loads(row.data), int(row.attempts)) for row in rows]


def delivered(engine: Engine, message_id: str, now: dt.datetime) -> None:
    """Mark a message delivered."""
    _settle(engine, message_id, status="delivered", delivered_at=now.astimezone(dt.UTC),
            attempts=t.outbox.c.attempts + 1, last_error=None, claimed_until=None)


def failed(engine: Engine, message_id: str, error: str, retry_at: dt.datetime | None) -> None:
    """Count a failed attempt: back to pending at ``retry_at``, or dead when None."""
    values: dict[str, Any] = {"attempts": t.outbox.c.attempts + 1, "last_error": error[:2000],
                              "claimed_until": None}
    if retry_at is None:
        values["status"] = "dead"
    else:
        values.update(status="pending", next_attempt_at=retry_at.astimezone(dt.UTC))
    _settle(engine, message_id, **values)


def _settle(engine: Engine, message_id: str, **values: Any) -> None:
    o = t.outbox.c
    with engine.begin() as conn:
        conn.execute(update(t.outbox).where(o.message_id == message_id, o.status == "sending")
                     .values(**values))


def revive(engine: Engine, now: dt.datetime, message_ids: list[str] | None = None) -> int:
    """Put dead messages (all, or those named) back in the queue, due now; return how many."""
    o = t.outbox.c
    query = update(t.outbox).where(o.status == "dead")
    if message_ids is not None:
        query = query.where(o.message_id.in_(message_ids))
    with engine.begin() as conn:
        return int(conn.execute(query.values(status="pending", attempts=0,
                                             next_attempt_at=now.astimezone(dt.UTC)))
                   .rowcount)


def counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Return how many messages each channel has in each status."""
    o = t.outbox.c
    with engine.connect() as conn:
        rows = conn.execute(select(o.channel, o.status, func.count())
                            .group_by(o.channel, o.status)).all()
    found: dict[str, dict[str, int]] = {}
    for channel, status, count in rows:
        found.setdefault(channel, {})[status] = int(count)
    return found


def messages(engine: Engine, status: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Return outbox messages (of one status, when given), in the order they were written."""
    o = t.outbox.c
    query = select(o.message_id, o.plan_id, o.topic, o.channel, o.recipient, o.data, o.status,
                   o.attempts, o.next_attempt_at, o.delivered_at, o.last_error)
    if status is not None:
        query = query.where(o.status == status)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(o.position, o.message_id).limit(limit)
                            ).mappings().all()
    return [{**row, "data": json.loads(row["data"]),
             "next_attempt_at": utc(row["next_attempt_at"]).isoformat(),
             "delivered_at": utc(row["delivered_at"]).isoformat() if row["delivered_at"]
             else None} for row in rows]
