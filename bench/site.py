"""Site benchmark: ``python -m bench.site [--db sqlite|postgresql] [--proposals N] [--events M]``.

On one database, the benchmark's usual log (``bench/build.py``, ``bench/scenario.py``'s
plans): the hot Cuenca plan with ``--proposals`` proposals (default 100,000) in every
state reception allows, and the answering plan filling the log to ``--events``
events (default 1,000,000). A real ``cocrea serve`` serves it; then, in rounds, side
by side in time, one client with keep-alive times each request of four kinds:

- the plan page ``GET /p/cuenca-2022`` and its JSON read ``GET /plans/cuenca-2022``
  (the same plan and proposal counts; the page also counts them by channel, reads
  the plan's own events for its timeline and draws it);
- the proposals page ``GET /p/cuenca-2022/proposals`` (the first 50) and its JSON
  read ``GET /plans/cuenca-2022/proposals?limit=50``.

Figures: p50 and p99 of each, and page ÷ JSON of each (target: a page costs at most
twice its JSON, ≤ 2).

Then, with the server stopped, the ceiling, in this process on the same log, so no
HTTP is in it: for each pair, the JSON's read and serialisation; the same rows
read the same way and rendered by a bare Jinja template (autoescaped, no words,
no dates: the least an HTML page of those rows can cost); the page's reads alone;
and the whole page. ``bare ÷ JSON`` says what HTML itself costs, ``reads ÷ JSON``
what the page's extra reading does (the plan page also counts by channel and
reads its phases' events). Writes ``bench/results/site.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi.responses import JSONResponse
from jinja2 import Environment

from bench import pack
from bench.cuenca import HOT_PLAN
from bench.measure import log
from bench.targets import TARGETS
from storage import queries
from storage.database import open_engine
from tests.support.server import free_port
from workflow.api.app import create_app
from workflow.api.routes_read import PUBLIC_FIELDS
from workflow.bootstrap import bootstrap
from workflow.reads import show_plan
from workflow.site import pages, reads
from workflow.views.plan import plan_view

RESULTS = Path(__file__).parent / "results"
PATHS = {"plan page": f"/p/{HOT_PLAN}", "plan JSON": f"/plans/{HOT_PLAN}",
         "proposals page": f"/p/{HOT_PLAN}/proposals",
         "proposals JSON": f"/plans/{HOT_PLAN}/proposals?limit=50"}
PAIRS = (("plan page", "plan JSON"), ("proposals page", "proposals JSON"))
BARE_PLAN = """<h1>{{ v.title }}</h1><ol>{% for p in v.phases %}<li>{{ p.title }} {{ p.status }}
{{ p.starts }} {{ p.ends }} {{ p.opened_at }} {{ p.closed_at }}</li>{% endfor %}</ol>
<table>{% for s, n in counts.items() %}<tr><th>{{ s }}</th><td>{{ n }}</td></tr>{% endfor %}
</table>"""
"""The plan JSON's data (the plan's view, its proposals counted by state), as bare HTML."""
BARE_LIST = """<ol>{% for r in rows %}<li><a href="/p/{{ r.plan_id }}/proposals/{{ r.number }}">
{{ r.number }}. {{ r.title }}</a> {{ r.channel }} {{ r.mesa }} {{ r.submitted_at }} {{ r.state }}
{{ r.supports }}{% if r.response %} answered{% endif %}</li>{% endfor %}</ol>"""
"""The proposals JSON's rows, as bare HTML."""
ASKED = dict.fromkeys(("state", "channel", "mesa", "q", "after", "before"))



def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build_log(url: str, proposals: int, events: int) -> dict[str, int]:
    """Build the hot plan and the answering plan as ``bench.pack`` does; return the log's size."""
    engine = open_engine(url)
    try:
        return {**pack.build_log(engine, proposals, events), "hot_plan_proposals": proposals}
    finally:
        engine.dispose()


def window(conn: http.client.HTTPConnection, path: str, count: int) -> list[float]:
    """Time ``count`` GETs of ``path`` on one kept-alive connection (seconds each)."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", path)
        answer = conn.getresponse()
        body = answer.read()
        times.append(time.perf_counter() - start)
        assert answer.status == 200, body[:500]
    return times


def measure(url: str, rounds: int, count: int) -> dict[str, Any]:
    """Serve ``url`` with ``cocrea serve`` and time every kind, round after round."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workflow", "serve", "--db", url,
                               "--port", str(port), "--poll", "3600"],
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "cocrea serve did not start"
            time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for path in PATHS.values():  # warm up: caches, the definition, the templates
            window(conn, path, 3)
        times: dict[str, list[float]] = {kind: [] for kind in PATHS}
        per_round: dict[str, list[float]] = {kind: [] for kind in PATHS}
        for n in range(rounds):
            kinds = list(PATHS)[n % len(PATHS):] + list(PATHS)[:n % len(PATHS)]
            for kind in kinds:
                taken = window(conn, PATHS[kind], count)
                times[kind] += taken
                per_round[kind].append(statistics.median(taken))
            log(f"round {n + 1}/{rounds}: " + ", ".join(
                f"{k} {per_round[k][-1] * 1000:.1f} ms" for k in PATHS))
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    found: dict[str, Any] = {kind: {"p50_ms": percentile(v, 0.5) * 1000,
                                    "p99_ms": percentile(v, 0.99) * 1000, "requests": len(v)}
                             for kind, v in times.items()}
    for page, data in PAIRS:
        found[f"{page} ÷ {data}"] = {
            "p50": found[page]["p50_ms"] / found[data]["p50_ms"],
            "p99": found[page]["p99_ms"] / found[data]["p99_ms"],
            "median_of_round_ratios": statistics.median(
                [a / b for a, b in zip(per_round[page], per_round[data], strict=True)])}
    return found


