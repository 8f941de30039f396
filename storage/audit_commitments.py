"""Verify's check of the commitments: every row must be the commitment the log replays to.

Each ``commitments`` row (its columns and its snapshot), every milestone row and
every link row is compared with the rows of the replayed commitment; a row the log
does not explain, or a replayed one without its row, is named too, with the last
event of its commitment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Table, select

from definitions.messages import say
from storage import commitments as c
from storage import tables as t
from storage.chain import Finding
from storage.eventstore import utc
from workflow.domain.replay import Replay
from workflow.domain.state import CommitmentState

RowsOf = Callable[[CommitmentState], list[dict[str, Any]]]
TABLES: tuple[tuple[Table, RowsOf], ...] = (
    (t.commitments, lambda s: [c.commitment_row(s)]),
    (t.commitment_milestones, c.milestone_rows),
    (t.commitment_links, c.link_rows),
)


def check_commitments(conn: Connection, replay: Replay, locale: str,
                      stale: Callable[[str, str], Finding]) -> Finding | None:
    """Return the first commitment whose rows differ from the replay, or None.

    ``stale(commitment_id, locale)`` names a commitment that does not fit.
    """
    for table, rows_of in TABLES:
        stored = _by_commitment(conn.execute(select(table)).mappings())
        for commitment_id, state in replay.commitments.items():
            if stored.pop(commitment_id, []) != _canon(rows_of(state)):
                return stale(commitment_id, _locale(replay, state, locale))
        for extra in sorted(stored):
            return Finding(None, say(locale, "audit.extra", stream=extra), locale)
    return None


def _by_commitment(rows: Iterable[Any]) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["commitment_id"], []).append(dict(row))
    return {key: _canon(value) for key, value in found.items()}


def _canon(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    def norm(value: Any) -> Any:
        return utc(value) if isinstance(value, dt.datetime) else value

    return sorted((tuple(norm(r[k]) for k in sorted(r)) for r in rows), key=repr)


def _locale(replay: Replay, state: CommitmentState, otherwise: str) -> str:
    plan = replay.plans.get(state.plan_id)
    return plan.locale if plan is not None else otherwise
