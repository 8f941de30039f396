"""Idempotency keys: a POST retried with the same key gets the first answer, once.

``reserve`` claims a key for a caller before the command runs (a unique row, so
of two concurrent requests with one key only one runs); ``complete`` stores the
answer; a retry then reads it back instead of running the command again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage import tables as t


@dataclass(frozen=True, slots=True)
class Seen:
    """What a key already holds: in progress, a different request, or the first answer."""

    state: Literal["in_progress", "other_request", "done"]
    status: int = 0
    body: str = ""


def reserve(engine: Engine, identity: str, key: str, request: str,
            now: dt.datetime) -> Seen | None:
    """Claim ``key`` for this request; None when claimed now, else what the key holds."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(t.idempotency).values(
                identity=identity, key=key, request=request, status="in_progress",
                created_at=now.astimezone(dt.UTC)))
        return None
    except IntegrityError:
        pass
    c = t.idempotency.c
    with engine.connect() as conn:
        row = conn.execute(select(c.request, c.status, c.response_status, c.response_body)
                           .where(c.identity == identity, c.key == key)).one()
    if row.request != request:
        return Seen("other_request")
    if row.status != "done":
        return Seen("in_progress")
    return Seen("done", int(row.response_status), str(row.response_body))


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
