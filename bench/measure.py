"""Timing helpers: rates over short windows, run round-robin so noise hits every contender."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def rate(window: Callable[[], int]) -> float:
    """Run one window; return its operations per second."""
    start = time.perf_counter()
    done = window()
    return done / (time.perf_counter() - start)


def round_robin(windows: Mapping[str, Callable[[], int]], rounds: int) -> dict[str, list[float]]:
    """Run each contender's window once per round, rotating the order; return the rates."""
    names = list(windows)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            rates[name].append(rate(windows[name]))
    return rates


def median(values: list[float]) -> float:
    """The median (0.0 for no values)."""
    return statistics.median(values) if values else 0.0


def ratio(numerator: list[float], denominator: list[float]) -> float:
    """The median of per-round ratios (each round's windows ran side by side in time)."""
    return median([a / b for a, b in zip(numerator, denominator, strict=True)])
