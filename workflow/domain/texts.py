"""What a text given to a command may hold: no control characters, but line breaks in prose.

Every id and text a command takes is checked here before it is looked up or
kept: C0 and C1 control characters, DEL and lone surrogates are refused with
the field named (PostgreSQL cannot store NUL at all; the others hide text, move
a terminal's cursor, split log lines, or cannot be encoded). Prose (a
proposal's body, a response, a reason, evidence) may hold line breaks (LF, CR LF)
and tabs; ids, titles and names are one line.
"""

from __future__ import annotations

import re

from definitions.messages import resolved
from workflow.domain.failures import invalid

_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PROSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def has_control(value: str) -> bool:
    """Whether ``value`` holds a control character or a lone surrogate (an id, a path)."""
    return _LINE.search(value) is not None


def check_line(locale: str | None, field: str, value: str) -> None:
    """Raise InvalidInput naming ``field`` if ``value`` holds any control character."""
    _check(_LINE, locale, field, value)


def check_prose(locale: str | None, field: str, value: str) -> None:
    """Raise InvalidInput naming ``field`` if ``value`` holds a control character.

    Line breaks and tabs are text here.
    """
    _check(_PROSE, locale, field, value)


def check_keys(locale: str | None, **keys: str | None) -> None:
    """Check each id a command names (``field=value``; None is not given) as one line.

    The error is in ``locale``; None is the deployment's (no plan has been read yet).
    """
    for field, value in keys.items():
        if value is not None:
            _check(_LINE, locale, field, value)


def _check(allowed: re.Pattern[str], locale: str | None, field: str, value: str) -> None:
    found = allowed.search(value)
    if found is not None:
        code = f"U+{ord(found.group()[0]):04X}"
        raise invalid(resolved(locale), field, "field.control", code=code,
                      position=found.start() + 1)
