"""Every text a person reads, in one catalogue per language, and how dates and counts are said.

``say(locale, key, **params)`` fills in the message ``key`` of the catalogue of
``locale``: ``es.toml`` and ``en.toml`` beside this module, and the files of a
subject of their own in ``es/`` and ``en/`` (``es/commitments.toml``, ...), each one
flat table of dotted keys, read once, on first use; a key written in two files of
one language is an error. A message is a :meth:`str.format`
template. A plural message is a table naming the parameter that counts and a
form for each CLDR plural category of the language (Babel's rules: ``one`` and
``other`` in English; ``one``, ``many`` and ``other`` in Spanish), e.g.::

    "count.days" = { count = "count", one = "{count} día", other = "{count} días" }

Its count is written as a number of the language (``12.345``, ``12,345``). Dates
and moments are written by Babel from CLDR data (:func:`long_date`,
:func:`long_moment`), never from month tables.

Spanish is the language of the first process cocrea serves and the default: an
unknown locale reads Spanish. Where no plan says which language to use (the CLI's
commands over the whole log, the API's answers not about one plan), the
deployment's locale is used: ``COCREA_LOCALE`` (:func:`deployment_locale`).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_month_names
from babel.numbers import format_decimal

LOCALES = ("es", "en")
"""The languages cocrea speaks; every message exists in each."""

DEFAULT_LOCALE = "es"
"""Cuenca's language, and the language of an unknown locale."""

LOCALE_ENV = "COCREA_LOCALE"
"""The setting that names the deployment's language (es or en)."""

Message = str | dict[str, str]
"""A template, or a plural table (``count`` and one template per plural category)."""


@functools.cache
def catalogue(locale: str) -> dict[str, Message]:
    """Return the catalogue of ``locale`` (one of :data:`LOCALES`), read on first use.

    Raises ValueError naming the files when one key is written in two of them.
    """
    root = resources.files(__name__)
    files = [root.joinpath(f"{locale}.toml")]
    folder = root.joinpath(locale)
    if folder.is_dir():
        files += sorted((f for f in folder.iterdir() if f.name.endswith(".toml")),
                        key=lambda f: f.name)
    found: dict[str, Message] = {}
    for file in files:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
        twice = sorted(set(found) & set(table))
        if twice:
            raise ValueError(f"{locale}: {file.name} repeats {', '.join(twice[:5])}")
        found.update(table)
    return found


def known(locale: str | None) -> str:
    """Return ``locale`` if cocrea speaks it, else the default (Spanish)."""
    return locale if locale is not None and locale in LOCALES else DEFAULT_LOCALE


def deployment_locale(env: Mapping[str, str] | None = None) -> str:
    """Return the deployment's language: ``COCREA_LOCALE`` (es or en), else Spanish.

    An unknown value reads Spanish here; the command line refuses it at start
    (see :func:`setting_is_known`).
    """
    return known(setting(env))


def resolved(locale: str | None) -> str:
    """Return ``locale`` when one is given (Spanish if unknown), else the deployment's."""
    return known(locale) if locale else deployment_locale()


def setting(env: Mapping[str, str] | None = None) -> str | None:
    """Return ``COCREA_LOCALE`` as set (stripped, lowercase), or None when it is not."""
    value = (os.environ if env is None else env).get(LOCALE_ENV, "").strip().lower()
    return value or None


def setting_is_known(env: Mapping[str, str] | None = None) -> bool:
    """Say whether ``COCREA_LOCALE`` is unset or names a language cocrea speaks."""
    value = setting(env)
    return value is None or value in LOCALES


def say(locale: str, key: str, /, **params: Any) -> str:
    """Return the message ``key`` in ``locale`` (Spanish when unknown), filled with ``params``.

    A key no catalogue has is returned as it is (the catalogue tests keep that from
    happening).
    """
    return say_from(locale, key, params)


def say_from(locale: str, key: str, words: Mapping[str, Any]) -> str:
    """Return the message ``key`` in ``locale`` filled from ``words``, a mapping.

    ``words`` may answer a key it lacks (a ``dict`` with ``__missing__``): a notice
    renders whatever its row holds.
    """
    lang = known(locale)
    message = catalogue(lang).get(key)
    if message is None:
        return key
    if isinstance(message, str):
        return message.format_map(words)
    counted = message["count"]
    count = words[counted]
    template = message.get(plural_form(count, lang), message["other"])
    return template.format_map(_Counted(words, counted, number(count, lang)))


class _Counted(dict[str, Any]):
    """``words`` with its count written as a number; any other word is looked up in ``words``."""

    def __init__(self, words: Mapping[str, Any], counted: str, written: str) -> None:
        super().__init__({counted: written})
        self._words = words

    def __missing__(self, key: str) -> Any:
        return self._words[key]


def plural_form(count: object, locale: str) -> str:
    """Return the CLDR plural category of ``count`` in ``locale`` (``one``, ``many``, ``other``)."""
    if not isinstance(count, int | float):
        return "other"
    return str(_locale(known(locale)).plural_form(count))


_GROUPED_FROM = {"es": 10_000}
"""CLDR's minimumGroupingDigits, which Babel does not apply: Spanish groups the thousands
of numbers of five digits or more (``2000``, ``12.345``)."""


def number(value: object, locale: str) -> str:
    """Write a number as the language does (``12.345`` in Spanish, ``12,345`` in English)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) and 0 <= value < 1000:
        return str(value)  # as every language cocrea speaks writes it (and 10x faster)
    lang = known(locale)
    grouped = abs(value) >= _GROUPED_FROM.get(lang, 1000)
    return str(format_decimal(value, locale=lang, group_separator=grouped))


def join(items: Iterable[str], locale: str) -> str:
    """Return ``items`` as a comma-separated list, or the word for 'none'."""
    listed = ", ".join(items)
    return listed or say(locale, "none")


def long_date(day: dt.date, locale: str) -> str:
    """Write a date in words (CLDR's long format): ``18 de julio de 2022``, ``July 18, 2022``."""
    return str(format_date(day, "long", locale=_locale(known(locale))))


def long_moment(moment: dt.datetime, zone: ZoneInfo, locale: str) -> str:
    """Write a moment in ``zone`` in words, to the minute: ``18 de julio de 2022 a las 10:30``.

    Hours run 00 to 23 in both languages (a notice goes to people in one zone;
    "10:30" cannot be misread).
    """
    local = moment.astimezone(zone)
    time = format_time(local, "HH:mm", locale=_locale(known(locale)))
    return say(locale, "moment.long", date=long_date(local.date(), locale), time=time)


def month_abbreviations(locale: str) -> list[str]:
    """Return the twelve abbreviated month names of ``locale``, January first (CLDR)."""
    names = get_month_names("abbreviated", "stand-alone", locale=known(locale))
    return [str(names[month]) for month in range(1, 13)]


@functools.cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)
