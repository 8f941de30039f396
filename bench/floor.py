"""The floor: a trigger's own statements, durably committed, with nothing of the engine around them.

On its own database with cocrea's schema (a Cuenca plan in reception and
``PROPOSALS`` proposals, made by the engine), each floor command runs what a
trigger such as ``admitir`` runs: lock the head, read the proposal with its plan,
insert one ``events`` row, move the head, update the proposal's row, commit
durably; on PostgreSQL in the engine's two round trips. The values are made
up beforehand: no domain, no machine, no hashing, no pool, no driver adapter.

Its rate ÷ the raw one-row commit is therefore a ceiling on engine ÷ raw for
any engine that keeps this schema: a hash-chained log and its projections
written in one transaction. The floor's database is small (its indexes are
shallower than the big log's), so the ceiling it shows is, if anything, high.
"""

from __future__ import annotations

import sqlite3
import uuid
from itertools import cycle
from typing import Any

import psycopg
from sqlalchemy import Engine, select

from bench.cuenca import HOT_PLAN, INTAKE, open_reception, services
from storage import sql
from storage import tables as t
from storage.database import WRITER_CACHE_KIB, open_engine
from storage.eventstore import utc
from storage.sql import dialect_of

PROPOSALS = 2000
INSERT_EVENT = ("INSERT INTO events (position, event_id, stream_id, stream_type, plan_id,"
                " version, type, data, actor, actor_role, occurred_at, causation_id,"
                " correlation_id, hash) VALUES (?, ?, ?, 'proposal', ?, ?, 'ProposalAdmitted',"
                " ?, 'tecnica', 'staff', ?, NULL, NULL, ?)")
UPDATE_PROPOSAL = ("UPDATE proposals SET state = 'admitida', version = ?, updated_at = ?"
                   " WHERE proposal_id = ?")
DATA = '{"from":"recibida","to":"admitida","trigger":"admitir"}'
HASH = "f" * 64


def prepare(url: str) -> tuple[list[str], Any]:
    """Make the floor's database with the engine; return its proposal ids and a stored moment."""
    engine: Engine = open_engine(url)
    try:
        svc = services(engine)
        open_reception(svc, HOT_PLAN)
        for n in range(PROPOSALS):
            svc.submit_proposal(HOT_PLAN, f"Propuesta {n}", "Texto de la propuesta.", "online",
                                None, INTAKE)
        with engine.connect() as conn:
            ids = list(conn.execute(select(t.proposals.c.proposal_id)).scalars())
            moment = conn.execute(select(t.events.c.occurred_at).limit(1)).scalar_one()
        stored = dialect_of(engine.dialect.name).time(utc(moment))
    finally:
        engine.dispose()
    return ids, stored


class Floor:
    """What the floor commands share: which proposal and version come next."""

    def __init__(self, url: str) -> None:
        ids, self.moment = prepare(url)
        self._next = cycle(ids)
        self._versions = dict.fromkeys(ids, 100)   # above any version the engine wrote

    def target(self) -> tuple[str, int]:
        """The next proposal to write and its next version."""
        proposal = next(self._next)
        self._versions[proposal] += 1
        return proposal, self._versions[proposal]


class FloorSqlite(Floor):
    """The floor on a SQLite file, with the engine's pragmas (WAL, synchronous=FULL)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"sqlite:///{path}")
        self._conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", f"cache_size=-{WRITER_CACHE_KIB}"):
            self._conn.execute(f"PRAGMA {pragma}")

    def window(self, commands: int) -> int:
        """Run ``commands`` floor commands, each one durable transaction."""
        run = self._conn.execute
        for _ in range(commands):
            proposal, version = self.target()
            run("BEGIN IMMEDIATE")
            position = run(sql.LOCK_HEAD).fetchone()[0] + 1
            run(sql.PROPOSAL_AND_PLAN_ROWS, (proposal,)).fetchone()
            run(INSERT_EVENT, (position, str(uuid.uuid4()), proposal, HOT_PLAN, version, DATA,
                               self.moment, HASH))
            run(sql.MOVE_HEAD, (position, HASH))
            run(UPDATE_PROPOSAL, (version, self.moment, proposal))
            run("COMMIT")
        return commands

    def close(self) -> None:
        self._conn.close()


class FloorPsycopg(Floor):
    """The floor on PostgreSQL: one pipeline a command, BEGIN and COMMIT as statements."""

    def __init__(self, url: str, dsn: str) -> None:
        super().__init__(url)
        self._conn = psycopg.connect(dsn, autocommit=True)

    def window(self, commands: int) -> int:
        """Run ``commands`` floor commands, each one durable transaction in two round trips."""
        text = dialect_of("postgresql").text
        head = text(sql.LOCK_HEAD + " FOR UPDATE")
        rows, insert = text(sql.PROPOSAL_AND_PLAN_ROWS), text(INSERT_EVENT)
        move, update = text(sql.MOVE_HEAD), text(UPDATE_PROPOSAL)
        for _ in range(commands):
            proposal, version = self.target()
            with self._conn.pipeline(), self._conn.cursor() as cur, self._conn.cursor() as read:
                cur.execute("BEGIN")
                cur.execute(head)
                read.execute(rows, (proposal,))
                position = cur.fetchone()[0] + 1  # type: ignore[index]
                read.fetchone()
                cur.execute(insert, (position, str(uuid.uuid4()), proposal, HOT_PLAN, version,
                                     DATA, self.moment, HASH))
                cur.execute(move, (position, HASH))
                cur.execute(update, (version, self.moment, proposal))
                cur.execute("COMMIT")
        return commands

    def close(self) -> None:
        self._conn.close()
