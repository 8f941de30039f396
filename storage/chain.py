"""The hash-chain pass of verify: gapless positions, every hash chained, a kept digest held.

It needs nothing but the rows, so on a large log verify runs it in a second
process (see :func:`chain_in_worker`) while the first replays the same rows.
Both read the log through :func:`streamed`, which hands over the driver's own
cursor: iterating it costs less than any batching done in Python. The rows may
come from elsewhere too: ``cocrea audit check`` hands the same pass the lines of
an evidence pack (:mod:`storage.pack_check`), whose moments are already the text
the hash covers (see :class:`Moments`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from definitions.messages import say
from storage.database import open_engine, reading
from storage.eventstore import GENESIS, Head, chain_digest, header
from storage.sql import Dialect, dialect_of
from workflow.domain.errors import StorageError


class Moments(Protocol):
    """How the rows at hand hold an event's moment: a database's dialect, or a pack's text."""

    def hash_text(self, value: Any) -> str:
        """Return the moment as the text the hash chain covers."""
        ...

    def read_time(self, value: Any) -> dt.datetime:
        """Return the moment as an aware UTC datetime."""
        ...


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


def check_chain(rows: Iterable[Sequence[Any]], moments: Moments, kept: Head | None,
                locale: str) -> ChainResult:
    """Check positions run 1, 2, 3... and each stored hash chains to the one before.

    ``rows`` hold the columns of :data:`EVENT_COLUMNS`, in order.
    """
    previous, expected = GENESIS, 1
    seen_kept = kept is None or kept.position == 0
    kept_at, hash_text = None if kept is None else kept.position, moments.hash_text
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


def check_links(rows: Iterable[Sequence[Any]], moments: Moments, kept: Head | None,
                locale: str) -> ChainResult:
    """Check the events of one plan, each carrying the hash of the event before it in the log.

    ``rows`` hold the columns of :data:`EVENT_COLUMNS` and then that previous
    hash. Each event must hash to its stored hash from the previous hash it
    carries, positions must rise, and where two of them are next to each other in
    the log (#n, #n+1) the second must carry the first's hash. The events of other
    plans between two of them are not at hand, so nothing proves that none of this
    plan's is missing there: the replay does, for an event followed by another of
    its stream (versions run 1, 2, 3...), and a pack of the whole log does for all.
    """
    last, last_hash, count, digest = 0, GENESIS, 0, _KeptDigest(kept)
    hash_text = moments.hash_text
    for row in rows:
        position, stored_hash, previous = row[0], row[13], row[14]
        if position <= last:
            return _stop_at(count, last, last_hash, Finding(position, say(
                locale, "pack.out_of_order", position=position, last=last), locale))
        if (position == last + 1 and previous != last_hash) or link(
                previous, row, hash_text(row[10])) != stored_hash:
            return _stop_at(count, last, last_hash, Finding(position, say(
                locale, "audit.hash", position=position, type=row[6], stream=row[2]), locale))
        digest.see(position, previous, stored_hash)
        last, last_hash, count = position, stored_hash, count + 1
    return ChainResult(count, Head(last, last_hash), digest.finding(locale))


class _KeptDigest:
    """What a plan's events say of a kept digest: held, not held, or not theirs to tell."""

    def __init__(self, kept: Head | None) -> None:
        self.kept, self.held = kept, None if kept is not None and kept.position else True

    def see(self, position: int, previous: str, stored_hash: str) -> None:
        """Look at one event: it tells when it, or the event before it, is the kept head."""
        if self.kept is None or self.held is not None:
            return
        if position == self.kept.position:
            self.held = stored_hash == self.kept.hash
        elif position - 1 == self.kept.position:
            self.held = previous == self.kept.hash

    def finding(self, locale: str) -> Finding | None:
        """Say that the kept head is not in the log, or that these events cannot tell."""
        if self.kept is None or self.held:
            return None
        key = "audit.digest" if self.held is False else "pack.digest_elsewhere"
        return Finding(self.kept.position, say(locale, key, position=self.kept.position),
                       locale)


def _stop_at(count: int, last: int, last_hash: str, finding: Finding) -> ChainResult:
    return ChainResult(count, Head(last, last_hash), finding)


def link(previous: str, row: Sequence[Any], moment: str) -> str:
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
    """Start ``python -m storage.chain`` on the request (see :func:`spawn`)."""
    return spawn("storage.chain", {"url": url, "upto": upto, "locale": locale,
                                   "kept": None if kept is None else [kept.position, kept.hash]})


def spawn(module: str, request: dict[str, Any]) -> subprocess.Popen[str]:
    """Start ``python -m MODULE`` on ``request`` (JSON), to print its answer as JSON.

    The request goes in the worker's environment, not its arguments: the URL may
    hold a password, and arguments show in every user's process list.
    """
    env = {**os.environ, REQUEST: json.dumps(request)}
    return subprocess.Popen([sys.executable, "-m", module], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


REQUEST = "COCREA_CHAIN_REQUEST"


def collect(worker: subprocess.Popen[str]) -> ChainResult:
    """Wait for a worker and return its result (StorageError if it failed)."""
    return chain_result(collected(worker))


def collected(worker: subprocess.Popen[str]) -> Any:
    """Wait for a worker and return the JSON it printed (StorageError if it failed)."""
    out, err = worker.communicate()
    if worker.returncode != 0:
        raise StorageError(f"verify worker failed: {err.strip().splitlines()[-1:]}")
    return json.loads(out)


def chain_json(result: ChainResult) -> dict[str, Any]:
    """Return a chain pass's result as JSON data (a worker's answer)."""
    finding = result.finding
    return {"events": result.events, "head": [result.head.position, result.head.hash],
            "finding": None if finding is None else [finding.position, finding.message,
                                                     finding.locale]}


def chain_result(data: dict[str, Any]) -> ChainResult:
    """Return the chain pass's result that :func:`chain_json` wrote."""
    finding = None if data["finding"] is None else Finding(*data["finding"])
    return ChainResult(data["events"], Head(*data["head"]), finding)


def request() -> Any:
    """Return a worker's request (see :func:`spawn`)."""
    return json.loads(os.environ[REQUEST])


def kept_head(data: list[Any] | None) -> Head | None:
    """Return the kept digest a request carries, if any."""
    return None if data is None else Head(*data)


def main() -> None:
    """Worker entry: read the request from the environment, print the result as JSON."""
    asked = request()
    result = chain_in_worker(asked["url"], asked["upto"], kept_head(asked["kept"]),
                             asked["locale"])
    print(json.dumps(chain_json(result)))


if __name__ == "__main__":
    main()
