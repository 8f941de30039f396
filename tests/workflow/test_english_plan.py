"""An English plan answers in English, on the command line and over the API.

Cuenca's definition with ``locale: en`` is created from its file by the real
``cocrea`` (a subprocess); the deployment stays Spanish (no ``COCREA_LOCALE``),
so whatever is said about the plan is English and what is said about nothing in
particular is Spanish, unless ``COCREA_LOCALE=en`` says otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import open_engine
from tests.definitions.sample import cuenca_yaml, edit
from tests.support.server import live_api, problem

PLAN = "cuenca-2022"


def cocrea(*args: str, locale: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COCREA_LOCALE"}
    if locale:
        env["COCREA_LOCALE"] = locale
    return subprocess.run([sys.executable, "-m", "workflow", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=120)


@pytest.fixture
def english(tmp_path: Path) -> Iterator[str]:
    """A database with the English plan created from its file; yields its URL."""
    path = tmp_path / "english.yaml"
    path.write_text(edit(cuenca_yaml(), "locale: es", "locale: en"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cocrea.db'}"
    done = cocrea("plan", "create", "--definition", str(path), "--db", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Plan “{PLAN}” created from definition {PLAN} v")
    yield url


def tamper(url: str, sql: str) -> None:
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_check_of_a_broken_english_definition_lists_its_problems_in_english(
        tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(edit(edit(cuenca_yaml(), "locale: es", "locale: en"),
                         "    ends: 2022-07-17\n", "    ends: 2022-07-01\n"), encoding="utf-8")

    done = cocrea("check", str(path))

    assert done.returncode == 1
    assert done.stderr.startswith(f"{path}: 1 problem\n")
    assert "closes (2022-07-01) before it opens (2022-07-11)" in done.stderr


def test_the_cli_shows_an_english_plan_in_english(english: str) -> None:
    done = cocrea("plan", "show", PLAN, "--db", english)
    assert "Phases" in done.stdout
    assert "“Comité Impulsor de Gobierno Abierto de Cuenca” (0 members)" in done.stdout
    assert "scheduled" in done.stdout and "Fases" not in done.stdout


def test_a_guard_failure_of_an_english_plan_is_english_with_real_plurals(english: str) -> None:
    assert cocrea("phase", "open", PLAN, "planeacion_inicial", "--reason", "on time",
                  "--db", english).returncode == 0

    done = cocrea("phase", "close", PLAN, "planeacion_inicial", "--reason", "done",
                  "--db", english)

    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot close the phase “")
    assert ("“Comité Impulsor de Gobierno Abierto de Cuenca” has 0 members; it needs at least 3"
            in done.stderr)
    assert "miembro" not in done.stderr and "(s)" not in done.stderr


def test_a_verify_finding_about_an_english_plan_is_english(english: str) -> None:
    tamper(english, "UPDATE plans SET version = version - 1")

    done = cocrea("verify", "--db", english)

    assert done.returncode == 1
    assert done.stdout.startswith("Verification failed at event #")
    assert f"the projection of “{PLAN}” does not equal the replay" in done.stdout


def test_the_deadlines_of_an_english_plan_are_listed_in_english(english: str) -> None:
    done = cocrea("scheduler", "list", PLAN, "--db", english)
    assert "reminder (3 days before the close) — pending" in done.stdout


def test_what_is_about_no_plan_is_in_the_deployments_language(english: str) -> None:
    assert cocrea("plan", "show", "nope", "--db", english).stderr == (
        "error: no existe el plan «nope»\n")
    assert cocrea("plan", "show", "nope", "--db", english, locale="en").stderr == (
        "error: there is no plan “nope”\n")
    assert "Verified: 1 chained event, 1 plan and 0 proposals replayed" in cocrea(
        "verify", "--db", english, locale="en").stdout


def test_an_unknown_deployment_language_stops_the_cli_naming_the_setting() -> None:
    done = cocrea("plan", "list", locale="fr")
    assert done.returncode == 1
    assert done.stderr == ("error: la variable COCREA_LOCALE no es válida: «fr» "
                           "(se espera es o en)\n")


def test_the_api_answers_about_an_english_plan_in_english(english: str) -> None:
    with live_api(english) as live:
        staff = live.client(live.token("staff"))

        held = problem(staff.post(f"/plans/{PLAN}/phases/vision_estrategica/open",
                                  json={"reason": "on time"}), 409)
        bad_moment = problem(live.client(live.token("auditor")).get(
            f"/plans/{PLAN}/state", params={"as_of": "soon"}), 422)
        no_route = problem(staff.get("/nowhere"), 404)

    assert held["title"] == "Conditions unmet"
    assert held["detail"].startswith("cannot open the phase “")
    assert held["unmet"] == ["the phase “Planeación inicial” is not closed (it is scheduled)"]
    assert bad_moment["title"] == "Invalid data"
    assert bad_moment["detail"] == "field “as_of”: “soon” is not an ISO 8601 date or time"
    assert no_route["title"] == "Recurso inexistente"  # about no plan: the deployment's


def test_the_api_names_a_tampered_english_plan_in_english(english: str) -> None:
    tamper(english, "UPDATE plans SET version = version - 1")
    with live_api(english) as live:
        found = live.client(live.token("auditor")).get("/verify").json()["finding"]
    assert found["message"].startswith(f"the projection of “{PLAN}” does not equal")
