"""Parsing an event's stored data on verify's hot path, exactly as ``json.loads`` would."""

from __future__ import annotations

import json
from typing import Any

import orjson

_FLAT = frozenset((str, int, bool, type(None)))


def event_data(text: str | bytes) -> Any:
    """Parse an event's data (text, or its UTF-8 bytes) exactly as ``json.loads`` parses the text.

    orjson is about three times faster, but reads an integer past 64 bits as a
    float and refuses some inputs json takes (NaN, lone surrogates). Its result
    is kept only for a flat object of strings, integers, booleans and nulls
    (a big integer would show as a float); anything else is parsed again by json.
    """
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _json_loads(text)
    if type(data) is dict and _FLAT.issuperset(map(type, data.values())):
        return data
    return _json_loads(text)


def _json_loads(text: str | bytes) -> Any:
    """Return ``json.loads`` of the text; bytes are decoded as strict UTF-8 first.

    Given bytes, json would also take a BOM and encoded surrogates, which no text holds.
    """
    return json.loads(text if isinstance(text, str) else text.decode())
