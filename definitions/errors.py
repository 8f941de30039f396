"""The root of cocrea's one error tree, and the errors of a definition.

:mod:`definitions` is the bottom layer (every other package imports it, it imports
none of them), so the root of the tree lives here; :mod:`workflow.domain.errors`
draws the whole tree and adds the rest of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from definitions.messages import resolved, say


class WorkflowError(Exception):
    """Root of every error cocrea raises on purpose."""

    locale: str | None = None
    """The language of its message, when it was said in one (an entry point answers in it)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition: where (YAML path and line) and what."""

    path: str
    line: int | None
    message: str


class DefinitionError(WorkflowError):
    """A process definition is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[Problem], locale: str | None = None) -> None:
        self.source = source
        self.problems = problems
        self.locale = resolved(locale)
        super().__init__(say(self.locale, "definition.problems", source=source,
                             count=len(problems)))
