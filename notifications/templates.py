"""What a notice says: a subject and a text per topic, in the plan's language.

The outbox row carries everything a message needs (the plan's title, locale
and time zone, the phase or decision or proposal it is about), so a message
renders the same however late it is sent. Dates are written in words in the
plan's time zone; every message links to the plan (``COCREA_PUBLIC_URL``, the
address where the API is published, plus ``/plans/{plan}``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from notifications.channels import Message
from storage.outbox import Outgoing

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"

MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "es": {
        "phase_opened": (
            "Se abrió la fase {phase_number}: {phase_title}",
            "La fase {phase_number} «{phase_title}» está abierta desde el {occurred}.\n"
            "Termina el {ends}."),
        "phase_closing_soon": (
            "La fase {phase_number} «{phase_title}» cierra en {days} días",
            "La fase {phase_number} «{phase_title}» cierra el {closes}.\n"
            "Si falta algo para cerrarla, este es el momento."),
        "phase_closed": (
            "Se cerró la fase {phase_number}: {phase_title}",
            "La fase {phase_number} «{phase_title}» se cerró el {occurred}.\n"
            "Motivo: {reason}"),
        "phase_overdue": (
            "La fase {phase_number} «{phase_title}» está vencida",
            "La fase {phase_number} «{phase_title}» debía cerrar el {ends}, pero aún no se "
            "puede cerrar.\nFalta: {unmet}"),
        "phase_waiting": (
            "La fase {phase_number} «{phase_title}» espera para abrir",
            "La fase {phase_number} «{phase_title}» debía abrir el {starts}, pero aún no se "
            "puede abrir.\nFalta: {unmet}"),
        "phase_extended": (
            "Prórroga de la fase {phase_number} «{phase_title}» hasta el {until}",
            "La fase {phase_number} «{phase_title}» se extendió: terminaba el {previous} y "
            "ahora termina el {until}.\nMotivo: {reason}"),
        "decision_waiting": (
            "Falta su voto: {decision_title}",
            "El Comité Impulsor debe decidir «{decision_title}», que la fase {phase_number} "
            "«{phase_title}» necesita.\nVotos hasta ahora: {approvals} a favor y {rejections} "
            "en contra, de {voters} con voto; se necesitan {needed} a favor.\n"
            "Usted aún no ha votado."),
        "decision_approved": (
            "Aprobado: {decision_title}",
            "El Comité Impulsor aprobó «{decision_title}» el {occurred}, con {approvals} votos "
            "a favor de {voters} (se necesitaban {needed})."),
        "proposal_answered": (
            "Respuesta a su propuesta «{title}»",
            "Su propuesta n.º {number} «{title}» recibió una respuesta razonada el "
            "{occurred}.\nResultado: {outcome}\n\nRespuesta:\n{response}\n\n"
            "Recibe este correo porque, al enviar su propuesta, pidió que le avisáramos de la "
            "respuesta."),
        "other": ("Aviso: {topic}", "{details}"),
        "footer": ("", "\n\nPlan: {plan_title}\nVer el plan: {link}\n\n"
                       "-- \nAviso automático de cocrea. Fechas y horas de {timezone}."),
    },
    "en": {
        "phase_opened": (
            "Phase {phase_number} opened: {phase_title}",
            "Phase {phase_number} “{phase_title}” has been open since {occurred}.\n"
            "It ends on {ends}."),
        "phase_closing_soon": (
            "Phase {phase_number} “{phase_title}” closes in {days} days",
            "Phase {phase_number} “{phase_title}” closes on {closes}.\n"
            "If anything is missing to close it, now is the time."),
        "phase_closed": (
            "Phase {phase_number} closed: {phase_title}",
            "Phase {phase_number} “{phase_title}” closed on {occurred}.\nReason: {reason}"),
        "phase_overdue": (
            "Phase {phase_number} “{phase_title}” is overdue",
            "Phase {phase_number} “{phase_title}” was due to close on {ends} but cannot "
            "close yet.\nMissing: {unmet}"),
        "phase_waiting": (
            "Phase {phase_number} “{phase_title}” is waiting to open",
            "Phase {phase_number} “{phase_title}” was due to open on {starts} but cannot "
            "open yet.\nMissing: {unmet}"),
        "phase_extended": (
            "Phase {phase_number} “{phase_title}” extended to {until}",
            "Phase {phase_number} “{phase_title}” was extended: it ended on {previous} and "
            "now ends on {until}.\nReason: {reason}"),
        "decision_waiting": (
            "Your vote is missing: {decision_title}",
            "The committee must decide “{decision_title}”, which phase {phase_number} "
            "“{phase_title}” needs.\nVotes so far: {approvals} for and {rejections} against, "
            "of {voters} entitled; {needed} approvals are needed.\nYou have not voted yet."),
        "decision_approved": (
            "Approved: {decision_title}",
            "The committee approved “{decision_title}” on {occurred}, with {approvals} "
            "approvals of {voters} ({needed} were needed)."),
        "proposal_answered": (
            "An answer to your proposal “{title}”",
            "Your proposal no. {number} “{title}” received a reasoned answer on {occurred}.\n"
            "Outcome: {outcome}\n\nAnswer:\n{response}\n\n"
            "You receive this email because you asked to be told of the answer when you "
            "sent your proposal."),
        "other": ("Notice: {topic}", "{details}"),
        "footer": ("", "\n\nPlan: {plan_title}\nSee the plan: {link}\n\n"
                       "-- \nAn automatic notice from cocrea. Dates and times in {timezone}."),
    },
}


def renderer(env: Mapping[str, str] | None = None) -> Callable[[Outgoing], Message]:
    """Return the render function for this deployment (its public address for links)."""
    env = os.environ if env is None else env
    base = env.get("COCREA_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    return lambda message: render(message, base)


def render(message: Outgoing, base_url: str = DEFAULT_PUBLIC_URL) -> Message:
    """Render an outbox message: subject, text and the JSON payload webhooks carry."""
    data = message.data
    locale = data.get("locale") if data.get("locale") in TEMPLATES else "es"
    words = _words(message, base_url, str(locale))
    templates = TEMPLATES[str(locale)]
    subject, body = templates.get(message.topic, templates["other"])
    prefix = f"[{data['plan_title']}] " if "plan_title" in data else ""
    text = body.format_map(words) + (templates["footer"][1].format_map(words)
                                     if "plan_title" in data else "")
    payload = {"plan": message.plan_id, "topic": message.topic, "link": words["link"],
               "data": data}
    return Message(message.message_id, message.recipient, prefix + subject.format_map(words),
                   text, payload)


class _Words(dict[str, Any]):
    """The words a template fills in; one a row lacks shows as a dash, never an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def _words(message: Outgoing, base_url: str, locale: str) -> _Words:
    data, zone = message.data, ZoneInfo(str(message.data.get("timezone", "UTC")))
    words = _Words({**data, "topic": message.topic,
                             "link": f"{base_url}/plans/{message.plan_id}",
                    "details": "\n".join(f"{k}: {v}" for k, v in sorted(data.items()))})
    for key in ("starts", "ends", "until", "previous"):
        if key in data:
            words[key] = long_date(dt.date.fromisoformat(data[key]), locale)
    for key, source in (("occurred", "occurred_at"), ("closes", "closes_at")):
        if source in data:
            words[key] = long_moment(dt.datetime.fromisoformat(data[source]), zone, locale)
    if isinstance(data.get("unmet"), list):
        words["unmet"] = "; ".join(data["unmet"])
    if "from" in data:
        words["outcome"] = str(data["from"]).replace("_", " ")
        if data.get("into"):
            words["outcome"] += f" ({data['into']})"
    return words


def long_date(day: dt.date, locale: str) -> str:
    """Write a date in words: ``18 de julio de 2022`` (``July 18, 2022``)."""
    month = MONTHS[locale][day.month - 1]
    return f"{day.day} de {month} de {day.year}" if locale == "es" else \
        f"{month} {day.day}, {day.year}"


def long_moment(moment: dt.datetime, zone: ZoneInfo, locale: str) -> str:
    """Write a moment in the plan's zone: ``18 de julio de 2022 a las 10:30``."""
    local = moment.astimezone(zone)
    joiner = " a las " if locale == "es" else " at "
    return long_date(local.date(), locale) + joiner + local.strftime("%H:%M")
