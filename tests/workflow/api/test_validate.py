"""Validating a definition over HTTP: hostile ones refused by name, large ones off the loop."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from definitions.limits import MAX_DEFINITION_BYTES, MAX_DEPTH, MAX_EXPANDED_NODES
from definitions.summary import HEIGHT
from tests.definitions.sample import billion_laughs, many_phases_yaml, minimal_yaml
from tests.support.server import Live

YAML = {"content-type": "application/yaml"}


@pytest.fixture
def citizen(api: Live) -> httpx.Client:
    """The least of the roles: anyone holding a token may validate a definition."""
    return api.client(api.token("intake", "Cuenca Participa"))


def refusal(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/definicion-no-valida") and len(body["problems"]) == 1
    return dict(body["problems"][0])


def test_a_billion_laughs_is_a_422_naming_the_limit_at_once(citizen: httpx.Client) -> None:
    problem = refusal(citizen.post("/definitions/validate", content=billion_laughs(),
                                   headers=YAML))

    assert problem == {"path": "", "line": 6, "message": (
        f"los alias (*) del documento equivalen a más nodos que el límite de "
        f"{MAX_EXPANDED_NODES}")}


def test_a_definition_over_five_mib_is_a_413_naming_the_limit_unread(
        citizen: httpx.Client) -> None:
    # The body limit of the route is the definitions' own: the loader never sees it.
    text = minimal_yaml() + "#" * MAX_DEFINITION_BYTES

    response = citizen.post("/definitions/validate", content=text, headers=YAML)

    assert response.status_code == 413, response.text
    assert response.json()["limit"] == MAX_DEFINITION_BYTES


def test_a_definition_of_exactly_five_mib_reaches_the_loader(citizen: httpx.Client) -> None:
    text = minimal_yaml()
    text += "#" * (MAX_DEFINITION_BYTES - len(text.encode()) - 1) + "\n"

    response = citizen.post("/definitions/validate", content=text, headers=YAML)

    assert response.status_code == 200, response.text[:300]


def test_deep_nesting_is_a_422_naming_the_limit(citizen: httpx.Client) -> None:
    problem = refusal(citizen.post("/definitions/validate", content="id: " + "[" * 100_000,
                                   headers=YAML))

    assert problem == {"path": "", "line": 1,
                       "message": f"el documento anida más niveles que el límite de {MAX_DEPTH}"}


def test_a_large_valid_definition_is_summarised_on_one_screen(citizen: httpx.Client) -> None:
    response = citizen.post("/definitions/validate", content=many_phases_yaml(2000),
                            headers=YAML)

    assert response.status_code == 200
    assert len(response.json()["summary"].splitlines()) <= HEIGHT


@pytest.mark.slow
def test_the_api_keeps_answering_while_a_large_definition_is_validated(
        api: Live, citizen: httpx.Client) -> None:
    large = many_phases_yaml(20_000, chained=True)  # legal, and seconds of work to check
    done: dict[str, float] = {}

    def validate() -> None:
        with api.client(api.token("staff")) as client:
            response = client.post("/definitions/validate", content=large, headers=YAML,
                                   timeout=120)
        assert response.status_code == 200, response.text
        done["validated"] = time.monotonic()

    worker = threading.Thread(target=validate)
    worker.start()
    time.sleep(0.5)  # the definition is sent and being checked
    answered: list[float] = []
    with api.client() as anyone:
        while worker.is_alive() and len(answered) < 20:
            sent = time.monotonic()
            assert anyone.get("/health").json() == {"status": "ok"}
            answered.append(time.monotonic() - sent)
    worker.join()

    assert "validated" in done
    assert len(answered) == 20  # all answered before the validation was over
    assert max(answered) < 2  # generous: each answer comes at once, not after the validation
