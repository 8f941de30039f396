"""Check benchmark: ``python -m bench.check [--phases 10000] [--runs 5] [--no-refusals]``.

What ``cocrea check`` does with a large definition: read the YAML, validate its
shape and meaning, render the one-screen summary. Two definitions of
``--phases`` one-day phases (the minimal sample's committee and lifecycle):

- *plain*: no conditions between the phases;
- *chained*: each phase opens when the one before has closed, a chain as long
  as the definition for the cycle check to follow (it was quadratic);
- *misspelled*: the chained one with every condition naming a phase that does
  not exist (a problem each, with a hint among all the phases: quadratic too).

For each: the median of ``--runs`` checks in this process (after one warm-up),
and the median of 3 wall times (and CPU times) of the whole command, ``cocrea
check FILE``, as a person runs it (Python start-up and imports included);
target: chained under 5 s of wall time. Then hostile documents, each refused
with one problem naming a limit: a billion laughs (500 bytes whose aliases
stand for 10⁹ values), a merge-key bomb, 100,000 nested ``[``, and 6 MiB of
text: the median time to the refusal and the Python heap peak meanwhile
(``tracemalloc``). ``--no-refusals`` leaves those out (to time an engine
without limits, on which a bomb never ends).

Prints a table and writes ``bench/results/check.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from definitions.loader import parse_definition
from definitions.summary import render_summary
from tests.definitions.sample import (
    billion_laughs,
    many_phases_yaml,
    merge_key_bomb,
    minimal_yaml,
)
from workflow.domain.errors import DefinitionError

RESULTS = Path(__file__).parent / "results"
TARGET_SECONDS = 5.0
"""``cocrea check`` of the chained definition, wall time."""
HOSTILE: dict[str, Callable[[], str]] = {
    "billion laughs": billion_laughs,
    "merge-key bomb": merge_key_bomb,
    "100,000 nested [": lambda: "id: " + "[" * 100_000,
    "6 MiB of text": lambda: minimal_yaml() + "#" * (6 * 2**20),
}


def check(text: str) -> str:
    """Do what ``cocrea check`` does with ``text``; return the summary, or the first problem."""
    try:
        return render_summary(parse_definition(text, "bench.yaml"))
    except DefinitionError as error:
        return error.problems[0].message


def in_process(text: str, runs: int) -> dict[str, Any]:
    """Time ``runs`` checks of ``text`` after a warm-up one; the median and every run, in s."""
    check(text)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check(text)
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "runs_s": times}


def command(text: str, valid: bool, runs: int = 3) -> dict[str, Any]:
    """Time ``cocrea check FILE`` as a person runs it: median wall and CPU seconds, each run."""
    with tempfile.TemporaryDirectory(prefix="cocrea-bench-check-") as folder:
        path = Path(folder) / "grande.yaml"
        path.write_text(text, encoding="utf-8")
        times, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "workflow", "check", str(path)],
                                  capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            assert done.returncode == (0 if valid else 1), done.stderr[-2000:]
    return {"median_s": statistics.median(times), "median_cpu_s": statistics.median(cpu),
            "runs_s": times}


def refusal(text: str, runs: int) -> dict[str, Any]:
    """Time the refusal of ``text`` (median of ``runs``, ms), its heap peak and its problem."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        problem = check(text)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    check(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"median_ms": 1000 * statistics.median(times), "peak_mib": peak / 2**20,
            "bytes": len(text.encode()), "problem": problem}


def run(phases: int, runs: int, refusals: bool) -> dict[str, Any]:
    """Measure every case; return the results."""
    results: dict[str, Any] = {"phases": phases, "runs": runs, "checks": {}, "refusals": {}}
    chained = many_phases_yaml(phases, chained=True)
    cases = {"plain": many_phases_yaml(phases), "chained": chained,
             "misspelled": chained.replace("        phase: fase_", "        phase: frase_")}
    for name, text in cases.items():
        outcome = check(text)
        valid = name != "misspelled"
        assert outcome.startswith("Proceso de muestra") == valid, outcome
        results["checks"][name] = {"bytes": len(text.encode()),
                                   "lines_out": len(outcome.splitlines()),
                                   "in_process": in_process(text, runs),
                                   "command": command(text, valid)}
    if refusals:
        for name, make in HOSTILE.items():
            results["refusals"][name] = refusal(make(), runs)
    chained_wall = results["checks"]["chained"]["command"]["median_s"]
    results["target"] = {"chained_command_s": chained_wall, "under_s": TARGET_SECONDS,
                         "met": chained_wall < TARGET_SECONDS}
    return results


def table(results: dict[str, Any]) -> str:
    """The figures as a person reads them."""
    rows = [f"{'check of ' + format(results['phases'], ',') + ' phases':<34}"
            f"{'MiB':>6}{'in process s':>14}{'cocrea check s':>16}{'(CPU s)':>9}"]
    for name, case in results["checks"].items():
        rows.append(f"{name:<34}{case['bytes'] / 2**20:>6.2f}"
                    f"{case['in_process']['median_s']:>14.2f}{case['command']['median_s']:>16.2f}"
                    f"{case['command']['median_cpu_s']:>9.2f}")
    if results["refusals"]:
        rows += ["", f"{'refused':<34}{'bytes':>10}{'ms':>10}{'heap MiB':>10}  problem"]
        rows += [f"{name:<34}{case['bytes']:>10,}{case['median_ms']:>10.1f}"
                 f"{case['peak_mib']:>10.2f}  {case['problem'][:60]}"
                 for name, case in results["refusals"].items()]
    target = results["target"]
    verdict = "ok" if target["met"] else "MISS"
    rows += ["", f"cocrea check, chained, wall s (<{target['under_s']:g})"
                 f"{target['chained_command_s']:>12.2f} {verdict}"]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-refusals", dest="refusals", action="store_false")
    parser.add_argument("--output", type=Path, default=RESULTS / "check.json")
    args = parser.parse_args()
    results = run(args.phases, args.runs, args.refusals)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
