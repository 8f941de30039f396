"""The OGP report of a large plan: how long it takes and how much memory it needs.

A Cuenca plan of N answered proposals (default 100,000: about 455,000 events) is built
as ``bench.commitments`` builds it. Then, round-robin in fresh child processes, the
plan's OGP report is made (what ``GET /plans/{plan}/ogp``, ``cocrea ogp report``, the
site's page and each plan's report in an evidence pack compute: a replay of the plan's
events and the rules over them; ``python -m bench.ogp --child URL`` prints its seconds
and peak RSS) and, for scale beside it, the whole log is verified
(``bench.verify_child``): the report replays one plan much as verify's replay does.

    python -m bench.ogp --db sqlite --proposals 5000       # about a minute
    python -m bench.ogp                                     # both databases, 100,000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.commitments import PLAN, Place, build_plan, measure_each
from bench.cuenca import services
from bench.measure import log, peak_rss_mib
from storage.database import open_engine
from workflow.reads import ogp_report


def child(url: str) -> None:
    """Make the plan's OGP report once, now; print its seconds, rules met and peak RSS."""
    engine = open_engine(url, migrate=False)
    start = time.perf_counter()
    report = ogp_report(engine, PLAN, dt.datetime.now(dt.UTC))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rules": len(report["rules"]), **peak_rss_mib()}))


def run_child(module: str, url: str) -> dict[str, Any]:
    """Run one measuring child; what it printed."""
    found = subprocess.run([sys.executable, "-m", module, *(["--child"] if module == "bench.ogp"
                                                           else []), url],
                           check=True, capture_output=True, text=True)
    return dict(json.loads(found.stdout.strip().splitlines()[-1]))


def run(place: Place, args: argparse.Namespace) -> dict[str, Any]:
    """Build the plan, then the report and verify round-robin in children; their medians."""
    engine = open_engine(place.url)
    started = time.perf_counter()
    build_plan(engine, services(engine), args.proposals)
    log(f"plan of {args.proposals} proposals built in {time.perf_counter() - started:.0f} s")
    engine.dispose()
    rounds: dict[str, list[dict[str, Any]]] = {"report": [], "verify": []}
    for _ in range(args.rounds):
        rounds["report"].append(run_child("bench.ogp", place.url))
        rounds["verify"].append(run_child("bench.verify_child", place.url))
    out: dict[str, Any] = {name: {"seconds": statistics.median(r["seconds"] for r in found),
                                  "peak_rss_mib": statistics.median(r["own_peak_rss_mib"]
                                                                    for r in found)}
                           for name, found in rounds.items()}
    out["events"] = rounds["verify"][-1]["events"]
    out["report_seconds_per_verify_second"] = statistics.median(
        a["seconds"] / b["seconds"] for a, b in zip(rounds["report"], rounds["verify"],
                                                    strict=True))
    return out


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).parent / "results" / "ogp.json")
    return parser.parse_args()


def main() -> None:
    """Measure on the databases asked for; print and write the figures."""
    args = arguments()
    if args.child:
        child(args.child)
    else:
        measure_each(args, run)


if __name__ == "__main__":
    main()
