"""Commitments on the write path: their rows, milestones and links, and their snapshot.

A commitment's row holds what lists read (state, title, lead agency, assessment)
and its whole state as JSON (``snapshot``), so a command loads it with one read;
the milestone and link rows are what the read side and the phases' link guard
query. ``*_rows`` turn a commitment's state into rows; the writers write the rows
its new events touched, and verify compares the same rows, rebuilt by replay.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from storage import tables as t
from storage.projections import Row, upsert
from storage.sql import Dialect
from workflow.domain.canonical import canonical_json
from workflow.domain.events import DomainEvent
from workflow.domain.state import CommitmentState, MilestoneState

COMMITMENT_COLUMNS = tuple(c.name for c in t.commitments.columns)
SELECT_COMMITMENT = f"SELECT {', '.join(COMMITMENT_COLUMNS)} FROM commitments"
INSERT_LINK = ("INSERT INTO commitment_links (commitment_id, proposal_id, plan_id, linked_at)"
               " VALUES (?, ?, ?, ?)")
DELETE_LINK = "DELETE FROM commitment_links WHERE commitment_id = ? AND proposal_id = ?"
LINKED = "SELECT 1 FROM commitment_links WHERE proposal_id = ?"
_WAITING = (" FROM proposals q WHERE q.plan_id = ? AND (q.state IN ({marks})"
            " OR q.outcome IN ({marks}))"
            " AND NOT EXISTS (SELECT 1 FROM commitment_links l"
            " WHERE l.proposal_id = q.proposal_id)"
            " AND (q.merged_into IS NULL OR NOT EXISTS (SELECT 1 FROM commitment_links m"
            " WHERE m.proposal_id = q.merged_into))")
UNLINKED_COUNT = "SELECT count(*)" + _WAITING
UNLINKED_EXAMPLES = "SELECT q.proposal_id" + _WAITING + " ORDER BY q.number LIMIT 3"
"""Proposals in (or answered from) some states that feed no commitment (the link guard)."""


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def dump_commitment(state: CommitmentState) -> str:
    """Return the snapshot JSON of a commitment's state (lists keep the order of things)."""
    return canonical_json({
        "fields": state.fields,
        "milestones": [[m.milestone_id, m.description, m.output, m.starts.isoformat(),
                        m.due.isoformat(), m.responsible, _time(m.done_at), _time(m.overdue_at),
                        m.reports] for m in state.milestones.values()],
        "links": [[proposal, _time(at)] for proposal, at in state.links.items()],
        "approved_at": _time(state.approved_at), "assessment": state.assessment,
        "assessments": state.assessments,
    })


def restore_commitment(row: Mapping[str, Any],
                       read: Callable[[Any], dt.datetime]) -> CommitmentState:
    """Rebuild a commitment's state from its row (``read`` turns a stored moment into UTC)."""
    snapshot = json.loads(row["snapshot"])
    updated = row["updated_at"]
    state = CommitmentState(row["commitment_id"], row["plan_id"], row["number"], row["state"],
                            read(row["drafted_at"]), row["version"], snapshot["fields"],
                            updated_at=None if updated is None else read(updated),
                            approved_at=_moment(snapshot["approved_at"]),
                            assessment=snapshot["assessment"],
                            assessments=snapshot["assessments"])
    for key, description, output, starts, due, who, done, overdue, reports in (
            snapshot["milestones"]):
        state.milestones[key] = MilestoneState(key, description, output,
                                               dt.date.fromisoformat(starts),
                                               dt.date.fromisoformat(due), who, _moment(done),
                                               _moment(overdue), reports)
    for proposal, at in snapshot["links"]:
        state.links[proposal] = _moment(at)  # type: ignore[assignment]
    return state


def commitment_row(state: CommitmentState) -> Row:
    """Return the ``commitments`` row of a commitment."""
    assessed = state.assessment or {}
    return {"commitment_id": state.commitment_id, "plan_id": state.plan_id,
            "number": state.number, "state": state.state, "version": state.version,
            "title": state.title, "lead_agency": state.lead_agency,
            "drafted_at": state.drafted_at, "updated_at": state.updated_at,
            "approved_at": state.approved_at, "completion": assessed.get("completion"),
            "opened_government": assessed.get("opened_government"),
            "snapshot": dump_commitment(state)}


def milestone_rows(state: CommitmentState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``commitment_milestones`` rows of a commitment (all, or those named)."""
    return [{"commitment_id": state.commitment_id, "milestone_id": key,
             "plan_id": state.plan_id, "description": m.description, "output": m.output,
             "starts": m.starts, "due": m.due, "responsible": m.responsible,
             "done_at": m.done_at, "overdue_at": m.overdue_at, "reports": m.reports}
            for key, m in state.milestones.items() if keys is None or key in keys]


def link_rows(state: CommitmentState) -> list[Row]:
    """Return the ``commitment_links`` rows of a commitment."""
    return [{"commitment_id": state.commitment_id, "proposal_id": proposal,
             "plan_id": state.plan_id, "linked_at": at} for proposal, at in state.links.items()]


def write_commitment(cur: Any, dialect: Dialect, state: CommitmentState,
                     new: list[DomainEvent]) -> None:
    """Write a commitment's row, the milestones and links its new events touched."""
    upsert(cur, dialect, t.commitments, [commitment_row(state)])
    upsert(cur, dialect, t.commitment_milestones, milestone_rows(state, _touched(new)))
    for event in new:
        proposal = event.data.get("proposal")
        if event.type == "ProposalLinked":
            cur.execute(dialect.text(INSERT_LINK), (state.commitment_id, proposal,
                                                    state.plan_id,
                                                    dialect.time(event.occurred_at)))
        elif event.type == "ProposalUnlinked":
            cur.execute(dialect.text(DELETE_LINK), (state.commitment_id, proposal))


def _touched(new: list[DomainEvent]) -> set[str] | None:
    """Return the milestones new events touched (None: every one)."""
    touched: set[str] = set()
    for event in new:
        if event.type == "CommitmentDrafted":
            return None
        touched |= {m["milestone"] for m in event.data.get("milestones", ())}
        if "milestone" in event.data:
            touched.add(event.data["milestone"])
    return touched


class LinkCensus:
    """What the phases' link guard asks of storage, on the command's DBAPI cursor."""

    def __init__(self, cur: Any, dialect: Dialect) -> None:
        self._cur = cur
        self._dialect = dialect

    def unlinked(self, plan_id: str, states: tuple[str, ...]) -> tuple[int, list[str]]:
        """Return how many proposals in (or answered from) ``states`` feed no commitment."""
        marks = ", ".join("?" for _ in states)
        params = (plan_id, *states, *states)
        self._cur.execute(self._dialect.text(UNLINKED_COUNT.format(marks=marks)), params)
        count = int(self._cur.fetchone()[0])
        self._cur.execute(self._dialect.text(UNLINKED_EXAMPLES.format(marks=marks)), params)
        return count, [row[0] for row in self._cur.fetchall()]

    def linked(self, proposal_id: str) -> bool:
        """Whether a commitment links this proposal itself."""
        self._cur.execute(self._dialect.text(LINKED), (proposal_id,))
        return self._cur.fetchone() is not None
