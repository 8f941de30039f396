"""The ``cocrea`` command line, on a real database, in Spanish."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from click.testing import CliRunner as ClickRunner
from typer.testing import CliRunner

from definitions.limits import (
    MAX_ALIASES,
    MAX_DEFINITION_BYTES,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_KEY_LENGTH,
)
from tests.definitions.sample import billion_laughs, merge_key_bomb, minimal_yaml
from tests.workflow import foro
from tests.workflow.cuenca import MEMBERS
from workflow.cli.app import app, localized
from workflow.cli.help import localize

runner = CliRunner()


def cocrea(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.output


def ok(db: str, *args: str) -> str:
    code, out = cocrea(db, *args)
    assert code == 0, out
    return out


ACTIVITIES = {"planeacion_inicial": ["resolucion_directrices", "mapeo_organizaciones",
                                     "constitucion_comite", "metodologia"],
              "vision_estrategica": ["diagnostico", "vision_local"]}


@pytest.fixture
def receiving(db_url: str) -> str:
    ok(db_url, "plan", "create", "--definition", "cuenca-2022")
    for name, group in MEMBERS:
        ok(db_url, "committee", "add-member", "cuenca-2022", "--name", name, "--group", group)
    for member in ("ana", "bruno", "carla", "diego", "elena"):
        for decision in ("aprobacion_metodologia", "aprobacion_estrategia_comunicacional"):
            ok(db_url, "vote", "cuenca-2022", decision, "--member", member, "--approve")
    for phase in ("planeacion_inicial", "vision_estrategica"):
        ok(db_url, "phase", "open", "cuenca-2022", phase, "--reason", "calendario")
        for activity in ACTIVITIES[phase]:
            ok(db_url, "activity", "done", "cuenca-2022", activity, "--evidence", "https://a")
        ok(db_url, "phase", "close", "cuenca-2022", phase, "--reason", "completada")
    ok(db_url, "phase", "open", "cuenca-2022", "difusion", "--reason", "calendario")
    ok(db_url, "phase", "open", "cuenca-2022", "recepcion_propuestas", "--reason", "calendario")
    return db_url


def test_check_prints_the_summary_of_the_shipped_definition() -> None:
    result = runner.invoke(app, ["check", "cuenca-2022"])
    assert result.exit_code == 0
    assert "Definición válida" in result.output and "recepcion_propuestas" in result.output


def test_check_of_a_broken_file_lists_problems_with_lines_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "roto.yaml"
    broken.write_text("id: roto\ntitle: [sin cerrar\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "workflow", "check", str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "roto.yaml:2" in done.stderr or "roto.yaml:3" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_plan_is_created_shown_and_listed(sqlite_url: str) -> None:
    assert "Plan «cuenca-2022» creado" in ok(sqlite_url, "plan", "create", "--definition",
                                             "cuenca-2022")
    view = json.loads(ok(sqlite_url, "plan", "show", "cuenca-2022", "--json"))
    assert [p["status"] for p in view["phases"]] == ["scheduled"] * 7
    listed = json.loads(ok(sqlite_url, "plan", "list", "--json"))
    assert [p["plan_id"] for p in listed] == ["cuenca-2022"]


def test_shift_to_moves_every_date_so_the_first_phase_opens_that_day(sqlite_url: str) -> None:
    view = json.loads(ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022",
                         "--id", "cuenca-2031", "--shift-to", "2031-03-03", "--json"))
    by_id = {p["id"]: (p["starts"], p["ends"]) for p in view["phases"]}
    assert by_id["planeacion_inicial"] == ("2031-03-03", "2031-03-09")
    assert by_id["recepcion_propuestas"] == ("2031-05-19", "2031-07-11")
    assert view["definition"]["shift_days"] == 3157


def test_a_second_plan_with_the_same_id_is_refused(sqlite_url: str) -> None:
    ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    code, out = cocrea(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    assert code == 1 and "ya existe el plan «cuenca-2022»" in out


def test_a_blocked_phase_says_every_unmet_condition(sqlite_url: str) -> None:
    ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    code, out = cocrea(sqlite_url, "phase", "open", "cuenca-2022", "recepcion_propuestas",
                       "--reason", "adelantar")
    assert code == 1
    assert "«Difusión y sensibilización ciudadana» no está abierta" in out
    assert "«Aprobación de la estrategia comunicacional» no está aprobada" in out


def test_the_whole_intake_and_triage_of_a_proposal(receiving: str) -> None:
    db = receiving
    out = ok(db, "proposal", "submit", "cuenca-2022", "--title", "Presupuesto abierto",
             "--body", "Publicar la ejecución presupuestaria", "--channel", "mesa", "--mesa", "2")
    assert "«cuenca-2022.p1» recibida" in out
    code, out = cocrea(db, "proposal", "fire", "cuenca-2022.p1", "responder", "--response",
                       "Gracias por su propuesta, la analizaremos")
    assert code == 1 and "disparadores posibles: admitir, no_admitir" in out
    ok(db, "proposal", "fire", "cuenca-2022.p1", "admitir")
    rows = json.loads(ok(db, "proposal", "list", "cuenca-2022", "--state", "admitida", "--json"))
    assert [(r["proposal_id"], r["mesa"]) for r in rows] == [("cuenca-2022.p1", 2)]
    assert "Verificado" in ok(db, "verify")


def test_a_proponent_who_consents_is_told_of_the_answer_and_one_who_does_not_is_not(
        receiving: str) -> None:
    db = receiving
    for n, consent in ((1, ["--consent"]), (2, [])):
        ok(db, "proposal", "submit", "cuenca-2022", "--title", f"Propuesta {n}", "--body",
           "Texto", "--channel", "online", "--email", f"vecina{n}@example.org", *consent)
        ok(db, "proposal", "fire", f"cuenca-2022.p{n}", "no_admitir", "--response",
           "No corresponde a las competencias municipales.")
    for activity in ("formulario_en_linea", "mesa_1", "mesa_2", "mesa_3"):
        ok(db, "activity", "done", "cuenca-2022", activity, "--evidence", "https://a")
    ok(db, "phase", "close", "cuenca-2022", "recepcion_propuestas", "--reason", "calendario")
    ok(db, "phase", "open", "cuenca-2022", "retroalimentacion", "--reason", "calendario")
    for n in (1, 2):
        ok(db, "proposal", "fire", f"cuenca-2022.p{n}", "responder", "--response",
           "No corresponde a las competencias municipales.")

    told = json.loads(ok(db, "notify", "list", "--json"))
    assert [m["recipient"] for m in told if m["topic"] == "proposal_answered"] == [
        "vecina1@example.org"]
    code, out = cocrea(db, "proposal", "submit", "cuenca-2022", "--title", "T", "--body", "B",
                       "--channel", "online", "--consent")
    assert code == 1 and "para consentir los avisos hace falta un correo" in out


def test_forgetting_a_members_email_erases_it_and_cancels_what_was_not_sent(
        db_url: str) -> None:
    db = db_url
    ok(db, "plan", "create", "--definition", "cuenca-2022")
    for name in ("Ana", "Bea"):  # one office address, two members
        ok(db, "committee", "add-member", "cuenca-2022", "--name", name, "--group",
           "sociedad_civil", "--email", "oficina@example.org")
    ok(db, "phase", "open", "cuenca-2022", "planeacion_inicial", "--reason", "calendario")
    before = json.loads(ok(db, "notify", "list", "--json"))
    assert sorted(m["recipient"] for m in before) == 4 * ["oficina@example.org"] + ["staff"]

    out = ok(db, "contact", "forget", "cuenca-2022", "--member", "ana")

    assert "Correo de «ana» borrado; mensajes anulados: 2" in out
    after = sorted((m["message_id"].rsplit(":", 1)[1], m["recipient"], m["status"])
                   for m in json.loads(ok(db, "notify", "list", "--json")))
    assert after == [("ana", "(borrado)", "cancelled"), ("ana", "(borrado)", "cancelled"),
                     ("bea", "oficina@example.org", "pending"),
                     ("bea", "oficina@example.org", "pending"), ("staff", "staff", "pending")]
    code, out = cocrea(db, "contact", "forget", "cuenca-2022", "--member", "ana")
    assert code == 1 and "no hay correo guardado de «ana»" in out


def test_votes_need_approve_or_reject(sqlite_url: str) -> None:
    ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    code, out = cocrea(sqlite_url, "vote", "cuenca-2022", "aprobacion_metodologia",
                       "--member", "ana")
    assert code == 1 and "indique --approve o --reject" in out


def test_events_export_as_jsonl_and_csv(sqlite_url: str) -> None:
    ok(sqlite_url, "plan", "create", "--definition", "cuenca-2022")
    ok(sqlite_url, "committee", "add-member", "cuenca-2022", "--name", "Ana", "--group",
       "sociedad_civil")
    lines = [json.loads(x) for x in ok(sqlite_url, "events", "cuenca-2022").splitlines()]
    assert [e["type"] for e in lines] == ["PlanCreated", "MemberAdded"]
    table = list(csv.DictReader(io.StringIO(ok(sqlite_url, "events", "cuenca-2022",
                                               "--format", "csv"))))
    assert [r["position"] for r in table] == ["1", "2"]
    assert json.loads(table[1]["data"])["name"] == "Ana"


def test_a_token_for_a_role_cocrea_does_not_know_is_refused_in_one_line(db_url: str) -> None:
    code, out = cocrea(db_url, "token", "create", "--role", "ciudadania", "--name", "Vecina")

    assert code == 1
    assert out.strip().endswith(
        "campo «role»: «ciudadania» no es un rol de cocrea; roles: admin, staff, committee, "
        "evaluator, auditor, intake, implementer")
    assert ok(db_url, "token", "list").strip() == ""


def test_each_command_names_things_as_another_municipalitys_definition_does(
        tmp_path: Path, db_url: str) -> None:
    definition, _ = foro.write(tmp_path)
    ok(db_url, "plan", "create", "--definition", str(definition))
    said = [ok(db_url, "committee", "add-member", foro.PLAN, "--name", name, "--group", group)
            for name, group in (("Ana", "organizaciones"), ("Beto", "organizaciones"),
                                ("Carla", "alcaldia"))]
    said += [ok(db_url, "vote", foro.PLAN, "reglamento", "--member", m, "--approve")
             for m in ("ana", "beto")]
    said.append(ok(db_url, "phase", "open", foro.PLAN, "encuentros", "--reason", "calendario"))
    said.append(ok(db_url, "proposal", "submit", foro.PLAN, "--title", "T", "--body", "B",
                   "--channel", "cabildos", "--mesa", "2"))
    said.append(ok(db_url, "proposal", "fire", f"{foro.PLAN}.p1", "admitir"))
    said.append(ok(db_url, "scheduler", "list", foro.PLAN))
    refused = [cocrea(db_url, "vote", foro.PLAN, "evaluacion", "--member", "ana", "--approve"),
               cocrea(db_url, "proposal", "submit", foro.PLAN, "--title", "T", "--body", "B",
                      "--channel", "cabildos", "--mesa", "3")]

    assert said[0] == ("Miembro «ana» (Ana) añadido al grupo «Organizaciones de la sociedad "
                       "civil».\n")
    assert said[4].splitlines() == [
        "Voto de «Beto» registrado en «Reglamento del foro»: 2 a favor, 0 en contra de 3 con "
        "voto; se necesitan 2.", "La decisión «Reglamento del foro» queda aprobada."]
    assert said[5:8] == ["Fase «Encuentros ciudadanos» abierta.\n",
                         "Propuesta «foro-2030.p1» recibida por el canal «Cabildos abiertos, "
                         "n.º 2».\n",
                         "Propuesta «foro-2030.p1»: Admitir la propuesta → admitida.\n"]
    assert "  Arranque del foro: apertura — " in said[8]
    assert [code for code, _ in refused] == [1, 1]
    assert refused[0][1].endswith("«ana» no vota en esta decisión (votan los grupos: "
                                  "«Universidades de la región»)\n")
    assert refused[1][1].endswith("debe ser un número de mesa entre 1 y 2 (las de «Cabildos "
                                  "abiertos»)\n")


def test_a_bad_database_url_is_an_error_in_words(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "workflow", "plan", "list", "--db",
                           "nosuchdb://x"], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "--db" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("locale", ["es", "en"])
def test_every_command_group_option_and_argument_has_its_help_in_both_languages(
        locale: str) -> None:
    assert localize(typer.main.get_command(app), locale) == []


@pytest.mark.parametrize(("locale", "words"), [
    ("es", ["Recorre un proceso completo con un reloj virtual", "Planes de acción."]),
    ("en", ["Run a whole process on a virtual clock", "Action plans."])])
def test_the_help_is_in_the_deployments_language(locale: str, words: list[str]) -> None:
    out = ClickRunner().invoke(localized(locale), ["--help"]).output
    assert all(w in out for w in words), out


def test_an_options_help_is_in_the_deployments_language() -> None:
    out = ClickRunner().invoke(localized("en"), ["phase", "extend", "--help"]).output
    assert "The new last day (YYYY-MM-DD)" in out and "The reason (kept in the log)" in out


HOSTILE = {
    "grande": (minimal_yaml() + "#" * (MAX_DEFINITION_BYTES + 1), "?",
               "el documento supera el límite de 5 MiB (5242880 bytes)"),
    "bomba": (billion_laughs(), "6", f"los alias (*) del documento equivalen a más nodos que el "
                                     f"límite de {MAX_EXPANDED_NODES}"),
    "fusiones": (merge_key_bomb(), "14", f"los alias (*) del documento equivalen a más nodos que "
                                         f"el límite de {MAX_EXPANDED_NODES}"),
    "alias": ("a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n", "2",
              f"el documento usa más alias (*) que el límite de {MAX_ALIASES}"),
    "corchetes": ("id: " + "[" * 100_000, "1",
                  f"el documento anida más niveles que el límite de {MAX_DEPTH}"),
    "sangria": ("".join("  " * n + f"k{n}:\n" for n in range(200)), str(MAX_DEPTH),
                f"el documento anida más niveles que el límite de {MAX_DEPTH}"),
    "clave": ("id: x\n" + "k" * 5000 + ": 1\n", "2",
              f"hay una clave más larga que el límite de {MAX_KEY_LENGTH} caracteres"),
    "control": ("id: x\ntitle: \x1b[31m\n", "2",
                "el texto no es YAML válido: hay un carácter especial no permitido"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_check_of_a_hostile_file_prints_one_clear_problem_and_exits_1(
        name: str, tmp_path: Path) -> None:
    text, line, message = HOSTILE[name]
    hostile = tmp_path / f"{name}.yaml"
    hostile.write_text(text, encoding="utf-8")

    done = subprocess.run([sys.executable, "-m", "workflow", "check", str(hostile)],
                          capture_output=True, text=True, check=False, timeout=60)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (f"{hostile}: 1 problema\n"
                           f"  {hostile}:{line}: (documento): {message}\n")
