"""YAML with positions: plain data plus the source line of every path in it.

PyYAML's ``safe_load`` forgets where each value came from and keeps the last
of two equal keys without a word. :func:`parse_yaml` composes the node tree
with the safe loader instead, so it can say on which line each key or list
item stands, and which keys are repeated. A path is a tuple of mapping keys
(``str``) and list indices (``int``), e.g. ``("phases", 2, "ends")``.

Reading is bounded (:mod:`definitions.limits`): the length of the text is
checked first; the depth of nesting, the length of keys, the number of aliases
and how many nodes they stand for are counted while the node tree is composed,
so a hostile document is refused early and cheaply, before anything is built
from it. libyaml scans and parses when PyYAML has it (a large definition reads
about three times faster); the node tree is always composed here, where it is
counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark
from yaml.events import AliasEvent, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from definitions import paths
from definitions.limits import (
    MAX_ALIASES,
    MAX_DEFINITION_BYTES,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_KEY_LENGTH,
)


class _PythonParser(Reader, Scanner, Parser):
    """PyYAML's own scanner and parser, in Python: slower, but the same events."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    _Parser = _PythonParser  # type: ignore[misc,assignment]

YamlPath = paths.YamlPath


@dataclass(frozen=True)
class SyntaxProblem:
    """The YAML text cannot be read: PyYAML's description, the line, and what it names."""

    description: str
    line: int | None
    values: Mapping[str, str] = field(default_factory=dict)
    """What the description names, for a message to say in words (a value and its tag)."""


@dataclass(frozen=True)
class OverLimit:
    """The text goes beyond a limit of :mod:`definitions.limits`: which one, and where."""

    key: str
    """The problem's key in the catalogue: ``too_many_bytes``, ``too_deep``, ``too_long_key``,
    ``too_many_aliases`` or ``too_many_expanded``."""
    limit: int
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
    over_limit: OverLimit | None = None


class _Mark(Protocol):
    line: int
    column: int


class _LimitReached(yaml.YAMLError):
    """Composing stopped at a limit."""

    def __init__(self, key: str, limit: int, mark: _Mark | None) -> None:
        super().__init__(key)
        self.problem = OverLimit(key, limit, None if mark is None else mark.line + 1)


