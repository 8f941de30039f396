"""Contacts: the email addresses notices reach, outside the event log.

A committee member's address is saved when the member is added; a
proponent's only when they consented to be told of the answer. Neither is
ever in an event, a public read or a webhook: storage looks them up only when
it writes an outbox row (see :mod:`storage.outbox`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, and_, delete, update

from storage import tables as t
from storage.sql import Dialect

SAVE_CONTACT = ("INSERT INTO contacts (plan_id, kind, subject, email, given_at)"
                " VALUES (?, ?, ?, ?, ?)")


def save(cur: Any, dialect: Dialect, plan_id: str, kind: str, subject: str, email: str,
         now: dt.datetime) -> None:
    """Save the address of a member or a proponent, in the command's transaction."""
    cur.execute(dialect.text(SAVE_CONTACT), (plan_id, kind, subject, email, dialect.time(now)))


ERASED = "(borrado)"
"""What an erased address leaves in the outbox rows that named it."""


def forget(engine: Engine, plan_id: str, kind: str, subject: str) -> int | None:
    """Erase one saved address (a person withdrew consent); None when there was none.

    The address also leaves every outbox row that names it: the rows stay (what
    was sent, and when) with the recipient blanked, and those not yet delivered
    are cancelled. Returns how many messages were cancelled.
    """
    c, o = t.contacts.c, t.outbox.c
    with engine.begin() as conn:
        erased = conn.execute(delete(t.contacts).where(
            c.plan_id == plan_id, c.kind == kind, c.subject == subject)).rowcount
        if erased == 0:
            return None
        # Rows name their recipient by who they are (``...:kind:key``), not by address:
        # someone else who gave the same address keeps their messages.
        suffix = "".join("\\" + ch if ch in "\\%_" else ch for ch in f":{kind}:{subject}")
        mine = and_(o.plan_id == plan_id, o.message_id.like(f"%{suffix}", escape="\\"))
        cancelled = conn.execute(update(t.outbox).where(mine, o.status != "delivered")
                                 .values(status="cancelled", recipient=ERASED)).rowcount
        conn.execute(update(t.outbox).where(mine).values(recipient=ERASED))
    return int(cancelled)
