"""``cocrea serve`` killed with SIGKILL under load loses nothing it acknowledged.

Four clients submit proposals over HTTP and keep every one answered 201; the
server is killed mid-load (no shutdown, no chance to flush), started again, and
every acknowledged proposal must be there, as sent, and the whole log must
verify. Three rounds, on a SQLite file and on PostgreSQL: about 20 s each here
(most of it starting the server four times), bounded by the rounds, the load's
length and the timeouts of every wait.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from storage.tokens import create_token
from tests.storage.scenario import fresh, outreach_and_reception, planning, vision
from tests.support.server import serve, stop

pytestmark = pytest.mark.slow
PLAN = "cuenca-2022"
CLIENTS = 4
ROUNDS = 3
LOAD_SECONDS = (0.5, 1.5)
"""How long the clients run before the kill, drawn at random each round."""


@dataclass
class Load:
    """Clients submitting proposals until told to stop; what the server acknowledged."""

    url: str
    token: str
    round: int
    acknowledged: dict[str, str] = field(default_factory=dict)
    refused: list[int] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, number: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=10) as http:
            for sent in itertools.count():
                if self.stopping.is_set():
                    return
                title = f"Ronda {self.round}, cliente {number}, propuesta {sent}"
                try:
                    answer = http.post(f"/plans/{PLAN}/proposals", json={
                        "title": title, "body": "Texto", "channel": "online"})
                except httpx.HTTPError:
                    continue  # killed in flight: never acknowledged
                with self.lock:
                    if answer.status_code == 201:
                        self.acknowledged[answer.json()["proposal"]] = title
                    else:
                        self.refused.append(answer.status_code)

    def run_until_killed(self, process: subprocess.Popen[str]) -> None:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(*LOAD_SECONDS))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        self.stopping.set()
        for thread in threads:
            thread.join(timeout=30)


def missing(url: str, acknowledged: dict[str, str]) -> list[str]:
    """Return the acknowledged proposals the server does not show as they were sent."""
    with httpx.Client(base_url=url, timeout=10) as http:
        return [pid for pid, title in acknowledged.items()
                if (found := http.get(f"/proposals/{pid}")).status_code != 200
                or found.json()["title"] != title]


def test_a_server_killed_under_load_keeps_every_proposal_it_acknowledged(
        db_url: str, tmp_path: Path) -> None:
    receiving = fresh(db_url)
    for step in (planning, vision, outreach_and_reception):
        step(receiving)
    token = create_token(receiving.engine, "Cuenca Participa", "intake")[1]
    log = tmp_path / "serve.log"
    acknowledged: dict[str, str] = {}
    process, url = serve(db_url, "--lease-seconds", "2", log=log)
    try:
        for number in range(ROUNDS):
            load = Load(url, token, number)
            load.run_until_killed(process)
            assert load.acknowledged, f"round {number}: nothing acknowledged before the kill"
            assert set(load.refused) <= {409}, load.refused
            acknowledged |= load.acknowledged
            process, url = serve(db_url, "--lease-seconds", "2", log=log)
            assert missing(url, acknowledged) == []
    finally:
        stop(process)
    verified = subprocess.run([sys.executable, "-m", "workflow", "verify", "--db", db_url],
                              capture_output=True, text=True, timeout=120, check=False)

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Traceback" not in log.read_text(encoding="utf-8")
