"""How a problem of a definition is reported: where it is, and a hint of what was meant.

Every problem a definition can have is a message ``definition.<key>`` of the one
catalogue (:mod:`definitions.messages`), in each language. A :class:`Reporter`
turns a key, its parameters and a YAML path into a
:class:`~workflow.domain.errors.Problem` that carries the path's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from definitions.errors import Problem
from definitions.messages import DEFAULT_LOCALE, say
from definitions.yamlpos import LineMap, YamlPath, format_path

PROBLEM_KEYS = "definition."
"""The prefix of every problem's key in the message catalogue (``definition.missing``)."""


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
    locale: str = DEFAULT_LOCALE
    guesses: _Budget = field(default_factory=_Budget, compare=False, repr=False)

    def problem(self, path: YamlPath, key: str, /, **params: object) -> Problem:
        """Return the problem ``key`` at ``path``, with the path's line."""
        text = say(self.locale, PROBLEM_KEYS + key, **params)
        return Problem(format_path(path), self.lines.line_of(path), text)

    def place(self, path: YamlPath) -> str:
        """Say where ``path`` stands: "la línea 12", or the path when its line is unknown."""
        line = self.lines.line_of(path)
        if line is None:
            return format_path(path)
        return say(self.locale, "definition.at_line", line=line)

    def hint(self, name: str, known: Iterable[str], label: str = "defined") -> str:
        """Return "; ¿quiso decir 'x'?" for a close name, else the known names (up to 10).

        ``label`` names the message that lists them (``definition.<label>``).

        Guesses stop when the document's budget of comparisons is spent.
        """
        names = known if isinstance(known, Collection) else list(known)
        close = (difflib.get_close_matches(name, names, n=1)
                 if self.guesses.spend(len(names)) else [])
        if close:
            return say(self.locale, "definition.did_you_mean", name=close[0])
        first = _first_distinct(names, 11)
        if not first:
            return ""
        listed = ", ".join([*first[:10], "..."] if len(first) > 10 else first)
        return say(self.locale, PROBLEM_KEYS + label, names=listed)


def _first_distinct(names: Iterable[str], count: int) -> list[str]:
    """Return the first ``count`` different names, in order."""
    first: dict[str, None] = {}
    for name in names:
        if len(first) == count:
            break
        first[name] = None
    return list(first)


def repeats(report: Reporter, key: str,
            entries: Iterable[tuple[YamlPath, str | int]]) -> list[Problem]:
    """Report every value that comes again (problem ``key``), at the second one.

    The problem names the value (``id``) and where it came first (``first``).
    """
    first: dict[str | int, YamlPath] = {}
    problems: list[Problem] = []
    for path, value in entries:
        if value in first:
            problems.append(report.problem(path, key, id=value, first=report.place(first[value])))
        else:
            first[value] = path
    return problems
