"""The definitions shipped with cocrea, and finding a definition by id or by file path."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from definitions.errors import DefinitionError, Problem
from definitions.loader import parse_definition, parse_document, read_source
from definitions.messages import resolved, say
from definitions.ogp_rules import RuleSet
from definitions.schema import Definition

_SUFFIX = ".yaml"


def shipped_definitions() -> list[str]:
    """Return the ids of the definitions shipped in the ``definitions`` package, sorted."""
    root = resources.files("definitions")
    return sorted(
        entry.name.removesuffix(_SUFFIX)
        for entry in root.iterdir()
        if entry.is_file() and entry.name.endswith(_SUFFIX)
    )


def resolve_definition_source(name_or_path: str,
                              locale: str | None = None) -> tuple[str, str]:
    """Return ``(source label, YAML text)`` of a shipped definition id or of a file path.

    A shipped id (e.g. ``cuenca-2022``) wins over a file of the same name; anything
    that looks like a path (a folder separator, a ``.yaml``/``.yml`` ending, or an
    existing file) is read as a file. Otherwise, or when the file cannot be read,
    a DefinitionError says why (for an unknown id: which ids exist), in ``locale``
    (the deployment's when None).
    """
    shipped = shipped_definitions()
    if name_or_path in shipped:
        resource = resources.files("definitions") / f"{name_or_path}{_SUFFIX}"
        return f"{name_or_path}{_SUFFIX}", resource.read_text(encoding="utf-8")
    path = Path(name_or_path)
    if _looks_like_path(name_or_path) or path.exists():
        return str(path), read_source(path, locale)
    raise _unknown(name_or_path, shipped, resolved(locale))


def _unknown(name: str, shipped: list[str], locale: str) -> DefinitionError:
    text = say(locale, "definition.unknown_definition", name=name, known=", ".join(shipped))
    return DefinitionError(name, [Problem("", None, text)], locale)


def _looks_like_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


@cache
def shipped_definition(definition_id: str) -> Definition:
    """Return a shipped definition, validated once per process (the package files do not change).

    Raises DefinitionError naming the shipped ids when there is no such definition (in
    the deployment's language).
    """
    if definition_id not in shipped_definitions():
        raise _unknown(definition_id, shipped_definitions(), resolved(None))
    label, source = resolve_definition_source(definition_id)
    return parse_definition(source, label)


SHIPPED_RULES = "ogp-2022"
"""The OGP rule set cocrea judges plans by unless told otherwise."""


@cache
def rule_set(set_id: str = SHIPPED_RULES) -> RuleSet:
    """Return a shipped OGP rule set, validated once (DefinitionError with lines if broken)."""
    entry = resources.files("definitions") / "ogp" / f"{set_id}.yaml"
    text = entry.read_text(encoding="utf-8")
    return parse_document(text, f"ogp/{set_id}.yaml", None, RuleSet, lambda _doc, _r: [])
