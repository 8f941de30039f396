"""Verify's check of the commitments: every row must be the commitment the log replays to.

Each ``commitments`` row (its columns and its snapshot), every milestone row and
every link row is compared with the rows of the replayed commitment; a row the log
does not explain, or a replayed one without its row, is named too, with the last
event of its commitment.

Rows are read on the driver's cursor and compared as tuples in the table's column
order, a commitment's rows sorted by their key, with only the moment and date
columns read into values (SQLite keeps them as text): a plan of 1,000 commitments
has some 12,000 such rows, and verify's rate is measured with them
(``bench/commitments.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table

from definitions.messages import say
from storage import commitments as c
from storage import tables as t
from storage.chain import Finding, streamed
from storage.sql import Dialect
from workflow.domain.replay import Replay
from workflow.domain.state import CommitmentState

RowsOf = Callable[[CommitmentState], list[dict[str, Any]]]
Rows = list[tuple[Any, ...]]
TABLES: tuple[tuple[Table, RowsOf], ...] = (
    (t.commitments, lambda s: [c.commitment_row(s)]),
    (t.commitment_milestones, c.milestone_rows),
    (t.commitment_links, c.link_rows),
)


class Shape:
    """How one commitment table's rows are compared: column order, moments, dates, key."""

    def __init__(self, table: Table) -> None:
        columns = list(table.columns)
        self.names = [column.name for column in columns]
        self.query = f"SELECT {', '.join(self.names)} FROM {table.name}"
        self.moments = [i for i, column in enumerate(columns)
                        if isinstance(column.type, DateTime)]
        self.days = [i for i, column in enumerate(columns) if type(column.type) is Date]
        self.key = itemgetter(*[i for i, column in enumerate(columns) if column.primary_key])

    def stored(self, conn: Connection, dialect: Dialect) -> dict[str, Rows]:
        """Return the table's rows by commitment, each commitment's sorted by key."""
        found: dict[str, Rows] = {}
        moments, days = self.moments, self.days
        read_time, read_day = dialect.read_time, dialect.read_day
        with streamed(conn, dialect, self.query) as rows:
            for row in rows:
                values = list(row)
                for i in moments:
                    if values[i] is not None:
                        values[i] = read_time(values[i])
                for i in days:
                    values[i] = read_day(values[i])
                found.setdefault(values[0], []).append(tuple(values))
        for listed in found.values():
            listed.sort(key=self.key)
        return found

    def replayed(self, rows: list[dict[str, Any]]) -> Rows:
        """Return a replayed commitment's rows as the table holds them, sorted by key."""
        return sorted((tuple(row[name] for name in self.names) for row in rows), key=self.key)


SHAPES = tuple((Shape(table), rows_of) for table, rows_of in TABLES)


def check_commitments(conn: Connection, dialect: Dialect, replay: Replay, locale: str,
                      stale: Callable[[str, str], Finding]) -> Finding | None:
    """Return the first commitment whose rows differ from the replay, or None.

    ``stale(commitment_id, locale)`` names a commitment that does not fit.
    """
    for shape, rows_of in SHAPES:
        stored = shape.stored(conn, dialect)
        for commitment_id, state in replay.commitments.items():
            if stored.pop(commitment_id, []) != shape.replayed(rows_of(state)):
                return stale(commitment_id, _locale(replay, state, locale))
        for extra in sorted(stored):
            return Finding(None, say(locale, "audit.extra", stream=extra), locale)
    return None


def _locale(replay: Replay, state: CommitmentState, otherwise: str) -> str:
    plan = replay.plans.get(state.plan_id)
    return plan.locale if plan is not None else otherwise
