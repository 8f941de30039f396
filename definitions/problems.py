"""The words for what can be wrong in a definition, in Spanish (default) and English.

Every problem a definition can have is a key of one catalog with its message in
each language; :func:`message` fills one in. A :class:`Reporter` turns a key,
its parameters and a YAML path into a :class:`~workflow.domain.errors.Problem` that
carries the path's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from definitions.errors import Problem
from definitions.yamlpos import LineMap, YamlPath, format_path

LOCALES = ("es", "en")

_CATALOG: dict[str, tuple[str, str]] = {
    # reading the text
    "file_unreadable": ("no se pudo leer el archivo: {reason}", "cannot read the file: {reason}"),
    "reason_missing": ("no existe", "it does not exist"),
    "reason_folder": ("es una carpeta", "it is a folder"),
    "reason_permission": ("no hay permiso para leerlo", "permission denied"),
    "reason_encoding": ("no está codificado en UTF-8", "it is not encoded in UTF-8"),
    "unknown_definition": ("no existe la definición '{name}'; definiciones incluidas: {known}",
                           "there is no definition '{name}'; shipped definitions: {known}"),
    "yaml_syntax": ("el texto no es YAML válido: {detail}", "the text is not valid YAML: {detail}"),
    "yaml_empty": ("el documento está vacío", "the document is empty"),
    "duplicate_key": ("la clave '{name}' está repetida (ya aparece en la línea {first_line})",
                      "the key '{name}' is repeated (it already appears on line {first_line})"),
    # the limits of a document (definitions.limits)
    "too_many_bytes": ("el documento supera el límite de {mib} MiB ({limit} bytes)",
                       "the document is over the limit of {mib} MiB ({limit} bytes)"),
    "too_deep": ("el documento anida más niveles que el límite de {limit}",
                 "the document nests deeper than the limit of {limit} levels"),
    "too_long_key": ("hay una clave más larga que el límite de {limit} caracteres",
                     "a key is longer than the limit of {limit} characters"),
    "too_many_aliases": ("el documento usa más alias (*) que el límite de {limit}",
                         "the document uses more aliases (*) than the limit of {limit}"),
    "too_many_expanded": ("los alias (*) del documento equivalen a más nodos que el límite de "
                          "{limit}",
                          "the document's aliases (*) stand for more nodes than the limit of "
                          "{limit}"),
    "more_problems": ("y {count} problemas más (se muestran los {limit} primeros)",
                      "and {count} more problems (the first {limit} are shown)"),
    # the shape of each field (pydantic)
    "missing": ("falta el campo obligatorio '{field}'", "the required field '{field}' is missing"),
    "extra_forbidden": ("campo desconocido '{field}'{hint}", "unknown field '{field}'{hint}"),
    "valid_fields": ("campos válidos: {names}", "valid fields: {names}"),
    "literal_error": ("valor no válido {input} en '{field}'; valores válidos: {expected}",
                      "invalid value {input} for '{field}'; valid values: {expected}"),
    "date": ("'{field}' debe ser una fecha AAAA-MM-DD que exista (se recibió {input})",
             "'{field}' must be an existing date, YYYY-MM-DD (got {input})"),
    "int": ("'{field}' debe ser un número entero (se recibió {input})",
            "'{field}' must be a whole number (got {input})"),
    "bool": ("'{field}' debe ser true o false (se recibió {input})",
             "'{field}' must be true or false (got {input})"),
    "string": ("'{field}' debe ser un texto (se recibió {input})",
               "'{field}' must be text (got {input})"),
    "greater_than_equal": ("'{field}' debe ser al menos {ge} (se recibió {input})",
                           "'{field}' must be at least {ge} (got {input})"),
    "ident": ("{input} no es un id válido en '{field}': use minúsculas sin tildes, dígitos "
              "y '_', empezando por una letra",
              "{input} is not a valid id in '{field}': use lowercase letters, digits and '_', "
              "starting with a letter"),
    "definition_id": ("{input} no es un id de definición válido: use minúsculas, dígitos y '-'",
                      "{input} is not a valid definition id: use lowercase letters, digits, '-'"),
    "string_too_short": ("'{field}' no puede estar vacío", "'{field}' must not be empty"),
    "string_too_long": ("'{field}' es demasiado largo (máximo {max_length} caracteres)",
                        "'{field}' is too long (at most {max_length} characters)"),
    "too_short": ("la lista '{field}' no puede estar vacía", "the list '{field}' is empty"),
    "list": ("'{field}' debe ser una lista", "'{field}' must be a list"),
    "mapping": ("'{field}' debe ser un mapeo de campos (clave: valor)",
                "'{field}' must be a mapping of fields (key: value)"),
    "document_mapping": ("el documento debe ser un mapeo de campos (clave: valor)",
                         "the document must be a mapping of fields (key: value)"),
    "invalid_key": ("la clave {input} no es un texto (YAML lee on, off, yes y no como true o"
                    " false: ponga la clave entre comillas)",
                    "the key {input} is not text (YAML reads on, off, yes and no as true or"
                    " false: quote the key)"),
    "recursion_loop": ("'{field}' se contiene a sí mismo", "'{field}' contains itself"),
    "union_tag_invalid": ("tipo de condición desconocido {input}; tipos válidos: {expected}",
                          "unknown condition kind {input}; valid kinds: {expected}"),
    "step_tag_invalid": ("acción desconocida {input} en 'do'; acciones válidas: {expected}",
                         "unknown action {input} in 'do'; valid actions: {expected}"),
    "step_tag_not_found": ("al paso le falta 'do'; acciones válidas: {expected}",
                           "the step has no 'do'; valid actions: {expected}"),
    "union_tag_not_found": ("a la condición le falta 'kind'; tipos válidos: {expected}",
                            "the condition has no 'kind'; valid kinds: {expected}"),
    "invalid_value": ("el valor de '{field}' no es válido ({detail})",
                      "the value of '{field}' is invalid ({detail})"),
    # the meaning of the whole (checks)
    "at_line": ("la línea {line}", "line {line}"),
    "did_you_mean": ("¿quiso decir '{name}'?", "did you mean '{name}'?"),
    "defined": ("ids definidos: {names}", "defined ids: {names}"),
    "duplicate_id": ("id duplicado '{id}' (ya definido en {first})",
                     "duplicate id '{id}' (already defined on {first})"),
    "duplicate_number": ("número de fase duplicado {id} (ya usado en {first})",
                         "duplicate phase number {id} (already used on {first})"),
    "duplicate_state": ("estado duplicado '{id}' (ya declarado en {first})",
                        "duplicate state '{id}' (already declared on {first})"),
    "duplicate_trigger": ("disparador duplicado '{id}' (ya definido en {first})",
                          "duplicate trigger '{id}' (already defined on {first})"),
    # dates out of the days cocrea can plan (definitions and scenarios)
    "day_out_of_range": ("'{field}' ({day}) está fuera de las fechas que se admiten: de {first} a"
                         " {last}",
                         "'{field}' ({day}) is outside the dates accepted: from {first} to"
                         " {last}"),
    "closes_before_opens": ("la fase '{phase}' cierra ({ends}) antes de abrir ({starts})",
                            "the phase '{phase}' closes ({ends}) before it opens ({starts})"),
    "reminder_before_open": ("el recordatorio de {days} días antes del cierre de la fase "
                             "'{phase}' caería antes de que abra (dura {length} días)",
                             "the reminder {days} days before the phase '{phase}' closes would "
                             "fall before it opens (it lasts {length} days)"),
    "duplicate_reminder": ("recordatorio repetido: {days} días antes del cierre",
                           "repeated reminder: {days} days before the close"),
    "unknown_actor": ("actor desconocido '{id}' (declárelo en 'actors'){hint}",
                      "unknown actor '{id}' (declare it under 'actors'){hint}"),
    "unknown_member": ("'{id}' no se ha incorporado al comité en un paso anterior{hint}",
                       "'{id}' was not added to the committee in an earlier step{hint}"),
    "unknown_ref": ("ninguna propuesta anterior tiene la referencia '{id}'{hint}",
                    "no earlier proposal has the ref '{id}'{hint}"),
    "duplicate_ref": ("la referencia '{id}' ya se usó en otra propuesta",
                      "the ref '{id}' is already used by another proposal"),
    "step_before_previous": ("el paso ({at}) es anterior al paso previo ({previous}); los pasos"
                             " van en orden de tiempo",
                             "the step ({at}) comes before the previous one ({previous}); steps"
                             " go in time order"),
    "step_failed": ("el paso no se pudo dar: {error}", "the step could not be taken: {error}"),
    "unknown_phase": ("referencia a una fase desconocida '{id}'{hint}",
                      "reference to an unknown phase '{id}'{hint}"),
    "unknown_decision": ("referencia a una decisión desconocida '{id}'{hint}",
                         "reference to an unknown decision '{id}'{hint}"),
    "unknown_activity": ("referencia a una actividad desconocida '{id}'{hint}",
                         "reference to an unknown activity '{id}'{hint}"),
    "unknown_group": ("referencia a un grupo desconocido '{id}'{hint}",
                      "reference to an unknown group '{id}'{hint}"),
    "unknown_state": ("referencia a un estado desconocido '{id}'{hint}",
                      "reference to an unknown state '{id}'{hint}"),
    "field_not_declared": ("el campo '{field}' no está declarado en 'fields' del disparador "
                           "'{trigger}'",
                           "the field '{field}' is not declared in the 'fields' of the trigger "
                           "'{trigger}'"),
    "guard_only_in_transitions": (
        "la condición '{kind}' solo se puede usar en el 'when' de un disparador de propuestas",
        "the condition '{kind}' can only be used in the 'when' of a proposal trigger"),
    "activities_done_needs_list": (
        "'activities_done' sin lista de actividades solo vale en una fase; indique 'activities'",
        "'activities_done' without a list of activities only works in a phase; give 'activities'"),
    "bad_timezone": ("zona horaria desconocida '{timezone}'; use un nombre IANA como "
                     "'America/Guayaquil'",
                     "unknown time zone '{timezone}'; use an IANA name such as "
                     "'America/Guayaquil'"),
    "phase_cycle": ("ciclo entre condiciones de fases: {cycle}",
                    "cycle between phase conditions: {cycle}"),
    "unreachable_state": ("el estado '{state}' no se puede alcanzar desde '{initial}'",
                          "the state '{state}' cannot be reached from '{initial}'"),
    "dead_end": ("el disparador '{trigger}' lleva al estado '{state}', del que no sale ningún "
                 "disparador y que no es final",
                 "the trigger '{trigger}' leads to the state '{state}', which no trigger leaves "
                 "and which is not final"),
    "quorum_count_missing": ("el quórum 'at_least' necesita 'count' (cuántos votos a favor)",
                             "the quorum 'at_least' needs a 'count' (how many approving votes)"),
    "quorum_count_unused": ("'count' solo se usa con la regla 'at_least', no con '{rule}'",
                            "'count' is only used with the rule 'at_least', not with '{rule}'"),
    "quorum_unreachable": ("el quórum 'at_least' {count} nunca se puede alcanzar: {who} como "
                           "máximo {seats} miembros",
                           "the quorum 'at_least' {count} can never be met: {who} at most "
                           "{seats} members"),
    "who_committee": ("el comité tiene", "the committee has"),
    "who_voters": ("los grupos que votan tienen", "the voting groups have"),
    "min_members_unreachable": ("'min_members' {count} nunca se puede alcanzar: el comité tiene "
                                "como máximo {seats} miembros",
                                "'min_members' {count} can never be met: the committee has at "
                                "most {seats} members"),
    "notice_narrowing_unused": (
        "'{key}' solo sirve con momentos {moments}; esta regla no tiene ninguno en 'events'",
        "'{key}' only applies to the moments {moments}; this rule has none of them in 'events'"),
    "notice_audience_moment": (
        "'{audience}' solo existe en los momentos {moments}; sepárelo en una regla propia",
        "'{audience}' only exists at the moments {moments}; give it a rule of its own"),
    "notice_audience_channel": (
        "'{audience}' no se puede avisar por '{by}': el público se avisa por webhook y las "
        "personas por email (o 'log')",
        "'{audience}' cannot be told by '{by}': the public is told by webhook and people by "
        "email (or 'log')"),
    "per_group_unreachable": ("'per_group' {count} nunca se puede alcanzar: el grupo '{group}' "
                              "tiene {seats} puestos",
                              "'per_group' {count} can never be met: the group '{group}' has "
                              "{seats} seats"),
}


def message(key: str, locale: str = "es", /, **params: object) -> str:
    """Return the message ``key`` in ``locale`` (Spanish when unknown), filled with ``params``."""
    spanish, english = _CATALOG[key]
    return (english if locale == "en" else spanish).format(**params)


def show(value: object) -> str:
    """Quote a value from the YAML for a message: texts in quotes, dates as YYYY-MM-DD."""
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif value is None:
        text = "null"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


CLOSE_MATCH_BUDGET = 20_000
"""How many known names one document's hints may compare with (up to ~10 µs a name).

