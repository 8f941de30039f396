"""Decidim reader benchmark: ``python -m bench.decidim_read [--rows 100000] [--rounds 5]``.

How fast ``workflow.adapters.decidim`` reads a large export, against the engine
it feeds. ``--rows`` proposals are made from the 13 sample rows of
tests/fixtures/decidim (new ids, references and URLs; bodies, quotes, ``'``
escapes and missing translations as they are), in four files: the 0.27/0.28
open-data CSV (``;``), the 0.30 CSV, the open-data ZIP holding the first, and
an admin JSON export. Then, round after round, side by side in time:

- each file read to the last record (``read_export`` and iteration, as an
  import would), rows per second;
- the floor: the standard library's ``csv.reader`` over the same CSV text, no
  record made;
- the engine: ``--submissions`` proposals submitted to a Cuenca plan on SQLite
  (``Services.submit_proposal``, one durable command each).

The target (issue 15): reading a row costs no more than the engine's own
submission of it, i.e. rows read per second ÷ submissions per second ≥ 1. Also
the Python heap's peak while streaming the 100,000-row CSV (``tracemalloc``,
records not kept), against the file's size. Prints a table and writes
``bench/results/decidim_read.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import statistics
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.cuenca import HOT_PLAN, INTAKE, open_reception, services
from storage.database import open_engine
from workflow.adapters.decidim import Limits, read_export

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "decidim"
RESULTS = Path(__file__).parent / "results"
HOST = "participa.cuenca.gob.ec"
FIRST_ID = 100_000
BODY = "Propuesta ciudadana de referencia para medir la lectura. " * 4


def csv_rows(template: str, rows: int, first: int = FIRST_ID) -> bytes:
    """Return a Decidim CSV of ``rows`` proposals made from the sample file ``template``.

    Each sample row is copied as Decidim wrote it, its id replaced by ``first``,
    ``first + 1``, ... (the id is also in its reference and URL, and nowhere else in
    the samples).
    """
    raw = (FIXTURES / template).read_bytes()
    header, lines = raw.split(b"\n", 1)[0], raw.split(b"\n")
    starts = [proposal.line for proposal in read_export(raw, template, "es")]
    ends = [*starts[1:], len(lines)]
    samples = [(b"\n".join(lines[start - 1:end - 1]), lines[start - 1].split(b";", 1)[0])
               for start, end in zip(starts, ends, strict=True)]
    out = [header]
    for n in range(rows):
        text, old = samples[n % len(samples)]
        out.append(text.replace(old, str(first + n).encode()))
    return b"\n".join(out) + b"\n"


def json_rows(rows: int) -> bytes:
    """Return an admin JSON export of ``rows`` proposals made from the sample's objects."""
    samples = json.loads((FIXTURES / "admin_export_component85_0.27.7-0.28.x.json").read_text())
    out = []
    for n in range(rows):
        sample = samples[n % len(samples)]
        old, new = str(sample["id"]), str(FIRST_ID + n)
        out.append({**sample, "id": FIRST_ID + n,
                    "reference": sample["reference"].replace(old, new),
                    "url": sample["url"].replace(old, new)})
    return json.dumps(out, ensure_ascii=False, indent=2).encode()


def zipped(name: str, content: bytes) -> bytes:
    """Return an open-data ZIP holding ``content`` as its proposals entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def files(rows: int) -> dict[str, tuple[str, bytes]]:
    """The files read: a label each, and the file's name and bytes."""
    old = csv_rows("proposals_0.27.7-0.28.x_semicolon.csv", rows)
    return {
        "CSV 0.27/0.28 (;)": (f"{HOST}-open-data-proposals.csv", old),
        "CSV 0.30": (f"{HOST}-open-data-proposals.csv",
                     csv_rows("proposals_0.30-dev_semicolon.csv", rows)),
        "open-data ZIP": (f"{HOST}-open-data.zip",
                          zipped(f"{HOST}-open-data-proposals.csv", old)),
        "admin JSON": ("proposals.json", json_rows(rows)),
    }


