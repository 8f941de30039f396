"""The hash-chain pass of verify: gapless positions, every hash chained, a kept digest held.

It needs nothing but the rows, so on a large log verify runs it in a second
process (see :func:`chain_in_worker`) while the first replays the same rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storage.eventstore import GENESIS, Head, chain_hash, header
from storage.sql import Dialect
from workflow.errors import StorageError
from workflow.messages import say


@dataclass(frozen=True)
class Finding:
    """The first thing that does not fit: at which event (position) and what."""

    position: int | None
    message: str


@dataclass(frozen=True)
class ChainResult:
    """What the chain pass saw: how many events, the last one's head, the first finding."""

    events: int
    head: Head
    finding: Finding | None


def check_chain(rows: Iterator[tuple[Any, ...]], dialect: Dialect, kept: Head | None,
                locale: str) -> ChainResult:
    """Check positions run 1, 2, 3... and each stored hash chains to the one before."""
    previous, expected = GENESIS, 1
    seen_kept = kept is None or kept.position == 0
    for row in rows:
        position, stream, event_type, data, stored_hash = row[0], row[2], row[6], row[7], row[13]
        if position != expected:
            return _stop(expected, previous, Finding(expected, say(
                locale, "audit.missing", position=expected, found=position)))
        if chain_hash(previous, header(row, dialect.hash_text(row[10])), data) != stored_hash:
            return _stop(expected, previous, Finding(position, say(
                locale, "audit.hash", position=position, type=event_type, stream=stream)))
        if kept is not None and position == kept.position:
            seen_kept = stored_hash == kept.hash
        previous, expected = stored_hash, expected + 1
    finding = None if seen_kept or kept is None else Finding(
        kept.position, say(locale, "audit.digest", position=kept.position))
    return ChainResult(expected - 1, Head(expected - 1, previous), finding)


def _stop(expected: int, previous: str, finding: Finding) -> ChainResult:
    return ChainResult(expected - 1, Head(expected - 1, previous), finding)


def chain_in_worker(url: str, upto: int, kept: Head | None, locale: str) -> ChainResult:
    """Run the chain pass over events 1..``upto`` on its own connection (in a worker process)."""
    from storage.audit import event_rows  # noqa: PLC0415 - not needed by the parent's import
    from storage.database import open_engine, reading  # noqa: PLC0415
    from storage.sql import dialect_of  # noqa: PLC0415

    engine = open_engine(url, migrate=False)
    try:
        with reading(engine) as conn:
            dialect = dialect_of(engine.dialect.name)
            return check_chain(event_rows(conn, dialect, upto), dialect, kept, locale)
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
                                                               finding.message]}))


if __name__ == "__main__":
    main()
