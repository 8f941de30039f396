"""Writing an evidence pack: the log, its definitions and projections in one ZIP (see pack_format).

A pack is a list of members, each written by a *maker*: a function given the
:class:`PackContext` (the database read in one snapshot, the plan the pack is
scoped to, the head, verify's report) that yields :class:`Member` s. The makers
here ship what storage holds (:data:`STORED_MEMBERS`); other code adds its own
(the OGP report, the open-data package) by passing more makers to
:func:`write_pack` (``workflow.evidence.MEMBERS`` is the list the CLI uses).
Each member is streamed into the ZIP and hashed as it goes; ``SHA256SUMS`` comes
last. The file appears only once it is whole (written beside it, then renamed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from definitions.messages import resolved
from storage import pack_format as f
from storage.audit import AuditReport, report_data, verify
from storage.audit_projections import STREAMED, streamed_query
from storage.chain import EVENT_COLUMNS, streamed
from storage.database import reading
from storage.eventstore import GENESIS, Head, read_head
from storage.sql import Dialect, dialect_of
from storage.uow import read_plan
from workflow.domain.canonical import canonical_json

BATCH = 1000
"""Lines joined into one write."""


@dataclass(frozen=True)
class Member:
    """One file of the pack: its name and its bytes, in pieces."""

    name: str
    chunks: Iterable[bytes]


@dataclass
class PackContext:
    """What a maker reads: the database in the pack's snapshot, the scope, the head.

    ``conn`` is the read-only connection of the one snapshot every member is
    read in; ``engine`` is there for code that must open its own (then it reads
    a later snapshot: say so in what it writes). ``facts`` gathers what makers
    report for ``about.json`` (counts, columns).
    """

    engine: Engine
    conn: Connection
    dialect: Dialect
    plan: str | None
    head: Head
    verified: AuditReport
    locale: str
    made_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    """The pack's moment: what a member judges "as of now" is judged as of this."""
    facts: dict[str, Any] = field(default_factory=dict)


Maker = Callable[[PackContext], Iterable[Member]]
"""A function that yields members of a pack."""


@dataclass(frozen=True)
class Written:
    """A member as written: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class PackSummary:
    """What a pack holds: its head, scope, events, members, and verify's report of the log."""

    head: Head
    plan: str | None
    events: int
    members: list[Written]
    verified: AuditReport


def write_pack(engine: Engine, out: Path, makers: Sequence[Maker], plan: str | None = None,
               locale: str | None = None) -> PackSummary:
    """Verify the log, then write the pack of its events (one plan's, or all) to ``out``.

    NotFound (in ``locale``) when ``plan`` is named and does not exist.
    """
    locale = resolved(locale)
    verified = verify(engine, locale=locale)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with reading(engine) as conn, zipfile.ZipFile(partial, "w",
                                                       zipfile.ZIP_DEFLATED) as archive:
            if plan is not None:
                read_plan(conn, plan, locale)
            ctx = PackContext(engine, conn, dialect_of(engine.dialect.name), plan,
                              read_head(conn), verified, locale)
            written = [_write(archive, m) for maker in makers for m in maker(ctx)]
            written.append(_write(archive, _about(ctx, written)))
            archive.writestr(f.SUMS, "".join(f"{w.sha256}  {w.name}\n" for w in written))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return PackSummary(ctx.head, plan, ctx.facts["events"]["count"], written, verified)


def plan_ids(ctx: PackContext) -> list[str]:
    """Return the plans the pack holds: its plan, or every plan created up to the head."""
    if ctx.plan is not None:
        return [ctx.plan]
    query = ("SELECT plan_id FROM events WHERE type = 'PlanCreated'"
             f" AND position <= {int(ctx.head.position)} ORDER BY position")
    with streamed(ctx.conn, ctx.dialect, query, ()) as rows:
        return [plan_id for (plan_id,) in rows]


def _write(archive: zipfile.ZipFile, member: Member) -> Written:
    digest, size = hashlib.sha256(), 0
    with archive.open(member.name, "w", force_zip64=True) as entry:
        for chunk in member.chunks:
            entry.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return Written(member.name, digest.hexdigest(), size)


def _about(ctx: PackContext, written: list[Written]) -> Member:
    about = {"format": f.FORMAT, "version": f.VERSION, "plan": ctx.plan,
             "head": {"position": ctx.head.position, "hash": ctx.head.hash},
             "made_at": ctx.made_at.isoformat(), "hash_formula": f.HASH_FORMULA,
             "members": [w.name for w in written], **ctx.facts}
    return Member(f.ABOUT, [json.dumps(about, ensure_ascii=False, indent=2).encode()])


