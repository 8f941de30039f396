"""One database's run: build, one-more-proposal costs, the durable mix, verify."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bench import build
from bench.commands import EngineMix, load_pools, pair_cost
from bench.cuenca import ANSWER_PLAN, HOT_PLAN, open_feedback, open_reception, services
from bench.es_peer import PeerApp, PeerMix, prefill, sqlite_settings
from bench.lifecycles import answer_count_for
from bench.measure import log, median, ratio, round_robin
from bench.targets import Target, Writer
from storage import tables as t
from storage.database import open_engine
from workflow.services import Services

ROOT = Path(__file__).resolve().parents[1]
BATCH = 5000
"""Proposals per build transaction."""


@dataclass
class Settings:
    """How big and how long."""

    proposals: int
    events: int
    rounds: int
    cycles: int
    raw_commits: int



def run(target: Target, config: Settings) -> dict[str, Any]:
    """Run every measurement on one target; return its figures."""
    engine = open_engine(target.url)
    svc = services(engine)
    out: dict[str, Any] = {"url": target.url.split("@")[-1]}
    started = time.perf_counter()
    answer = answer_count_for(config.events, config.proposals)
    raw = target.raw_writer()
    try:
        out["one_more_proposal"] = build_log(engine, svc, raw, config.proposals, answer)
    finally:
        raw.close()
    out["build_seconds"] = time.perf_counter() - started
    out["log"] = log_size(engine)
    out["log"]["answer_plan_proposals"] = answer
    log(f"{target.name}: log built: {out['log']}")
    out["commands"] = measure_commands(engine, svc, target, config, answer)
    out["verify"] = measure_verify(target)
    engine.dispose()
    return out


def build_log(engine: Engine, svc: Services, raw: Writer, hot: int,
              answer: int) -> dict[str, Any]:
    """Build the hot plan (pair costs at 1 %, 10 %, 100 %) then the answering plan."""
    costs: dict[str, Any] = {}

    def measure(label: str) -> None:
        costs[label] = asdict(pair_cost(svc, raw, hot_size(engine)))
        log(f"hot plan at {label}: {costs[label]}")

    raw.window(3000)                              # warm the raw file up (WAL growth)
    open_reception(svc, HOT_PLAN)
    done = 0
    for checkpoint in sorted({max(1, hot // 100), max(1, hot // 10), hot}):
        while done < checkpoint:
            count = min(BATCH, checkpoint - done)
            build.submit_batch(engine, HOT_PLAN, build.hot_triggers(done + 1, count))
            done += count
        measure(str(checkpoint))
    driver = open_reception(svc, ANSWER_PLAN)
    _batches(answer, lambda first, count: build.submit_batch(
        engine, ANSWER_PLAN, build.answer_triggers(first, count)))
    open_feedback(driver)
    _batches(answer, lambda first, count: build.advance_batch(
        engine, ANSWER_PLAN, first, first + count - 1))
    measure(f"{hot}+full log")
    return costs


def hot_size(engine: Engine) -> int:
    """The hot plan's proposal count now."""
    with engine.connect() as conn:
        return int(conn.execute(select(t.plans.c.proposal_count)
                                .where(t.plans.c.plan_id == HOT_PLAN)).scalar_one())


def _batches(count: int, step: Callable[[int, int], int]) -> None:
    for first in range(1, count + 1, BATCH):
        step(first, min(BATCH, count - first + 1))


def log_size(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(t.events)).scalar_one()
        proposals = conn.execute(select(func.count()).select_from(t.proposals)).scalar_one()
        hot = conn.execute(select(t.plans.c.proposal_count)
                           .where(t.plans.c.plan_id == HOT_PLAN)).scalar_one()
    return {"events": events, "proposals": proposals, "hot_plan_proposals": hot}


def measure_commands(engine: Engine, svc: Services, target: Target, config: Settings,
                     answer: int) -> dict[str, Any]:
    """Prefill the peer, then run raw / engine / peer / floor windows round-robin."""
    started = time.perf_counter()
    app = PeerApp(env=target.peer_env)
    prefill(app, config.proposals, answer)
    peer_seconds = time.perf_counter() - started
    peer_sqlite = sqlite_settings(app)
    log(f"{target.name}: peer prefilled in {peer_seconds:.0f} s")
    pools = load_pools(engine)
    rounds = config.rounds + 1                    # the first round warms up and is dropped
    cycles = max(1, min(config.cycles, pools.cycles_left() // rounds))
    engine_mix = EngineMix(svc, pools, 3 * 10**6)
    peer_mix = PeerMix(app, config.proposals, answer)
    raw, floor = target.raw_writer(), target.floor_writer()
    try:
        rates = round_robin({"raw": lambda: raw.window(config.raw_commits),
                             "engine": lambda: engine_mix.window(cycles),
                             "peer": lambda: peer_mix.window(cycles),
                             "floor": lambda: floor.window(config.raw_commits // 2)}, rounds)
    finally:
        raw.close()
        floor.close()
        app.close()
    rates = {name: values[1:] for name, values in rates.items()}
    out = {name: {"median_per_s": median(values), "windows": values}
           for name, values in rates.items()}
    log(f"{target.name}: commands {[(k, round(v['median_per_s'])) for k, v in out.items()]}")
    return {"rates": out, "commands_per_window": cycles * 6,
            "raw_commits_per_window": config.raw_commits, "peer_prefill_seconds": peer_seconds,
            "peer_sqlite_pragmas": peer_sqlite,
            "engine_vs_raw": ratio(rates["engine"], rates["raw"]),
            "engine_vs_peer": ratio(rates["engine"], rates["peer"]),
            "peer_vs_raw": ratio(rates["peer"], rates["raw"]),
            "floor_vs_raw": ratio(rates["floor"], rates["raw"]),
            "engine_vs_floor": ratio(rates["engine"], rates["floor"])}


def measure_verify(target: Target, runs: int = 3) -> dict[str, Any]:
    """Verify ``runs`` times in a child process, a raw SELECT before and after each.

    Each verify's rate is compared with the mean of the raw SELECTs beside it;
    the figures are medians, the peak RSS the largest seen.
    """
    raw = [target.raw_select()]
    found: list[dict[str, Any]] = []
    for run_ in range(runs):
        log(f"{target.name}: verifying ({run_ + 1}/{runs})")
        child = subprocess.run([sys.executable, "-m", "bench.verify_child", target.url],
                               capture_output=True, text=True, check=True, cwd=ROOT)
        found.append(json.loads(child.stdout))
        raw.append(target.raw_select())
    raw_rates = [rows / seconds for rows, seconds in raw]
    rates = [f["events"] / f["seconds"] for f in found]
    ratios = [rate * 2 / (raw_rates[i] + raw_rates[i + 1]) for i, rate in enumerate(rates)]
    out = {key: found[-1][key] for key in ("events", "plans", "proposals")}
    out |= {"ok": all(f["ok"] for f in found),
            "finding": next((f["finding"] for f in found if f["finding"]), None),
            "seconds": [f["seconds"] for f in found], "events_per_s": median(rates),
            "peak_rss_mib": max(f["peak_rss_mib"] for f in found),
            "own_peak_rss_mib": max(f["own_peak_rss_mib"] for f in found),
            "worker_peak_rss_mib": max(f["worker_peak_rss_mib"] for f in found),
            "raw_select_rows_per_s": median(raw_rates),
            "raw_select_seconds": [seconds for _rows, seconds in raw],
            "verify_vs_raw": median(ratios)}
    log(f"{target.name}: verify {out}")
    return out
