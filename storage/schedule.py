"""The deadlines table on the write path, and the scheduler's reads.

Writers run on the unit of work's DBAPI cursor, inside the command's
transaction. Claiming a deadline is a conditional update (``status`` still
pending, and due): of any number of processes racing for one, exactly one gets
it, never before its time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from storage import tables as t
from storage.database import reading
from storage.eventstore import utc
from storage.sql import Dialect
from workflow.domain.deadlines import Deadline, Schedule

INSERT_DEADLINE = ("INSERT INTO deadlines (deadline_id, plan_id, phase_id, kind, days, due_at,"
                   " status) VALUES (?, ?, ?, ?, ?, ?, 'pending')"
                   " ON CONFLICT (deadline_id) DO UPDATE SET status = 'pending',"
                   " fired_at = NULL, fired_by = NULL, outcome = NULL")
"""A deadline scheduled again under an earlier row's id (a milestone moved back to a date
it had) is that row, pending again."""
CANCEL_DEADLINES = ("UPDATE deadlines SET status = 'cancelled' WHERE plan_id = ? AND"
                    " phase_id = ? AND status = 'pending' AND kind IN ({marks})")
CLAIM_DEADLINE = ("UPDATE deadlines SET status = 'fired', fired_at = ?, fired_by = ?"
                  " WHERE deadline_id = ? AND status = 'pending' AND due_at <= ?"
                  " RETURNING plan_id, phase_id, kind, due_at, days")
NOTE_OUTCOME = "UPDATE deadlines SET outcome = ? WHERE deadline_id = ?"


def write_schedule(cur: Any, dialect: Dialect, schedule: Schedule) -> None:
    """Cancel the deadlines that no longer apply, then insert the new ones."""
    for plan_id, phase_id, kinds in schedule.cancel:
        marks = ", ".join("?" for _ in kinds)
        cur.execute(dialect.text(CANCEL_DEADLINES.format(marks=marks)),
                    (plan_id, phase_id, *kinds))
    if schedule.add:
        cur.executemany(dialect.text(INSERT_DEADLINE), [
            (d.deadline_id, d.plan_id, d.phase_id, d.kind, d.days, dialect.time(d.due_at))
            for d in schedule.add])


def claim(cur: Any, dialect: Dialect, deadline_id: str, now: dt.datetime,
          claimer: str) -> Deadline | None:
    """Claim a due, pending deadline for this transaction; None when it is not (any more).

    The claimed row comes back with the update (RETURNING: SQLite 3.35+), which
    also makes the result wait for the update on a pipelined connection.
    """
    moment = dialect.time(now)
    cur.execute(dialect.text(CLAIM_DEADLINE), (moment, claimer, deadline_id, moment))
    found = cur.fetchone()
    if found is None:
        return None
    plan_id, phase_id, kind, due_at, days = found
    return Deadline(plan_id, phase_id, kind, dialect.read_time(due_at), days)


def note_outcome(cur: Any, dialect: Dialect, deadline_id: str, outcome: str) -> None:
    """Record what firing a deadline did: the type of the event it recorded."""
    cur.execute(dialect.text(NOTE_OUTCOME), (outcome, deadline_id))


def due_deadlines(engine: Engine, now: dt.datetime, limit: int = 500) -> list[str]:
    """Return the ids of pending deadlines due by ``now``, earliest first."""
    d = t.deadlines.c
    # SQLite keeps UTC text without an offset: compare with a UTC moment.
    query = (select(d.deadline_id).where(d.status == "pending",
                                         d.due_at <= now.astimezone(dt.UTC))
             .order_by(d.due_at, d.deadline_id).limit(limit))
    with reading(engine) as conn:
        return list(conn.execute(query).scalars())


def next_due(engine: Engine) -> dt.datetime | None:
    """Return when the earliest pending deadline is due, or None when none is pending."""
    d = t.deadlines.c
    with reading(engine) as conn:
        found = conn.execute(select(func.min(d.due_at)).where(d.status == "pending")).scalar()
    return None if found is None else utc(found)


def deadline_rows(engine: Engine, plan_id: str) -> list[dict[str, Any]]:
    """Return a plan's deadlines (every status), by due time."""
    d = t.deadlines.c
    query = select(t.deadlines).where(d.plan_id == plan_id).order_by(d.due_at, d.deadline_id)
    with reading(engine) as conn:
        return [{**row, "due_at": utc(row["due_at"]),
                 "fired_at": utc(row["fired_at"]) if row["fired_at"] else None}
                for row in conn.execute(query).mappings()]
