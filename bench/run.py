"""Entry point: ``python -m bench.run [--quick] [--db sqlite|postgresql|both] [--proposals N]``.

Per database: build the big log with the engine's code in large transactions
(measuring the one-more-proposal cost at 1 %, 10 % and 100 % of the hot plan's
size, and once more on the full log), prefill the ``eventsourcing`` peer alike,
then run the durable hot-path mix round-robin against the raw baseline and the
peer, then verify in a child process against a raw SELECT. Prints a table and
writes ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import storage
from bench import scenario
from bench.report import render, targets_met
from bench.targets import TARGETS

RESULTS = Path(__file__).parent / "results"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 proposals, fewer rounds")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--proposals", type=int, help="hot plan size (default 100,000)")
    parser.add_argument("--events-per-proposal", type=float, default=10.0,
                        help="log size as a multiple of --proposals (default 10)")
    parser.add_argument("--rounds", type=int, help="measurement rounds (default 7, quick 5)")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    return parser.parse_args()


def settings(args: argparse.Namespace) -> scenario.Settings:
    proposals = args.proposals or (5_000 if args.quick else 100_000)
    rounds = args.rounds or (5 if args.quick else 7)
    return scenario.Settings(proposals=proposals,
                             events=round(proposals * args.events_per_proposal),
                             rounds=rounds, cycles=40 if args.quick else 60,
                             raw_commits=1000 if args.quick else 2000)


def main() -> None:
    args = arguments()
    config = settings(args)
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "engine_from": str(Path(storage.__file__).resolve().parent.parent),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count() or 0,
                    "platform": platform.platform()},
        "settings": config.__dict__, "databases": {}}
    for name in names:
        with TARGETS[name]() as target:
            results["databases"][name] = scenario.run(target, config)
    results["seconds"] = time.perf_counter() - started
    results["targets"] = targets_met(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))
    print(f"\nwritten to {args.output} in {results['seconds']:.0f} s")


def _commit() -> str | None:
    """The commit measured: ``BENCH_COMMIT`` (set by bench.snapshot), else ``git rev-parse``."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        found = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                               check=True, cwd=Path(__file__).resolve().parents[1])
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout.strip()


if __name__ == "__main__":
    main()
