"""The CLI's command help in Spanish (the docstrings stay in English, for developers)."""

from __future__ import annotations

import typer

HELP: dict[str, str] = {
    "simulate": "Recorre un proceso completo con un reloj virtual: cronología, resumen y"
                " verificación.",
    "serve": "Sirve la API HTTP, el planificador de plazos (uno activo, con arriendo) y la"
             " entrega de avisos.",
    "check": "Valida una definición de proceso y muestra su resumen.",
    "vote": "Registra el voto de un miembro en una decisión del comité.",
    "events": "Exporta los eventos de un plan (y de sus propuestas) en orden del registro.",
    "replay": "Muestra un plan tal como estaba en un momento, reconstruido de sus eventos.",
    "verify": "Verifica todo el registro: cadena, reproducción legal, proyecciones, plazos"
              " (y un resumen guardado).",
    "digest": "Muestra la cabeza del registro (posición y hash) para guardarla fuera.",
    "plan create": "Crea un plan a partir de una definición (movido a --shift-to si se pide).",
    "plan show": "Muestra un plan: fases con fechas y estado, decisiones y votos, conteos.",
    "plan list": "Lista los planes.",
    "phase open": "Abre una fase (deben cumplirse sus condiciones de apertura).",
    "phase close": "Cierra una fase (deben cumplirse sus condiciones de cierre).",
    "phase extend": "Prorroga una fase hasta un nuevo último día, con el motivo.",
    "committee add-member": "Incorpora un miembro al comité, en uno de sus grupos.",
    "activity done": "Marca una actividad como cumplida, con su evidencia.",
    "proposal submit": "Recibe una propuesta ciudadana por un canal (y mesa de trabajo).",
    "proposal fire": "Dispara un disparador declarado en una propuesta (respuesta razonada,"
                     " propuesta destino).",
    "proposal list": "Lista las propuestas de un plan, opcionalmente en un estado.",
    "scheduler run": "Dispara los plazos vencidos y luego cada plazo en su momento.",
    "scheduler list": "Lista los plazos de un plan: hora local, estado y resultado.",
    "token create": "Crea un token (se muestra una sola vez; solo se guarda su hash).",
    "token revoke": "Revoca un token: deja de funcionar al instante.",
    "notify run": "Entrega una vez lo que está pendiente en la bandeja de salida.",
    "notify list": "Lista los mensajes de la bandeja de salida (--dead: los aparcados).",
    "notify retry": "Vuelve a enviar los mensajes aparcados (todos o los indicados).",
    "contact forget": "Borra el correo de un miembro o proponente y anula lo que no se envió.",
    "db upgrade": "Actualiza el esquema de la base de datos (las lecturas nunca lo hacen).",
    "token list": "Lista los tokens: id, nombre, rol, miembro, fechas (nunca el secreto).",
}


def in_spanish(app: typer.Typer, prefix: str = "") -> list[str]:
    """Give every command of ``app`` its Spanish help; return the commands that have none."""
    missing = []
    for command in app.registered_commands:
        callback = command.callback
        name = prefix + (command.name or (callback.__name__ if callback else "")
                         ).replace("_", "-")
        if name in HELP:
            command.help = HELP[name]
        else:
            missing.append(name)
    for group in app.registered_groups:
        if group.typer_instance is not None and group.name is not None:
            missing += in_spanish(group.typer_instance, f"{prefix}{group.name} ")
    return missing
