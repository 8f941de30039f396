"""Raw baselines on the same disk / server: one row per durable commit, and a raw SELECT.

The write baseline inserts an event-sized row (a stream id, a version and a
~250-byte JSON text) per transaction. SQLite runs it with the pragmas
``open_engine`` sets (WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``);
PostgreSQL with psycopg, one ``INSERT`` and ``COMMIT`` each.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import psycopg

ROW = '{"body":"' + "x" * 230 + '"}'
SELECT_EVENTS = "SELECT * FROM events ORDER BY position"
FETCH = 2000
"""Rows per fetch of the PostgreSQL server-side cursor (verify streams 2,000 at a time too)."""


class RawSqliteWriter:
    """sqlite3, one row per durable commit."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._conn.execute("CREATE TABLE IF NOT EXISTS raw_events (id INTEGER PRIMARY KEY, "
                           "stream TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)")
        self._n = 0

    def window(self, commits: int) -> int:
        """Commit ``commits`` one-row transactions; return how many."""
        for _ in range(commits):
            self._n += 1
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("INSERT INTO raw_events (stream, version, data) VALUES (?, ?, ?)",
                               (f"raw.p{self._n}", 1, ROW))
            self._conn.execute("COMMIT")
        return commits

    def close(self) -> None:
        self._conn.close()


class RawPsycopgWriter:
    """psycopg 3, one row per durable commit."""

    def __init__(self, dsn: str) -> None:
        self._conn = psycopg.connect(dsn)
        self._conn.execute("CREATE TABLE IF NOT EXISTS raw_events (id BIGSERIAL PRIMARY KEY, "
                           "stream TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)")
        self._conn.commit()
        self._n = 0

    def window(self, commits: int) -> int:
        """Commit ``commits`` one-row transactions; return how many."""
        for _ in range(commits):
            self._n += 1
            self._conn.execute("INSERT INTO raw_events (stream, version, data) "
                               "VALUES (%s, %s, %s)", (f"raw.p{self._n}", 1, ROW))
            self._conn.commit()
        return commits

    def close(self) -> None:
        self._conn.close()


def raw_select_sqlite(path: Path) -> tuple[int, float]:
    """Iterate every events row in position order with sqlite3; return (rows, seconds)."""
    conn = sqlite3.connect(path)
    try:
        start, rows = time.perf_counter(), 0
        for _row in conn.execute(SELECT_EVENTS):
            rows += 1
        return rows, time.perf_counter() - start
    finally:
        conn.close()


def raw_select_psycopg(dsn: str) -> tuple[int, float]:
    """Iterate every events row in position order with a psycopg server-side cursor."""
    with psycopg.connect(dsn) as conn, conn.cursor(name="raw_scan") as cursor:
        cursor.itersize = FETCH
        start, rows = time.perf_counter(), 0
        cursor.execute(SELECT_EVENTS)
        for _row in cursor:
            rows += 1
        return rows, time.perf_counter() - start
