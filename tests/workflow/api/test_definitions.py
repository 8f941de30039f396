"""Definitions over HTTP: an admin adds and removes them, anyone reads them, plans pin them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from definitions.limits import MAX_DEFINITION_BYTES
from tests.definitions.sample import edit, minimal_yaml
from tests.support.server import Live, live_api, problem

YAML = {"content-type": "application/yaml"}


def sample(version: int = 1, title: str = "Proceso de muestra") -> str:
    return edit(edit(minimal_yaml(), "version: 1", f"version: {version}"),
                "title: Proceso de muestra", f"title: {title}")


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    """A live API of its own, on SQLite and on PostgreSQL."""
    with live_api(db_url) as served:
        yield served


def add(client: httpx.Client, text: str) -> httpx.Response:
    return client.post("/definitions", content=text, headers=YAML)


def test_an_admin_adds_a_definition_once_and_anyone_lists_and_reads_it(live: Live) -> None:
    admin, anyone = live.client(live.token("admin", "Dirección")), live.client()

    added, again = add(admin, sample()), add(admin, "# lo mismo\n" + sample())
    listed = anyone.get("/definitions").json()
    newest = anyone.get("/definitions/muestra")
    pinned = anyone.get("/definitions/muestra/versions/1")

    assert added.status_code == 201, added.text
    sha = added.json()["sha256"]
    assert added.headers["location"] == "/definitions/muestra/versions/1"
    assert added.json()["added_by"].startswith("Dirección (token ")
    assert again.status_code == 200 and again.json()["new"] is False
    assert [(d["id"], d["version"], d["source"]) for d in listed] == [
        ("cuenca-2022", 1, "shipped"), ("muestra", 1, "stored"),
        ("riverside-2025", 1, "shipped")]
    assert listed[1]["sha256"] == sha
    assert newest.json()["title"] == "Proceso de muestra" and newest.json() == pinned.json()
    assert newest.headers["etag"] == f'"{sha}"'
    assert newest.headers["content-location"] == "/definitions/muestra/versions/1"


@pytest.mark.parametrize("role", ["staff", "committee", "evaluator", "auditor", "intake"])
def test_only_an_admin_may_add_or_remove_a_definition(api: Live, role: str) -> None:
    other, anyone = api.client(api.token(role)), api.client()

    assert problem(add(other, sample()), 403)["roles_needed"] == ["admin"]
    assert problem(other.delete("/definitions/muestra/versions/1"), 403)["role"] == role
    problem(add(anyone, sample()), 401)
    problem(anyone.delete("/definitions/muestra/versions/1"), 401)


def test_a_clash_is_a_409_a_broken_one_a_422_with_lines_and_a_huge_one_a_413(api: Live) -> None:
    admin = api.client(api.token("admin"))
    assert add(admin, sample(5)).status_code == 201

    clash = problem(add(admin, sample(5, "Otro título")), 409)
    broken = problem(add(admin, "id: rota\ntitle: [sin cerrar\n"), 422)
    huge = problem(add(admin, sample(6) + "#" * MAX_DEFINITION_BYTES), 413)

    assert clash["key"] == "muestra@5" and "«version:»" in str(clash["detail"])
    assert broken["problems"] == [{"path": "", "line": 2, "message": broken["problems"][0][
        "message"]}]
    assert huge["limit"] == MAX_DEFINITION_BYTES


def test_plans_keep_the_version_they_pinned_and_a_pinned_version_cannot_be_removed(
        live: Live) -> None:
    admin = live.client(live.token("admin"))
    first = add(admin, sample(1)).json()
    assert admin.post("/plans", json={"definition": "muestra", "id": "antes"}).status_code == 201
    add(admin, sample(2, "Segunda versión"))
    assert admin.post("/plans", json={"definition": "muestra", "id": "despues"}
                      ).status_code == 201
    assert admin.post("/plans", json={"definition": "muestra@1", "id": "otra"}
                      ).status_code == 201

    before, after = admin.get("/plans/antes").json(), admin.get("/plans/despues").json()
    assert (before["definition"]["hash"], before["title"]) == (first["sha256"],
                                                               "Proceso de muestra")
    assert (after["definition"]["version"], after["title"]) == (2, "Segunda versión")

    refused = problem(admin.delete("/definitions/muestra/versions/1"), 409)
    assert refused["plans"] == ["antes", "otra"]
    assert "la usan 2 planes (antes, otra)" in str(refused["detail"])
    add(admin, sample(3, "Tercera"))
    removed = admin.delete("/definitions/muestra/versions/3")
    assert removed.status_code == 200 and removed.json()["removed"] is True
    assert problem(admin.get("/definitions/muestra/versions/3"), 404)["detail"] == (
        "la definición «muestra» no tiene la versión 3; versiones: 1, 2")


def test_a_plan_is_never_made_from_a_name_the_library_does_not_hold(api: Live) -> None:
    staff = api.client(api.token("staff"))

    unknown = problem(staff.post("/plans", json={"definition": "ninguna@2"}), 422)
    a_file = problem(staff.post("/plans", json={"definition": "definitions/cuenca-2022.yaml"}),
                     422)

    said = [str(body["problems"]) for body in (unknown, a_file)]
    assert "no existe la definición 'ninguna@2'; definiciones: cuenca-2022@1, " in said[0]
    assert "no existe la definición 'definitions/cuenca-2022.yaml'" in said[1]


def test_the_validate_path_answers_every_method_but_post_with_a_405_saying_so(api: Live) -> None:
    anyone = api.client()
    for method in ("GET", "HEAD", "PUT", "DELETE"):
        answer = anyone.request(method, "/definitions/validate")
        assert (answer.status_code, answer.headers["allow"]) == (405, "POST"), method
    assert problem(anyone.get("/definitions/validate"), 405)["detail"] == (
        "GET no está permitido en /definitions/validate")
