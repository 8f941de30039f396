"""The shape of a definition: pydantic's validation errors, told with YAML path and line.

pydantic locates an error by ``loc``, the keys and indices that lead to it,
plus the tag of a tagged union (the condition's ``kind``), which the YAML does
not have. :func:`shape_problems` drops those tags, finds the line of what is
left, and says each error in plain words, naming the field.
"""

from __future__ import annotations

import inspect
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from definitions import schema
from definitions.errors import Problem
from definitions.problems import Reporter, show
from definitions.yamlpos import YamlPath, format_path

_KEYS = {
    "int_parsing": "int", "int_type": "int", "int_from_float": "int",
    "bool_parsing": "bool", "bool_type": "bool", "string_type": "string",
    "tuple_type": "list", "list_type": "list",
    "model_type": "mapping", "model_attributes_type": "mapping", "dict_type": "mapping",
}
_SAME_KEYS = {
    "missing", "extra_forbidden", "literal_error", "greater_than_equal", "string_too_short",
    "string_too_long", "too_short", "invalid_key", "recursion_loop", "union_tag_invalid",
    "union_tag_not_found",
}
_IDENT_PATTERN = "^[a-z][a-z0-9_]*$"
Loc = tuple[int | str, ...]
TAGS = ("kind", "do")
"""The keys that tag the members of a tagged union (conditions; scenario steps)."""
TAGGED_STEPS: dict[str, type[BaseModel]] = {}
"""Scenario step models by their ``do`` (filled in by :mod:`definitions.scenario`)."""


def shape_problems(error: ValidationError, data: object, report: Reporter,
                   root: type[BaseModel] = schema.Definition) -> list[Problem]:
    """Return a problem for each of pydantic's errors about ``data`` (a ``root``), with line."""
    errors = error.errors(include_url=False)
    above = {e["loc"][:end] for e in errors for end in range(len(e["loc"]))}
    return [_problem(e, data, report, root) for e in errors if not _echo(e, above)]


def condition_kinds() -> dict[str, type[BaseModel]]:
    """Return the condition models by their ``kind``, in the schema's order."""
    members: tuple[type[BaseModel], ...] = get_args(get_args(schema.Condition)[0])
    return {str(get_args(m.model_fields["kind"].annotation)[0]): m for m in members}


def _echo(error: ErrorDetails, above: set[Loc]) -> bool:
    """Whether ``error`` is a list-too-short that only echoes errors in the list's items.

    ``above`` holds every place that has an error somewhere inside it.
    """
    return error["type"] == "too_short" and error["loc"] in above


def _problem(error: ErrorDetails, data: object, report: Reporter,
             root: type[BaseModel]) -> Problem:
    path, kind = _yaml_path(error["loc"], data), error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    params: dict[str, object] = {**ctx, "input": show(error["input"]), "detail": error["msg"]}
    params.update(field=_field_name(path), expected=_expected(kind, ctx), hint="")
    if kind == "union_tag_invalid":
        tag = str(ctx.get("discriminator", "'kind'")).strip("'")
        path, params["input"] = (*path, tag), show(_child(error["input"], tag))
    if kind == "extra_forbidden":
        params["hint"] = report.hint(str(path[-1]), _fields_at(error["loc"], root),
                                     "valid_fields")
    return report.problem(path, _catalog_key(kind, path, ctx), **params)


def _expected(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "union_tag_not_found":
        steps = str(ctx.get("discriminator", "")).strip("'") == "do"
        return ", ".join(TAGGED_STEPS if steps else condition_kinds())
    quoted = str(ctx.get("expected_tags") or ctx.get("expected") or "")
    return ", ".join(part.strip(" '") for part in quoted.replace(" or ", ", ").split(","))


def _catalog_key(kind: str, path: YamlPath, ctx: dict[str, Any]) -> str:
    if kind.startswith("union_tag") and str(ctx.get("discriminator", "")).strip("'") == "do":
        return kind.replace("union", "step")
    if kind.startswith("date"):
        return "date"
    if kind == "string_pattern_mismatch":
        return "ident" if ctx.get("pattern") == _IDENT_PATTERN else "definition_id"
    if kind in {"model_type", "dict_type"} and not path:
        return "document_mapping"
    return kind if kind in _SAME_KEYS else _KEYS.get(kind, "invalid_value")


def _yaml_path(loc: Loc, data: object) -> YamlPath:
    """Follow pydantic's ``loc`` through the data, dropping the tags of tagged unions."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and part in (node.get(t) for t in TAGS):
            continue
        path.append(str(part) if isinstance(node, dict) else part)
        node = _child(node, part)
    return tuple(path)


def _child(node: object, part: int | str) -> object:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _field_name(path: YamlPath) -> str:
    """Name the field of ``path`` in a message: its last key, with any index after it."""
    keys = [i for i, part in enumerate(path) if isinstance(part, str)]
    return format_path(path[keys[-1] :]) if keys else format_path(path)


def _fields_at(loc: Loc, root: type[BaseModel]) -> list[str]:
    """Return the fields the schema allows where the unknown key at ``loc`` stands."""
    model: type[BaseModel] | None = root
    kinds = condition_kinds()
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        if part in kinds:
            model = kinds[part]
        elif part in TAGGED_STEPS:
            model = TAGGED_STEPS[part]
        elif part in model.model_fields:
            model = _model_in(model.model_fields[part].annotation)
        else:
            return []
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    """Return the first model class inside a field's type (``tuple[Phase, ...]`` → Phase)."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in get_args(annotation) if (m := _model_in(arg))), None)
