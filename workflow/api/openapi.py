"""The OpenAPI document in the deployment's language.

Descriptions written in code as catalogue keys (``openapi.*``: the error answers,
the bearer token, a body's fields, a query parameter) are put in words when the
document is first made; the routes' own docstrings are left as they are.
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
    """Replace, in place, every ``description`` under ``node`` that is a catalogue key."""
    if isinstance(node, dict):
        text = node.get("description")
        if isinstance(text, str) and text.startswith(KEYS) and text in catalogue(locale):
            node["description"] = say(locale, text)
        for value in node.values():
            worded(value, locale)
    elif isinstance(node, list):
        for value in node:
            worded(value, locale)
