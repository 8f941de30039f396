"""Fixtures shared by the whole test suite.

Databases:

- ``db_url`` runs a test twice, on SQLite (``[sqlite]``) and on PostgreSQL (``[postgresql]``),
  each time on a fresh, empty database.
- ``sqlite_url`` and ``postgres_url`` give only one of them, for tests that need just one.
- ``postgres_cluster_session`` is the one throwaway PostgreSQL server of the session; it starts
  only when a test first asks for PostgreSQL (see ``tests/support/postgres.py``). It runs
  with fsync and synchronous commit off, for speed.
- ``durable_postgres_url`` is a fresh database on a second server, started on first use, that
  keeps PostgreSQL's durable defaults (for the tests of cocrea's durability check).

Where no PostgreSQL can be had, PostgreSQL tests are skipped on a developer's machine and fail
under CI (environment variable ``CI`` set), which must test both databases.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import (
    EXTERNAL_URL_ENV,
    PostgresCluster,
    postgres_available,
    postgres_cluster,
)

_URL_FIXTURE_BY_DATABASE = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}


@pytest.fixture(scope="session")
def postgres_cluster_session() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL server for the whole session, started on first use."""
    if not postgres_available():
        reason = (
            "PostgreSQL is not available: no server binaries found (install the Debian "
            f"package 'postgresql') and {EXTERNAL_URL_ENV} is not set"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must test both SQLite and PostgreSQL", pytrace=False)
        pytest.skip(reason)
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def durable_cluster_session() -> Iterator[PostgresCluster]:
    """A second throwaway PostgreSQL server, with fsync and synchronous commit on."""
    if os.environ.get(EXTERNAL_URL_ENV):
        pytest.skip(f"needs a server this session starts ({EXTERNAL_URL_ENV} is set)")
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not available; CI must test it", pytrace=False)
        pytest.skip("PostgreSQL is not available: no server binaries found")
    with postgres_cluster(durable=True) as cluster:
        yield cluster


@pytest.fixture
def durable_postgres_url(durable_cluster_session: PostgresCluster) -> Iterator[str]:
    """SQLAlchemy URL of a fresh database on the durable server, dropped after the test."""
    name = f"t_{secrets.token_hex(8)}"
    url = durable_cluster_session.create_database(name)
    try:
        yield url
    finally:
        durable_cluster_session.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """SQLAlchemy URL of a fresh SQLite database file in the test's own folder."""
    return f"sqlite:///{tmp_path / 'cocrea.db'}"


@pytest.fixture
def postgres_url(postgres_cluster_session: PostgresCluster) -> Iterator[str]:
    """SQLAlchemy URL of a fresh PostgreSQL database, dropped after the test."""
    name = f"t_{secrets.token_hex(8)}"
    url = postgres_cluster_session.create_database(name)
    try:
        yield url
    finally:
        postgres_cluster_session.drop_database(name)


@pytest.fixture(params=list(_URL_FIXTURE_BY_DATABASE), ids=list(_URL_FIXTURE_BY_DATABASE))
def db_url(request: pytest.FixtureRequest) -> str:
    """SQLAlchemy URL of a fresh database: the test runs once on SQLite, once on PostgreSQL."""
    url: str = request.getfixturevalue(_URL_FIXTURE_BY_DATABASE[request.param])
    return url


REAL_PARTS = {"db_url", "sqlite_url", "postgres_url", "postgres_cluster_session",
              "durable_postgres_url", "api", "tmp_path"}
"""Fixtures that start or touch real parts (a database, a server, files): such a test is slow."""

INTEGRATION = ("tests/storage/", "tests/notifications/", "tests/workflow/api/",
               "tests/workflow/cli/", "tests/workflow/site/", "tests/test_support_postgres.py")
"""Folders whose tests run real databases, servers or processes throughout."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that needs real parts, so ``-m "not slow"`` is the fast lane.

    The fast lane is the domain, the definitions and the services over the fake unit
    of work (``workflow.testing``): seconds. The whole suite stays the CI gate.
    """
    for item in items:
        where = item.nodeid.replace("\\", "/")
        if where.startswith(INTEGRATION) or REAL_PARTS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
