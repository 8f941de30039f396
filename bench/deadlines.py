"""Deadline benchmark: ``python -m bench.deadlines [--plans 10000] [--db sqlite|postgresql|both]``.

Per database: create ``--plans`` Cuenca plans through the services (each plan's
23 deadlines written with its PlanCreated), their first days spread over ten
consecutive days, so ``plans / 10`` opening deadlines share each moment. Then:

- start-up: what the scheduler does when it starts with nothing due (look for
  due deadlines, find the next one and arm for it), median of 7; and, for
  scale, reading every pending deadline row;
- the first shared moment, for real: the APScheduler-driven scheduler runs on a
  rehearsal clock set 3 s before it, and we measure until every one of those
  deadlines has fired, and each one's lateness as recorded in its event
  (median, p99, max);
- ``cocrea simulate`` of the shipped scenario, wall time of the whole command
  (a fresh SQLite file each time), median of 5.

Prints a table and writes ``bench/results/deadlines.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bench.targets import TARGETS
from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from storage import schedule
from storage import tables as t
from storage.database import open_engine
from workflow.adapters.logs import configure_logging
from workflow.bootstrap import bootstrap
from workflow.domain.clock import VirtualClock, rehearsal_clock
from workflow.domain.deadlines import day_starts
from workflow.domain.events import Actor
from workflow.testing import Driver

FIRST_DAY = dt.date(2031, 3, 3)
STAFF = Actor("bench", "staff")
RESULTS = Path(__file__).parent / "results"


def build(engine: Engine, plans: int) -> float:
    """Create the plans (one durable command each); return plans per second."""
    label, text = resolve_definition_source("cuenca-2022")
    definition = parse_definition(text, label)
    clock = VirtualClock(dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    services = Driver(bootstrap(engine=engine, clock=clock).services())
    start = time.perf_counter()
    for n in range(plans):
        services.create_plan(definition, STAFF, f"plan-{n:05d}",
                             FIRST_DAY + dt.timedelta(days=n % 10))
    return plans / (time.perf_counter() - start)


def startup(engine: Engine) -> dict[str, float]:
    """Time the scheduler's start-up pass with nothing due, and reading every pending row."""
    before = day_starts(FIRST_DAY, "America/Guayaquil") - dt.timedelta(hours=12)
    clock = VirtualClock(before)
    runner = bootstrap(engine=engine, clock=clock).runner()
    passes = []
    for _ in range(7):
        start = time.perf_counter()
        assert runner.run_due() == []
        assert schedule.next_due(engine) is not None
        passes.append(time.perf_counter() - start)
    d = t.deadlines.c
    start = time.perf_counter()
    with engine.connect() as conn:
        rows = conn.execute(select(d.deadline_id, d.due_at).where(d.status == "pending")).all()
    return {"startup_ms": statistics.median(passes) * 1000, "pending": len(rows),
            "read_all_pending_s": time.perf_counter() - start}


def simultaneous(engine: Engine) -> dict[str, float]:
    """Let the real scheduler fire the first shared moment; measure how late each one ran."""
    due = day_starts(FIRST_DAY, "America/Guayaquil")
    d = t.deadlines.c
    count_query = select(func.count()).where(d.due_at == due, d.kind == "open")
    with engine.connect() as conn:
        expected = int(conn.execute(count_query).scalar_one())
    clock = rehearsal_clock(due - dt.timedelta(seconds=3))
    due_real = time.monotonic() + 3
    wakeups = bootstrap(engine=engine, clock=clock).wakeups(poll_seconds=60)
    wakeups.start()
    fired_query = count_query.where(d.status == "fired")
    try:
        while True:
            with engine.connect() as conn:
                if conn.execute(fired_query).scalar_one() == expected:
                    break
            time.sleep(0.05)
        all_fired = time.monotonic() - due_real
    finally:
        wakeups.shutdown()
    e = t.events.c
    with engine.connect() as conn:
        data = conn.execute(select(e.data).where(e.type == "PhaseOpened")).scalars().all()
    late = sorted(json.loads(row)["late_seconds"] for row in data)
    return {"deadlines": expected, "all_fired_s": all_fired,
            "late_median_s": statistics.median(late),
            "late_p99_s": late[min(len(late) - 1, round(0.99 * len(late)))],
            "late_max_s": late[-1], "fired_per_s": expected / late[-1]}


def simulate_wall(runs: int = 5) -> float:
    """Median wall time of ``cocrea simulate`` (a fresh SQLite file per run)."""
    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="cocrea-bench-sim-"))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "workflow", "simulate", "--db",
                        f"sqlite:///{folder / 'sim.db'}"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--output", type=Path, default=RESULTS / "deadlines.json")
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                               "plans": args.plans, "databases": {}}
    for name in names:
        with TARGETS[name]() as target:
            engine = open_engine(target.url)
            found: dict[str, Any] = {"build_plans_per_s": build(engine, args.plans)}
            found.update(startup(engine))
            found.update(simultaneous(engine))
            results["databases"][name] = found
            engine.dispose()
    results["simulate_wall_s"] = simulate_wall()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
