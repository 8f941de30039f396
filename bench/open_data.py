"""The open-data export of a plan with a million events, against a raw SELECT of the same rows.

``python -m bench.open_data [--db sqlite|postgresql|both] [--events N] [--rounds R]``
builds one Cuenca plan through the engine's own code (``bench/build.py``: reception
open, then retroalimentación; proposals taken all the way to an answer, about 4.5
events each) until it holds about N events (default 1,000,000), then, round after
round, side by side:

- ``raw``: ``SELECT`` of every column of the plan's events in position order
  (``WHERE plan_id = ? ORDER BY position``), with sqlite3 or a psycopg server-side
  cursor, iterated and dropped: rows per second;
- ``events``: the package's events table alone, as CSV and as JSON Lines into a
  ZIP, exactly as the package writes it: events per second (each event read twice,
  once per format, formatted, hashed, compressed);
- ``export``: the whole package (every table, both formats, ``datapackage.json``)
  into a ZIP, as ``cocrea export PLAN --out FILE.zip`` does: its wall time, and the
  plan's events per second of it;

each export in a child process of its own, which reports its peak RSS (``VmHWM``
of /proc/self/status, not ``ru_maxrss``: Linux keeps that across ``execve``, so
a child would report at least the RSS of the process that built the plan); the
RSS of a child that only opened the database is the floor.
The figures are medians of the rounds; the ratio is taken per round, of wall
time and of CPU time (``process_time``: this process's every thread; not the
PostgreSQL server's, for neither side), since on a shared, loaded machine the
wall time measures the other users as much as the export.
Writes ``bench/results/open_data.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, func, select

from bench import build
from bench.cuenca import open_feedback, open_reception, services
from bench.measure import median
from bench.scenario import BATCH, log
from bench.targets import TARGETS, libpq
from storage import tables as t
from storage.database import open_engine
from storage.public import record
from workflow.public import package, tables

ROOT = Path(__file__).resolve().parents[1]
PLAN = "cuenca-2022"
EVENTS_PER_PROPOSAL = 4.55
"""The answering pattern's events per proposal (bench/lifecycles.py ANSWER)."""
RAW = "SELECT * FROM events WHERE plan_id = {mark} ORDER BY position"


def build_plan(engine: Engine, events: int) -> dict[str, int]:
    """Build one plan of about ``events`` events; return its size."""
    svc = services(engine)
    driver = open_reception(svc, PLAN)
    count = round(events / EVENTS_PER_PROPOSAL)
    for first in range(1, count + 1, BATCH):
        size = min(BATCH, count - first + 1)
        build.submit_batch(engine, PLAN, build.answer_triggers(first, size))
    open_feedback(driver)
    for first in range(1, count + 1, BATCH):
        build.advance_batch(engine, PLAN, first, min(first + BATCH - 1, count))
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t.events)
                             .where(t.events.c.plan_id == PLAN)).scalar_one()
    return {"events": int(total), "proposals": count}


def raw_select(url: str) -> tuple[int, float, float]:
    """Iterate the plan's events with the bare driver; return (rows, seconds, CPU seconds)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            start, cpu, rows = time.perf_counter(), time.process_time(), 0
            for _row in conn.execute(RAW.format(mark="?"), (PLAN,)):
                rows += 1
            return rows, time.perf_counter() - start, time.process_time() - cpu
        finally:
            conn.close()
    with psycopg.connect(libpq(url)) as pg, pg.cursor(name="raw_plan") as cursor:
        cursor.itersize = 2000
        start, cpu, rows = time.perf_counter(), time.process_time(), 0
        cursor.execute(RAW.format(mark="%s"), (PLAN,))
        for _row in cursor:
            rows += 1
        return rows, time.perf_counter() - start, time.process_time() - cpu


def child(url: str, what: str, out: str) -> None:
    """In a child process: export (``package``, ``events`` or ``nothing``); print JSON."""
    engine = open_engine(url, migrate=False, readonly=True)
    start, cpu = time.perf_counter(), time.process_time()
    if what == "package":
        written = package.export(engine, PLAN, Path(out))
        events = written.rows["events"]
    elif what == "events":
        events = _events_only(engine, Path(out))
    else:
        with record(engine, PLAN):
            events = 0
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = peak_rss_mib()
    size = Path(out).stat().st_size if Path(out).exists() else 0
    print(json.dumps({"events": events, "seconds": seconds, "cpu_seconds": cpu,
                      "peak_rss_mib": rss,
                      "zip_bytes": size}))


def peak_rss_mib() -> float:
    """Return this process's peak resident set size since it was started (MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _events_only(engine: Engine, out: Path) -> int:
    table = next(each for each in tables.TABLES if each.name == "events")
    written = package.Written()
    with record(engine, PLAN) as found, out.open("wb") as file:
        zipped = package.Zipped(package.Onward(file), found.last_event()[2])
        columns = table.columns(found.plan.state.definition)
        for fmt in package.FORMATS:
            with zipped.entry(f"events.{fmt}") as entry, package.Counted(entry) as counted:
                for _ in package.WRITERS[fmt](table, columns, found, counted, written):
                    pass
        zipped.close()
    return int(written.rows["events"])


