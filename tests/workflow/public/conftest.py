"""Shipped processes simulated once per module on each database, for the public record's tests.

``simulated`` is a factory: ``simulated("cuenca-2022")`` runs that definition's shipped
scenario on a fresh database (SQLite, then PostgreSQL: the module's tests run on each)
the first time a module asks, and returns its URL; the database is only read afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli.app import app

Simulated = Callable[[str], str]


def simulate(definition: str, url: str) -> None:
    result = CliRunner().invoke(app, ["simulate", definition, "--db", url, "--json"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def simulated(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulated]:
    """Run a shipped scenario on a fresh database of this run's kind (once per module)."""
    made: dict[str, str] = {}
    dropped: list[Callable[[], None]] = []

    def url_for(definition: str) -> str:
        if definition not in made:
            made[definition] = fresh(request, tmp_path_factory.mktemp("public"), dropped)
            simulate(definition, made[definition])
        return made[definition]

    yield url_for
    for drop in dropped:
        drop()


def fresh(request: pytest.FixtureRequest, folder: Path,
          dropped: list[Callable[[], None]]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'cocrea.db'}"
    cluster = request.getfixturevalue("postgres_cluster_session")
    name = f"t_{secrets.token_hex(8)}"
    dropped.append(lambda: cluster.drop_database(name))
    return str(cluster.create_database(name))
