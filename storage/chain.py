"""The hash-chain pass of verify: gapless positions, every hash chained, a kept digest held.

It needs nothing but the rows, so on a large log verify runs it in a second
process (see :func:`chain_in_worker`) while the first replays the same rows.
Both read the log through :func:`streamed`, which hands over the driver's own
cursor: iterating it costs less than any batching done in Python.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from definitions.messages import say
from storage.database import open_engine, reading
from storage.eventstore import GENESIS, Head, chain_digest, header
from storage.sql import Dialect, dialect_of
from workflow.domain.errors import StorageError


@dataclass(frozen=True)
class Finding:
    """The first thing that does not fit: at which event (position), what, and in which language."""

    position: int | None
    message: str
    locale: str


@dataclass(frozen=True)
class ChainResult:
    """What the chain pass saw: how many events, the last one's head, the first finding."""

    events: int
    head: Head
    finding: Finding | None


EVENT_COLUMNS = ("position, event_id, stream_id, stream_type, plan_id, version, type, data,"
                 " actor, actor_role, occurred_at, causation_id, correlation_id, hash")
BATCH = 2000
"""Rows per round trip of a PostgreSQL server-side cursor."""
_CURSORS = itertools.count()


def log_query(columns: str, upto: int) -> str:
    """Return the query of events 1..``upto`` (``columns`` only), in position order."""
    return f"SELECT {columns} FROM events WHERE position <= {int(upto)} ORDER BY position"


@contextmanager
def streamed(conn: Connection, dialect: Dialect, query: str,
             params: tuple[Any, ...] = ()) -> Iterator[Iterable[tuple[Any, ...]]]:
    """Run ``query`` (with ``params`` for its ``?``) and hand over its cursor; close it after.

    The cursor's rows are plain tuples. On PostgreSQL it is server-side and
    fetches ``BATCH`` rows at a time, so the log is never held in memory.
    """
    driver: Any = conn.connection.driver_connection
    if dialect.postgresql:
        cursor = driver.cursor(name=f"cocrea_audit_{next(_CURSORS)}")
        cursor.itersize = BATCH
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(*((dialect.text(query), params) if params else (query,)))
        yield cursor
    finally:
        cursor.close()


def check_chain(rows: Iterable[tuple[Any, ...]], dialect: Dialect, kept: Head | None,
                locale: str) -> ChainResult:
    """Check positions run 1, 2, 3... and each stored hash chains to the one before."""
    previous, expected = GENESIS, 1
    seen_kept = kept is None or kept.position == 0
    kept_at, hash_text = None if kept is None else kept.position, dialect.hash_text
    for row in rows:
        position, stored_hash = row[0], row[13]
        if position != expected:
            return _stop(expected, previous, Finding(expected, say(
                locale, "audit.missing", position=expected, found=position), locale))
        if link(previous, row, hash_text(row[10])) != stored_hash:
            return _stop(expected, previous, Finding(position, say(
                locale, "audit.hash", position=position, type=row[6], stream=row[2]), locale))
        if position == kept_at and kept is not None:
            seen_kept = stored_hash == kept.hash
        previous, expected = stored_hash, expected + 1
    finding = None if seen_kept or kept is None else Finding(
        kept.position, say(locale, "audit.digest", position=kept.position), locale)
    return ChainResult(expected - 1, Head(expected - 1, previous), finding)


def link(previous: str, row: tuple[Any, ...], moment: str) -> str:
    """Return ``chain_hash(previous, header(row, moment), data)`` of an events row, faster.

    orjson writes a header (a flat list of strings, integers and nulls) byte for
    byte as ``canonical_list`` writes it, in a third of the time; the hash covers
    the same UTF-8 bytes. A header value of another type, which only a forger can
    store in SQLite, ``canonical_list`` refuses and orjson writes unlike any
    valid header's: such a row never passes either.
    """
    return chain_digest(previous, orjson.dumps(header(row, moment)), f"{row[7]}".encode())


def _stop(expected: int, previous: str, finding: Finding) -> ChainResult:
    return ChainResult(expected - 1, Head(expected - 1, previous), finding)


def chain_in_worker(url: str, upto: int, kept: Head | None, locale: str) -> ChainResult:
    """Run the chain pass over events 1..``upto`` on its own connection (in a worker process)."""
    engine = open_engine(url, migrate=False)
    dialect = dialect_of(engine.dialect.name)
    try:
        with reading(engine) as conn, streamed(conn, dialect,
                                               log_query(EVENT_COLUMNS, upto)) as rows:
            return check_chain(rows, dialect, kept, locale)
    finally:
        engine.dispose()


def start_worker(url: str, upto: int, kept: Head | None, locale: str) -> subprocess.Popen[str]:
    """Start ``python -m storage.chain`` on the request.

    The request goes in the worker's environment, not its arguments: the URL may
    hold a password, and arguments show in every user's process list.
    """
    request = {"url": url, "upto": upto, "locale": locale,
               "kept": None if kept is None else [kept.position, kept.hash]}
    env = {**os.environ, REQUEST: json.dumps(request)}
    return subprocess.Popen([sys.executable, "-m", "storage.chain"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


REQUEST = "COCREA_CHAIN_REQUEST"


def collect(worker: subprocess.Popen[str]) -> ChainResult:
    """Wait for a worker and return its result (StorageError if it failed)."""
    out, err = worker.communicate()
    if worker.returncode != 0:
        raise StorageError(f"verify worker failed: {err.strip().splitlines()[-1:]}")
    data = json.loads(out)
    finding = None if data["finding"] is None else Finding(*data["finding"])
    return ChainResult(data["events"], Head(*data["head"]), finding)


def main() -> None:
    """Worker entry: read the request from the environment, print the result as JSON."""
    request = json.loads(os.environ[REQUEST])
    kept = None if request["kept"] is None else Head(*request["kept"])
    result = chain_in_worker(request["url"], request["upto"], kept, request["locale"])
    finding = result.finding
    print(json.dumps({"events": result.events,
                      "head": [result.head.position, result.head.hash],
                      "finding": None if finding is None else [finding.position,
                                                               finding.message,
                                                               finding.locale]}))


if __name__ == "__main__":
    main()
