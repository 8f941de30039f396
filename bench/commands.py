"""Durable commands through the engine: the hot-path mix and the one-more-proposal pair.

Every command is one ``Services`` call over ``SqlUnitOfWork``: one transaction,
committed durably (SQLite WAL + ``synchronous=FULL`` as ``open_engine`` sets it;
PostgreSQL with fsync and synchronous commit on).
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine, select

from bench.cuenca import ANSWER_PLAN, HOT_PLAN, INTAKE, STAFF
from bench.lifecycles import WAITING, fields_for, submission
from storage import tables as t
from workflow.services import Services

MIX = ("submit", "admitir", "analizar", "descartar", "no_admitir", "responder")
"""One cycle of the hot-path mix: six commands."""


@dataclass
class Pools:
    """Proposal ids by the state a trigger of the mix needs, shuffled, consumed as used."""

    received: list[str] = field(default_factory=list)
    admitted: list[str] = field(default_factory=list)
    analysing: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def cycles_left(self) -> int:
        """How many full mix cycles the pools still allow."""
        return min(len(self.received) // 2, len(self.admitted), len(self.analysing),
                   len(self.waiting))


def load_pools(engine: Engine, seed: int = 7) -> Pools:
    """Read the proposals the mix can fire on from the projections, in a random order."""
    def ids(plan_id: str, states: tuple[str, ...]) -> list[str]:
        query = (select(t.proposals.c.proposal_id)
                 .where(t.proposals.c.plan_id == plan_id, t.proposals.c.state.in_(states))
                 .order_by(t.proposals.c.number))
        with engine.connect() as conn:
            found = list(conn.execute(query).scalars())
        random.Random(seed).shuffle(found)
        return found

    return Pools(ids(HOT_PLAN, ("recibida",)), ids(HOT_PLAN, ("admitida",)),
                 ids(HOT_PLAN, ("en_analisis",)), ids(ANSWER_PLAN, WAITING))


class EngineMix:
    """Runs windows of the hot-path mix through the engine's services."""

    def __init__(self, svc: Services, pools: Pools, first_submission: int) -> None:
        self.svc = svc
        self.pools = pools
        self._numbers: Iterator[int] = iter(range(first_submission, 1 << 62))

    def window(self, cycles: int) -> int:
        """Run ``cycles`` mix cycles (six durable commands each); return the command count."""
        pools, svc = self.pools, self.svc
        for _ in range(cycles):
            title, body, channel, mesa = submission(next(self._numbers))
            svc.submit_proposal(HOT_PLAN, title, body, channel, mesa, INTAKE)
            svc.fire(pools.received.pop(), "admitir", {}, STAFF)
            svc.fire(pools.admitted.pop(), "analizar", {}, STAFF)
            svc.fire(pools.analysing.pop(), "descartar", {}, STAFF)
            svc.fire(pools.received.pop(), "no_admitir", fields_for("no_admitir"), STAFF)
            svc.fire(pools.waiting.pop(), "responder", fields_for("responder"), STAFF)
        return cycles * len(MIX)


@dataclass
class PairCost:
    """The cost of one more proposal: a durable submission plus a trigger on it.

    ``per_raw_commit`` is the pair's time over a raw durable commit's time, timed
    side by side in each window, so disk noise from other processes cancels out.
    """

    plan_size: int
    ms_per_pair: float
    per_raw_commit: float
    alloc_peak_kib: float


class Window(Protocol):
    def window(self, commits: int) -> int: ...


def pair_cost(svc: Services, raw: Window, plan_size: int, pairs: int = 50,
              repeats: int = 7) -> PairCost:
    """Time ``repeats`` windows of ``pairs`` (submit, admitir) pairs beside raw commits."""
    numbers = iter(range(10**6 + 10 * plan_size, 1 << 62))

    def pair() -> None:
        title, body, channel, mesa = submission(next(numbers))
        proposal_id = svc.submit_proposal(HOT_PLAN, title, body, channel, mesa, INTAKE)
        svc.fire(proposal_id, "admitir", {}, STAFF)

    times, ratios = [], []
    for _ in range(repeats):
        raw_ms = _ms_each(lambda: raw.window(2 * pairs), 2 * pairs)
        pair_ms = _ms_each(lambda: [pair() for _ in range(pairs)], pairs)
        times.append(pair_ms)
        ratios.append(pair_ms / raw_ms)
    return PairCost(plan_size, statistics.median(times), statistics.median(ratios),
                    _alloc_peak(pair, 15))


def _ms_each(run: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000 / count


def _alloc_peak(pair: Callable[[], None], samples: int) -> float:
    """Median over ``samples`` pairs of the Python heap peak above its level before the pair."""
    peaks = []
    tracemalloc.start()
    try:
        for _ in range(samples):
            before, _peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            pair()
            peaks.append((tracemalloc.get_traced_memory()[1] - before) / 1024)
    finally:
        tracemalloc.stop()
    return statistics.median(peaks)
