"""Evidence pack benchmark: ``python -m bench.pack [--db sqlite|postgresql|both] [--proposals N]``.

How fast ``cocrea audit check`` checks a pack of a big log, against ``verify`` on
the database the pack was made from, in the same run. The log is built as
``bench.run`` builds it (``bench/build.py``: the hot plan of N proposals, default
100,000, and the answering plan filling the log to 10 × N events, about a
million). Then ``storage.pack.write_pack`` writes the pack of the whole log
as ``cocrea audit pack`` does (every member, OGP reports included) once (timed,
with its size), and ``--runs`` times, side by side in time:

- ``verify`` on the database, in a child process (``bench.verify_child``);
- ``audit check`` of the pack, in a child process (``bench.check_child``), which
  opens no database.

Target (issue 15): check events/s ÷ verify events/s ≥ 0.8, the median of the
ratios of the runs next to each other. Peak RSS of each (child and its chain
worker), and of the writer while it writes the pack (``VmHWM`` reset before).
Prints a table and writes ``bench/results/pack.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bench import build
from bench.cuenca import ANSWER_PLAN, HOT_PLAN, open_feedback, open_reception, services
from bench.lifecycles import answer_count_for
from bench.measure import log, median, peak_rss_mib, reset_peak_rss
from bench.targets import TARGETS
from storage import tables as t
from storage.database import open_engine
from storage.pack import write_pack
from workflow.evidence import MEMBERS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET = 0.8
BATCH = 5000
"""Proposals per build transaction (as ``bench.run``)."""



def log_size(engine: Engine) -> dict[str, int]:
    """Count the log's events and proposals."""
    with engine.connect() as conn:
        return {"events": conn.execute(select(func.count()).select_from(t.events)).scalar_one(),
                "proposals": conn.execute(select(func.count())
                                          .select_from(t.proposals)).scalar_one()}


def build_log(engine: Engine, hot: int, events: int) -> dict[str, int]:
    """Build the hot plan of ``hot`` proposals and the answering plan up to ``events``."""
    svc, answer = services(engine), answer_count_for(events, hot)
    open_reception(svc, HOT_PLAN)
    for first in range(1, hot + 1, BATCH):
        build.submit_batch(engine, HOT_PLAN, build.hot_triggers(first, min(BATCH,
                                                                           hot - first + 1)))
    driver = open_reception(svc, ANSWER_PLAN)
    for first in range(1, answer + 1, BATCH):
        build.submit_batch(engine, ANSWER_PLAN,
                           build.answer_triggers(first, min(BATCH, answer - first + 1)))
    open_feedback(driver)
    for first in range(1, answer + 1, BATCH):
        build.advance_batch(engine, ANSWER_PLAN, first, min(first + BATCH - 1, answer))
    return log_size(engine)


def child(module: str, argument: str) -> dict[str, Any]:
    """Run ``python -m MODULE ARGUMENT`` and return the JSON it printed."""
    done = subprocess.run([sys.executable, "-m", module, argument], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def measure(name: str, url: str, proposals: int, runs: int, folder: Path) -> dict[str, Any]:
    """Build the log on one database, pack it, then verify and check it side by side."""
    engine = open_engine(url)
    started = time.perf_counter()
    size = build_log(engine, proposals, 10 * proposals)
    log(f"{name}: log built in {time.perf_counter() - started:.0f} s: {size}")
    pack = folder / f"{name}-evidence.zip"
    reset_peak_rss()
    started = time.perf_counter()
    summary = write_pack(engine, pack, MEMBERS)
    pack_seconds = time.perf_counter() - started
    pack_rss = peak_rss_mib()["own_peak_rss_mib"]
    engine.dispose()
    log(f"{name}: pack written in {pack_seconds:.1f} s, {pack.stat().st_size / 2**20:.0f} MiB,"
        f" peak RSS {pack_rss:.0f} MiB")
    verified, checked = [], []
    for run in range(runs):
        for label, found, module, argument in (("verify", verified, "bench.verify_child", url),
                                               ("check", checked, "bench.check_child",
                                                str(pack))):
            found.append(child(module, argument))
            log(f"{name}: {label} {run + 1}/{runs}: {found[-1]['seconds']:.2f} s,"
                f" ok={found[-1]['ok']}")
    ratios = [v["seconds"] / c["seconds"] for v, c in zip(verified, checked, strict=True)]
    return {"log": size, "pack_seconds": pack_seconds, "pack_mib": pack.stat().st_size / 2**20,
            "pack_peak_rss_mib": pack_rss,
            "events": summary.events, "verify_seconds": [v["seconds"] for v in verified],
            "check_seconds": [c["seconds"] for c in checked],
            "verify_ok": all(v["ok"] for v in verified), "check_ok": all(c["ok"] for c in checked),
            "check_findings": next((c["findings"] for c in checked if c["findings"]), []),
            "verify_peak_rss_mib": max(v["peak_rss_mib"] for v in verified),
            "check_peak_rss_mib": max(c["peak_rss_mib"] for c in checked),
            "check_vs_verify": median(ratios), "ratios": ratios}


def table(results: dict[str, dict[str, Any]]) -> str:
    """Return the figures as a table, a column per database."""
    names = list(results)
    rows = [("events in the pack", lambda r: f"{r['events']}"),
            ("pack written (s) / size (MiB) / peak RSS (MiB)",
             lambda r: f"{r['pack_seconds']:.1f} / {r['pack_mib']:.0f}"
                       f" / {r['pack_peak_rss_mib']:.0f}"),
            ("verify seconds, each run (ok?)",
             lambda r: f"{'/'.join(f'{s:.1f}' for s in r['verify_seconds'])} ({r['verify_ok']})"),
            ("check seconds, each run (ok?)",
             lambda r: f"{'/'.join(f'{s:.1f}' for s in r['check_seconds'])} ({r['check_ok']})"),
            ("peak RSS MiB, verify / check",
             lambda r: f"{r['verify_peak_rss_mib']:.0f} / {r['check_peak_rss_mib']:.0f}"),
            (f"check events/s ÷ verify events/s (≥{TARGET})",
             lambda r: f"{r['check_vs_verify']:.2f} "
                       f"{'ok' if r['check_vs_verify'] >= TARGET else 'MISSED'}")]
    lines = [f"{'':44}" + "".join(f"{n:>22}" for n in names)]
    lines += [f"{label:44}" + "".join(f"{show(results[n]):>22}" for n in names)
              for label, show in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS / "pack.json")
    args = parser.parse_args()
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = {}
    for name in names:
        with TARGETS[name]() as target, tempfile.TemporaryDirectory(
                prefix="cocrea-pack-") as folder:
            results[name] = measure(name, target.url, args.proposals, args.runs, Path(folder))
    print(table(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    command = " ".join(["python -m bench.pack", *sys.argv[1:]])
    args.output.write_text(json.dumps({"command": command, "results": results}, indent=2),
                           encoding="utf-8")


if __name__ == "__main__":
    main()