class _BoundedComposer(Composer):
    """Composes the node tree, counting depth, aliases and what the aliases stand for."""

    peek_event: Callable[[], NodeEvent]

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.aliases = 0
        self.nodes = 0
        """Nodes composed so far, each alias counted as the nodes its anchor stands for."""
        self.expanded = 0
        """The part of ``nodes`` that aliases stand for."""
        self.sizes: dict[str, int] = {}
        """How many nodes each complete anchor stands for."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Compose one node (and what is under it), refusing to go beyond a limit."""
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)
        if self.depth == MAX_DEPTH:
            raise _LimitReached("too_deep", MAX_DEPTH, event.start_mark)
        if (index is None and isinstance(parent, MappingNode) and isinstance(event, ScalarEvent)
                and len(event.value) > MAX_KEY_LENGTH):
            raise _LimitReached("too_long_key", MAX_KEY_LENGTH, event.start_mark)
        first, self.depth = self.nodes, self.depth + 1
        node = super().compose_node(parent, index)
        self.depth -= 1
        self.nodes += 1
        if event.anchor is not None:
            self.sizes[event.anchor] = self.nodes - first
        return node

    def _count_alias(self, event: AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _LimitReached("too_many_aliases", MAX_ALIASES, event.start_mark)
        size = self.sizes.get(str(event.anchor), 1)  # 1: an alias inside its own anchor
        self.nodes += size
        self.expanded += size
        if self.expanded > MAX_EXPANDED_NODES:
            raise _LimitReached("too_many_expanded", MAX_EXPANDED_NODES, event.start_mark)


class _Loader(_BoundedComposer, _Parser, SafeConstructor, Resolver):
    """The safe loader, bounded; an impossible date stays text, a bad tagged value a YAML error."""

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        _BoundedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Construct ``node``, turning Python errors of tagged scalars (``!!int x``) into YAML's."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError,
                IndexError) as error:
            raise _BadValue(repr(str(node.value)[:40]), str(node.tag).rsplit(":", 1)[-1],
                            node.start_mark) from error

    def construct_date_or_text(self, node: ScalarNode) -> dt.date | str:
        """Construct a date (or date and time), or keep the text of an impossible one."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)

    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **SafeConstructor.yaml_constructors,
        "tag:yaml.org,2002:timestamp": construct_date_or_text,
    }


def format_path(path: YamlPath) -> str:
    """Spell a path the way a person reads it (:func:`definitions.paths.format_path`)."""
    return paths.format_path(path)


def parse_yaml(text: str) -> ParsedYaml:
    """Parse one YAML document into plain data (dates as ``datetime.date``) and its lines.

    A text beyond a limit of :mod:`definitions.limits` gives no data, and says which.
    """
    if _utf8_length(text) > MAX_DEFINITION_BYTES:
        return _refused(OverLimit("too_many_bytes", MAX_DEFINITION_BYTES, None))
    try:
        node, data = _compose_and_construct(text)
    except yaml.YAMLError as error:
        return _failed(error, text)
    if node is None:
        return ParsedYaml(data, LineMap())
    lines = LineMap({(): node.start_mark.line + 1})
    duplicates = tuple(_walk(node, (), lines.lines, set()))
    return ParsedYaml(data, lines, duplicates=duplicates)


def _utf8_length(text: str) -> int:
    """Return the length of ``text`` in UTF-8 bytes (without encoding a text already too long)."""
    return len(text) if len(text) > MAX_DEFINITION_BYTES else len(text.encode("utf-8", "replace"))


def _refused(problem: OverLimit) -> ParsedYaml:
    return ParsedYaml(None, LineMap(), over_limit=problem)


def _failed(error: yaml.YAMLError, text: str) -> ParsedYaml:
    """Say why the text could not be read: a limit reached, or a syntax error."""
    if isinstance(error, _LimitReached):
        return _refused(error.problem)
    if _nesting_refused(error):  # libyaml's own limit, deeper than ours: ours is named
        return _refused(OverLimit("too_deep", MAX_DEPTH, _line(error)))
    if _key_too_long(error, text):  # YAML's own limit for ``key: value``, the same as ours
        return _refused(OverLimit("too_long_key", MAX_KEY_LENGTH, _line(error)))
    return ParsedYaml(None, LineMap(), syntax=_syntax_problem(error, text))


def _nesting_refused(error: yaml.YAMLError) -> bool:
    return isinstance(error, yaml.MarkedYAMLError) and str(error.problem).startswith(
        "exceeded maximum nesting depth")


def _key_too_long(error: yaml.YAMLError, text: str) -> bool:
    """Whether YAML stopped at the ``:`` after a key longer than :data:`MAX_KEY_LENGTH`."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return False
    mark = error.problem_mark
    row = _row(text, mark.line)
    if row[mark.column:mark.column + 1] != ":":
        return False
    start = error.context_mark.column if (
        error.context == "while scanning a simple key" and error.context_mark is not None
        and error.context_mark.line == mark.line) else len(row) - len(row.lstrip(" -?{["))
    key = row[start:mark.column]
    return len(key) > MAX_KEY_LENGTH and ": " not in key


def _line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None)
    return None if mark is None else int(mark.line) + 1


def _compose_and_construct(text: str) -> tuple[Node | None, object]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


class _BadValue(ConstructorError):
    """A tagged scalar its tag cannot read (``!!int uno``)."""

    def __init__(self, value: str, tag: str, mark: Mark) -> None:
        super().__init__(None, None, f"cannot read {value} as {tag}", mark)
        self.values = {"value": value, "tag": tag}


def _syntax_problem(error: yaml.YAMLError, text: str) -> SyntaxProblem:
    if isinstance(error, _BadValue):
        return SyntaxProblem(str(error.problem), _line(error), error.values)
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        description = error.problem or error.context or str(error)
        if mark is None:
            return SyntaxProblem(description, None)
        if description.startswith("found character that") and _char_at(text, mark) == "\t":
            description = "found a tab character that cannot start any token"  # libyaml's words
        # At the end of a text that ends with a line break, the mark stands on the empty
        # line after it: say the text's last line, the one a person can see.
        return SyntaxProblem(description, min(mark.line + 1, max(1, len(text.splitlines()))))
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return SyntaxProblem(str(error).splitlines()[0], line)
    return SyntaxProblem(str(error).splitlines()[0], None)


def _char_at(text: str, mark: _Mark) -> str:
    """Return the character at ``mark`` (a line and a column), or "" past the end."""
    return _row(text, mark.line)[mark.column:mark.column + 1]


def _row(text: str, line: int) -> str:
    """Return the 0-based ``line`` of ``text``, or "" past its end."""
    rows = text.split("\n", line + 1)
    return rows[line] if len(rows) > line else ""


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
