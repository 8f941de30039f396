"""The databases a run measures: a SQLite file, or a durable throwaway PostgreSQL cluster.

A target gives the engine's URL, the raw baselines on the same disk or server,
and the ``eventsourcing`` peer's environment; everything is removed at the end.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url

from bench.baselines import RawPsycopgWriter, RawSqliteWriter, raw_select_psycopg, raw_select_sqlite
from bench.floor import FloorPsycopg, FloorSqlite
from tests.support.postgres import postgres_cluster


class Writer(Protocol):
    def window(self, commits: int) -> int: ...
    def close(self) -> None: ...


@dataclass
class Target:
    """One database under test."""

    name: str
    url: str
    raw_writer: Callable[[], Writer]
    raw_select: Callable[[], tuple[int, float]]
    peer_env: dict[str, str]
    floor_writer: Callable[[], Writer]


def data_root() -> Path:
    """Return a fresh folder for the databases (under /tmp, on the same disk as /work here)."""
    return Path(tempfile.mkdtemp(prefix="cocrea-bench-"))


@contextlib.contextmanager
def sqlite_target() -> Iterator[Target]:
    """A SQLite file for the engine, one for the raw baseline, one for the peer."""
    root = data_root()
    try:
        engine_db = root / "cocrea.db"
        yield Target("sqlite", f"sqlite:///{engine_db}",
                     lambda: RawSqliteWriter(root / "raw.db"),
                     lambda: raw_select_sqlite(engine_db),
                     {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                      "SQLITE_DBNAME": str(root / "peer.db"), "SQLITE_LOCK_TIMEOUT": "30"},
                     lambda: FloorSqlite(str(root / "floor.db")))
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_target() -> Iterator[Target]:
    """Three databases on one durable throwaway cluster (fsync, synchronous commit on)."""
    with postgres_cluster(durable=True) as cluster:
        url = cluster.create_database("cocrea_bench")
        raw = libpq(cluster.create_database("raw_bench"))
        peer = make_url(cluster.create_database("peer_bench"))
        floor = cluster.create_database("floor_bench")
        yield Target("postgresql", url, lambda: RawPsycopgWriter(raw),
                     lambda: raw_select_psycopg(libpq(url)),
                     {"PERSISTENCE_MODULE": "eventsourcing.postgres",
                      "POSTGRES_DBNAME": str(peer.database), "POSTGRES_HOST": str(peer.host),
                      "POSTGRES_PORT": str(peer.port), "POSTGRES_USER": str(peer.username),
                      "POSTGRES_PASSWORD": "unused"},
                     lambda: FloorPsycopg(floor, libpq(floor)))


def libpq(url: str) -> str:
    """Return a SQLAlchemy URL as a libpq URI psycopg accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


TARGETS = {"sqlite": sqlite_target, "postgresql": postgres_target}
