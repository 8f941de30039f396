"""``cocrea serve`` for real: a process, tokens from the CLI, and on PostgreSQL several
workers with exactly one active scheduler that another takes over when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter

import httpx
from sqlalchemy import text

from storage.database import open_engine
from storage.leases import holder_of
from storage.tokens import create_token
from tests.storage.scenario import COCREA
from tests.support.clocked import events
from tests.support.mail import smtp_server
from tests.support.server import free_port, log_events, serve, stop
from tests.support.waiting import wait_for


def test_serve_answers_and_its_scheduler_catches_up_on_a_new_plan(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    token = create_token(engine, "Técnica", "staff")[1]
    process, url = serve(sqlite_url)
    try:
        created = httpx.post(f"{url}/plans", json={"definition": "cuenca-2022"},
                             headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201
        # Cuenca's dates are in 2022: the scheduler's next poll fires what is past due.
        wait_for(lambda: events(engine, "PhaseOverdue"), seconds=20)
    finally:
        log = stop(process)
    assert '"event": "request"' in log and '"status": 201' in log


def test_serve_delivers_the_outbox_by_mail_as_it_fills(sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    token = create_token(engine, "Técnica", "staff")[1]
    with smtp_server() as box:
        staff = {"COCREA_STAFF_EMAILS": "participacion@cuenca.gob.ec"}
        process, url = serve(sqlite_url, "--notify-every", "0.3", env={**box.env(), **staff})
        try:
            assert httpx.post(f"{url}/plans", json={"definition": "cuenca-2022"},
                              headers={"Authorization": f"Bearer {token}"}).status_code == 201
            overdue = wait_for(lambda: [m for _, m in box.mails if "vencida" in m["Subject"]],
                               seconds=20)
        finally:
            log = stop(process)
    assert overdue[0]["To"] == "participacion@cuenca.gob.ec"
    assert '"event": "dispatcher_started"' in log and '"email"' in log


def test_serve_refuses_to_start_with_a_wrong_mail_setting(sqlite_url: str) -> None:
    done = subprocess.run([*COCREA, "serve", "--db", sqlite_url, "--port", str(free_port())],
                          check=False, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COCREA_SMTP_HOST": "localhost",
                               "COCREA_SMTP_TLS": "ssl"})
    assert done.returncode == 1
    assert "la variable COCREA_SMTP_TLS no es válida: «ssl» (se espera none, starttls o tls)" \
        in done.stderr


def test_several_workers_run_one_scheduler_and_another_takes_over_when_it_dies(
        postgres_url: str) -> None:
    engine = open_engine(postgres_url)
    token = create_token(engine, "Técnica", "staff")[1]
    process, url = serve(postgres_url, "--workers", "2", "--lease-seconds", "3")
    try:
        first = wait_for(lambda: holder_of(engine))
        assert isinstance(first, tuple)
        holder = first[0]
        assert httpx.post(f"{url}/plans", json={"definition": "cuenca-2022"},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 201
        wait_for(lambda: events(engine, "PhaseOverdue"), seconds=20)

        os.kill(int(holder.rsplit(":", 1)[1]), signal.SIGKILL)
        killed = time.monotonic()
        wait_for(lambda: (holder_of(engine) or ("", None))[0] not in ("", holder), seconds=30)
        took_over = time.monotonic() - killed
    finally:
        stop(process)
    assert took_over < 10
    fired = Counter(e["data"].get("deadline") for e in events(engine) if "deadline" in e["data"])
    assert fired and set(fired.values()) == {1}


def test_an_unforeseen_error_is_a_500_problem_tagged_and_logged_with_status_500(
        sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    with engine.begin() as conn:  # a damaged row: its creation time is not a time
        conn.execute(text("INSERT INTO plans VALUES ('roto', 'x', 'x', 'Roto', 0, 1, 0,"
                          " 'ayer', '{}', 0)"))
    process, url = serve(sqlite_url)
    try:
        with httpx.Client(base_url=url) as client:
            failed = client.get("/plans", headers={"X-Request-ID": "lista-rota"})
            after = client.get("/health")  # the same connection still serves
    finally:
        log = stop(process)
    assert failed.status_code == 500 and failed.json()["type"].endswith("/error-interno")
    assert failed.headers["x-request-id"] == "lista-rota" and after.status_code == 200
    [logged] = [e for e in log_events(log, "request") if e["request_id"] == "lista-rota"]
    assert logged["status"] == 500
    [error] = log_events(log, "unexpected_error")
    assert error["request_id"] == "lista-rota" and "Invalid isoformat" in str(error["traceback"])
