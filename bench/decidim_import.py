"""Decidim import benchmark: ``python -m bench.decidim_import [--rows 100000] [--db both]``.

How fast ``cocrea import decidim`` imports a large export, against the engine's own
proposal submissions in the same run. ``--rows`` proposals are made from the 13
sample rows of tests/fixtures/decidim as ``bench.decidim_read`` makes them (the
0.27/0.28 open-data CSV, ``;``), a fresh file a round (new ids: nothing is
already imported). Of every 13 rows 9 are imported and 4 left out (withdrawn, an
amendment, another space, published after the reception), as in the samples.

On each database (SQLite, and PostgreSQL on a durable throwaway cluster), a
Cuenca plan with reception open, then round after round, side by side in time:

- the import: ``Services.handle(ImportProposals(...))`` of the whole file, one
  transaction (read, decide, write in batches of 1,000, commit), file rows per
  second and proposals imported per second;
- the engine: ``--submissions`` proposals submitted to the same plan, one durable
  command each (``submit_proposal``).

The target (issue 15): rows imported per second ÷ submissions per second ≥ 1 (an
import is one transaction, not one per row). The figure is the median of the
per-round ratios. Then one more fresh file through the real command line,
``cocrea import decidim PLAN FILE --space 7 --json`` in a child process: its wall
time and its peak RSS (``ru_maxrss``), i.e. the memory 100,000 proposals in one
transaction take (the file itself included); and ``verify`` over the result. Prints a
table and writes ``bench/results/decidim_import.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.cuenca import HOT_PLAN, INTAKE, open_reception, services
from bench.decidim_read import BODY, csv_rows
from bench.targets import data_root
from storage.audit import verify
from storage.database import open_engine
from tests.support.postgres import postgres_cluster
from workflow.adapters.decidim_import import decidim_rows
from workflow.bootstrap import bootstrap
from workflow.commands import ImportProposals

RESULTS = Path(__file__).parent / "results"
TEMPLATE = "proposals_0.27.7-0.28.x_semicolon.csv"
SPACE = 7
"""The samples' participatory space (the other, 9, is left out)."""


@contextlib.contextmanager
def sqlite_url() -> Iterator[str]:
    """A SQLite file in a fresh temp folder, removed at the end."""
    root = data_root()
    try:
        yield f"sqlite:///{root / 'import.db'}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """A database on a durable throwaway cluster (fsync, synchronous commit on)."""
    with postgres_cluster(durable=True) as cluster:
        yield cluster.create_database("import_bench")


DATABASES: dict[str, Callable[[], contextlib.AbstractContextManager[str]]] = {
    "sqlite": sqlite_url, "postgresql": postgres_url}


def import_window(url: str, data: bytes) -> tuple[float, float]:
    """Import ``data`` through the services; (file rows per second, proposals per second)."""
    engine = open_engine(url, migrate=False)
    svc = bootstrap(engine=engine).services()
    start = time.perf_counter()
    report = svc.handle(ImportProposals(HOT_PLAN, "bench.csv", decidim_rows(data, "bench.csv",
                                                                            SPACE), INTAKE))
    took = time.perf_counter() - start
    engine.dispose()
    return report.rows / took, len(report.imported) / took


def submit_window(url: str, count: int) -> float:
    """Submit ``count`` proposals, one durable command each; submissions per second."""
    engine = open_engine(url, migrate=False)
    svc = services(engine)
    start = time.perf_counter()
    for n in range(count):
        svc.submit_proposal(HOT_PLAN, f"Propuesta {n}", BODY, "online", None, INTAKE)
    took = time.perf_counter() - start
    engine.dispose()
    return count / took


def by_command_line(url: str, data: bytes, folder: Path) -> dict[str, Any]:
    """Import ``data`` with ``cocrea import decidim`` in a child; its wall time and peak RSS.

    The child is started through ``bench.child_rss``, a small process: started from
    this one, which holds every round's file, it would report this one's memory.
    """
    path = folder / "participa.cuenca.gob.ec-open-data-proposals.csv"
    path.write_bytes(data)
    out, usage = folder / "report.json", folder / "usage.json"
    command = [sys.executable, "-m", "bench.child_rss", str(usage),
               str(Path(sys.executable).parent / "cocrea"), "import", "decidim", HOT_PLAN,
               str(path), "--space", str(SPACE), "--json", "--db", url]
    start = time.perf_counter()
    with out.open("wb") as stdout:
        subprocess.run(command, stdout=stdout, check=True)
    took = time.perf_counter() - start
    report = json.loads(out.read_text())
    return {"seconds": took, "rows": report["rows"], "imported": report["imported"],
            "file_bytes": len(data),
            "peak_rss_bytes": json.loads(usage.read_text())["peak_rss_bytes"]}


def measure(name: str, rows: int, rounds: int, submissions: int) -> dict[str, Any]:
    """Run the rounds on one database; the figures."""
    with DATABASES[name]() as url:
        engine = open_engine(url)
        open_reception(services(engine), HOT_PLAN)
        engine.dispose()
        files = [csv_rows(TEMPLATE, rows, 10_000_000 * (r + 1)) for r in range(rounds + 1)]
        found: dict[str, list[float]] = {"rows_per_s": [], "imported_per_s": [],
                                         "submissions_per_s": [], "ratio": []}
        for r in range(rounds):
            first_import = r % 2 == 0
            if not first_import:
                found["submissions_per_s"].append(submit_window(url, submissions))
            rows_s, imported_s = import_window(url, files[r])
            if first_import:
                found["submissions_per_s"].append(submit_window(url, submissions))
            found["rows_per_s"].append(rows_s)
            found["imported_per_s"].append(imported_s)
            found["ratio"].append(rows_s / found["submissions_per_s"][-1])
        with contextlib.ExitStack() as stack:
            folder = data_root()
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            cli = by_command_line(url, files[rounds], folder)
        engine = open_engine(url, migrate=False)
        audit = verify(engine)
        engine.dispose()
    return {"rounds": found, **{key: statistics.median(values) for key, values in found.items()},
            "command_line": cli, "verify_ok": audit.ok, "events": audit.events,
            "proposals": audit.proposals}


def report(found: dict[str, Any]) -> str:
    lines = [f"{found['rows']:,} Decidim rows a file; {found['submissions']} submissions a window",
             f"{'':14}{'rows/s':>10}{'imported/s':>12}{'submits/s':>11}{'÷ engine':>10}"
             f"{'CLI s':>8}{'RSS MB':>8}{'verify':>8}"]
    for name, f in found["databases"].items():
        cli = f["command_line"]
        lines.append(f"{name:14}{f['rows_per_s']:10,.0f}{f['imported_per_s']:12,.0f}"
                     f"{f['submissions_per_s']:11,.0f}{f['ratio']:10.2f}{cli['seconds']:8.1f}"
                     f"{cli['peak_rss_bytes'] / 2**20:8.0f}{'ok' if f['verify_ok'] else 'FAIL':>8}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--submissions", type=int, default=1000, help="per engine window")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--output", type=Path, default=RESULTS / "decidim_import.json")
    args = parser.parse_args()
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    found: dict[str, Any] = {"rows": args.rows, "submissions": args.submissions,
                             "databases": {}}
    for name in names:
        found["databases"][name] = measure(name, args.rows, args.rounds, args.submissions)
    found["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(found, indent=2) + "\n")
    print(report(found))


if __name__ == "__main__":
    main()
