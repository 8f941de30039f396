"""The dispatcher over a real outbox (SQLite and PostgreSQL) and a real webhook receiver."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading

import pytest
from sqlalchemy import Engine, insert, update
from typer.testing import CliRunner

from notifications.channels import Message, WebhookChannel
from notifications.dispatcher import Dispatcher, Policy
from notifications.setup import channels_from_env
from notifications.templates import renderer
from storage import outbox
from storage import tables as t
from tests.storage.scenario import COCREA, MEMBERS, cuenca
from tests.support.clocked import (
    address,
    addresses,
    at,
    clocked,
    phase_one_done_but_the_vote,
    seated,
)
from tests.support.mail import smtp_server
from tests.support.receiver import webhook_receiver
from tests.support.server import free_port
from tests.support.waiting import wait_for
from workflow.cli.app import app
from workflow.domain.clock import VirtualClock

NOON = at("2022-07-20 12:00")
POLICY = Policy(max_attempts=3, base=dt.timedelta(minutes=1), claim=dt.timedelta(minutes=2))


def queue(engine: Engine, url: str, count: int) -> list[str]:
    """Put ``count`` webhook messages to ``url`` in the outbox of the plan (due now)."""
    ids = [f"prueba:{n}:webhook" for n in range(count)]
    with engine.begin() as conn:
        conn.execute(insert(t.outbox), [
            {"message_id": i, "plan_id": "cuenca-2022", "position": 1, "topic": "prueba",
             "channel": "webhook", "recipient": url, "data": '{"n": 1}', "created_at": NOON,
             "status": "pending", "attempts": 0, "next_attempt_at": NOON} for i in ids])
    return ids


STAFF_EMAILS = "participacion@cuenca.gob.ec,gobierno.abierto@cuenca.gob.ec"
PUBLIC_URL = "https://cocrea.cuenca.gob.ec"


def test_a_late_phase_is_told_by_mail_in_spanish_to_staff_committee_and_pending_voters(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), at("2022-07-01 09:00"))
    c.advance(at("2022-07-11 09:00"))
    members = seated(c)
    phase_one_done_but_the_vote(c, members)
    c.advance(at("2022-07-18 08:00"))  # a reminder, phase 1 overdue, phase 2 waiting
    with smtp_server() as box:
        channels = channels_from_env({**box.env(), "COCREA_STAFF_EMAILS": STAFF_EMAILS})
        dispatcher = Dispatcher(c.engine, channels, c.clock, POLICY,
                                renderer({"COCREA_PUBLIC_URL": PUBLIC_URL}))
        first, second = dispatcher.run_once(), dispatcher.run_once()

    assert len(first.delivered) == 41 and second.delivered == []
    assert len(box.mails) == 41
    overdue = {tuple(to): mail for to, mail in box.mails if "vencida" in mail["Subject"]}
    assert set(overdue) == {tuple(STAFF_EMAILS.split(",")), *((a,) for a in addresses(
        *(n for group in MEMBERS.values() for n in group)))}
    mail = overdue[("ana@comite.ec",)]
    assert mail["Subject"] == ("[Co-creación del primer Plan de Acción de Gobierno Abierto de "
                               "Cuenca] La fase 1 «Planeación inicial» está vencida")
    assert mail["To"] == "ana@comite.ec" and mail["From"] == "cocrea@cuenca.gob.ec"
    body = mail.get_content().replace("\r\n", "\n")
    assert ("La fase 1 «Planeación inicial» debía cerrar el 17 de julio de 2022, pero aún no "
            "se puede cerrar.\nFalta: la decisión «Aprobación de la metodología de "
            "co-creación» no está aprobada (4 a favor, 0 en contra de 9 con voto; se necesitan"
            " 5)") in body
    assert f"Ver el plan: {PUBLIC_URL}/plans/cuenca-2022" in body
    assert "Fechas y horas de America/Guayaquil" in body
    votes = sorted(to[0] for to, m in box.mails
                   if m["Subject"].endswith("Falta su voto: Aprobación de la metodología de "
                                            "co-creación"))
    assert votes == sorted(2 * [address(m) for m in (*MEMBERS["academia_sector_privado"][1:],
                                                     *MEMBERS["sector_publico"])])
    assert {m["status"] for m in outbox.messages(c.engine)} == {"delivered"}


def test_mail_held_while_the_smtp_server_is_down_goes_out_with_backoff_once_it_is_back(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), at("2022-07-10 09:00"))
    c.advance(at("2022-07-11 09:00"))  # phase 1 opens: the staff are told
    port = free_port()
    env = {"COCREA_SMTP_HOST": "127.0.0.1", "COCREA_SMTP_PORT": str(port),
           "COCREA_STAFF_EMAILS": STAFF_EMAILS}
    dispatcher = Dispatcher(c.engine, channels_from_env(env), c.clock, POLICY)

    down = [dispatcher.run_once()]
    c.clock.move_to(c.clock() + dt.timedelta(seconds=59))
    down.append(dispatcher.run_once())  # its retry is not due yet
    c.clock.move_to(c.clock() + dt.timedelta(seconds=2))
    down.append(dispatcher.run_once())  # due: tried, still down; next try in 2 minutes
    [waiting] = outbox.messages(c.engine)
    with smtp_server(port) as box:
        c.clock.move_to(c.clock() + dt.timedelta(minutes=2))
        back = dispatcher.run_once()

    assert [(len(p.retried), len(p.delivered)) for p in down] == [(1, 0), (0, 0), (1, 0)]
    assert (waiting["status"], waiting["attempts"]) == ("pending", 2)
    assert str(waiting["last_error"]).startswith(f"SMTP 127.0.0.1:{port}: ")
    [message] = outbox.messages(c.engine)
    assert message["status"] == "delivered" and message["attempts"] == 3
    assert len(back.delivered) == 1
    [(to, mail)] = box.mails
    assert to == STAFF_EMAILS.split(",")
    assert mail["Subject"].endswith("Se abrió la fase 1: Planeación inicial")


def test_a_receiver_that_always_fails_gets_the_message_parked_then_retry_delivers_it(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), NOON)
    clock = VirtualClock(NOON)
    with webhook_receiver("secreto") as receiver:
        [message_id] = queue(c.engine, receiver.url, 1)
        receiver.status = 500
        dispatcher = Dispatcher(c.engine, {"webhook": WebhookChannel("secreto")}, clock, POLICY)
        passes = []
        for _ in range(3):
            passes.append(dispatcher.run_once())
            clock.move_to(clock() + dt.timedelta(minutes=10))

        assert [len(p.retried) for p in passes] == [1, 1, 0]
        assert passes[-1].dead == [message_id]
        [dead] = outbox.messages(c.engine, "dead")
        assert dead["attempts"] == 3 and "answered 500" in dead["last_error"]
        assert dispatcher.run_once().delivered == []

        receiver.status = 200
        assert outbox.revive(c.engine, clock()) == 1
        assert dispatcher.run_once().delivered == [message_id]
    assert len(receiver.received) == 1


def test_dispatchers_racing_for_the_outbox_never_claim_one_message_twice(db_url: str) -> None:
    c = clocked(db_url, cuenca(), NOON)
    ids = queue(c.engine, "http://127.0.0.1:9/hook", 300)
    claimed: list[list[str]] = [[], [], []]
    start = threading.Barrier(3)

    def racer(n: int) -> None:
        start.wait()
        while got := outbox.claim(c.engine, NOON, NOON + dt.timedelta(minutes=2), 25,
                                  ("webhook",)):
            claimed[n] += [m.message_id for m in got]

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everyone = [i for mine in claimed for i in mine]
    assert sorted(everyone) == sorted(ids)  # each once, none lost


class Killed(BaseException):
    """The process dies (not an error the dispatcher may catch)."""


class DiesAfterSending:
    """A webhook channel whose process dies right after the n-th send, before it is marked."""

    name = "webhook"

    def __init__(self, inner: WebhookChannel, n: int) -> None:
        self.inner, self.n, self.sent = inner, n, 0

    def send(self, message: Message) -> None:
        self.inner.send(message)
        self.sent += 1
        if self.sent == self.n:
            raise Killed


def test_a_dispatcher_killed_mid_batch_loses_nothing_and_the_receiver_sees_each_once(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), NOON)
    clock = VirtualClock(NOON)
    with webhook_receiver("secreto") as receiver:
        ids = queue(c.engine, receiver.url, 5)
        dying = Dispatcher(c.engine, {"webhook": DiesAfterSending(WebhookChannel("secreto"), 3)},
                           clock, POLICY)
        with pytest.raises(Killed):
            dying.run_once()

        restarted = Dispatcher(c.engine, {"webhook": WebhookChannel("secreto")}, clock, POLICY)
        assert restarted.run_once().delivered == []  # the dead one's claims still hold
        clock.move_to(clock() + dt.timedelta(minutes=3))
        again = restarted.run_once()

    assert sorted(again.delivered) == sorted(ids[2:])
    assert {m["status"] for m in outbox.messages(c.engine)} == {"delivered"}
    assert sorted(r["id"] for r in receiver.received) == sorted(ids)
    assert receiver.seen[ids[2]] == 2  # sent before the kill, sent again: dropped by its id


def test_a_notify_process_killed_mid_batch_loses_nothing_once_its_claims_run_out(
        db_url: str) -> None:
    c = clocked(db_url, cuenca(), NOON)
    with webhook_receiver("secreto") as receiver:
        ids = queue(c.engine, receiver.url, 8)
        receiver.delay = 0.3  # slow enough to kill the process between two messages
        process = subprocess.Popen([*COCREA, "notify", "run", "--db", db_url],
                                   env={**os.environ, "COCREA_WEBHOOK_SECRET": "secreto"},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(receiver.received) >= 3)
        process.kill()  # SIGKILL: no clean-up, its claims stay on the rows
        process.wait(timeout=10)
        receiver.delay = 0.0
        left = [m for m in outbox.messages(c.engine) if m["status"] == "sending"]
        later = VirtualClock(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3))
        restarted = Dispatcher(c.engine, {"webhook": WebhookChannel("secreto")}, later, POLICY)
        again = restarted.drain()

    assert left, "the killed process held claims on unsent messages"
    assert {m["status"] for m in outbox.messages(c.engine)} == {"delivered"}
    assert sorted(r["id"] for r in receiver.received) == sorted(ids)  # each once, by its id
    assert sorted(again.delivered) == sorted(m["message_id"] for m in left)


def test_the_cli_delivers_lists_the_dead_and_retries_them(sqlite_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    c = clocked(sqlite_url, cuenca(), NOON)
    runner = CliRunner()
    with webhook_receiver("secreto") as receiver:
        monkeypatch.setenv("COCREA_WEBHOOK_SECRET", "secreto")
        [message_id] = queue(c.engine, receiver.url, 1)
        receiver.status = 500
        first = runner.invoke(app, ["notify", "run", "--db", sqlite_url])
        assert first.exit_code == 0 and "a reintentar: 1" in first.output
        with c.engine.begin() as conn:  # its retry comes due, and it is its last try
            conn.execute(update(t.outbox).values(next_attempt_at=NOON, attempts=5))
        assert "aparcadas: 1" in runner.invoke(app, ["notify", "run", "--db", sqlite_url]).output
        listed = runner.invoke(app, ["notify", "list", "--dead", "--db", sqlite_url]).output
        assert f"{message_id}  dead  webhook → {receiver.url}  (intentos: 6) " in listed
        receiver.status = 200
        assert "devueltos a la cola: 1" in runner.invoke(
            app, ["notify", "retry", "--db", sqlite_url]).output
        assert "Entregadas: 1" in runner.invoke(app, ["notify", "run", "--db", sqlite_url]).output
    assert [r["id"] for r in receiver.received] == [message_id]
