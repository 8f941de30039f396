"""Another municipality's process, run for real: its decisions and its own words.

Villa Esperanza's definition (``tests/workflow/foro.py``) calls its forum "Foro
Multiactor de Gobierno Abierto" and asks for a road map that needs 12 votes from
a forum of four. Its scenario runs in ``cocrea simulate`` (a subprocess, with a
real SMTP server); then ``cocrea plan show`` and the API read the same database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage import tables as t
from storage.database import open_engine
from tests.support.mail import smtp_server
from tests.support.server import live_api
from tests.workflow.foro import FORUM, PLAN, STATUSES, write

STAFF = "participacion@villaesperanza.example.org"
UNREACHABLE = "necesita 12 votos a favor y solo 4 miembros pueden votarla"


def cocrea(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "workflow", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def simulate(folder: Path, db: str, *more: str, env: dict[str, str] | None = None,
             locale: str = "es") -> str:
    definition, scenario = write(folder, locale)
    return cocrea("simulate", str(definition), "--scenario", str(scenario), "--db", db, *more,
                  env=env)


def statuses(decisions: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    return {d["id"]: (d["status"], d["why"]) for d in decisions}


CUENCA_SCENARIO = """\
definition: cuenca-2022
title: Cuenca, con votos divididos
created_at: "2022-07-08 10:00"
created_by: tecnica
actors:
  tecnica: {name: Dirección Municipal de Participación Ciudadana, role: staff}
steps:
""" + "".join(
    f'  - {{at: "2022-07-11 09:0{i}", by: tecnica, do: add_member, name: M{i}, group: {g}}}\n'
    for i, g in enumerate(["sociedad_civil"] * 3 + ["academia_sector_privado"] * 3
                          + ["sector_publico"] * 3)) + "".join(
    f'  - {{at: "2022-07-12 10:0{i}", do: vote, member: M{i}, decision: {d}, approve: {a}}}\n'
    for i, (d, a) in enumerate([("aprobacion_metodologia", "true")] * 5
                               + [("aprobacion_compromisos", "false")] * 4))
"""Cuenca's own process: the methodology passes, the commitments are rejected by four votes
(two-thirds of nine needs six), the other decisions stay open."""

CUENCA_STATUSES = {"aprobacion_metodologia": "approved", "aprobacion_compromisos": "rejected",
                   "aprobacion_estrategia_comunicacional": "open",
                   "designacion_evaluador": "open", "prorroga_recepcion": "open",
                   "modificacion_compromisos": "open"}


def test_each_decision_reads_the_same_in_simulate_plan_show_and_the_api(
        tmp_path: Path, db_url: str) -> None:
    simulated = json.loads(simulate(tmp_path, db_url, "--json"))["summary"]["decisions"]

    assert read_alike(simulated, db_url, PLAN) == STATUSES


def test_cuencas_decisions_read_the_same_in_simulate_plan_show_and_the_api(
        tmp_path: Path, db_url: str) -> None:
    scenario = tmp_path / "cuenca.yaml"
    scenario.write_text(CUENCA_SCENARIO, encoding="utf-8")
    simulated = json.loads(cocrea("simulate", "cuenca-2022", "--scenario", str(scenario),
                                  "--db", db_url, "--json"))["summary"]["decisions"]

    assert read_alike(simulated, db_url, "cuenca-2022") == CUENCA_STATUSES


def read_alike(simulated: dict[str, dict[str, Any]], db_url: str, plan: str) -> dict[str, str]:
    """Check simulate's summary, plan show and the API agree on each decision; return statuses."""
    shown = json.loads(cocrea("plan", "show", plan, "--db", db_url, "--json"))["decisions"]
    with live_api(db_url) as api:
        served = api.client().get(f"/plans/{plan}").json()["decisions"]
    from_simulate = {k: (d["status"], d["why"]) for k, d in simulated.items()}
    assert from_simulate == statuses(shown) == statuses(served)
    return {k: status for k, (status, _) in from_simulate.items()}


