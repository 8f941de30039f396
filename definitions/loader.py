"""Load a process definition: YAML text in, a valid :class:`Definition` or every problem out.

Three passes, each reporting all it finds with the YAML path and line: the YAML
text itself (syntax, repeated keys), the shape of each field (the pydantic
schema), and, when the shape is right, the meaning of the whole
(:mod:`definitions.checks`). Any problem raises one
:class:`~workflow.domain.errors.DefinitionError` listing them all, sorted by line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from definitions import schema
from definitions.checks import check_definition
from definitions.errors import DefinitionError, Problem
from definitions.limits import MAX_DEFINITION_BYTES, MAX_PROBLEMS
from definitions.problems import Reporter, message
from definitions.shape import shape_problems
from definitions.yamlpos import OverLimit, ParsedYaml, format_path, parse_yaml

M = TypeVar("M", bound=BaseModel)

_YAML_ES = {
    "mapping values are not allowed": "aquí no cabe 'clave: valor' (revise la sangría, "
    "las comillas o el espacio tras ':')",
    "could not find expected ':'": "falta ':' después de una clave",
    "expected <block end>": "la sangría no es coherente",
    "did not find expected key": "la sangría no es coherente o falta un '-'",
    "did not find expected '-'": "falta un '-' en la lista",
    "found character '\\t'": "hay un tabulador; use espacios para la sangría",
    "found a tab character": "hay un tabulador; use espacios para la sangría",
    "found character that cannot start any token": "hay un carácter con el que no puede "
    "empezar ningún valor (¿falta poner el texto entre comillas?)",
    "found undefined alias": "se usa un alias (*) que no está definido",
    "but found another document": "hay más de un documento; la definición debe ser uno solo",
    "found unexpected end of stream": "el texto se acaba antes de tiempo (¿falta una comilla?)",
    "expected ',' or ']'": "falta cerrar ']' o separar con ','",
    "expected ',' or '}'": "falta cerrar '}' o separar con ','",
    "did not find expected ',' or ']'": "falta cerrar ']' o separar con ','",
    "did not find expected ',' or '}'": "falta cerrar '}' o separar con ','",
    "found unknown escape character": "hay un escape con '\\' desconocido entre comillas",
    "unacceptable character": "hay un carácter especial no permitido",
    "cannot read": "un valor no se puede leer con la etiqueta (!!) que lleva",
    "could not determine a constructor": "etiqueta (!) desconocida",
}


def load_definition(path: Path, locale: str = "es") -> schema.Definition:
    """Read and validate the definition in the file at ``path``; raise DefinitionError if not."""
    return parse_definition(read_source(path, locale), str(path), locale)


def read_source(path: Path, locale: str = "es") -> str:
    """Return the text of the file at ``path``; raise DefinitionError if it cannot be read.

    A file longer than :data:`~definitions.limits.MAX_DEFINITION_BYTES` is refused
    unread (beyond its first bytes).
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_DEFINITION_BYTES + 1)
        if len(data) > MAX_DEFINITION_BYTES:
            raise DefinitionError(str(path), [limit_problem(OverLimit(
                "too_many_bytes", MAX_DEFINITION_BYTES, None), locale)])
        return data.decode("utf-8-sig")
    except OSError as error:
        reason = {
            FileNotFoundError: message("reason_missing", locale),
            IsADirectoryError: message("reason_folder", locale),
            PermissionError: message("reason_permission", locale),
        }.get(type(error), error.strerror or str(error))
    except UnicodeDecodeError:
        reason = message("reason_encoding", locale)
    problem = Problem("", None, message("file_unreadable", locale, reason=reason))
    raise DefinitionError(str(path), [problem])


def parse_definition(text: str, source: str = "<texto>", locale: str = "es") -> schema.Definition:
    """Validate the definition written in ``text``; raise DefinitionError listing every problem.

    ``source`` names the text in the error (a file name); ``locale`` is the language
    of the problems ("es" or "en").
    """
    return parse_document(text, source, locale, schema.Definition, check_definition)


def parse_document(text: str, source: str, locale: str, model: type[M],
                   meaning: Callable[[M, Reporter], list[Problem]]) -> M:
    """Validate a YAML document as ``model``: its text, its shape, then (if shaped) ``meaning``.

    Raises DefinitionError listing every problem found, each with its path and line.
    """
    parsed = parse_yaml(text)
    report = Reporter(parsed.lines, locale)
    problems = text_problems(parsed, report)
    document = None
    if parsed.syntax is None and parsed.data is not None:
        try:
            document = model.model_validate(parsed.data)
        except ValidationError as error:
            problems += shape_problems(error, parsed.data, report, model)
        else:
            problems += meaning(document, report)
    if problems or document is None:
        raise DefinitionError(source, _first(sorted(problems, key=lambda p: p.line or 0), locale))
    return document


def _first(problems: list[Problem], locale: str) -> list[Problem]:
    """Keep the first :data:`~definitions.limits.MAX_PROBLEMS`, and say how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = message("more_problems", locale, count=len(problems) - MAX_PROBLEMS, limit=MAX_PROBLEMS)
    return [*problems[:MAX_PROBLEMS], Problem("", None, more)]


def text_problems(parsed: ParsedYaml, report: Reporter) -> list[Problem]:
    """Return the problems of the YAML text itself: syntax, an empty document, repeated keys."""
    if parsed.over_limit is not None:
        return [limit_problem(parsed.over_limit, report.locale)]
    if parsed.syntax is not None:
        detail = _yaml_detail(parsed.syntax.description, report.locale)
        text = message("yaml_syntax", report.locale, detail=detail)
        return [Problem("", parsed.syntax.line, text)]
    if parsed.data is None:
        return [report.problem((), "yaml_empty")]
    return [
        Problem(format_path(d.path), d.line, message(
            "duplicate_key", report.locale, name=d.path[-1], first_line=d.first_line))
        for d in parsed.duplicates
    ]


def limit_problem(over: OverLimit, locale: str) -> Problem:
    """Return the problem of a document beyond a limit, naming the limit."""
    text = message(over.key, locale, limit=over.limit, mib=over.limit // 2**20)
    return Problem("", over.line, text)


def _yaml_detail(description: str, locale: str) -> str:
    if locale == "en":
        return description
    return next((es for en, es in _YAML_ES.items() if description.startswith(en)), description)
