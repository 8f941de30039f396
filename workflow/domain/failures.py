"""Builders of typed errors with their message in the plan's language (which they keep)."""

from __future__ import annotations

from typing import TypeVar

from definitions import days
from definitions.messages import join, say
from workflow.domain.errors import (
    AlreadyExists,
    ConcurrencyError,
    GuardFailed,
    InvalidInput,
    InvalidTrigger,
    NotAllowed,
    NotFound,
    StorageError,
    UnknownTrigger,
    WorkflowError,
)
from workflow.domain.machines import FlatMachine

E = TypeVar("E", bound=WorkflowError)


def said_in(locale: str, error: E) -> E:
    """Return ``error``, marked as said in ``locale`` (an entry point answers in it)."""
    error.locale = locale
    return error


def not_found(locale: str, what: str, key: str) -> NotFound:
    """Return the error for a missing plan, phase, decision, ... (``what``) named ``key``."""
    message = say(locale, "error.not_found", what=say(locale, f"what.{what}"), key=key)
    return said_in(locale, NotFound(message, what, key))


def already_exists(locale: str, what: str, key: str) -> AlreadyExists:
    """Return the error for an id that is already taken."""
    message = say(locale, "error.already_exists", what=say(locale, f"what.{what}"), key=key)
    return said_in(locale, AlreadyExists(message, what, key))


def not_allowed(locale: str, role: str, needed: str, problem_key: str,
                **params: object) -> NotAllowed:
    """Return the error of an actor in ``role`` acting where only ``needed`` may."""
    return said_in(locale, NotAllowed(say(locale, problem_key, **params), role, needed))


def invalid(locale: str, field: str, problem_key: str, **params: object) -> InvalidInput:
    """Return the error naming ``field`` and what is wrong with it."""
    return invalid_because(locale, field, say(locale, problem_key, **params))


def invalid_because(locale: str, field: str, problem: str) -> InvalidInput:
    """Return the error naming ``field`` and ``problem``, already in words (``--db``'s own)."""
    message = say(locale, "error.field", field=field, problem=problem)
    return said_in(locale, InvalidInput(message, field))


def out_of_range(locale: str, field: str, value: object) -> InvalidInput:
    """Return the error for a date or moment outside the days cocrea can plan."""
    return invalid(locale, field, "field.out_of_range", value=value,
                   first=days.FIRST_DAY.isoformat(), last=days.LAST_DAY.isoformat())


def stale_version(locale: str, stream: str, expected: int, actual: int) -> ConcurrencyError:
    """Return the error for a stream that moved on since the command read it."""
    message = say(locale, "error.concurrency", stream=stream, expected=expected, actual=actual)
    return said_in(locale, ConcurrencyError(message, stream, expected, actual))


def database_failed(locale: str, detail: object) -> StorageError:
    """Return the error for a database that failed or cannot be reached."""
    return said_in(locale, StorageError(say(locale, "error.database", detail=detail)))


def check_trigger(locale: str, machine: FlatMachine, state: str, trigger: str) -> None:
    """Raise UnknownTrigger or InvalidTrigger unless ``trigger`` may fire from ``state``."""
    declared = machine.declared()
    if trigger not in declared:
        message = say(locale, "error.unknown_trigger", trigger=trigger,
                      declared=join(declared, locale))
        raise said_in(locale, UnknownTrigger(message, trigger, state, declared))
    allowed = machine.allowed(state)
    if trigger not in allowed:
        message = say(locale, "error.invalid_trigger", trigger=trigger, state=state,
                      allowed=join(allowed, locale))
        raise said_in(locale, InvalidTrigger(message, trigger, state, allowed))


def guard_failed(locale: str, action: str, trigger: str, state: str,
                 unmet: list[str]) -> GuardFailed:
    """Return the error listing every unmet condition of ``trigger``."""
    message = say(locale, "error.guard_failed", action=action, unmet="; ".join(unmet))
    return said_in(locale, GuardFailed(message, trigger, state, unmet))