def run_child(url: str, what: str, folder: Path) -> dict[str, Any]:
    out = folder / f"{what}.zip"
    done = subprocess.run([sys.executable, "-m", "bench.open_data", "--child", what, url,
                           str(out)], capture_output=True, text=True, check=True, cwd=ROOT)
    out.unlink(missing_ok=True)
    return dict(json.loads(done.stdout))


def measure(url: str, rounds: int) -> dict[str, Any]:
    """Run raw / events / export round after round; return medians and per-round ratios."""
    folder = Path(tempfile.mkdtemp(prefix="cocrea-open-data-"))
    floor = run_child(url, "nothing", folder)
    found: dict[str, list[Any]] = {"raw": [], "raw_cpu": [], "events": [], "package": []}
    for r in range(rounds):
        rows, seconds, cpu = raw_select(url)
        found["raw"].append(rows / seconds)
        found["raw_cpu"].append(rows / cpu)
        for what in ("events", "package"):
            found[what].append(run_child(url, what, folder))
        log(f"round {r + 1}: raw {found['raw'][-1]:,.0f} rows/s, events "
            f"{found['events'][-1]}, package {found['package'][-1]}")
    rate = {what: [f["events"] / f["seconds"] for f in found[what]]
            for what in ("events", "package")}
    per_cpu = {what: [f["events"] / f["cpu_seconds"] for f in found[what]]
               for what in ("events", "package")}
    return {
        "raw_rows_per_s": median(found["raw"]),
        "events_rows_per_s": median(rate["events"]),
        "package_events_per_s": median(rate["package"]),
        "events_vs_raw": median([e / r for e, r in zip(rate["events"], found["raw"],
                                                        strict=True)]),
        "package_vs_raw": median([p / r for p, r in zip(rate["package"], found["raw"],
                                                         strict=True)]),
        "events_vs_raw_cpu": median([e / r for e, r in zip(per_cpu["events"], found["raw_cpu"],
                                                            strict=True)]),
        "package_vs_raw_cpu": median([p / r for p, r in zip(per_cpu["package"],
                                                             found["raw_cpu"], strict=True)]),
        "package_seconds": median([f["seconds"] for f in found["package"]]),
        "package_zip_mib": found["package"][-1]["zip_bytes"] / 2**20,
        "peak_rss_mib": {"package": max(f["peak_rss_mib"] for f in found["package"]),
                         "events": max(f["peak_rss_mib"] for f in found["events"]),
                         "opened_only": floor["peak_rss_mib"]},
        "rounds": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "open_data.json"))
    parser.add_argument("--child", nargs=3, metavar=("WHAT", "URL", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[1], args.child[0], args.child[2])
        return
    results: dict[str, Any] = {"events_asked": args.events}
    for name in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
        with TARGETS[name]() as target:
            engine = open_engine(target.url)
            started = time.perf_counter()
            size = build_plan(engine, args.events)
            log(f"{name}: plan built in {time.perf_counter() - started:.0f} s: {size}")
            engine.dispose()
            results[name] = {"plan": size, **measure(target.url, args.rounds)}
        report(name, results[name])
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, indent=2))


def report(name: str, found: dict[str, Any]) -> None:
    rss = found["peak_rss_mib"]
    print(f"\n{name}: {found['plan']['events']:,} events, {found['plan']['proposals']:,} "
          f"proposals in one plan\n"
          f"  raw SELECT of the plan's events      {found['raw_rows_per_s']:>12,.0f} rows/s\n"
          f"  events table (CSV + JSONL, ZIP)      {found['events_rows_per_s']:>12,.0f} rows/s"
          f"  ratio {found['events_vs_raw']:.2f} (CPU {found['events_vs_raw_cpu']:.2f})\n"
          f"  whole package (all tables, ZIP)      {found['package_events_per_s']:>12,.0f} "
          f"events/s  ratio {found['package_vs_raw']:.2f} (CPU {found['package_vs_raw_cpu']:.2f})  "
          f"({found['package_seconds']:.1f} s, "
          f"{found['package_zip_mib']:.0f} MiB)\n"
          f"  peak RSS: package {rss['package']:.0f} MiB, events {rss['events']:.0f} MiB, "
          f"opened only {rss['opened_only']:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