def _lines(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Write rows as JSON lines, ``BATCH`` a piece."""
    batch: list[bytes] = []
    for row in rows:
        batch.append(orjson.dumps(row))
        if len(batch) == BATCH:
            yield b"\n".join(batch) + b"\n"
            batch = []
    if batch:
        yield b"\n".join(batch) + b"\n"


def event_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``events.jsonl``: the events up to the head (the plan's, with previous hashes)."""
    yield Member(f.EVENTS, _lines(_event_rows(ctx)))


def _event_rows(ctx: PackContext) -> Iterator[list[Any]]:
    columns = ", ".join(f"e.{c}" for c in f.COLUMNS)
    upto, params = int(ctx.head.position), tuple[Any, ...]()
    if ctx.plan is None:
        query = f"SELECT {EVENT_COLUMNS} FROM events WHERE position <= {upto} ORDER BY position"
    else:
        query = (f"SELECT {columns}, COALESCE(b.hash, '{GENESIS}') FROM events e"
                 " LEFT JOIN events b ON b.position = e.position - 1"
                 f" WHERE e.plan_id = ? AND e.position <= {upto} ORDER BY e.position")
        params = (ctx.plan,)
    hash_text, count = ctx.dialect.hash_text, 0
    with streamed(ctx.conn, ctx.dialect, query, params) as rows:
        for row in rows:
            line = list(row)
            line[10] = hash_text(row[10])
            count += 1
            yield line
    ctx.facts["events"] = {"count": count, "columns": [
        *f.COLUMNS, *([f.PREVIOUS] if ctx.plan else [])]}


def definition_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``definitions/SHA256.json``: each definition a plan in the pack pinned."""
    query = ("SELECT plan_id, data FROM events WHERE type = 'PlanCreated'"
             f" AND position <= {int(ctx.head.position)}")
    params: tuple[Any, ...] = ()
    if ctx.plan is not None:
        query, params = f"{query} AND plan_id = ?", (ctx.plan,)
    pinned: dict[str, Any] = {}
    with streamed(ctx.conn, ctx.dialect, f"{query} ORDER BY position", params) as rows:
        for plan_id, data in rows:
            created = json.loads(data)
            entry = pinned.setdefault(created["definition_hash"], {
                "id": created["definition_id"], "plans": [],
                "text": canonical_json(created["definition"]).encode()})
            entry["plans"].append(plan_id)
    for sha, entry in pinned.items():
        yield Member(f"{f.DEFINITIONS}{sha}.json", [entry.pop("text")])
    ctx.facts["definitions"] = pinned


def projection_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``projections/TABLE.jsonl``: the rows verify compares, in the pack's snapshot."""
    counts: dict[str, int] = {}
    for table in f.TABLES:
        yield Member(f.member(table), _lines(_table_rows(ctx, table, counts)))
    ctx.facts["tables"] = {table: {"columns": list(f.TABLES[table]), "rows": counts[table]}
                           for table in f.TABLES}


def _table_rows(ctx: PackContext, table: str, counts: dict[str, int]) -> Iterator[list[Any]]:
    params: tuple[Any, ...]
    if table in STREAMED:
        query, params = streamed_query(table, ctx.plan)
    else:
        scope = "" if ctx.plan is None else " WHERE plan_id = ?"
        query = f"SELECT {', '.join(f.TABLES[table])} FROM {table}{scope} ORDER BY {f.KEYS[table]}"
        params = () if ctx.plan is None else (ctx.plan,)
    encode, count = f.encoder(table, ctx.dialect.read_time), 0
    with streamed(ctx.conn, ctx.dialect, query, params) as rows:
        for row in rows:
            count += 1
            yield encode(row)
    counts[table] = count


def digest_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``digest.json``: the log's head in the pack's snapshot."""
    head = {"position": ctx.head.position, "hash": ctx.head.hash}
    yield Member(f.DIGEST, [json.dumps(head, indent=2).encode()])


def verify_members(ctx: PackContext) -> Iterator[Member]:
    """Yield ``verify.json``: what verify said of the whole log just before the snapshot."""
    data = report_data(ctx.verified)
    yield Member(f.VERIFY, [json.dumps(data, ensure_ascii=False, indent=2).encode()])


STORED_MEMBERS: tuple[Maker, ...] = (event_members, definition_members, projection_members,
                                     digest_members, verify_members)
"""The members storage ships: events, definitions, projections, the digest, verify's report."""
