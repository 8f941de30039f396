"""A real HTTP receiver for webhooks: it checks each signature and can be told to fail."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications.channels import verify_signature


@dataclass
class Receiver:
    """What arrived (deduplicated by ``X-Cocrea-Id``), bad signatures, and how to answer."""

    url: str
    secret: str
    status: int = 200
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    seen: dict[str, int] = field(default_factory=dict)


@contextmanager
def webhook_receiver(secret: str) -> Iterator[Receiver]:
    """Listen on a free loopback port until the block ends."""
    state = Receiver("", secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(state.delay)
            if not verify_signature(state.secret, dict(self.headers), body):
                state.bad_signatures += 1
                self.send_response(401)
            elif state.status >= 300:
                self.send_response(state.status)
            else:
                message_id = self.headers["X-Cocrea-Id"]
                state.seen[message_id] = state.seen.get(message_id, 0) + 1
                if state.seen[message_id] == 1:
                    state.received.append(json.loads(body))
                self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
