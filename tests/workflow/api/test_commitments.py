"""Commitments over HTTP: public reads, the implementer's and the evaluator's roles, as-of."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from storage.tokens import create_token
from tests.support.server import Live, live_api
from workflow.cli.app import app

PLAN = "cuenca-2022"
C3 = f"{PLAN}.c3"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The API over Cuenca simulated to the end: six commitments, assessed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'cocrea.db'}"
    result = CliRunner().invoke(app, ["simulate", "--db", url])
    assert result.exit_code == 0, result.output
    with live_api(url) as live:
        yield live


def implementer(api: Live, agency: str) -> str:
    return create_token(api.engine, "Enlace", "implementer", agency=agency)[1]


def test_anyone_reads_the_commitments_and_their_proposals_without_anyones_address(
        simulated: Live) -> None:
    anyone = simulated.client()
    listed = anyone.get(f"/plans/{PLAN}/commitments")
    shown = anyone.get(f"/commitments/{C3}")

    assert [c["state"] for c in listed.json()] == ["evaluado"] * 6
    assert shown.headers["ETag"] == f'"{shown.json()["version"]}"'
    assert shown.json()["proposals"][3] == {"proposal": f"{PLAN}.p18", "number": 18,
                                            "title": shown.json()["proposals"][3]["title"],
                                            "channel": "Mesas de trabajo, n.º 2"}
    assert "@" not in json.dumps(shown.json())


def test_an_implementer_reports_only_for_its_own_agency(simulated: Live) -> None:
    body = {"progress": "Avance", "evidence": ["https://example.org/a"]}
    other = simulated.client(implementer(simulated, "EMOV EP")).post(
        f"/commitments/{C3}/milestones/m1/reports", json=body)
    own = simulated.client(implementer(simulated, "Dirección de Compras Públicas")).post(
        f"/commitments/{C3}/milestones/m1/reports", json=body)

    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"
    assert "Dirección de Compras Públicas" in other.json()["detail"]
    assert own.status_code == 409  # its agency's, but the commitment is no longer running
    assert "se informan en" in own.json()["detail"]


def test_only_the_evaluator_assesses_and_a_correction_needs_its_reason(simulated: Live) -> None:
    body = {"completion": "limited", "opened_government": "marginal", "text": "Corrección"}
    evaluator = simulated.client(simulated.token("evaluator"))

    assert simulated.client(simulated.token("staff")).post(
        f"/commitments/{PLAN}.c6/assessments", json=body).status_code == 403
    assert evaluator.post(f"/commitments/{PLAN}.c6/assessments",
                          json=body).status_code == 422
    corrected = evaluator.post(f"/commitments/{PLAN}.c6/assessments",
                               json={**body, "reason": "Nueva evidencia"})

    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["state"] == "evaluado"


def test_the_state_as_of_a_moment_includes_the_commitments_as_they_stood(
        simulated: Live) -> None:
    auditor = simulated.client(simulated.token("auditor"))

    then = auditor.get(f"/plans/{PLAN}/state", params={"as_of": "2023-07-02T12:00"}).json()

    assert [(c["number"], c["state"]) for c in then["commitments"]] == [
        (n, "en_implementacion") for n in range(1, 7)]
    c3 = then["commitments"][2]
    assert [(m["milestone"], m["done"], m["overdue"]) for m in c3["milestones"]] == [
        ("m1", False, True), ("m2", False, False)]


def test_a_proposal_shows_the_commitments_it_fed_a_merged_one_through_its_target(
        simulated: Live) -> None:
    anyone = simulated.client()

    fed = anyone.get(f"/proposals/{PLAN}.p18").json()["commitments"]
    merged = anyone.get(f"/proposals/{PLAN}.p24").json()["commitments"]

    assert [(c["commitment"], c["number"]) for c in fed] == [(C3, 3)]
    assert [c["commitment"] for c in merged] == [C3]  # p24 was merged into p1, which c3 links