def test_a_quorum_above_the_members_says_how_many_votes_it_needs(
        tmp_path: Path, sqlite_url: str) -> None:
    simulated = json.loads(simulate(tmp_path, sqlite_url, "--json"))["summary"]["decisions"]

    assert simulated["hoja_de_ruta"]["why"] == UNREACHABLE


def test_the_phase_stuck_on_a_quorum_it_cannot_meet_says_why_in_every_reader(
        tmp_path: Path, sqlite_url: str) -> None:
    out = simulate(tmp_path, sqlite_url)
    shown = cocrea("plan", "show", PLAN, "--db", sqlite_url)

    assert ("La fase «Arranque del foro» queda vencida: la decisión «Hoja de ruta del plan» no "
            f"puede aprobarse: {UNREACHABLE}") in out
    assert ("  Hoja de ruta del plan: sin quórum posible (3 a favor, 0 en contra)\n"
            f"      {UNREACHABLE}\n") in out
    assert "  Metodología de los encuentros: rechazada (1 a favor, 2 en contra)\n" in out
    assert "sin quórum posible (3 a favor, 0 en contra de 4 con voto; se necesitan 12)" in shown
    assert f"      {UNREACHABLE}\n" in shown


def test_the_overdue_notice_carries_where_each_decision_it_waits_for_stands(
        tmp_path: Path, db_url: str) -> None:
    simulate(tmp_path, db_url)
    engine = open_engine(db_url, readonly=True)
    with engine.connect() as conn:
        [data] = conn.execute(select(t.outbox.c.data)
                              .where(t.outbox.c.topic == "phase_overdue")).scalars()
    engine.dispose()

    told = json.loads(data)
    assert (told["committee"], told["decisions"]) == (FORUM, [{
        "decision": "hoja_de_ruta", "decision_title": "Hoja de ruta del plan", "approvals": 3,
        "rejections": 0, "voters": 4, "needed": 12, "status": "unreachable",
        "why": UNREACHABLE}])


@pytest.fixture
def mails(tmp_path: Path, sqlite_url: str) -> list[tuple[list[str], EmailMessage]]:
    """The mails the scenario sends, to a real SMTP server."""
    with smtp_server() as box:
        simulate(tmp_path, sqlite_url, env={**box.env(), "COCREA_STAFF_EMAILS": STAFF})
    return box.mails


def body(mail: EmailMessage) -> str:
    part = mail.get_body()
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


def test_staff_are_told_why_the_overdue_phase_will_not_close_by_itself(
        mails: list[tuple[list[str], EmailMessage]]) -> None:
    overdue = [body(m) for to, m in mails if "está vencida" in m["Subject"]]

    assert len(overdue) == 1
    assert (f"Falta: la decisión «Hoja de ruta del plan» no puede aprobarse: {UNREACHABLE}\n\n"
            f"Mientras no cambien los miembros de «{FORUM}» o sus votos, la fase no avanzará "
            "sola.") in overdue[0]


def test_the_member_yet_to_vote_is_told_the_decision_cannot_pass_as_things_stand(
        mails: list[tuple[list[str], EmailMessage]]) -> None:
    asked = [(to, body(m)) for to, m in mails if m["Subject"].endswith(
        "Falta su voto: Hoja de ruta del plan")]

    assert [to for to, _ in asked] == [["dario@example.org"]]
    assert asked[0][1].startswith(f"Se espera que «{FORUM}» decida «Hoja de ruta del plan»")
    assert f"\nAsí no puede aprobarse: {UNREACHABLE}.\n" in asked[0][1]


# --- every word from the definition -----------------------------------------------------------

