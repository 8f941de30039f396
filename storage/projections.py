"""Projections: the read tables, written from the aggregates in the command's transaction.

``*_rows`` turn domain state into table rows; the writers upsert the rows an
event touched, and verify compares the same rows, rebuilt by replay, with the
tables. One function per table keeps writing and checking from drifting apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Table

from storage import sql
from storage import tables as t
from storage.snapshots import dump_plan
from storage.sql import Dialect
from workflow.domain.canonical import canonical_json
from workflow.domain.events import DomainEvent
from workflow.domain.imports import ImportedFrom, Origin
from workflow.domain.state import PlanState, ProposalState

Row = dict[str, Any]


def plan_row(s: PlanState) -> Row:
    """Return the ``plans`` row of a plan."""
    return {"plan_id": s.plan_id, "definition_id": s.definition.id,
            "definition_hash": s.definition_hash, "title": s.definition.title,
            "shift_days": s.shift_days, "version": s.version,
            "proposal_count": s.proposal_count, "created_at": s.created_at,
            "snapshot": dump_plan(s), "commitment_count": s.commitment_count}


def phase_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``phases`` rows of a plan (all, or those named)."""
    return [{"plan_id": s.plan_id, "phase_id": k, "status": r.state, "starts_on": r.starts_on,
             "ends_on": r.ends_on, "opened_at": r.opened_at, "closed_at": r.closed_at}
            for k, r in s.phases.items() if keys is None or k in keys]


def member_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``members`` rows of a plan."""
    return [{"plan_id": s.plan_id, "member_id": k, "name": m.name, "group_id": m.group}
            for k, m in s.members.items() if keys is None or k in keys]


def decision_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``decisions`` rows of a plan."""
    return [{"plan_id": s.plan_id, "decision_id": k, "approved_at": d.approved_at}
            for k, d in s.decisions.items() if keys is None or k in keys]


def vote_rows(s: PlanState, keys: Iterable[tuple[str, str]] | None = None) -> list[Row]:
    """Return ``votes`` rows of a plan (keys are (decision, member) pairs)."""
    return [{"plan_id": s.plan_id, "decision_id": d, "member_id": m, "approve": approve}
            for d, state in s.decisions.items() for m, approve in state.votes.items()
            if keys is None or (d, m) in keys]


def activity_rows(s: PlanState, keys: Iterable[str] | None = None) -> list[Row]:
    """Return ``activities`` rows of a plan."""
    return [{"plan_id": s.plan_id, "activity_id": k, "phase_id": a.phase_id,
             "done_at": a.done_at, "evidence": a.evidence, "done_by": a.done_by}
            for k, a in s.activities.items() if keys is None or k in keys]


def proposal_row(p: ProposalState) -> Row:
    """Return the ``proposals`` row of a proposal."""
    return {"proposal_id": p.proposal_id, "plan_id": p.plan_id, "number": p.number,
            "title": p.title, "body": p.body, "channel": p.channel, "mesa": p.mesa,
            "state": p.state, "version": p.version, "response": p.response,
            "merged_into": p.merged_into, "submitted_at": p.submitted_at,
            "updated_at": p.updated_at, "fields": p.fields, "supports": p.supports,
            "outcome": p.outcome}


def fields_text(fields: dict[str, Any]) -> str | None:
    """Return a proposal's declared fields as the canonical JSON its row keeps (None: none)."""
    return canonical_json(fields) if fields else None


