"""Stored definitions: the ``definitions`` table, written in a command's transaction, and read.

A row is one id at one version: its YAML text as given, the SHA-256 a plan made
from it pins, its title and language, and when and by whom it was added. Whether a
definition may be added or removed is the services' decision
(:mod:`workflow.domain.library`); this module writes what it is handed.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from storage import tables as t
from storage.database import reading
from storage.eventstore import utc
from storage.sql import Dialect
from workflow.domain.events import Actor
from workflow.domain.library import STORED, Entry, PinnedPlan, StoredDefinition

ENTRY_COLUMNS = "definition_id, version, sha256, title, locale, added_at, added_by, added_role"
FIND = f"SELECT {ENTRY_COLUMNS}, yaml FROM definitions WHERE definition_id = ? AND version = ?"
INSERT = (f"INSERT INTO definitions ({ENTRY_COLUMNS}, yaml)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
DELETE = "DELETE FROM definitions WHERE definition_id = ? AND version = ?"
PINNING = ("SELECT p.plan_id, p.definition_hash, e.data FROM plans p JOIN events e"
           " ON e.stream_id = p.plan_id AND e.version = 1 WHERE p.definition_id = ?")


def entry_from_row(row: Any, read_time: Any = utc) -> Entry:
    """Turn a row (columns in :data:`ENTRY_COLUMNS` order) into a library entry."""
    definition_id, version, sha256, title, locale, added_at, added_by, added_role = row[:8]
    return Entry(definition_id, version, sha256, title, locale, STORED, read_time(added_at),
                 Actor(added_by, added_role))


def find(cur: Any, dialect: Dialect, definition_id: str, version: int
         ) -> StoredDefinition | None:
    """Read a stored definition's id@version in the command's transaction, or None."""
    cur.execute(dialect.text(FIND), (definition_id, version))
    row = cur.fetchone()
    return None if row is None else StoredDefinition(entry_from_row(row, dialect.read_time),
                                                     row[8])


def insert(cur: Any, dialect: Dialect, stored: StoredDefinition) -> None:
    """Write a stored definition's row in the command's transaction."""
    e, who = stored.entry, stored.entry.added_by
    assert who is not None  # a stored entry says who added it (workflow.domain.library.to_store)
    cur.execute(dialect.text(INSERT), (e.id, e.version, e.sha256, e.title, e.locale,
                                       dialect.time(e.added_at), who.name, who.role,
                                       stored.yaml))


def delete(cur: Any, dialect: Dialect, definition_id: str, version: int) -> None:
    """Delete a stored definition's row in the command's transaction."""
    cur.execute(dialect.text(DELETE), (definition_id, version))


def pinning(cur: Any, dialect: Dialect, definition_id: str) -> list[PinnedPlan]:
    """Return the plans made from a definition id: the version and hash each one pins."""
    cur.execute(dialect.text(PINNING), (definition_id,))
    return [PinnedPlan(plan_id, int(json.loads(data)["definition"]["version"]), sha256)
            for plan_id, sha256, data in cur.fetchall()]


def entries(engine: Engine) -> list[Entry]:
    """Return every stored definition's entry (without its YAML), by id and version."""
    c = t.definitions.c
    query = select(*(c[name.strip()] for name in ENTRY_COLUMNS.split(",")))
    with reading(engine) as conn:
        return [entry_from_row(row) for row in conn.execute(
            query.order_by(c.definition_id, c.version))]


def read(engine: Engine, definition_id: str, version: int) -> StoredDefinition | None:
    """Return a stored definition's id@version with its YAML text, or None."""
    c = t.definitions.c
    query = select(*(c[name.strip()] for name in ENTRY_COLUMNS.split(",")), c.yaml).where(
        c.definition_id == definition_id, c.version == version)
    with reading(engine) as conn:
        row = conn.execute(query).one_or_none()
    return None if row is None else StoredDefinition(entry_from_row(row), row[8])