OWN_WORDS = {
    "es": [f"Ana se incorpora a «{FORUM}» (Organizaciones de la sociedad civil)",
           "Propuesta n.º 2 recibida (Cabildos abiertos, n.º 2): «Presupuesto por barrio»",
           "  Cabildos abiertos, n.º 2: respondida 1 (antes de la respuesta: admitida 1)",
           "  Portal Villa Participa: admitida 1",
           f"Decisiones de «{FORUM}»\n"],
    "en": [f"Ana joins “{FORUM}” (Organizaciones de la sociedad civil)",
           "Proposal no. 2 received (Cabildos abiertos, no. 2): “Presupuesto por barrio”",
           "  Cabildos abiertos, no. 2: respondida 1 (before the answer: admitida 1)",
           "  Portal Villa Participa: admitida 1",
           f"Decisions of “{FORUM}”\n"],
}


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_timeline_and_summary_name_forum_groups_and_channels_as_the_definition_does(
        tmp_path: Path, sqlite_url: str, locale: str) -> None:
    out = simulate(tmp_path, sqlite_url, locale=locale)

    assert [words for words in OWN_WORDS[locale] if words not in out] == []
    assert "omit" not in out.lower()  # neither "Comité" nor "committee"
    assert "cabildos 2" not in out and "\n  portal:" not in out


PLAN_SHOWN = {
    "es": ["  1. Arranque del foro [arranque]\n", f"Decisiones de «{FORUM}»\n",
           "  Reglamento del foro [reglamento]: aprobada (3 a favor",
           "      Ana ✓, Beto ✓, Carla ✓\n", f"«{FORUM}» (4 miembros)\n",
           "Carla                          Alcaldía de Villa Esperanza\n"],
    "en": ["  1. Arranque del foro [arranque]\n", f"Decisions of “{FORUM}”\n",
           "  Reglamento del foro [reglamento]: approved (3 for",
           "      Ana ✓, Beto ✓, Carla ✓\n", f"“{FORUM}” (4 members)\n",
           "Carla                          Alcaldía de Villa Esperanza\n"],
}


@pytest.mark.parametrize("locale", ["es", "en"])
def test_plan_show_names_phases_decisions_forum_groups_and_members(
        tmp_path: Path, db_url: str, locale: str) -> None:
    simulate(tmp_path, db_url, locale=locale)

    shown = cocrea("plan", "show", PLAN, "--db", db_url)

    assert [words for words in PLAN_SHOWN[locale] if words not in shown] == []
    assert "omit" not in shown.lower()


def test_the_mails_call_the_forum_by_its_own_name(
        mails: list[tuple[list[str], EmailMessage]]) -> None:
    approved = [(to, body(m)) for to, m in mails
                if m["Subject"].endswith("Aprobado: Reglamento del foro")]

    assert sorted(a for to, _ in approved for a in to) == [
        "ana@example.org", "beto@example.org", "carla@example.org", "dario@example.org"]
    assert approved[0][1].startswith(f"La decisión «Reglamento del foro» quedó aprobada en "
                                     f"«{FORUM}» el 5 de marzo de 2030 a las 18:10, con 3 votos "
                                     "a favor de 4 (se necesitaban 3).")
    assert [m["Subject"] for _, m in mails if "omit" in body(m).lower()] == []


def test_an_english_plans_mails_call_the_forum_by_its_own_name_too(
        tmp_path: Path, sqlite_url: str) -> None:
    with smtp_server() as box:
        simulate(tmp_path, sqlite_url, env={**box.env(), "COCREA_STAFF_EMAILS": STAFF},
                 locale="en")

    texts = {m["Subject"]: body(m) for _, m in box.mails}
    approved = texts["[Co-creación del plan de gobierno abierto de Villa Esperanza] Approved: "
                     "Reglamento del foro"]
    asked = texts["[Co-creación del plan de gobierno abierto de Villa Esperanza] Your vote is "
                  "missing: Hoja de ruta del plan"]
    assert approved.startswith(f"The decision “Reglamento del foro” was approved in “{FORUM}” on "
                               "March 5, 2030 at 18:10")
    assert asked.startswith(f"“{FORUM}” is to decide “Hoja de ruta del plan”")
    assert ("\nAs things stand it cannot pass: it needs 12 approvals and only 4 members may vote "
            "on it.\n") in asked
    assert [s for s, text in texts.items() if "omit" in text.lower()] == []
