"""The real API over real HTTP: uvicorn on a free loopback port, in a thread; or
``cocrea serve`` for real, as a process of its own."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Engine

from storage.tokens import create_token
from tests.support.waiting import wait_for
from workflow.api.app import create_app
from workflow.bootstrap import bootstrap
from workflow.domain.clock import Clock, utc_now


@dataclass
class Live:
    """A running API: its base URL, its database, and tokens made for it."""

    url: str
    engine: Engine

    def token(self, role: str, name: str | None = None, member: str | None = None) -> str:
        """Make a token of ``role`` (named after the role unless told)."""
        return create_token(self.engine, name or role, role, member)[1]

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client for the API, with the token as bearer when given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_api(db_url: str, clock: Clock = utc_now, scheduler: bool = False) -> Iterator[Live]:
    """Serve the API for ``db_url`` on loopback until the block ends."""
    wired = bootstrap(db_url, clock=clock)
    engine = wired.engine
    port = free_port()
    config = uvicorn.Config(create_app(wired, scheduler=scheduler), host="127.0.0.1",
                            port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the API did not start"
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", engine)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        engine.dispose()


def serve(db_url: str, *options: str, env: dict[str, str] | None = None,
          log: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start ``cocrea serve`` on ``db_url`` and a free port (polling deadlines twice a
    second); return the process and its base URL once it answers.

    Its log (stderr) is kept for :func:`stop` to return, or appended to ``log``: a
    server under load writes more than a pipe holds, and would wait for a reader.
    """
    port = free_port()
    with (log.open("a") if log else contextlib.nullcontext(subprocess.PIPE)) as err:
        process = subprocess.Popen([sys.executable, "-m", "workflow", "serve", "--db", db_url,
                                    "--port", str(port), "--poll", "0.5", *options],
                                   stdout=subprocess.PIPE, stderr=err, text=True,
                                   env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: httpx.get(f"{url}/health").status_code == 200)
    return process, url


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a served process as a service manager would (SIGTERM); return what it logged."""
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return err or ""


def log_events(log: str, event: str) -> list[dict[str, object]]:
    """Return the JSON log lines of ``event`` in what a server logged."""
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == event]


def problem(response: httpx.Response, status: int) -> dict[str, object]:
    """Check that ``response`` is an RFC 9457 problem of ``status``; return its document."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"].startswith("https://cocrea.dev/problemas/")
    return dict(body)
