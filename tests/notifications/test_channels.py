"""Channels against real servers: aiosmtpd for mail, an HTTP receiver for webhooks."""

from __future__ import annotations

import time

import pytest

from notifications.channels import (
    DeliveryError,
    EmailChannel,
    Message,
    SmtpSettings,
    WebhookChannel,
    check_webhook_url,
    sign,
    verify_signature,
)
from tests.support.mail import smtp_server
from tests.support.receiver import webhook_receiver
from tests.support.server import free_port

MESSAGE = Message("evt-1:phase_overdue:email:ana@example.org", "ana@example.org",
                  "Fase vencida: Planeación inicial",
                  "La fase «Planeación inicial» venció el 2022-07-18.\n"
                  "https://participa.cuenca.gob.ec/planes/cuenca-2022",
                  {"plan": "cuenca-2022", "topic": "phase_overdue"})


def test_an_email_reaches_a_real_smtp_server_with_its_subject_body_and_recipient() -> None:
    with smtp_server() as box:
        settings = SmtpSettings.from_env(box.env())
        assert settings is not None
        EmailChannel(settings).send(MESSAGE)

    [(recipients, mail)] = box.mails
    assert recipients == ["ana@example.org"]
    assert mail["Subject"] == "Fase vencida: Planeación inicial"
    assert mail["From"] == "cocrea@cuenca.gob.ec"
    assert "venció el 2022-07-18" in mail.get_content()


def test_an_smtp_server_that_is_down_is_a_delivery_error() -> None:
    settings = SmtpSettings("127.0.0.1", free_port(), "cocrea@cuenca.gob.ec", timeout=2)
    with pytest.raises(DeliveryError, match=r"SMTP 127\.0\.0\.1"):
        EmailChannel(settings).send(MESSAGE)


def test_mail_is_off_without_a_host_and_a_bad_tls_mode_is_named() -> None:
    assert SmtpSettings.from_env({}) is None
    with pytest.raises(ValueError, match="COCREA_SMTP_TLS must be none, starttls or tls"):
        SmtpSettings.from_env({"COCREA_SMTP_HOST": "mail", "COCREA_SMTP_TLS": "ssl"})
    assert SmtpSettings.from_env({"COCREA_SMTP_HOST": "mail", "COCREA_SMTP_TLS": "tls"}).port \
        == 465  # type: ignore[union-attr]


def test_a_webhook_arrives_signed_and_the_receiver_verifies_it() -> None:
    with webhook_receiver("secreto") as receiver:
        hook = Message("evt-2:commitment_approved:webhook", receiver.url, "Compromiso aprobado",
                       "texto", {"plan": "cuenca-2022"})
        WebhookChannel("secreto").send(hook)

    assert receiver.bad_signatures == 0
    assert receiver.received == [{"id": "evt-2:commitment_approved:webhook",
                                  "subject": "Compromiso aprobado", "text": "texto",
                                  "plan": "cuenca-2022"}]


def test_a_webhook_signed_with_another_secret_is_refused_and_is_a_delivery_error() -> None:
    with webhook_receiver("secreto") as receiver, pytest.raises(DeliveryError,
                                                                 match="answered 401"):
        WebhookChannel("otro").send(Message("m", receiver.url, "s", "b"))
    assert receiver.bad_signatures == 1 and receiver.received == []


def test_a_slow_or_failing_receiver_is_a_delivery_error() -> None:
    with webhook_receiver("secreto") as receiver:
        receiver.status = 503
        with pytest.raises(DeliveryError, match="answered 503"):
            WebhookChannel("secreto").send(Message("m", receiver.url, "s", "b"))
        receiver.status, receiver.delay = 200, 1.5
        with pytest.raises(DeliveryError, match="ReadTimeout"):
            WebhookChannel("secreto", timeout=0.5).send(Message("m", receiver.url, "s", "b"))


def test_only_http_and_https_urls_are_webhooks() -> None:
    for url in ("file:///etc/passwd", "ftp://x/y", "javascript:alert(1)", "http://", "/hook"):
        with pytest.raises(ValueError, match="must be http or https"):
            check_webhook_url(url)
        with pytest.raises(DeliveryError):
            WebhookChannel("secreto").send(Message("m", url, "s", "b"))
    assert check_webhook_url("https://datos.cuenca.gob.ec/hook") == \
        "https://datos.cuenca.gob.ec/hook"


def test_a_receiver_refuses_a_stale_or_forged_signature() -> None:
    body, now = b'{"a":1}', time.time()
    stamp = str(int(now))
    good = {"X-Cocrea-Timestamp": stamp, "X-Cocrea-Signature": sign("k", stamp, body)}
    assert verify_signature("k", good, body, now=now)
    assert not verify_signature("k", good, body + b" ", now=now)
    assert not verify_signature("k", good, body, now=now + 3600)
    assert not verify_signature("k", {**good, "X-Cocrea-Timestamp": "ayer"}, body, now=now)
