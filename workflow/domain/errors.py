"""The one typed error tree of cocrea.

Every error raised on purpose is a :class:`WorkflowError`; its ``str()`` is a
message for a person, in the plan's language, and its attributes say the same
for programs. The API maps them to problem+json in one table
(:mod:`workflow.api.problems`), the CLI to a message and an exit code in another
(:mod:`workflow.cli.support`)::

    WorkflowError              (definitions.errors: the bottom layer holds the root)
    ├── DefinitionError        a definition or scenario is invalid (every Problem, with line)
    ├── NotFound               no such plan, phase, decision, member, proposal, ...
    ├── AlreadyExists          a plan or member id is taken (or a definition's id@version)
    ├── InUse                  something plans depend on cannot be removed (names the plans)
    ├── NotAllowed             this actor may not do this to this one (another agency's
    │                          commitment; an assessment by anyone but the evaluator)
    ├── InvalidInput           a field of a command is wrong (names the field)
    │   └── ImportRejected     a file to import cannot be read (every problem, line and column)
    ├── TransitionError        a trigger cannot fire
    │   ├── UnknownTrigger     the trigger is not declared (lists the declared ones)
    │   ├── InvalidTrigger     not from the current state (lists the allowed ones)
    │   └── GuardFailed        conditions unmet (lists every one, in words)
    ├── ConcurrencyError       the stream moved on since it was read (version clash)
    ├── IllegalEvent           a recorded event does not fit the state it follows (replay)
    ├── StorageError           the database failed; nothing was written
    │   └── SchemaBehind       the database's schema is older than this cocrea's
    ├── DeliveryError          a notice could not be delivered (notifications; retried)
    └── InternalError          cocrea itself went wrong: a bug, never the caller's fault

Anything else that escapes is a bug too: entry points log it and answer "internal
error", never as if the caller had erred.
"""

from __future__ import annotations

from dataclasses import dataclass

from definitions.errors import DefinitionError, Problem, WorkflowError
from definitions.messages import resolved, say

__all__ = [
    "AlreadyExists", "ConcurrencyError", "DefinitionError", "DeliveryError", "GuardFailed",
    "IllegalEvent", "ImportProblem", "ImportRejected", "InUse", "InternalError", "InvalidInput",
    "InvalidTrigger", "NotAllowed", "NotFound", "Problem", "SchemaBehind", "StorageError",
    "TransitionError", "UnknownTrigger", "WorkflowError",
]


class NotFound(WorkflowError):
    """A plan, phase, decision, member, activity or proposal does not exist."""

    def __init__(self, message: str, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(message)


class AlreadyExists(WorkflowError):
    """An id that must be new is already taken."""

    def __init__(self, message: str, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(message)


class InUse(WorkflowError):
    """Something cannot be removed while plans depend on it; ``plans`` names them."""

    def __init__(self, message: str, what: str, key: str, plans: list[str]) -> None:
        self.what = what
        self.key = key
        self.plans = plans
        super().__init__(message)


class NotAllowed(WorkflowError):
    """The actor's role lets it act, but not on this: ``role`` and ``needed`` say why.

    An implementer reports only on the commitments its own agency leads; only the
    evaluator assesses a commitment.
    """

    def __init__(self, message: str, role: str, needed: str) -> None:
        self.role = role
        self.needed = needed
        super().__init__(message)


class InvalidInput(WorkflowError):
    """A command's field is missing or wrong; ``field`` names it."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in a file to import: where, and what (in the plan's language).

    ``line`` is the physical line of the file where the faulty row begins (None when
    the whole file is at fault, e.g. a ZIP without the expected entry); ``column`` is
    a CSV column's number (from 1) and ``name`` its header (or a JSON key), when one
    cell is at fault.
    """

    line: int | None
    message: str
    column: int | None = None
    name: str | None = None

    def said(self, locale: str) -> str:
        """Say where and what, in ``locale`` (the words of ``message`` are already said)."""
        if self.line is None:
            return self.message
        if self.name is None:
            return say(locale, "import.at_line", line=self.line, message=self.message)
        if self.column is None:
            return say(locale, "import.at_key", line=self.line, name=self.name,
                       message=self.message)
        return say(locale, "import.at_cell", line=self.line, column=self.column,
                   name=self.name, message=self.message)


class ImportRejected(InvalidInput):
    """A file to import cannot be read; ``problems`` lists every problem found.

    At most a limited number are listed (the first ones, in the order of the file);
    ``more`` counts those found beyond. Nothing of the file is imported. Its
    ``str()`` is a first line naming the file and the count, then a line a problem.
    """

    def __init__(self, source: str, problems: list[ImportProblem], more: int = 0,
                 locale: str | None = None) -> None:
        self.source, self.problems, self.more = source, problems, more
        self.locale = resolved(locale)
        lines = [say(self.locale, "import.rejected", source=source,
                     count=len(problems) + more)]
        lines += [problem.said(self.locale) for problem in problems]
        if more:
            lines.append(say(self.locale, "import.more_problems", count=more))
        super().__init__("\n".join(lines), "file")


class TransitionError(WorkflowError):
    """A trigger cannot fire; ``state`` is where the model stands."""

    def __init__(self, message: str, trigger: str, state: str) -> None:
        self.trigger = trigger
        self.state = state
        super().__init__(message)


class UnknownTrigger(TransitionError):
    """The trigger is not declared by the definition; ``declared`` lists those that are."""

    def __init__(self, message: str, trigger: str, state: str, declared: list[str]) -> None:
        self.declared = declared
        super().__init__(message, trigger, state)


class InvalidTrigger(TransitionError):
    """The trigger is declared but not allowed from the current state."""

    def __init__(self, message: str, trigger: str, state: str, allowed: list[str]) -> None:
        self.allowed = allowed
        super().__init__(message, trigger, state)


class GuardFailed(TransitionError):
    """The trigger is allowed here but conditions are unmet; ``unmet`` says each in words."""

    def __init__(self, message: str, trigger: str, state: str, unmet: list[str]) -> None:
        self.unmet = unmet
        super().__init__(message, trigger, state)


class ConcurrencyError(WorkflowError):
    """The stream's version moved on since the command read it; nothing was written."""

    def __init__(self, message: str, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        super().__init__(message)


class StorageError(WorkflowError):
    """The database failed or is unreachable; the transaction was rolled back."""


class SchemaBehind(StorageError):
    """The database's schema is older than this cocrea's: ``cocrea db upgrade`` brings it on."""


class IllegalEvent(WorkflowError):
    """A recorded event does not fit the state it is applied to (found by replay).

    It keeps its message's key (``illegal.*``) and parameters, for an audit to say it
    in the audit's language (:meth:`said`); ``str()`` says it in the deployment's.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(say(resolved(None), key, **params))

    def said(self, locale: str) -> str:
        """Say what does not fit in ``locale``."""
        return say(locale, self.key, **self.params)


class DeliveryError(WorkflowError):
    """A message could not be delivered; the outbox retries it later."""


class InternalError(WorkflowError):
    """cocrea itself went wrong (a bug): answered as an internal error, never as the caller's."""
