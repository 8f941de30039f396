"""Pages from Jinja2 templates shipped with the package, in one language, escaped throughout.

The environment is made on first use (nothing at import time), reads the
templates from the package (``workflow/site/templates``), escapes every value
(autoescape on: a proposal's text is the citizen's, never markup) and fails on
a name a template does not get (``StrictUndefined``), so a template mistake is
an error in the tests, never a blank on a page. Every word a page says comes
from the catalogue through ``t(key, **params)``, bound to the page's language.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from definitions.messages import long_date, long_moment, number, say

HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:;"
                                " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
"""Sent with every page: nothing but this server's own stylesheet may load, no script runs."""


@functools.cache
def environment() -> Environment:
    """Return the site's template environment (made once)."""
    env = Environment(loader=PackageLoader("workflow.site", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters.update(day=_day, moment=_moment, number=_number)
    return env


def page(template: str, locale: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` in ``locale`` and answer it (``status``, the site's headers)."""
    words = functools.partial(say, locale)
    text = environment().get_template(template).render(locale=locale, t=words, **context)
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def href(path: str, as_of: str | None = None, **params: Any) -> str:
    """Return a link to ``path`` with ``params`` (None ones left out), keeping ``as_of``."""
    given = {k: v for k, v in {**params, "as_of": as_of}.items() if v is not None and v != ""}
    return f"{path}?{urlencode(given)}" if given else path


@pass_context
def _day(context: Context, value: str | dt.date | None, timezone: str | None = None) -> str:
    """Write a day (ISO text, a date, or a moment's day in ``timezone``) in words."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        day = value.astimezone(ZoneInfo(timezone or "UTC")).date()
    else:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])
    return long_day(day, context["locale"])


@pass_context
def _moment(context: Context, value: str | dt.datetime | None, timezone: str) -> str:
    """Write a moment (ISO text or datetime) in words, in ``timezone`` and the page's language."""
    if value is None:
        return ""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return _long_moment(moment, timezone, context["locale"])


def long_day(value: str | dt.date, locale: str) -> str:
    """Write a day (ISO text or a date) in words; remembered: lists repeat days (~50 µs each)."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])
    return _long_date(day, locale)


@functools.lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale: str) -> str:
    return long_date(day, locale)


@functools.lru_cache(maxsize=4096)
def _long_moment(moment: dt.datetime, timezone: str, locale: str) -> str:
    return long_moment(moment, ZoneInfo(timezone), locale)


@pass_context
def _number(context: Context, value: object) -> str:
    """Write a number as the page's language does."""
    return number(value, context["locale"])
