"""Delivery channels: a message goes out by log, by email over SMTP, or as a signed webhook.

Each channel takes a :class:`Message` (a stable id, a recipient, a subject, a
text body and a JSON payload) and either delivers it or raises
:class:`DeliveryError` saying why, so the dispatcher can retry with backoff.

Webhooks are signed so a receiver can check them: the POST body is the
message's JSON, and the headers carry

- ``X-Cocrea-Id``: the message id (stable across retries: drop duplicates by it);
- ``X-Cocrea-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Cocrea-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the shared
  secret, over ``timestamp + "." + body`` (the raw bytes as sent).

A receiver recomputes the HMAC, compares in constant time, and refuses
timestamps too far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import httpx
import structlog

from workflow.domain.errors import DeliveryError

log = structlog.get_logger("cocrea.notifications")


@dataclass(frozen=True)
class Message:
    """One message to one recipient: what the outbox holds and a channel sends."""

    message_id: str
    recipient: str
    subject: str
    body: str
    payload: Mapping[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """Something that delivers messages, or raises DeliveryError."""

    name: str

    def send(self, message: Message) -> None:
        """Deliver one message (raise DeliveryError when it cannot)."""
        ...


class LogChannel:
    """Write the message to the structured log (for staff dashboards, and dry runs)."""

    name = "log"

    def send(self, message: Message) -> None:
        """Log the message."""
        log.info("notification", message_id=message.message_id, to=message.recipient,
                 subject=message.subject)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail (from ``COCREA_SMTP_*`` and ``COCREA_MAIL_FROM``)."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    tls: Literal["none", "starttls", "tls"] = "none"
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Read the settings; None when no ``COCREA_SMTP_HOST`` is set (mail is off)."""
        env = os.environ if env is None else env
        host = env.get("COCREA_SMTP_HOST")
        if not host:
            return None
        tls = env.get("COCREA_SMTP_TLS", "none")
        if tls not in ("none", "starttls", "tls"):
            raise ValueError(f"COCREA_SMTP_TLS must be none, starttls or tls, not {tls!r}")
        default_port = {"none": 25, "starttls": 587, "tls": 465}[tls]
        return cls(host=host, port=int(env.get("COCREA_SMTP_PORT", default_port)),
                   sender=env.get("COCREA_MAIL_FROM", f"cocrea@{host}"),
                   user=env.get("COCREA_SMTP_USER") or None,
                   password=env.get("COCREA_SMTP_PASSWORD") or None,
                   tls=tls)  # type: ignore[arg-type]


class EmailChannel:
    """Send each message as a plain-text UTF-8 email over SMTP.

    The recipient is an address, or ``staff`` for the deployment's staff
    addresses (``COCREA_STAFF_EMAILS``), all in one mail. The connection is kept
    open between messages and opened again when the server has dropped it.
    """

    name = "email"

    def __init__(self, settings: SmtpSettings, staff: tuple[str, ...] = ()) -> None:
        self.settings = settings
        self.staff = staff
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: Message) -> None:
        """Send one email; SMTP and network failures become DeliveryError.

        The mail is built with the compat32 API on purpose: Python 3.11's default
        policy folds a long non-ASCII subject between two encoded words and the
        space there is lost when read ("Enlace técnico" arrives "Enlacetécnico");
        ``Header`` keeps spaces inside the encoded words.
        """
        mail = MIMEText(message.body, "plain", "utf-8")
        mail["From"], mail["To"] = self.settings.sender, ", ".join(self._addresses(message))
        mail["Subject"] = Header(message.subject, "utf-8")  # type: ignore[assignment]  # compat32 takes a Header
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = f"<{_safe(message.message_id)}@cocrea>"
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Cocrea-Id"] = message.message_id
        try:
            self._deliver(mail)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"SMTP {self.settings.host}:{self.settings.port}: {exc}") from exc

    def close(self) -> None:
        """Close the kept connection, if any."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _addresses(self, message: Message) -> tuple[str, ...]:
        if message.recipient != "staff":
            return (message.recipient,)
        if not self.staff:
            raise DeliveryError("no staff addresses: set COCREA_STAFF_EMAILS")
        return self.staff

    def _deliver(self, mail: MIMEText) -> None:
        if self._smtp is not None:
            try:
                self._smtp.send_message(mail)
                return
            except smtplib.SMTPServerDisconnected:
                self._smtp = None  # the server closed an idle connection: open a new one
        self._smtp = self._connect()
        self._smtp.send_message(mail)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password or "")
        return smtp


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Return the ``X-Cocrea-Signature`` value for a body sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(secret: str, headers: Mapping[str, str], body: bytes,
                     now: float | None = None, tolerance: float = 300.0) -> bool:
    """Check a webhook as a receiver would: the HMAC matches and the timestamp is fresh."""
    timestamp = headers.get("X-Cocrea-Timestamp", "")
    given = headers.get("X-Cocrea-Signature", "")
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(given, sign(secret, timestamp, body))


def check_webhook_url(url: str) -> str:
    """Return ``url`` if it is an absolute http or https URL, else raise ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a webhook URL must be http or https with a host: {url!r}")
    return url


class WebhookChannel:
    """POST the message's payload as JSON, signed with HMAC-SHA256.

    The recipient is a URL or the name of a target (``public``: the URL in
    ``COCREA_PUBLIC_WEBHOOK_URL``).
    """

    name = "webhook"

    def __init__(self, secret: str, targets: Mapping[str, str] | None = None,
                 timeout: float = 5.0, client: httpx.Client | None = None) -> None:
        if not secret:
            raise ValueError("a webhook channel needs a signing secret")
        self._secret = secret
        self._targets = {name: check_webhook_url(url) for name, url in (targets or {}).items()}
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def send(self, message: Message) -> None:
        """POST once; a non-2xx answer, a timeout or a refused URL is a DeliveryError."""
        try:
            url = check_webhook_url(self._targets.get(message.recipient, message.recipient))
        except ValueError as exc:
            raise DeliveryError(str(exc)) from exc
        body = json.dumps({"id": message.message_id, "subject": message.subject,
                           "text": message.body, **message.payload},
                          ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Cocrea-Id": message.message_id,
                   "X-Cocrea-Timestamp": timestamp,
                   "X-Cocrea-Signature": sign(self._secret, timestamp, body)}
        try:
            answer = self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{url}: {type(exc).__name__}: {exc}") from exc
        if not 200 <= answer.status_code < 300:
            raise DeliveryError(f"{url} answered {answer.status_code}")


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in text)
