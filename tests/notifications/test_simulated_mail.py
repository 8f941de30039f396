"""``cocrea simulate`` with a mail server and a webhook receiver: the whole scenario's notices.

The scenario's nine committee members gave their emails; of the proponents, some
gave an email and consented, some gave one without consent, some gave none.
"""

from __future__ import annotations

import json
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from definitions import scenario as sc
from storage import tables as t
from storage.database import open_engine
from tests.support.mail import smtp_server
from tests.support.receiver import webhook_receiver
from workflow.cli.app import app
from workflow.cli.simulate import shipped_scenario

Simulated = tuple[list[tuple[list[str], EmailMessage]], list[dict[str, object]], str, str]
"""The mails (with their recipients), the webhooks, the CLI's output, the database URL."""
STAFF = "participacion@cuenca.gob.ec"
SECRET = "secreto-del-portal"


def steps() -> list[sc.AnyStep]:
    """The shipped scenario's steps."""
    return list(sc.parse_scenario(shipped_scenario("cuenca-2022")[1]).steps)


def members() -> set[str]:
    return {s.email for s in steps() if isinstance(s, sc.AddMember) and s.email}


def proponents(consent: bool) -> dict[str, str]:
    """Emails of proponents who gave one, with (or without) consent, by proposal title."""
    return {s.title: s.email for s in steps()
            if isinstance(s, sc.Submit) and s.email and s.consent == consent}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Simulated:
    """Run the shipped scenario once with real SMTP and webhook receivers configured."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sim') / 'sim.db'}"
    with smtp_server() as box, webhook_receiver(SECRET) as receiver:
        env = {**box.env(), "COCREA_STAFF_EMAILS": STAFF, "COCREA_WEBHOOK_SECRET": SECRET,
               "COCREA_PUBLIC_WEBHOOK_URL": receiver.url,
               "COCREA_PUBLIC_URL": "https://cocrea.cuenca.gob.ec"}
        result = CliRunner().invoke(app, ["simulate", "--db", url], env=env)
        assert result.exit_code == 0, result.output
        assert receiver.bad_signatures == 0
    return box.mails, receiver.received, result.output, url

AGENCIES = {f"{key}@example.org" for key in (
    "comunicacion", "informatica", "compras", "financiera", "participacion", "planificacion")}
"""The implementing agencies' addresses the scenario keeps (outside the log)."""


def test_every_notice_of_the_scenario_is_delivered_and_the_summary_says_so(
        simulated: Simulated) -> None:
    mails, hooks, output, _ = simulated

    assert "Avisos en la bandeja de salida: 394\n  correo: 381 entregados\n" \
           "  webhook: 13 entregados\n" in output
    assert len(mails) == 381 and len(hooks) == 13
    assert Counter(hook["topic"] for hook in hooks) == {
        "decision_approved": 1, "commitment_approved": 6, "commitment_assessed": 6}


def test_each_phase_moment_reaches_the_staff_and_all_nine_members(
        simulated: Simulated) -> None:
    mails, *_ = simulated
    opened = [to for to, mail in mails
              if mail["Subject"].endswith("Se abrió la fase 5: Recepción de las propuestas "
                                          "sugeridas por la ciudadanía")]

    assert sorted(a for to in opened for a in to) == sorted({STAFF, *members()})


def test_members_who_have_not_voted_are_asked_for_their_vote(
        simulated: Simulated) -> None:
    mails, *_ = simulated
    asked = Counter(mail["Subject"].split("] ", 1)[1] for _, mail in mails
                    if "Falta su voto" in mail["Subject"])

    assert asked == {"Falta su voto: Aprobación de la metodología de co-creación": 13,
                     "Falta su voto: Aprobación de la estrategia comunicacional": 9,
                     "Falta su voto: Designación de la organización evaluadora independiente": 9,
                     "Falta su voto: Aprobación de los compromisos del plan de acción": 9}
    assert {to[0] for to, mail in mails if "Falta su voto" in mail["Subject"]} <= members()


