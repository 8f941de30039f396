"""One live API per test module, on its own SQLite file, with the Cuenca plan created."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import Live, live_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A live API shared by a module's tests (its state carries from test to test)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'cocrea.db'}"
    with live_api(url) as live:
        admin = live.client(live.token("admin"))
        assert admin.post("/plans", json={"definition": "cuenca-2022"}).status_code == 201
        yield live
