"""The channels this process can use, from its environment.

- ``log``: always.
- ``email``: with ``COCREA_SMTP_HOST`` (and the other ``COCREA_SMTP_*`` settings);
  ``COCREA_STAFF_EMAILS`` (comma-separated) are the addresses a rule's ``staff``
  audience reaches.
- ``webhook``: with ``COCREA_WEBHOOK_SECRET`` (the HMAC key receivers share);
  ``COCREA_PUBLIC_WEBHOOK_URL`` is where a rule's ``public`` audience is told.

A setting that is present but wrong raises InvalidInput naming it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from definitions.messages import deployment_locale, say
from notifications.channels import (
    Channel,
    EmailChannel,
    LogChannel,
    SmtpSettings,
    WebhookChannel,
    check_webhook_url,
)
from workflow.domain.contacts import checked_email
from workflow.domain.errors import InvalidInput
from workflow.domain.failures import said_in


def channels_from_env(env: Mapping[str, str] | None = None) -> dict[str, Channel]:
    """Return the channels the environment configures (see the module's docstring)."""
    env = os.environ if env is None else env
    found: dict[str, Channel] = {"log": LogChannel()}
    smtp = _smtp(env)
    if smtp is not None:
        found["email"] = EmailChannel(smtp, staff_emails(env))
    if env.get("COCREA_WEBHOOK_SECRET"):
        url = env.get("COCREA_PUBLIC_WEBHOOK_URL", "")
        try:
            targets = {"public": check_webhook_url(url)} if url else {}
        except ValueError as exc:
            raise _bad(env, "COCREA_PUBLIC_WEBHOOK_URL", url, "setting.webhook_url") from exc
        found["webhook"] = WebhookChannel(env["COCREA_WEBHOOK_SECRET"], targets)
    return found


def staff_emails(env: Mapping[str, str]) -> tuple[str, ...]:
    """Return the staff addresses of ``COCREA_STAFF_EMAILS`` (comma-separated)."""
    found = tuple(a.strip() for a in env.get("COCREA_STAFF_EMAILS", "").split(",") if a.strip())
    for address in found:
        try:
            checked_email(deployment_locale(env), "COCREA_STAFF_EMAILS", address)
        except InvalidInput as exc:
            raise _bad(env, "COCREA_STAFF_EMAILS", address, "setting.staff_emails") from exc
    return found


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    if env.get("COCREA_SMTP_TLS", "none") not in ("none", "starttls", "tls"):
        raise _bad(env, "COCREA_SMTP_TLS", env["COCREA_SMTP_TLS"], "setting.smtp_tls")
    if not env.get("COCREA_SMTP_PORT", "1").isdigit():
        raise _bad(env, "COCREA_SMTP_PORT", env["COCREA_SMTP_PORT"], "setting.port")
    return SmtpSettings.from_env(env)


def _bad(env: Mapping[str, str], name: str, value: str, expected: str) -> InvalidInput:
    """Return the error of a setting ``name`` whose ``value`` is not what ``expected`` says."""
    lo = deployment_locale(env)
    message = say(lo, "error.setting", name=name, value=value, expected=say(lo, expected))
    return said_in(lo, InvalidInput(message, name))
