"""One cell of a Decidim export, as Decidim wrote it, made a value; ValueError if it is not one.

Decidim writes what Ruby's ``to_s`` gives: moments ``2022-09-29 00:40:11 UTC`` (or
``-0500`` when the app has a zone), never ISO 8601; ``true``/``false``; whole
numbers; ``nil`` as an empty cell. Its CSV writer puts a ``'`` before a text that
begins with ``=``, ``+``, ``-`` or ``@`` (so a spreadsheet does not run it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_MOMENT = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (UTC|[+-]\d{4})")
_FLAGS = {"true": True, "false": False}
_ESCAPED = frozenset(("'=", "'+", "'-", "'@"))
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"|(\})')
_RUBY_ESCAPE = re.compile(r"\\(.)")
_RUBY_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "e": "\x1b"}
_PROPOSAL_URL = re.compile(r"/proposals/(\d+)/?$")


def whole(text: str) -> int:
    """Return a whole number written in ASCII digits (Decidim's ids and counts)."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def count(text: str) -> int | None:
    """Return a count, or None for an empty cell (votes hidden, a column of another row)."""
    return whole(text) if text else None


def flag(text: str) -> bool:
    """Return ``true`` or ``false`` as a bool."""
    value = _FLAGS.get(text)
    if value is None:
        raise ValueError(text)
    return value


def moment(text: str) -> dt.datetime:
    """Return a moment as Ruby writes it (or ISO 8601 with an offset), aware."""
    found = _MOMENT.fullmatch(text)
    if found is None:
        value = dt.datetime.fromisoformat(text)
        if value.tzinfo is None:
            raise ValueError(text)
        return value
    return dt.datetime.fromisoformat(found[1]).replace(tzinfo=_zone(found[2]))


@functools.lru_cache(maxsize=64)
def _zone(text: str) -> dt.tzinfo:
    if text == "UTC":
        return dt.UTC
    hours, minutes = int(text[1:3]), int(text[3:5])
    if minutes > 59:
        raise ValueError(text)
    offset = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-offset if text[0] == "-" else offset)


def unescaped(text: str) -> str:
    """Return a text without the ``'`` Decidim's CSV writer put before ``=``, ``+``, ``-``, ``@``.

    A text that truly began with ``'=`` cannot be told apart; it loses its ``'``.
    """
    return text[1:] if text[:2] in _ESCAPED else text


def as_written(text: str) -> str:
    """Return a text as it is (JSON exports are not escaped)."""
    return text


def amended(url: str) -> int | None:
    """Return the id of the proposal an amendment's ``original_proposal/url`` names."""
    found = _PROPOSAL_URL.search(url)
    return int(found[1]) if found else None


def taxonomy_names(text: str, locale: str) -> tuple[str, ...]:
    """Return the names in a ``taxonomies/name`` cell, each in ``locale`` or another language.

    Decidim 0.30 writes each taxonomy's name as Ruby prints a hash,
    ``{"en"=>"Environment", "es"=>"Ambiente"}``, the hashes joined by ``", "``. A cell
    that is not such hashes is one name, as it is.
    """
    if not text:
        return ()
    names: list[str] = []
    current: dict[str, str] = {}
    for found in _PAIR.finditer(text):
        if found[3] is None:
            current[_ruby(found[1])] = _ruby(found[2])
            continue
        if current:
            names.append(in_language(current, locale))
        current = {}
    if current:
        names.append(in_language(current, locale))
    return tuple(name for name in names if name) if names else (text,)


def in_language(texts: dict[str, str], locale: str) -> str:
    """Return the text of ``texts`` (by language) in ``locale``, its variants, else the first."""
    language = locale.split("-", 1)[0]
    ranked = sorted(texts.items(), key=lambda item: 0 if item[0] == locale else 1
                    if item[0].split("-", 1)[0] == language else 2)
    return next((text for _, text in ranked if text.strip()), "")


def _ruby(text: str) -> str:
    return _RUBY_ESCAPE.sub(lambda found: _RUBY_ESCAPED.get(found[1], found[1]), text)
