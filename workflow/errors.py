"""The one typed error tree of cocrea.

Every error raised on purpose is a :class:`WorkflowError`; its ``str()`` is a
message for a person, in the plan's language, and its attributes say the same
for programs (the API maps them to problem+json in one table)::

    WorkflowError
    ├── DefinitionError        a process definition is invalid (every Problem, with line)
    ├── NotFound               no such plan, phase, decision, member, proposal, ...
    ├── AlreadyExists          a plan or member id is taken
    ├── InvalidInput           a field of a command is wrong (names the field)
    ├── TransitionError        a trigger cannot fire
    │   ├── UnknownTrigger     the trigger is not declared (lists the declared ones)
    │   ├── InvalidTrigger     not from the current state (lists the allowed ones)
    │   └── GuardFailed        conditions unmet (lists every one, in words)
    ├── ConcurrencyError       the stream moved on since it was read (version clash)
    └── StorageError           the database failed; nothing was written
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkflowError(Exception):
    """Root of every error cocrea raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition: where (YAML path and line) and what."""

    path: str
    line: int | None
    message: str


class DefinitionError(WorkflowError):
    """A process definition is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s)")


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


class InvalidInput(WorkflowError):
    """A command's field is missing or wrong; ``field`` names it."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message)


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