Past it, a hint lists the known names without a guess: a document with thousands
of unknown references among thousands of ids stays quick to check.
"""


@dataclass
class _Budget:
    left: int = CLOSE_MATCH_BUDGET

    def spend(self, cost: int) -> bool:
        """Spend ``cost`` if there is that much left; say whether it was spent."""
        if cost > self.left:
            return False
        self.left -= cost
        return True


@dataclass(frozen=True)
class Reporter:
    """Makes problems in one locale, with the line of each path from one document."""

    lines: LineMap
    locale: str = "es"
    guesses: _Budget = field(default_factory=_Budget, compare=False, repr=False)

    def problem(self, path: YamlPath, key: str, /, **params: object) -> Problem:
        """Return the problem ``key`` at ``path``, with the path's line."""
        text = message(key, self.locale, **params)
        return Problem(format_path(path), self.lines.line_of(path), text)

    def place(self, path: YamlPath) -> str:
        """Say where ``path`` stands: "la línea 12", or the path when its line is unknown."""
        line = self.lines.line_of(path)
        return format_path(path) if line is None else message("at_line", self.locale, line=line)

    def hint(self, name: str, known: Iterable[str], label: str = "defined") -> str:
        """Return "; ¿quiso decir 'x'?" for a close name, else the known names (up to 10).

        Guesses stop when the document's budget of comparisons is spent.
        """
        names = known if isinstance(known, Collection) else list(known)
        close = (difflib.get_close_matches(name, names, n=1)
                 if self.guesses.spend(len(names)) else [])
        if close:
            return "; " + message("did_you_mean", self.locale, name=close[0])
        first = _first_distinct(names, 11)
        if not first:
            return ""
        listed = ", ".join(first[:10]) + (", ..." if len(first) > 10 else "")
        return "; " + message(label, self.locale, names=listed)


def _first_distinct(names: Iterable[str], count: int) -> list[str]:
    """Return the first ``count`` different names, in order."""
    first: dict[str, None] = {}
    for name in names:
        if len(first) == count:
            break
        first[name] = None
    return list(first)
