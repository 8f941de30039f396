"""YAML with positions: plain data plus the source line of every path in it.

PyYAML's ``safe_load`` forgets where each value came from and keeps the last
of two equal keys without a word. :func:`parse_yaml` composes the node tree
with the safe loader instead, so it can say on which line each key or list
item stands, and which keys are repeated. A path is a tuple of mapping keys
(``str``) and list indices (``int``), e.g. ``("phases", 2, "ends")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SyntaxProblem:
    """The YAML text cannot be read: PyYAML's description and the line."""

    description: str
    line: int | None


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key written twice: where the repeat stands and where the first one did."""

    path: YamlPath
    line: int
    first_line: int


@dataclass(frozen=True)
class LineMap:
    """The 1-based source line of each path of a parsed document."""

    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line_of(self, path: YamlPath) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor present in the source."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


@dataclass(frozen=True)
class ParsedYaml:
    """The outcome of :func:`parse_yaml`: data, lines, and what was wrong with the text."""

    data: object
    lines: LineMap
    syntax: SyntaxProblem | None = None
    duplicates: tuple[DuplicateKey, ...] = ()


class _Loader(yaml.SafeLoader):
    """The safe loader; an impossible date stays text, a bad tagged value is a YAML error."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Construct ``node``, turning Python errors of tagged scalars (``!!int x``) into YAML's."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            tag = str(node.tag).rsplit(":", 1)[-1]
            problem = f"cannot read {str(node.value)[:40]!r} as {tag}"
            raise ConstructorError(None, None, problem, node.start_mark) from error

    def construct_date_or_text(self, node: ScalarNode) -> dt.date | str:
        """Construct a date (or date and time), or keep the text of an impossible one."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)

    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **yaml.SafeLoader.yaml_constructors,
        "tag:yaml.org,2002:timestamp": construct_date_or_text,
    }


def format_path(path: YamlPath) -> str:
    """Spell a path the way a person reads it: ``phases[2].close_when[0].decision``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def parse_yaml(text: str) -> ParsedYaml:
    """Parse one YAML document into plain data (dates as ``datetime.date``) and its lines."""
    try:
        node, data = _compose_and_construct(text)
    except yaml.YAMLError as error:
        return ParsedYaml(None, LineMap(), syntax=_syntax_problem(error, text))
    except RecursionError:
        return ParsedYaml(None, LineMap(), syntax=SyntaxProblem("too deeply nested", None))
    if node is None:
        return ParsedYaml(data, LineMap())
    lines = LineMap({(): node.start_mark.line + 1})
    duplicates = tuple(_walk(node, (), lines.lines, set()))
    return ParsedYaml(data, lines, duplicates=duplicates)


def _compose_and_construct(text: str) -> tuple[Node | None, object]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _syntax_problem(error: yaml.YAMLError, text: str) -> SyntaxProblem:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        description = error.problem or error.context or str(error)
        return SyntaxProblem(description, mark.line + 1 if mark is not None else None)
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return SyntaxProblem(str(error).splitlines()[0], line)
    return SyntaxProblem(str(error).splitlines()[0], None)


def _walk(
    node: Node, path: YamlPath, lines: dict[YamlPath, int], seen: set[int]
) -> Iterator[DuplicateKey]:
    """Record the line of every key and item under ``node``; yield repeated keys.

    A node reached again through an alias is not walked twice: paths inside it
    take the line of the alias, and recursive or exploding aliases stay cheap.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            yield from _walk(item, (*path, index), lines, seen)
    elif isinstance(node, MappingNode):
        yield from _walk_mapping(node, path, lines, seen)


def _walk_mapping(
    node: MappingNode, path: YamlPath, lines: dict[YamlPath, int], seen: set[int]
) -> Iterator[DuplicateKey]:
    first: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in first:
            yield DuplicateKey((*path, key), line, first[key])
            continue
        first[key] = line
        lines[(*path, key)] = line
        yield from _walk(value_node, (*path, key), lines, seen)
