"""``cocrea commitment`` and implementer tokens, over Cuenca's simulated plan, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workflow.cli.app import app
from workflow.cli.simulate import shipped_scenario

runner = CliRunner()
PLAN = "cuenca-2022"


def cocrea(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def ok(*args: str) -> str:
    code, out = cocrea(*args)
    assert code == 0, out
    return out


@pytest.fixture
def simulated(db_url: str) -> str:
    ok("simulate", "--db", db_url)
    return db_url


def test_a_plans_commitments_are_listed_and_shown_with_their_proposals_channels(
        simulated: str) -> None:
    rows = json.loads(ok("commitment", "list", PLAN, "--db", simulated, "--json"))
    shown = ok("commitment", "show", f"{PLAN}.c3", "--db", simulated)
    data = json.loads(ok("commitment", "show", f"{PLAN}.c6", "--db", simulated, "--json"))

    assert [(r["number"], r["state"], r["completion"]) for r in rows] == [
        (1, "evaluado", "complete"), (2, "evaluado", "complete"), (3, "evaluado", "substantial"),
        (4, "evaluado", "complete"), (5, "evaluado", "complete"), (6, "evaluado", "limited")]
    assert "3. «Contratación pública abierta e integridad» — Dirección de Compras Públicas" in shown
    assert "   responde a la propuesta n.º 18" in shown and "(Mesas de trabajo, n.º 2)" in shown
    assert "transparencia, rendición de cuentas pública" in shown and "public_acc" not in shown
    assert [(m["milestone"], m["done"], m["overdue"]) for m in data["milestones"]] == [
        ("m1", True, False), ("m2", False, True)]
    assert "@" not in json.dumps(data)  # nobody's address is public


def test_the_evaluator_corrects_an_assessment_with_a_reason_and_replay_sees_then(
        simulated: str) -> None:
    code, out = cocrea("commitment", "assess", f"{PLAN}.c6", "--completion", "limited",
                       "--opened-government", "marginal", "--text", "Corrección", "--db",
                       simulated)
    assert code == 1 and "una corrección necesita su motivo" in out

    ok("commitment", "assess", f"{PLAN}.c6", "--completion", "limited", "--opened-government",
       "marginal", "--text", "El laboratorio abrió consultas en línea que sí se usaron",
       "--reason", "Nueva evidencia del informe final", "--evidence", "https://example.org/i",
       "--actor", "Organización evaluadora independiente", "--db", simulated)
    then = json.loads(ok("replay", PLAN, "--as-of", "2023-01-21T12:00", "--db", simulated,
                         "--json"))

    assert json.loads(ok("commitment", "list", PLAN, "--db", simulated, "--json"))[5][
        "opened_government"] == "marginal"
    assert [(c["number"], c["state"]) for c in then["commitments"]] == [
        (n, "presentado") for n in range(1, 7)]


def test_a_commitment_file_is_checked_with_its_lines_before_the_plan_is_asked(
        simulated: str, tmp_path: Path) -> None:
    path = tmp_path / "compromiso.yaml"
    path.write_text("title: Un compromiso\nproblem: Un problema\ncontributions: Mucho\n",
                    encoding="utf-8")

    code, out = cocrea("commitment", "draft", PLAN, "--file", str(path), "--db", simulated)

    assert code == 1
    assert "compromiso.yaml:3: contributions" in out


def test_an_implementer_token_is_bound_to_its_agency(db_url: str) -> None:
    code, out = cocrea("token", "create", "--role", "implementer", "--name", "Enlace",
                       "--db", db_url)
    assert code == 1 and "--agency" in out

    made = json.loads(ok("token", "create", "--role", "implementer", "--name", "Enlace",
                         "--agency", "Dirección de Compras Públicas", "--db", db_url, "--json"))

    assert made["agency"] == "Dirección de Compras Públicas"
    assert "Dirección de Compras Públicas" in ok("token", "list", "--db", db_url, "--json")


def test_an_agencys_address_is_kept_outside_the_log_and_erased_on_request(
        simulated: str) -> None:
    agency = "Dirección de Compras Públicas"

    forgotten = ok("contact", "forget", PLAN, "--agency", agency, "--db", simulated)
    again = cocrea("contact", "forget", PLAN, "--agency", agency, "--db", simulated)
    kept = ok("contact", "agency", PLAN, "--agency", agency, "--email", "nueva@example.org",
              "--db", simulated)
    wrong = cocrea("contact", "agency", PLAN, "--agency", agency, "--email", "no-es-correo",
                   "--db", simulated)

    assert agency in forgotten and again[0] == 1
    assert f"Se guardó el correo de «{agency}»" in kept
    assert wrong[0] == 1 and "email" in wrong[1]


COMMITMENT = """\
title: Cuenca Transparente
problem: La información pública se pide en ventanilla.
description: Un sistema en línea de solicitudes.
contribution: Acorta las respuestas.
ogp_values: [transparency]
lead_agency: Dirección General de Comunicación Social
starts: 2023-02-01
ends: 2024-06-30
milestones:
  - {description: Formulario, output: Formulario en línea, starts: 2023-02-01,
     due: 2023-06-30, responsible: Comunicación}
proposals: [p2, 22]
"""


@pytest.fixture
def consolidating(db_url: str, tmp_path: Path) -> str:
    """Cuenca simulated up to the day before staff draft its commitments (2023-01-09).

    Consolidation stays open after the run: its incorporated proposals feed no commitment.
    """
    kept = [line for line in shipped_scenario("cuenca-2022")[1].splitlines()
            if not line.startswith('  - {at: "202') or line[10:20] < "2023-01-09"]
    path = tmp_path / "hasta-consolidacion.yaml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    ok("simulate", "--scenario", str(path), "--db", db_url)
    return db_url


def test_staff_draft_revise_link_unlink_and_present_a_commitment_from_files(
        consolidating: str, tmp_path: Path) -> None:
    draft, edit = tmp_path / "c.yaml", tmp_path / "e.yaml"
    draft.write_text(COMMITMENT, encoding="utf-8")
    edit.write_text("budget: USD 10.000\nmilestones:\n  - {milestone: m1, due: 2023-07-31}\n",
                    encoding="utf-8")
    key = f"{PLAN}.c1"

    assert ok("commitment", "draft", PLAN, "--file", str(draft), "--db", consolidating
              ).strip() == f"Compromiso {key} redactado."
    ok("commitment", "edit", key, "--file", str(edit), "--db", consolidating)
    ok("commitment", "link", key, "p34", "--db", consolidating)
    code, out = cocrea("commitment", "unlink", key, "p34", "--reason", " ", "--db",
                       consolidating)
    assert code == 1 and "reason" in out
    ok("commitment", "unlink", key, "p34", "--reason", "Va al compromiso 2", "--db",
       consolidating)
    ok("commitment", "fire", key, "presentar", "--db", consolidating)
    shown = json.loads(ok("commitment", "show", key, "--db", consolidating, "--json"))

    assert (shown["state"], shown["fields"]["budget"]) == ("presentado", "USD 10.000")
    assert [p["number"] for p in shown["proposals"]] == [2, 22]
    assert shown["milestones"][0]["due"] == "2023-07-31"
