"""What happens to each bulk-built proposal: the triggers fired on it, by pattern.

Proposal ``n`` of a plan follows entry ``(n - 1) % 20`` of its plan's pattern.
The hot plan keeps receiving (recepción open), so its proposals stop before
``responder``; the answering plan fires ``pre`` while reception is open and
``post`` once retroalimentación and consolidación are open.
"""

from __future__ import annotations

from collections.abc import Mapping

Triggers = tuple[str, ...]
TRIAGE = ("admitir", "analizar")
DISCARD = (*TRIAGE, "descartar")

HOT: tuple[Triggers, ...] = (
    *[()] * 4,                                   # recibida: admitir / no_admitir pool
    *[("admitir",)] * 2,                         # admitida: analizar pool
    *[TRIAGE] * 2,                               # en_analisis: descartar pool
    *[("no_admitir",)] * 2,
    *[DISCARD] * 8,
    *[(*TRIAGE, "fusionar")] * 2,
)

ANSWER: tuple[tuple[Triggers, Triggers], ...] = (
    (DISCARD, ()),                               # waiting for responder
    (("no_admitir",), ()),                       # waiting for responder
    (TRIAGE, ("incorporar",)),                   # waiting for responder
    ((*TRIAGE, "fusionar"), ("responder",)),
    *[(DISCARD, ("responder",))] * 12,
    *[(TRIAGE, ("incorporar", "responder"))] * 2,
    *[(("no_admitir",), ("responder",))] * 2,
)

WAITING = ("descartada", "no_admitida", "incorporada", "fusionada")
"""States from which ``responder`` can be fired."""

RESPONSE = ("Gracias por su aporte: la propuesta se revisó con la mesa de trabajo y el "
            "equipo técnico, y esta es la respuesta razonada del municipio.")
REJECTION = "La propuesta no cumple los requisitos publicados en la convocatoria."


def fields_for(trigger: str, merge_into: str | None = None) -> Mapping[str, str | None]:
    """Return the fields a trigger needs (a reasoned response, a merge target)."""
    if trigger == "responder":
        return {"response": RESPONSE}
    if trigger == "no_admitir":
        return {"response": REJECTION}
    if trigger == "fusionar":
        return {"into": merge_into}
    return {}


def hot_events(count: int) -> int:
    """Return how many events ``count`` hot-plan proposals make."""
    return sum(1 + len(HOT[i % len(HOT)]) for i in range(count))


def answer_events(count: int) -> int:
    """Return how many events ``count`` answering-plan proposals make."""
    return sum(1 + len(pre) + len(post)
               for pre, post in (ANSWER[i % len(ANSWER)] for i in range(count)))


def answer_count_for(total_events: int, hot_count: int) -> int:
    """Return how many answering-plan proposals bring the log to about ``total_events``."""
    missing = max(0, total_events - hot_events(hot_count))
    per = answer_events(len(ANSWER)) / len(ANSWER)
    return round(missing / per)


TITLES = ("Portal de datos abiertos del presupuesto participativo",
          "Rendición de cuentas de obras públicas por parroquia",
          "Registro público de beneficiarios de programas sociales",
          "Mesas barriales de seguimiento a la contratación pública")
BODY = ("Proponemos que el municipio publique la información en formatos abiertos, con "
        "actualización mensual y un canal para preguntas de la ciudadanía, y que los "
        "resultados se presenten en las asambleas parroquiales. ")


def submission(n: int) -> tuple[str, str, str, int | None]:
    """Return (title, body, channel, mesa) of the ``n``-th submission of a run."""
    title = f"{TITLES[n % len(TITLES)]} ({n})"
    channel, mesa = ("online", None) if n % 3 == 0 else ("mesa", n % 3)
    return title, BODY * (1 + n % 2), channel, mesa
