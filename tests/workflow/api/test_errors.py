"""Every error is RFC 9457 problem+json naming what is wrong, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import Live, problem

PLAN = "cuenca-2022"


@pytest.fixture
def staff(api: Live) -> httpx.Client:
    return api.client(api.token("staff", "Técnica"))


def test_a_missing_field_is_named(staff: httpx.Client) -> None:
    body = problem(staff.post(f"/plans/{PLAN}/committee/members", json={"name": "Ana"}), 422)
    assert body["errors"] == [{"field": "group", "in": "body", "problem": "Field required"}]
    assert body["detail"] == "revise estos campos: group"


def test_an_unknown_field_and_a_wrong_type_are_named_together(staff: httpx.Client) -> None:
    body = problem(staff.post(f"/plans/{PLAN}/proposals",
                              json={"title": "t", "body": "b", "channel": "online",
                                    "mesa": "dos", "color": "rojo"}), 422)
    assert sorted(str(e["field"]) for e in body["errors"]) == ["color", "mesa"]  # type: ignore[attr-defined]


def test_malformed_json_is_a_problem_not_a_crash(staff: httpx.Client) -> None:
    response = staff.post("/plans", content=b'{"definition": ', headers={
        "content-type": "application/json"})
    assert problem(response, 422)["title"] == "Dato no válido"


def test_a_transition_not_allowed_lists_the_state_and_the_allowed_triggers(
        staff: httpx.Client) -> None:
    body = problem(staff.post(f"/plans/{PLAN}/phases/planeacion_inicial/close",
                              json={"reason": "fin"}), 409)
    assert body["state"] == "scheduled" and body["allowed"] == ["open", "hold", "extend"]


def test_unmet_conditions_are_listed_in_words(staff: httpx.Client) -> None:
    body = problem(staff.post(f"/plans/{PLAN}/phases/vision_estrategica/open",
                              json={"reason": "inicio"}), 409)
    assert body["unmet"] == ["la fase «Planeación inicial» no está cerrada (está programada)"]
    assert body["title"] == "Condiciones no cumplidas"


def test_a_proposal_outside_reception_is_refused_with_the_reason(api: Live) -> None:
    intake = api.client(api.token("intake", "Cuenca Participa"))
    body = problem(intake.post(f"/plans/{PLAN}/proposals",
                               json={"title": "t", "body": "b", "channel": "online"}), 409)
    assert "Recepción de las propuestas sugeridas por la ciudadanía» no está abierta" in str(
        body["detail"])


def test_unknown_things_are_404_with_what_and_key(staff: httpx.Client) -> None:
    assert problem(staff.get("/plans/nada"), 404)["what"] == "plan"
    assert problem(staff.post(f"/plans/{PLAN}/phases/nada/open", json={"reason": "x"}),
                   404)["key"] == "nada"
    assert problem(staff.get("/no/existe"), 404)["detail"] == "no existe /no/existe"
    assert problem(staff.delete("/plans"), 405)["title"] == "Método no permitido"


def test_an_invalid_definition_lists_every_problem_with_its_line(staff: httpx.Client) -> None:
    body = problem(staff.post("/definitions/validate", content="id: X\ntitle: t\n",
                              headers={"content-type": "application/yaml"}), 422)
    lines = {(p["path"], p["line"]) for p in body["problems"]}  # type: ignore[union-attr]
    assert ("id", 1) in lines
    assert any(p["message"].startswith("falta el campo obligatorio 'version'")  # type: ignore[index]
               for p in body["problems"])  # type: ignore[union-attr]


def test_a_stale_if_match_is_412_and_changes_nothing(api: Live, staff: httpx.Client) -> None:
    version = staff.get(f"/plans/{PLAN}").headers["ETag"]
    member = {"name": "Rosa Ávila", "group": "sociedad_civil"}
    first = staff.post(f"/plans/{PLAN}/committee/members", json=member,
                       headers={"If-Match": version})
    assert first.status_code == 201
    second = staff.post(f"/plans/{PLAN}/committee/members",
                        json={"name": "Otra", "group": "sociedad_civil"},
                        headers={"If-Match": version})
    body = problem(second, 412)
    assert body["expected"] == int(version.strip('"')) and body["actual"] == body["expected"] + 1
    assert problem(staff.post(f"/plans/{PLAN}/committee/members", json=member,
                              headers={"If-Match": "siete"}), 400)["detail"].startswith(
        "If-Match debe ser la versión")


def test_a_plan_is_made_only_from_a_shipped_definition_never_a_file_on_the_server(
        staff: httpx.Client) -> None:
    body = problem(staff.post("/plans", json={"definition": "/etc/cocrea/otra.yaml"}), 422)
    assert "no existe la definición '/etc/cocrea/otra.yaml'" in str(body["detail"]) + str(
        body["problems"])


def allow(response: httpx.Response) -> str:
    problem(response, 405)
    return response.headers["allow"]


def test_options_and_a_wrong_method_list_every_method_the_path_takes(api: Live) -> None:
    anyone = api.client()
    paths = ("/plans", f"/plans/{PLAN}/proposals", "/definitions/validate",
             "/definitions/cuenca-2022", "/notifications/retry")
    assert {path: allow(anyone.options(path)) for path in paths} == {
        "/plans": "GET, POST", f"/plans/{PLAN}/proposals": "GET, POST",
        "/definitions/validate": "POST", "/definitions/cuenca-2022": "GET",
        "/notifications/retry": "POST"}
    assert allow(anyone.delete(f"/plans/{PLAN}/proposals")) == "GET, POST"
    assert allow(anyone.put("/definitions/validate")) == "POST"
