"""A real SMTP server (aiosmtpd) on loopback that keeps every mail it receives."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.server import free_port


@dataclass
class Mailbox:
    """What the server received: each mail with its envelope recipients."""

    host: str
    port: int
    mails: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mails.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def env(self) -> dict[str, str]:
        """The ``COCREA_SMTP_*`` settings that point at this server."""
        return {"COCREA_SMTP_HOST": self.host, "COCREA_SMTP_PORT": str(self.port),
                "COCREA_SMTP_TLS": "none", "COCREA_MAIL_FROM": "cocrea@cuenca.gob.ec"}


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Mailbox]:
    """Run an SMTP server on loopback (a free port, or ``port``) until the block ends."""
    box = Mailbox("127.0.0.1", port or free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
