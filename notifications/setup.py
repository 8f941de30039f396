"""The channels this process can use, from its environment."""

from __future__ import annotations

import os
from collections.abc import Mapping

from notifications.channels import Channel, EmailChannel, LogChannel, SmtpSettings, WebhookChannel


def channels_from_env(env: Mapping[str, str] | None = None) -> dict[str, Channel]:
    """Return log always, email with ``COCREA_SMTP_HOST``, webhooks with a signing secret."""
    env = os.environ if env is None else env
    found: dict[str, Channel] = {"log": LogChannel()}
    smtp = SmtpSettings.from_env(env)
    if smtp is not None:
        found["email"] = EmailChannel(smtp)
    if env.get("COCREA_WEBHOOK_SECRET"):
        found["webhook"] = WebhookChannel(env["COCREA_WEBHOOK_SECRET"])
    return found
