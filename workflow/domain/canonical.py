"""Canonical JSON and hashing: the byte form that hashes and pins are computed over."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Return ``value`` as JSON with sorted keys, no spaces and unescaped Unicode."""
    return _ENCODER.encode(value)


def sha256_hex(text: str) -> str:
    """Return the SHA-256 of ``text`` (UTF-8) as 64 lowercase hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_list(values: Sequence[str | int | None]) -> str:
    """Return ``canonical_json(list(values))`` for flat lists of str, int and None, faster.

    The event log hashes such a header for every event, so verify calls this a
    million times; the output is byte for byte the canonical JSON.
    """
    return "[" + ",".join("null" if v is None else str(v) if type(v) is int
                          else encode_basestring(v) for v in values) + "]"  # type: ignore[arg-type]
