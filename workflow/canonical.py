"""Canonical JSON and hashing: the byte form that hashes and pins are computed over."""

from __future__ import annotations

import hashlib
import json
from typing import Any

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Return ``value`` as JSON with sorted keys, no spaces and unescaped Unicode."""
    return _ENCODER.encode(value)


def sha256_hex(text: str) -> str:
    """Return the SHA-256 of ``text`` (UTF-8) as 64 lowercase hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
