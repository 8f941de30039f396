"""Simulated plans served for the site's tests: Cuenca on both databases, Riverside in English."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.postgres import PostgresCluster
from tests.support.server import Live, live_api
from workflow.cli.app import app

runner = CliRunner()


def simulated(url: str, *definition: str) -> str:
    """Run ``cocrea simulate [DEFINITION]`` on ``url``; return the url."""
    result = runner.invoke(app, ["simulate", *definition, "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cuenca(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The whole Cuenca 2022 process, simulated, served over HTTP (each database in turn)."""
    if request.param == "sqlite":
        with live_api(simulated(f"sqlite:///{tmp_path_factory.mktemp('site') / 'c.db'}")) as live:
            yield live
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster_session")
    name = f"t_{secrets.token_hex(8)}"
    try:
        with live_api(simulated(cluster.create_database(name))) as live:
            yield live
    finally:
        cluster.drop_database(name)


@pytest.fixture(scope="module")
def riverside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Riverside's process (English), simulated on SQLite and served."""
    path: Path = tmp_path_factory.mktemp("riverside") / "r.db"
    with live_api(simulated(f"sqlite:///{path}", "riverside-2025")) as live:
        yield live
