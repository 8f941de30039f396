"""What a notice says: a subject and a text per topic, in the plan's language.

The outbox row carries everything a message needs (the plan's title, locale
and time zone, the phase or decision or proposal it is about), so a message
renders the same however late it is sent. The words are the catalogue's
``notice.<topic>.subject`` and ``notice.<topic>.body``; a decision that cannot pass
as things stand says why (``standing``, ``blocked``); dates are written in words
by Babel in the plan's time zone; every message links to the plan
(``COCREA_PUBLIC_URL``, the address where the API is published, plus
``/plans/{plan}``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from definitions.messages import catalogue, known, long_date, long_moment, say, say_from
from notifications.channels import Message
from storage.outbox import Outgoing

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def renderer(env: Mapping[str, str] | None = None) -> Callable[[Outgoing], Message]:
    """Return the render function for this deployment (its public address for links)."""
    env = os.environ if env is None else env
    base = env.get("COCREA_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    return lambda message: render(message, base)


def render(message: Outgoing, base_url: str = DEFAULT_PUBLIC_URL) -> Message:
    """Render an outbox message: subject, text and the JSON payload webhooks carry."""
    data = message.data
    locale = known(data.get("locale"))
    words = _words(message, base_url, locale)
    topic = message.topic if f"notice.{message.topic}.subject" in catalogue(locale) else "other"
    subject = say_from(locale, f"notice.{topic}.subject", words)
    text = say_from(locale, f"notice.{topic}.body", words)
    if "plan_title" in data:
        subject = say(locale, "notice.subject_in_plan", plan_title=data["plan_title"],
                      subject=subject)
        text = say_from(locale, "notice.footer.body", _Words({**words, "body": text}))
    payload = {"plan": message.plan_id, "topic": message.topic, "link": words["link"],
               "data": data}
    return Message(message.message_id, message.recipient, subject, text, payload)


class _Words(dict[str, Any]):
    """The words a template fills in; one a row lacks shows as a dash, never an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def _words(message: Outgoing, base_url: str, locale: str) -> _Words:
    data, zone = message.data, ZoneInfo(str(message.data.get("timezone", "UTC")))
    words = _Words({**data, "topic": message.topic,
                    "link": f"{base_url}/plans/{message.plan_id}",
                    "details": "\n".join(f"{k}: {v}" for k, v in sorted(data.items()))})
    for key in ("starts", "ends", "until", "previous", "due"):
        if key in data:
            words[key] = long_date(dt.date.fromisoformat(data[key]), locale)
    for key, source in (("occurred", "occurred_at"), ("closes", "closes_at")):
        if source in data:
            words[key] = long_moment(dt.datetime.fromisoformat(data[source]), zone, locale)
    if isinstance(data.get("unmet"), list):
        words["unmet"] = "; ".join(data["unmet"])
    if "from" in data:
        words["outcome"] = _outcome(data, locale)
    words["standing"] = (say(locale, "notice.standing", why=data["why"]) if data.get("why")
                         else "")
    words["blocked"] = (say(locale, "notice.blocked", committee=data.get("committee", "—"))
                        if _any_blocked(data.get("decisions")) else "")
    return words


def _any_blocked(decisions: object) -> bool:
    """Whether a decision a phase waits for cannot pass as things stand (it carries why)."""
    return isinstance(decisions, list) and any(isinstance(d, dict) and d.get("why")
                                               for d in decisions)


def _outcome(data: Mapping[str, Any], locale: str) -> str:
    """Say how a proposal's answer came out: the state it left, and the one it merged into."""
    outcome = str(data["from"]).replace("_", " ")
    if not data.get("into"):
        return outcome
    return say(locale, "notice.outcome_into", outcome=outcome, into=data["into"])
