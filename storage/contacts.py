"""Contacts: the email addresses notices reach, outside the event log.

A committee member's address is saved when the member is added; a
proponent's only when they consented to be told of the answer. Neither is
ever in an event, a public read or a webhook: storage looks them up only when
it writes an outbox row (see :mod:`storage.outbox`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, delete

from storage import tables as t
from storage.sql import Dialect

SAVE_CONTACT = ("INSERT INTO contacts (plan_id, kind, subject, email, given_at)"
                " VALUES (?, ?, ?, ?, ?)")


def save(cur: Any, dialect: Dialect, plan_id: str, kind: str, subject: str, email: str,
         now: dt.datetime) -> None:
    """Save the address of a member or a proponent, in the command's transaction."""
    cur.execute(dialect.text(SAVE_CONTACT), (plan_id, kind, subject, email, dialect.time(now)))


def forget(engine: Engine, plan_id: str, kind: str, subject: str) -> int:
    """Erase one saved address (a person withdrew consent); return how many were erased."""
    c = t.contacts.c
    with engine.begin() as conn:
        return int(conn.execute(delete(t.contacts).where(
            c.plan_id == plan_id, c.kind == kind, c.subject == subject)).rowcount)
