"""The OpenAPI document in the deployment's language.

Descriptions written in code as catalogue keys (``openapi.*``: the error answers,
the bearer token, a body's fields, a query parameter) are put in words when the
document is made, and each tag (a route's group, named in code by a slug such as
``planes``) is named by ``openapi.tag.<slug>``; the routes' own docstrings are
left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from definitions.messages import catalogue, deployment_locale, say

KEYS = "openapi."
"""How the descriptions to put in words begin."""


def in_words(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Return an ``app.openapi`` whose document says its ``openapi.*`` descriptions in words."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        document = made()  # made once and kept by FastAPI; putting it in words is idempotent
        worded(document, deployment_locale())
        return document

    return openapi


def worded(node: Any, locale: str) -> None:
    """Put in words, in place, every description that is a catalogue key and every tag."""
    if isinstance(node, dict):
        words = catalogue(locale)
        text = node.get("description")
        if isinstance(text, str) and text.startswith(KEYS) and text in words:
            node["description"] = say(locale, text)
        tags = node.get("tags")
        if isinstance(tags, list):
            node["tags"] = [_tag(tag, locale) for tag in tags]
        for value in node.values():
            worded(value, locale)
    elif isinstance(node, list):
        for value in node:
            worded(value, locale)


def _tag(tag: Any, locale: str) -> Any:
    """Return the name of a route's tag in ``locale`` (a tag already named stays as it is)."""
    key = f"{KEYS}tag.{tag}"
    return say(locale, key) if isinstance(tag, str) and key in catalogue(locale) else tag