LIMITS = Limits(json_bytes=2**31)
"""A 100,000-row JSON export is larger than a JSON export may be (64 MiB): read it anyway."""


def read_window(name: str, content: bytes) -> Callable[[], int]:
    """A window that reads the whole file and counts its records."""
    return lambda: sum(1 for _ in read_export(content, name, "es", LIMITS))


def floor_window(content: bytes) -> Callable[[], int]:
    """A window that only splits the CSV into rows (the standard library, no records)."""
    def window() -> int:
        text = io.TextIOWrapper(io.BytesIO(content), "utf-8", newline="")
        return sum(1 for _ in csv.reader(text, delimiter=";", strict=True)) - 1
    return window


def submit_window(url: str, count: int) -> Callable[[], int]:
    """A window that submits ``count`` proposals through the engine (durable, SQLite)."""
    def window() -> int:
        engine = open_engine(url, migrate=False)
        svc = services(engine)
        for n in range(count):
            svc.submit_proposal(HOT_PLAN, f"Propuesta {n}", BODY, "online", None, INTAKE)
        engine.dispose()
        return count
    return window


def rate(window: Callable[[], int]) -> float:
    start = time.perf_counter()
    done = window()
    return done / (time.perf_counter() - start)


def heap_peak(name: str, content: bytes) -> int:
    """The Python heap's peak while streaming ``content`` (records not kept), in bytes."""
    tracemalloc.start()
    for _ in read_export(content, name, "es", LIMITS):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(rows: int, rounds: int, submissions: int, folder: Path) -> dict[str, Any]:
    made = files(rows)
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = open_engine(url)
    open_reception(services(engine), HOT_PLAN)
    engine.dispose()
    windows = {label: read_window(*made[label]) for label in made}
    windows["csv.reader floor"] = floor_window(made["CSV 0.27/0.28 (;)"][1])
    windows["engine submissions (SQLite)"] = submit_window(url, submissions)
    rates: dict[str, list[float]] = {label: [] for label in windows}
    labels = list(windows)
    for r in range(rounds):
        for label in labels[r % len(labels):] + labels[:r % len(labels)]:
            rates[label].append(rate(windows[label]))
    engine_rates = rates["engine submissions (SQLite)"]
    return {
        "rows": rows,
        "bytes": {label: len(content) for label, (_, content) in made.items()},
        "per_s": {label: statistics.median(values) for label, values in rates.items()},
        "over_engine": {label: statistics.median(
            [a / b for a, b in zip(rates[label], engine_rates, strict=True)]) for label in made},
        "over_floor": statistics.median([a / b for a, b in zip(
            rates["CSV 0.27/0.28 (;)"], rates["csv.reader floor"], strict=True)]),
        "heap_peak_bytes": heap_peak(*made["CSV 0.27/0.28 (;)"]),
    }


def report(found: dict[str, Any]) -> str:
    lines = [f"{'':40}{'per s':>12}{'÷ engine':>10}{'MB':>8}"]
    for label, per_s in found["per_s"].items():
        ratio = found["over_engine"].get(label)
        size = found["bytes"].get(label)
        lines.append(f"{label:40}{per_s:12,.0f}{'' if ratio is None else f'{ratio:10.1f}'}"
                     f"{'' if size is None else f'{size / 1e6:8.1f}'}")
    lines.append(f"CSV reader ÷ csv.reader floor: {found['over_floor']:.2f}; heap peak while "
                 f"streaming the CSV: {found['heap_peak_bytes'] / 1e6:.1f} MB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=500, help="per engine window")
    parser.add_argument("--output", type=Path, default=RESULTS / "decidim_read.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cocrea-bench-") as folder:
        found = measure(args.rows, args.rounds, args.submissions, Path(folder))
    found["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(found, indent=2) + "\n")
    print(report(found))


if __name__ == "__main__":
    main()
