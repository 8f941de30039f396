"""The problems found while reading one file: said in the plan's language, kept up to a limit."""

from __future__ import annotations

from typing import Any, NoReturn

from definitions.messages import number, say
from workflow.domain.errors import ImportProblem, ImportRejected

ECHOED = 40
"""The most characters of a faulty value a problem repeats (a name: three times as many)."""


def echoed(value: str, longest: int = ECHOED) -> str:
    """Return a value as a problem repeats it: on one line, at most ``longest`` characters."""
    flat = "".join(" " if char < " " or char == "\x7f" else char for char in value)
    return flat if len(flat) <= longest else flat[:longest - 1] + "…"


def named(name: str) -> str:
    """Return a file's or a column's name as a problem repeats it."""
    return echoed(name, 3 * ECHOED)


class Problems:
    """Every problem of one reading, in the order found; the first ``limit`` are kept."""

    def __init__(self, source: str, locale: str, limit: int) -> None:
        self.source, self.locale, self.limit = source, locale, limit
        self.found: list[ImportProblem] = []
        self.more = 0

    def __bool__(self) -> bool:
        return bool(self.found) or self.more > 0

    def say(self, key: str, /, **params: Any) -> str:
        """Return the message ``key`` in the reading's language."""
        return say(self.locale, key, **params)

    def quantity(self, value: int) -> str:
        """Write a size or a limit as the reading's language does (``12.345``, ``12,345``)."""
        return number(value, self.locale)

    def add(self, line: int | None, key: str, /, column: int | None = None,
            name: str | None = None, **params: Any) -> None:
        """Note a problem at ``line`` (and a cell: ``column`` and its ``name``)."""
        if len(self.found) < self.limit:
            self.found.append(ImportProblem(line, self.say(key, **params), column, name))
        else:
            self.more += 1

    def rejected(self) -> ImportRejected:
        """Return the refusal listing every problem noted."""
        return ImportRejected(self.source, list(self.found), self.more, self.locale)

    def refuse(self, line: int | None, key: str, /, **params: Any) -> NoReturn:
        """Note one last problem and refuse the file with all of them."""
        self.add(line, key, **params)
        raise self.rejected()

    def check(self) -> None:
        """Refuse the file if any problem was noted."""
        if self:
            raise self.rejected()
