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
from definitions.messages import LOCALES, resolved, say
from definitions.problems import Reporter
from definitions.shape import shape_problems
from definitions.yamlpos import OverLimit, ParsedYaml, SyntaxProblem, format_path, parse_yaml

M = TypeVar("M", bound=BaseModel)

_YAML_WORDS = (
    ("mapping values are not allowed", "mapping_values"),
    ("could not find expected ':'", "expected_colon"),
    ("expected <block end>", "indentation"),
    ("did not find expected key", "expected_key"),
    ("did not find expected '-'", "expected_dash"),
    ("found character '\\t'", "tab"),
    ("found a tab character", "tab"),
    ("found character that cannot start any token", "cannot_start"),
    ("found undefined alias", "undefined_alias"),
    ("but found another document", "another_document"),
    ("found unexpected end of stream", "end_of_stream"),
    ("expected ',' or ']'", "close_bracket"),
    ("expected ',' or '}'", "close_brace"),
    ("did not find expected ',' or ']'", "close_bracket"),
    ("did not find expected ',' or '}'", "close_brace"),
    ("found unknown escape character", "unknown_escape"),
    ("unacceptable character", "unacceptable_character"),
    ("cannot read", "bad_tag_value"),
    ("could not determine a constructor", "unknown_tag"),
)
"""How PyYAML's descriptions of a syntax error begin, and the message (``yaml.<slug>``) that
says each in words; one it does not know is shown as PyYAML wrote it."""


def load_definition(path: Path, locale: str | None = None) -> schema.Definition:
    """Read and validate the definition in the file at ``path``; raise DefinitionError if not."""
    return parse_definition(read_source(path, locale), str(path), locale)


def read_source(path: Path, locale: str | None = None) -> str:
    """Return the text of the file at ``path``; raise DefinitionError if it cannot be read.

    A file longer than :data:`~definitions.limits.MAX_DEFINITION_BYTES` is refused
    unread (beyond its first bytes). The error is in ``locale`` (the deployment's
    when None).
    """
    locale = resolved(locale)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_DEFINITION_BYTES + 1)
        if len(data) > MAX_DEFINITION_BYTES:
            raise DefinitionError(str(path), [limit_problem(OverLimit(
                "too_many_bytes", MAX_DEFINITION_BYTES, None), locale)], locale)
        return data.decode("utf-8-sig")
    except OSError as error:
        reason = unreadable_reason(error, locale)
    except UnicodeDecodeError:
        reason = say(locale, "definition.reason_encoding")
    problem = Problem("", None, say(locale, "definition.file_unreadable", reason=reason))
    raise DefinitionError(str(path), [problem], locale)


def unreadable_reason(error: OSError, locale: str) -> str:
    """Say in ``locale`` why a file could not be read: missing, a folder, not allowed, or else."""
    return {
        FileNotFoundError: say(locale, "definition.reason_missing"),
        IsADirectoryError: say(locale, "definition.reason_folder"),
        PermissionError: say(locale, "definition.reason_permission"),
    }.get(type(error), error.strerror or str(error))


def parse_definition(text: str, source: str = "<yaml>",
                     locale: str | None = None) -> schema.Definition:
    """Validate the definition written in ``text``; raise DefinitionError listing every problem.

    ``source`` names the text in the error (a file name); ``locale`` is the language
    of the problems ("es" or "en"): when None, the one the document declares
    (``locale:``), else the deployment's.
    """
    return parse_document(text, source, locale, schema.Definition, check_definition)


def parse_document(text: str, source: str, locale: str | None, model: type[M],
                   meaning: Callable[[M, Reporter], list[Problem]]) -> M:
    """Validate a YAML document as ``model``: its text, its shape, then (if shaped) ``meaning``.

    Raises DefinitionError listing every problem found, each with its path and line,
    in ``locale`` (when None: the document's own ``locale:``, else the deployment's).
    """
    parsed = parse_yaml(text)
    locale = locale or _declared_locale(parsed) or resolved(None)
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
        raise DefinitionError(source, _first(sorted(problems, key=lambda p: p.line or 0), locale),
                              locale)
    return document


def _declared_locale(parsed: ParsedYaml) -> str | None:
    """Return the language a document declares (``locale: en``), if it is one cocrea speaks."""
    declared = parsed.data.get("locale") if isinstance(parsed.data, dict) else None
    return declared if declared in LOCALES else None


def _first(problems: list[Problem], locale: str) -> list[Problem]:
    """Keep the first :data:`~definitions.limits.MAX_PROBLEMS`, and say how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = say(locale, "definition.more_problems", count=len(problems) - MAX_PROBLEMS,
               limit=MAX_PROBLEMS)
    return [*problems[:MAX_PROBLEMS], Problem("", None, more)]


def text_problems(parsed: ParsedYaml, report: Reporter) -> list[Problem]:
    """Return the problems of the YAML text itself: syntax, an empty document, repeated keys."""
    if parsed.over_limit is not None:
        return [limit_problem(parsed.over_limit, report.locale)]
    if parsed.syntax is not None:
        detail = _yaml_detail(parsed.syntax, report.locale)
        text = say(report.locale, "definition.yaml_syntax", detail=detail)
        return [Problem("", parsed.syntax.line, text)]
    if parsed.data is None:
        return [report.problem((), "yaml_empty")]
    return [
        Problem(format_path(d.path), d.line, say(
            report.locale, "definition.duplicate_key", name=d.path[-1], first_line=d.first_line))
        for d in parsed.duplicates
    ]


def limit_problem(over: OverLimit, locale: str) -> Problem:
    """Return the problem of a document beyond a limit, naming the limit."""
    text = say(locale, f"definition.{over.key}", limit=over.limit, mib=over.limit // 2**20)
    return Problem("", over.line, text)


def _yaml_detail(syntax: SyntaxProblem, locale: str) -> str:
    described = syntax.description
    slug = next((slug for start, slug in _YAML_WORDS if described.startswith(start)), None)
    return described if slug is None else say(locale, f"yaml.{slug}", **syntax.values)