def test_only_proponents_who_consented_are_told_of_the_answer_with_its_reasons(
        simulated: Simulated) -> None:
    mails, _, _, url = simulated
    told = {mail["Subject"].split("«", 1)[1].rstrip("»"): (to, mail) for to, mail in mails
            if "Respuesta a su propuesta" in mail["Subject"]}

    assert {title: to for title, (to, _) in told.items()} == {
        title: [email] for title, email in proponents(consent=True).items()}
    everyone = {a for to, _ in mails for a in to}
    assert not everyone & set(proponents(consent=False).values())
    _, mail = told["Reducir el precio de los combustibles en Cuenca"]
    body = mail.get_content()
    assert "recibió una respuesta razonada el 29 de noviembre de 2022 a las 09:00" in body
    assert "Resultado: no admitida" in body
    assert "competencia exclusiva del Gobierno central" in body
    assert "Ver el plan: https://cocrea.cuenca.gob.ec/plans/cuenca-2022" in body
    with open_engine(url).connect() as conn:
        kept = set(conn.execute(select(t.contacts.c.email)).scalars())
    assert kept == members() | set(proponents(consent=True).values()) | AGENCIES


def test_an_agency_is_told_of_its_overdue_milestone_with_the_date_in_words(
        simulated: Simulated) -> None:
    mails, *_ = simulated
    [mail] = [mail for to, mail in mails if "compras@example.org" in to
              and "Hito vencido" in mail["Subject"]]

    assert mail["Subject"].endswith("Hito vencido sin informe de cumplimiento: m1 de "
                                    "«Contratación pública abierta e integridad»")
    body = mail.get_content()
    assert "vencía el 30 de junio de 2023 y no se ha informado como cumplido" in body
    assert "Entidad implementadora: Dirección de Compras Públicas" in body


def riverside_mails(folder: Path) -> list[tuple[list[str], EmailMessage]]:
    with smtp_server() as box:
        env = {**box.env(), "COCREA_STAFF_EMAILS": "civic@riverside.example.org"}
        result = CliRunner().invoke(app, ["simulate", "riverside-2025", "--db",
                                          f"sqlite:///{folder / 'riverside.db'}"], env=env)
        assert result.exit_code == 0, result.output
    return box.mails


def test_riverside_tells_its_departments_of_milestones_in_english(tmp_path: Path) -> None:
    mails = riverside_mails(tmp_path)
    works = [mail for to, mail in mails if "public.works@example.org" in to]

    subjects = [mail["Subject"].split("] ", 1)[1] for mail in works]
    assert subjects == [
        "Commitment approved: A live map of street repairs",
        "Milestone m1 of «A live map of street repairs» is due in 30 days",
        "Milestone m1 of «A live map of street repairs» is due in 7 days",
        "Milestone m2 of «A live map of street repairs» is due in 30 days",
        "Milestone m2 of «A live map of street repairs» is due in 7 days",
        "Milestone overdue, not reported done: m2 of «A live map of street repairs»",
        "Independent assessment of commitment «A live map of street repairs»"]
    overdue = works[5].get_content()
    assert "was due on June 30, 2026 and has not been reported done" in overdue
    assert "Implementing agency: Department of Public Works" in overdue


def test_the_approved_commitments_reach_the_public_webhook_signed(
        simulated: Simulated) -> None:
    _, hooks, *_ = simulated
    [hook] = [hook for hook in hooks if hook["topic"] == "decision_approved"]

    assert hook["topic"] == "decision_approved" and hook["plan"] == "cuenca-2022"
    data = hook["data"]
    assert isinstance(data, dict)
    assert (data["decision"], data["approvals"], data["needed"]) == (
        "aprobacion_compromisos", 6, 6)
    assert hook["subject"] == ("[Co-creación del primer Plan de Acción de Gobierno Abierto de "
                               "Cuenca] Aprobado: Aprobación de los compromisos del plan de "
                               "acción")
    assert "el 20 de enero de 2023 a las 18:00" in str(hook["text"])
    assert "@" not in json.dumps(hook)  # no one's address goes public
