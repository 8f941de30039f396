"""Timing helpers: rates over short windows, run round-robin so noise hits every contender."""

from __future__ import annotations

import contextlib
import resource
import statistics
import sys
import time
from collections.abc import Callable, Mapping


def log(message: str) -> None:
    """Say how far a run got, with the time, on standard error."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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


def peak_rss_mib() -> dict[str, float]:
    """Return this process's peak RSS and its waited-for children's, in MiB, and their sum.

    Its own is ``VmHWM`` (``/proc/self/status``), not ``ru_maxrss``: Linux keeps
    ``ru_maxrss`` across ``exec``, so a child started (by ``vfork``) from a big
    process reports its parent's peak as its own. The children's is
    ``ru_maxrss`` (an upper bound: it counts this process's size when it started them).
    """
    own = ru_own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        own = next((int(line.split()[1]) / 1024 for line in status
                    if line.startswith("VmHWM:")), ru_own)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"own_peak_rss_mib": own, "worker_peak_rss_mib": workers,
            "peak_rss_mib": own + workers}


def reset_peak_rss() -> None:
    """Start this process's ``VmHWM`` again from its current RSS (Linux; else nothing)."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w",
                                            encoding="ascii") as refs:
        refs.write("5")
