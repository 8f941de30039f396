"""The test-database harness gives each test a fresh, working, isolated database."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect, text

from tests.support.postgres import EXTERNAL_URL_ENV, PostgresCluster, postgres_cluster


def _libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


needs_own_cluster = pytest.mark.skipif(
    bool(os.environ.get(EXTERNAL_URL_ENV)),
    reason=f"{EXTERNAL_URL_ENV} points at an existing server; no cluster is started",
)
# Tests that start their own cluster still ask for the session's, so that missing PostgreSQL
# is skipped locally and fails under CI, like every other PostgreSQL test.
needs_postgres = pytest.mark.usefixtures("postgres_cluster_session")


def _notes_table(metadata: MetaData) -> Table:
    return Table(
        "notes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("body", String(200), nullable=False),
    )


def _table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _setting(url: str, name: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text(f"SHOW {name}")).scalar_one())
    finally:
        engine.dispose()


def test_each_database_url_accepts_a_table_write_and_read(db_url: str) -> None:
    metadata = MetaData()
    notes = _notes_table(metadata)
    engine = create_engine(db_url)
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(notes.insert(), [{"body": "first"}, {"body": "second"}])
        with engine.connect() as connection:
            bodies = connection.execute(notes.select().order_by(notes.c.id)).all()
    finally:
        engine.dispose()
    assert [row.body for row in bodies] == ["first", "second"]


def test_each_test_starts_on_an_empty_database(db_url: str) -> None:
    assert _table_names(db_url) == []


def test_the_sqlite_database_lives_in_the_tests_own_folder(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"sqlite:///{tmp_path}/cocrea.db"


def test_two_postgres_databases_are_isolated(
    postgres_cluster_session: PostgresCluster,
) -> None:
    cluster = postgres_cluster_session
    first = cluster.create_database("t_isolated_first")
    second = cluster.create_database("t_isolated_second")
    try:
        engine = create_engine(first)
        try:
            _notes_table(metadata := MetaData())
            metadata.create_all(engine)
        finally:
            engine.dispose()
        assert _table_names(first) == ["notes"]
        assert _table_names(second) == []
    finally:
        cluster.drop_database("t_isolated_first")
        cluster.drop_database("t_isolated_second")


def test_a_postgres_database_can_be_dropped_while_a_session_is_still_connected(
    postgres_cluster_session: PostgresCluster,
) -> None:
    cluster = postgres_cluster_session
    url = _libpq_url(cluster.create_database("t_still_connected"))
    with psycopg.connect(url, autocommit=True) as lingering:
        cluster.drop_database("t_still_connected")
        with pytest.raises(psycopg.OperationalError):
            lingering.execute("SELECT 1")
    with pytest.raises(psycopg.OperationalError, match="t_still_connected"):
        psycopg.connect(url).close()


@needs_own_cluster
def test_the_session_cluster_is_fast_and_allows_many_connections(postgres_url: str) -> None:
    assert _setting(postgres_url, "fsync") == "off"
    assert _setting(postgres_url, "synchronous_commit") == "off"
    assert _setting(postgres_url, "max_connections") == "200"


@needs_own_cluster
@needs_postgres
@pytest.mark.slow
def test_a_durable_cluster_keeps_fsync_on() -> None:
    with postgres_cluster(durable=True) as cluster:
        assert _setting(cluster.admin_url, "fsync") == "on"
        assert _setting(cluster.admin_url, "synchronous_commit") == "on"


@needs_own_cluster
@needs_postgres
def test_a_cluster_stops_when_its_block_fails() -> None:
    class BlockFailedError(Exception):
        pass

    with pytest.raises(BlockFailedError), postgres_cluster() as cluster:
        admin_url = cluster.admin_url
        raise BlockFailedError
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(_libpq_url(admin_url), connect_timeout=2).close()
