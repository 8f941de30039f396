"""Builders of typed errors with their message in the plan's language."""

from __future__ import annotations

from definitions import days
from workflow.domain.errors import (
    AlreadyExists,
    GuardFailed,
    InvalidInput,
    InvalidTrigger,
    NotFound,
    UnknownTrigger,
)
from workflow.domain.machines import FlatMachine
from workflow.domain.messages import join, say


def not_found(locale: str, what: str, key: str) -> NotFound:
    """Return the error for a missing plan, phase, decision, ... (``what``) named ``key``."""
    return NotFound(say(locale, "error.not_found", what=say(locale, f"what.{what}"), key=key),
                    what, key)


def already_exists(locale: str, what: str, key: str) -> AlreadyExists:
    """Return the error for an id that is already taken."""
    message = say(locale, "error.already_exists", what=say(locale, f"what.{what}"), key=key)
    return AlreadyExists(message, what, key)


def invalid(locale: str, field: str, problem_key: str, **params: object) -> InvalidInput:
    """Return the error naming ``field`` and what is wrong with it."""
    problem = say(locale, problem_key, **params)
    return InvalidInput(say(locale, "error.field", field=field, problem=problem), field)


def out_of_range(locale: str, field: str, value: object) -> InvalidInput:
    """Return the error for a date or moment outside the days cocrea can plan."""
    return invalid(locale, field, "field.out_of_range", value=value,
                   first=days.FIRST_DAY.isoformat(), last=days.LAST_DAY.isoformat())


def check_trigger(locale: str, machine: FlatMachine, state: str, trigger: str) -> None:
    """Raise UnknownTrigger or InvalidTrigger unless ``trigger`` may fire from ``state``."""
    declared = machine.declared()
    if trigger not in declared:
        message = say(locale, "error.unknown_trigger", trigger=trigger,
                      declared=join(declared, locale))
        raise UnknownTrigger(message, trigger, state, declared)
    allowed = machine.allowed(state)
    if trigger not in allowed:
        message = say(locale, "error.invalid_trigger", trigger=trigger, state=state,
                      allowed=join(allowed, locale))
        raise InvalidTrigger(message, trigger, state, allowed)


def guard_failed(locale: str, action: str, trigger: str, state: str,
                 unmet: list[str]) -> GuardFailed:
    """Return the error listing every unmet condition of ``trigger``."""
    message = say(locale, "error.guard_failed", action=action, unmet="; ".join(unmet))
    return GuardFailed(message, trigger, state, unmet)