def ceiling_kinds(url: str) -> dict[str, Callable[[], object]]:
    """What the ceiling times: per pair, the JSON, bare Jinja, the page's reads, the page."""
    app = create_app(bootstrap(url, readonly=True))
    engine = app.state.engine
    env = Environment(autoescape=True)
    bare_plan, bare_list = env.from_string(BARE_PLAN), env.from_string(BARE_LIST)

    def plan_bare() -> str:
        plan, counts = queries.plan_and_counts(engine, HOT_PLAN)
        return bare_plan.render(v=plan_view(plan, counts), counts=counts)

    def list_rows() -> list[dict[str, Any]]:
        return queries.page_proposals(engine, HOT_PLAN, {}, 0, 50)[1]

    return {
        "plan JSON": lambda: JSONResponse(show_plan(engine, HOT_PLAN)).body,
        "plan bare Jinja": plan_bare,
        "plan page reads": lambda: reads.read_plan(engine, HOT_PLAN, None, app.state.clock()),
        "plan page": lambda: pages.plan(app, HOT_PLAN, None).body,
        "proposals JSON": lambda: JSONResponse(
            {"items": [{k: r[k] for k in PUBLIC_FIELDS} for r in list_rows()]}).body,
        "proposals bare Jinja": lambda: bare_list.render(rows=list_rows()),
        "proposals page reads": lambda: reads.read_proposals(
            engine, HOT_PLAN, queries.Search(), None, app.state.clock()),
        "proposals page": lambda: pages.proposals(app, HOT_PLAN, None, ASKED).body,
    }


def ceiling(url: str, rounds: int, count: int) -> dict[str, Any]:
    """Time each of :func:`ceiling_kinds` in this process, round after round; p50 and ratios."""
    kinds = ceiling_kinds(url)
    for run in kinds.values():  # warm up
        for _ in range(3):
            run()
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for n in range(rounds):
        order = list(kinds)[n % len(kinds):] + list(kinds)[:n % len(kinds)]
        for kind in order:
            for _ in range(count):
                start = time.perf_counter()
                kinds[kind]()
                times[kind].append(time.perf_counter() - start)
        log(f"ceiling round {n + 1}/{rounds}")
    found: dict[str, Any] = {kind: {"p50_ms": percentile(v, 0.5) * 1000,
                                    "p99_ms": percentile(v, 0.99) * 1000}
                             for kind, v in times.items()}
    for pair in ("plan", "proposals"):
        json_ms = found[f"{pair} JSON"]["p50_ms"]
        for what in ("bare Jinja", "page reads", "page"):
            found[f"{pair} {what} ÷ JSON"] = found[f"{pair} {what}"]["p50_ms"] / json_ms
    return found


def report(name: str, size: dict[str, int], found: dict[str, Any]) -> str:
    lines = [f"{name}: {size['events']:,} events, {size['proposals']:,} proposals "
             f"({size['hot_plan_proposals']:,} in the plan shown)",
             f"{'request':<18}{'p50 ms':>10}{'p99 ms':>10}"]
    lines += [f"{kind:<18}{found[kind]['p50_ms']:>10.1f}{found[kind]['p99_ms']:>10.1f}"
              for kind in PATHS]
    for page, data in PAIRS:
        ratio = found[f"{page} ÷ {data}"]
        verdict = "ok" if ratio["p50"] <= 2 and ratio["p99"] <= 2 else "MISS"
        lines.append(f"{page} ÷ {data} (≤ 2): p50 {ratio['p50']:.2f}, p99 {ratio['p99']:.2f}"
                     f" {verdict}")
    return "\n".join(lines)


def report_ceiling(found: dict[str, Any]) -> str:
    """The ceiling's table: p50 in ms and, per pair, each p50 ÷ the JSON's."""
    lines = ["in process, no HTTP (the ceiling):", f"{'':<22}{'p50 ms':>10}{'÷ JSON':>10}"]
    for pair in ("plan", "proposals"):
        for what in ("JSON", "bare Jinja", "page reads", "page"):
            ratio = found.get(f"{pair} {what} ÷ JSON", 1.0)
            lines.append(f"{pair + ' ' + what:<22}{found[f'{pair} {what}']['p50_ms']:>10.1f}"
                         f"{ratio:>10.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--count", type=int, default=30, help="requests per kind and round")
    parser.add_argument("--output", type=Path, default=RESULTS / "site.json")
    args = parser.parse_args()
    with TARGETS[args.db]() as target:
        started = time.perf_counter()
        size = build_log(target.url, args.proposals, args.events)
        log(f"log built in {time.perf_counter() - started:.0f} s: {size}")
        found = measure(target.url, args.rounds, args.count)
        bound = ceiling(target.url, args.rounds, args.count)
    results = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "db": args.db,
               "rounds": args.rounds, "count": args.count, "log": size, "figures": found,
               "ceiling": bound}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(report(args.db, size, found))
    print(report_ceiling(bound))


if __name__ == "__main__":
    main()
