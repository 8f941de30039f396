"""Opening a database: engine settings per dialect, and migrating it to the newest schema.

SQLite: WAL, ``synchronous=FULL`` (a commit is on disk when it returns), a busy
timeout, foreign keys, a 64 MiB page cache while writing (2 MiB while reading),
and write transactions that take the lock up front (``BEGIN IMMEDIATE``); read-only
work (``readonly=True``) begins deferred so auditors' reads never wait behind writers.
PostgreSQL: psycopg 3. A pooled connection that sat idle for a while is pinged
before use (a restarted server would have dropped it); one taken straight back
is not, which saves a round trip per command under load. A connection found
dead in use is discarded, and only that command fails. Its durability is the
server's to set: :func:`durability_settings` reads it, :func:`unsafe_settings`
says when a commit it acknowledged can still be lost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError

from definitions.messages import deployment_locale, say
from workflow.domain.errors import SchemaBehind

DEFAULT_URL = "sqlite:///cocrea.db"
BUSY_TIMEOUT_S = 30
WRITER_CACHE_KIB = 65536
"""SQLite page cache of a connection while it writes (2 MiB misses on a big log's indexes)."""
READER_CACHE_KIB = 2000
"""SQLite page cache while it reads: verify streams the log and must stay small."""
PING_AFTER_IDLE_S = 2.0
"""A pooled PostgreSQL connection idle longer than this is pinged before it is used."""


def size_cache(cursor: Any, info: dict[str, Any], writing: bool) -> None:
    """Give a pooled SQLite connection the page cache its use needs (once per change)."""
    if info.get("cocrea_writer") != writing:
        size = WRITER_CACHE_KIB if writing else READER_CACHE_KIB
        cursor.execute(f"PRAGMA cache_size=-{size}")
        info["cocrea_writer"] = writing


def database_url(given: str | None = None) -> str:
    """Return the URL to use: ``given``, else ``COCREA_DATABASE_URL``, else the SQLite default."""
    return given or os.environ.get("COCREA_DATABASE_URL") or DEFAULT_URL


def open_engine(url: str, migrate: bool = True, readonly: bool = False) -> Engine:
    """Create an engine for ``url`` with cocrea's settings; migrate it unless told not to.

    ``readonly`` opens the database so that nothing can be written through the engine
    (SQLite ``mode=ro``; PostgreSQL ``default_transaction_read_only``), never migrates,
    and checks the schema is this cocrea's: an audit never writes to what it audits.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed, readonly)
    else:
        args = {"options": "-c default_transaction_read_only=on"} if readonly else {}
        engine = create_engine(parsed, connect_args=args)
        _ping_when_idle(engine)
    if readonly:
        check_schema(engine)
    elif migrate:
        upgrade(engine)
    return engine


def _sqlite_engine(url: URL, readonly: bool) -> Engine:
    args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_S}
    if readonly and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_file():
            raise SchemaBehind(say(deployment_locale(), "error.no_database", path=path))
        url = url.set(database=f"file:{path.resolve()}?mode=ro", query={"uri": "true"})
    engine = create_engine(url, connect_args=args)
    _tune_sqlite(engine, readonly)
    return engine


def schema_revision(engine: Engine) -> str | None:
    """Return the migration the database's schema is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Raise SchemaBehind unless the database's schema is the newest this cocrea knows."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    current = schema_revision(engine)
    if current != head:
        raise SchemaBehind(say(deployment_locale(), "error.schema_behind", current=current or "—",
                               head=head))


DURABILITY_SETTINGS = ("fsync", "synchronous_commit")
"""PostgreSQL's settings under which an acknowledged commit can be lost when off."""


def durability_settings(engine: Engine) -> dict[str, str]:
    """Read PostgreSQL's ``fsync`` and ``synchronous_commit`` as ``engine``'s connections see them.

    ``synchronous_commit`` may differ per database and per role. SQLite has none
    to read: cocrea sets ``synchronous=FULL`` on every connection.
    """
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as conn:
        return {name: str(conn.exec_driver_sql(f"SHOW {name}").scalar())
                for name in DURABILITY_SETTINGS}


def unsafe_settings(settings: Mapping[str, str]) -> dict[str, str]:
    """Return those of ``settings`` under which a commit PostgreSQL acknowledged can be lost.

    ``fsync = off``: a crash of the machine can lose (or corrupt) anything written
    since the last checkpoint. ``synchronous_commit = off``: a commit returns before
    its WAL is on disk, so a crash of the server loses the last ones acknowledged.
    (``local``, ``remote_write``, ``on`` and ``remote_apply`` all flush locally first.)
    """
    return {name: value for name, value in settings.items()
            if name in DURABILITY_SETTINGS and value.strip().lower() in ("off", "false", "0")}


def _tune_sqlite(engine: Engine, readonly: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        pragmas = ("synchronous=FULL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_S * 1000}")
        for pragma in pragmas if readonly else ("journal_mode=WAL", *pragmas):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        reads = readonly or connection.get_execution_options().get("readonly", False)
        connection.exec_driver_sql("BEGIN" if reads else "BEGIN IMMEDIATE")


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["cocrea_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("cocrea_idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(str(exc)) from exc  # the pool connects afresh


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """Open a read-only transaction that sees one snapshot of the database throughout.

    PostgreSQL: REPEATABLE READ (READ COMMITTED would let each statement see newer
    commits). SQLite: a deferred BEGIN, whose WAL snapshot lasts the transaction.
    """
    options: dict[str, Any] = {"readonly": True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as conn:
        if engine.dialect.name == "sqlite":
            size_cache(conn.connection.driver_connection, conn.connection.info, writing=False)
        with conn.begin():
            yield conn


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration bound to ``engine``'s database."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    command.upgrade(alembic_config(engine), "head")
