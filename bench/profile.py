"""Where the time goes: cProfile of the durable mix and of verify, and verify's memory.

``python -m bench.profile [--db sqlite|postgresql] [--proposals N]`` builds a
log like ``bench.run`` does (default 5,000 proposals), then prints, for the
engine's hot-path mix, the eventsourcing peer's mix and ``verify``: the wall
time share of the engine's main steps and the top functions by own time; and
the Python memory the replay holds at the end of the walk, by allocation site.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
import tracemalloc
from collections.abc import Callable

from sqlalchemy import Engine

from bench.commands import EngineMix, load_pools
from bench.cuenca import services
from bench.es_peer import PeerApp, PeerMix, prefill
from bench.lifecycles import answer_count_for
from bench.scenario import build_log
from bench.targets import TARGETS, Target
from storage.audit import verify
from storage.database import open_engine
from storage.eventstore import recorded, scan
from workflow.domain.replay import Replay

STEPS = {
    "command mix": (
        "uow.py:__enter__", "uow.py:plan_context", "uow.py:plan", "uow.py:proposal",
        "proposal.py:submit", "proposal.py:fire", "eventstore.py:append",
        "projections.py:write_proposal", "uow.py:commit", "uow.py:__exit__", "uow.py:_close",
        "method 'commit'", "method 'execute'", "method 'executemany'",
        "connection.py:wait", "pool/base.py:_checkout", "pool/base.py:_finalize_fairy",
        "pool/base.py:_do_ping", "base.py:raw_connection"),
    "verify": (
        "audit.py:_replay_and_compare", "audit.py:replay_rows", "chain.py:streamed",
        "event_data.py:event_data", "replay.py:apply_fields", "proposal.py:step",
        "machines.py:fire", "core.py:trigger", "chain.py:check_chain", "chain.py:link",
        "audit_projections.py:check_projections", "audit_projections.py:_check_proposals",
        "audit_projections.py:_check_deadlines", "audit.py:collector_paused"),
}


def profiled(label: str, run: Callable[[], object], steps: tuple[str, ...], top: int) -> None:
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(run)
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    print(f"\n=== {label}: {wall:.2f} s wall (under cProfile) ===")
    print(f"{'step (cumulative)':58}{'calls':>10}{'s':>9}{'share':>8}")
    for key, (cc, _nc, _tt, ct, _callers) in sorted(stats.stats.items(),  # type: ignore[attr-defined]
                                                    key=lambda kv: -kv[1][3]):
        name = f"{key[0].split('site-packages/')[-1].split('main/')[-1]}:{key[2]}"
        if any(step in name or step in key[2] for step in steps):
            print(f"{name[-58:]:58}{cc:>10}{ct:>9.2f}{ct / wall:>8.0%}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    body = out.getvalue().split("ncalls", 1)[-1]
    print(f"--- top {top} by own time ---\n   ncalls{body.rstrip()}")


def replay_memory(engine: Engine, top: int) -> None:
    """What the replay holds after the walk (verify keeps it for the projection check)."""
    tracemalloc.start(5)
    replay = Replay()
    with engine.connect().execution_options(readonly=True) as conn, conn.begin():
        for row in scan(conn):
            replay.apply(recorded(row))
    snapshot = tracemalloc.take_snapshot()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count = len(replay.proposals)
    print(f"\n=== replay memory: {current / 2**20:.1f} MiB held, {peak / 2**20:.1f} MiB peak, "
          f"{count} proposals, {current / max(1, count) / 1024:.2f} KiB per proposal ===")
    for stat in snapshot.statistics("lineno")[:top]:
        frame = stat.traceback[0]
        where = f"{frame.filename.split('site-packages/')[-1].split('main/')[-1]}:{frame.lineno}"
        print(f"{stat.size / 2**20:8.1f} MiB {stat.count:>9} blocks  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=tuple(TARGETS), default="sqlite")
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    with TARGETS[args.db]() as target:
        run(target, args)


def run(target: Target, args: argparse.Namespace) -> None:
    engine = open_engine(target.url)
    svc = services(engine)
    answer = answer_count_for(10 * args.proposals, args.proposals)
    raw = target.raw_writer()
    build_log(engine, svc, raw, args.proposals, answer)
    raw.close()
    mix = EngineMix(svc, load_pools(engine), 3 * 10**6)
    mix.window(10)
    profiled(f"{target.name} engine mix, {args.cycles * 6} durable commands",
             lambda: mix.window(args.cycles), STEPS["command mix"], args.top)
    app = PeerApp(env=target.peer_env)
    prefill(app, args.proposals, answer)
    peer = PeerMix(app, args.proposals, answer)
    peer.window(10)
    profiled(f"{target.name} eventsourcing peer mix, {args.cycles * 6} durable commands",
             lambda: peer.window(args.cycles), (), args.top)
    app.close()
    profiled(f"{target.name} verify", lambda: verify(engine), STEPS["verify"], args.top)
    replay_memory(engine, args.top)
    engine.dispose()


if __name__ == "__main__":
    main()