def _adapt(dialect: Dialect, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return dialect.time(value)
    if isinstance(value, dt.date):
        return dialect.date(value)
    if isinstance(value, bool) and not dialect.postgresql:
        return int(value)
    if isinstance(value, dict):
        return fields_text(value)
    return value


@cache
def _upsert_sql(table: Table) -> str:
    keys = tuple(c.name for c in table.primary_key.columns)
    return sql.upsert(table.name, keys, tuple(c.name for c in table.columns
                                              if c.name not in keys))


def upsert(cur: Any, dialect: Dialect, table: Table, rows: list[Row]) -> None:
    """Insert ``rows`` into ``table`` on a DBAPI cursor, replacing those whose key exists."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    values = [tuple(_adapt(dialect, row[n]) for n in names) for row in rows]
    cur.executemany(dialect.text(_upsert_sql(table)), values)


def write_plan(cur: Any, dialect: Dialect, state: PlanState, new: list[DomainEvent]) -> None:
    """Write the plan's row and the projection rows its new events touched."""
    upsert(cur, dialect, t.plans, [plan_row(state)])
    touched = _touched(new)
    upsert(cur, dialect, t.phases, phase_rows(state, touched["phase"]))
    upsert(cur, dialect, t.members, member_rows(state, touched["member"]))
    upsert(cur, dialect, t.decisions, decision_rows(state, touched["decision"]))
    upsert(cur, dialect, t.votes, vote_rows(state, touched["vote"]))
    upsert(cur, dialect, t.activities, activity_rows(state, touched["activity"]))


def _touched(new: list[DomainEvent]) -> dict[str, Any]:
    touched: dict[str, Any] = {k: set() for k in ("phase", "member", "decision", "vote",
                                                  "activity")}
    for event in new:
        d = event.data
        if event.type == "PlanCreated":
            return {k: None for k in touched}
        if event.type == "VoteCast":
            touched["vote"].add((d["decision"], d["member"]))
        for key in ("phase", "member", "decision", "activity"):
            if key in d and event.type != "VoteCast":
                touched[key].add(d[key])
    return touched


def origin_row(proposal_id: str, imported: ImportedFrom) -> tuple[Any, ...]:
    """Return the ``proposal_origins`` row of an imported proposal (``sql.ORIGIN_COLUMNS``)."""
    o = imported.origin
    return (proposal_id, imported.plan_id, o.source, o.host, o.decidim_id, o.reference, o.url,
            canonical_json(imported.information))


def _origin_of(event: DomainEvent) -> tuple[Any, ...]:
    """Return the origin row a ``ProposalImported`` event writes."""
    data = event.data
    return origin_row(event.stream_id, ImportedFrom(
        data["plan"], Origin.from_data(data["origin"], event.stream_id), data["information"]))


def write_new_proposals(cur: Any, dialect: Dialect, states: list[ProposalState],
                        firsts: list[DomainEvent]) -> None:
    """Write the rows of new proposals of one plan (their first events), their origins, its count.

    ``states`` are in the order they were numbered; an imported one's origin is written too.
    """
    moments: dict[dt.datetime | None, Any] = {None: None}

    def moment(value: dt.datetime | None) -> Any:  # a batch's rows share their moments
        found = moments.get(value, moments)
        if found is moments:
            found = moments[value] = dialect.time(value)
        return found

    cur.executemany(dialect.text(sql.INSERT_PROPOSAL), [
        (p.proposal_id, p.plan_id, p.number, p.title, p.body, p.channel, p.mesa, p.state,
         p.version, p.response, p.merged_into, moment(p.submitted_at), moment(p.updated_at),
         fields_text(p.fields), p.supports, p.outcome) for p in states])
    origins = [_origin_of(e) for e in firsts if e.type == "ProposalImported"]
    if origins:
        cur.executemany(dialect.text(sql.INSERT_ORIGIN), origins)
    cur.execute(dialect.text(sql.COUNT_PROPOSALS), (states[-1].number, states[-1].plan_id))


def write_proposal(cur: Any, dialect: Dialect, state: ProposalState,
                   new: list[DomainEvent]) -> None:
    """Write a proposal's row (a new one: its plan's count) and its new supporters' rows."""
    if new[0].version == 1:
        row = proposal_row(state)
        cur.execute(dialect.text(sql.INSERT_PROPOSAL),
                    tuple(_adapt(dialect, row[c]) for c in PROPOSAL_ORDER))
        if new[0].type == "ProposalImported":
            cur.execute(dialect.text(sql.INSERT_ORIGIN), _origin_of(new[0]))
        cur.execute(dialect.text(sql.COUNT_PROPOSALS), (state.number, state.plan_id))
    else:
        cur.execute(dialect.text(sql.UPDATE_PROPOSAL),
                    (state.state, state.version, state.response, state.merged_into,
                     dialect.time(state.updated_at), fields_text(state.fields), state.supports,
                     state.outcome, state.proposal_id))
    supporters = [(state.proposal_id, e.data["supporter"], dialect.time(e.occurred_at))
                  for e in new if e.type == "ProposalSupported"]
    if supporters:
        cur.executemany(dialect.text(sql.INSERT_SUPPORT), supporters)


PROPOSAL_ORDER = tuple(c.strip() for c in sql.PROPOSAL_COLUMNS.split(","))
