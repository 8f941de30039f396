"""A command's write transaction on a pooled DBAPI connection, in as few round trips as can be.

SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock up front, and the
commit is durable when it returns (``synchronous=FULL``).

PostgreSQL: the transaction runs in psycopg's pipeline mode, with ``BEGIN`` and
``COMMIT`` sent as statements. While the unit of work holds the connection it is
in autocommit, so psycopg adds no round trip of its own to open the transaction
(it would wait for its ``BEGIN`` before the first statement). Statements are
queued and go out when a result is needed: ``BEGIN``, the head lock and the
command's reads travel together, and the writes travel with ``COMMIT``. A command
takes two round trips where psycopg's default took about seven. An error in the
queue (a version clash, a lock timeout) surfaces when its result, or the commit,
is waited for.
"""

from __future__ import annotations

from contextlib import ExitStack, suppress
from typing import Any

from sqlalchemy import Engine

from storage.database import size_cache
from storage.sql import dialect_of


def read_one(engine: Engine, statement: str, *params: Any) -> Any:
    """Return the first row of one fixed read (``?`` placeholders), or None, on a pooled cursor.

    No transaction is opened for it: on PostgreSQL the connection is in
    autocommit for the read, so it takes one round trip instead of three
    (BEGIN, the read, and the pool's ROLLBACK).
    """
    dialect = dialect_of(engine.dialect.name)
    raw = engine.raw_connection()
    try:
        if dialect.postgresql:
            raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        cursor = raw.cursor()
        cursor.execute(dialect.text(statement), params)
        found = cursor.fetchone()
    finally:
        _give_back(raw, dialect.postgresql, engine.dialect.loaded_dbapi)
    return found


def _give_back(raw: Any, postgresql: bool, errors: Any) -> None:
    """Return a connection to the pool out of autocommit, or discard it if it cannot be."""
    try:
        if postgresql and raw.is_valid:
            raw.driver_connection.autocommit = False
    except errors.Error:
        raw.invalidate()
    finally:
        raw.close()


class WriteTransaction:
    """Begin, commit or abandon one write transaction on a DBAPI connection."""

    def __init__(self, raw: Any, postgresql: bool, errors: Any) -> None:
        self._raw = raw
        self._postgresql = postgresql
        self._errors = errors
        self._pipeline = ExitStack()

    def begin(self, cur: Any) -> None:
        """Open the transaction on ``cur`` (SQLite: take the write lock now)."""
        if not self._postgresql:
            size_cache(cur, self._raw.info, writing=True)
            cur.execute("BEGIN IMMEDIATE")
            return
        driver = self._raw.driver_connection
        driver.autocommit = True
        self._pipeline.enter_context(driver.pipeline())
        cur.execute("BEGIN")

    def commit(self, cur: Any) -> None:
        """Commit durably: send what is queued with the COMMIT and wait (errors raise here)."""
        if not self._postgresql:
            self._raw.commit()
            return
        cur.execute("COMMIT")
        self._pipeline.close()

    def end(self, committed: bool) -> None:
        """Roll back unless committed, and give the connection back to the pool as it came.

        A connection that fails here (the server went away) is discarded, not
        pooled: the server rolls back whatever it had not committed.
        """
        try:
            if self._postgresql:
                self._leave_pipeline()
            if not committed:
                self._raw.rollback()
        except self._errors.Error:
            self._raw.invalidate()
        finally:
            _give_back(self._raw, self._postgresql, self._errors)

    def _leave_pipeline(self) -> None:
        """Leave pipeline mode after an error (what is still queued is rolled back anyway)."""
        with suppress(self._errors.Error):
            self._pipeline.close()
