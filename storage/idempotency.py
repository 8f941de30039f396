"""Idempotency keys: a POST retried with the same key gets the first answer, once.

``reserve`` claims a key for a caller before the command runs (a unique row, so
of two concurrent requests with one key only one runs); ``complete`` stores the
answer; a retry then reads it back instead of running the command again.

A reservation still "in progress" after ``STALE`` belongs to a request whose
process died. If that request's command committed (its events carry the
reserving request's id as correlation id) the retry is told so; if nothing was
written, the retry takes the key over and runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage import tables as t
from storage.eventstore import utc

STALE = dt.timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Seen:
    """What a key holds: in progress, a different request, the first answer, or a lost one."""

    state: Literal["in_progress", "other_request", "done", "answer_lost"]
    status: int = 0
    body: str = ""


def reserve(engine: Engine, identity: str, key: str, request: str, request_id: str,
            now: dt.datetime) -> Seen | None:
    """Claim ``key`` for this request; None when claimed now, else what the key holds."""
    now = now.astimezone(dt.UTC)
    try:
        with engine.begin() as conn:
            conn.execute(insert(t.idempotency).values(
                identity=identity, key=key, request=request, request_id=request_id,
                status="in_progress", created_at=now))
        return None
    except IntegrityError:
        pass
    c = t.idempotency.c
    with engine.connect() as conn:
        row = conn.execute(select(c.request, c.request_id, c.status, c.response_status,
                                  c.response_body, c.created_at)
                           .where(c.identity == identity, c.key == key)).one()
    if row.request != request:
        return Seen("other_request")
    if row.status == "done":
        return Seen("done", int(row.response_status), str(row.response_body))
    if utc(row.created_at) > now - STALE:
        return Seen("in_progress")
    return _abandoned(engine, identity, key, row.request_id, request_id, now)


def _abandoned(engine: Engine, identity: str, key: str, old: str, new: str,
               now: dt.datetime) -> Seen | None:
    """Settle a dead request's reservation: its answer was lost if it wrote, else take over."""
    with engine.connect() as conn:
        wrote = conn.execute(select(t.events.c.position)
                             .where(t.events.c.correlation_id == old).limit(1)).first()
    if wrote is not None:
        return Seen("answer_lost")
    c = t.idempotency.c
    with engine.begin() as conn:
        taken = conn.execute(update(t.idempotency)
                             .where(c.identity == identity, c.key == key, c.request_id == old,
                                    c.status == "in_progress")
                             .values(request_id=new, created_at=now))
    return None if taken.rowcount == 1 else Seen("in_progress")


def complete(engine: Engine, identity: str, key: str, status: int, body: str) -> None:
    """Store the first answer given under ``key``."""
    c = t.idempotency.c
    with engine.begin() as conn:
        conn.execute(update(t.idempotency).where(c.identity == identity, c.key == key)
                     .values(status="done", response_status=status, response_body=body))


def release(engine: Engine, identity: str, key: str) -> None:
    """Forget a reservation whose request ended without an answer worth repeating."""
    c = t.idempotency.c
    with engine.begin() as conn:
        conn.execute(delete(t.idempotency).where(c.identity == identity, c.key == key,
                                                 c.status == "in_progress"))
