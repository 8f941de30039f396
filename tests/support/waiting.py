"""Waiting in tests for something another process or thread does."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import httpx

T = TypeVar("T")


def wait_for(condition: Callable[[], T], seconds: float = 30) -> T:
    """Poll ``condition`` until it returns something true and return it (connection errors
    count as not yet); fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            found: T | None = condition()
        except (httpx.HTTPError, OSError):
            found = None
        if found:
            return found
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
