"""API benchmark: ``python -m bench.api [--db sqlite|postgresql|both] [--rounds 5]``.

Per database: a Cuenca plan with reception open and ``--prefill`` proposals, served
by ``cocrea serve`` in its own process (one worker, scheduler on). Then, round
after round, side by side in time:

- the engine alone: ``Services.submit_proposal`` (one durable command each) and
  the plan read (``queries.show_plan``), in this process;
- the API: ``POST /plans/{plan}/proposals`` and ``GET /plans/{plan}`` over HTTP
  with keep-alive, from 1 client and from 4 concurrent clients (threads), each
  request timed (p50, p99). The clients use the standard library's
  ``http.client``: httpx, which the tests use, spends about 0.37 ms of client
  CPU a request here (measured against ``GET /health``), on the same two cores
  as the server, and that is not the API's cost.

The figure the issue asks for is the API's write rate (1 client) over the
engine's command rate, per round, median: how much of a command the HTTP layer
leaves (target: it costs less than half, i.e. a ratio above 0.5). Beside it, in
the same rounds, a bare ``GET /health`` from 1 client gives the ceiling of that
ratio for this server stack (see :func:`ceiling`). Writes ``bench/results/api.json``.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.cuenca import HOT_PLAN, INTAKE, open_reception, services
from bench.targets import TARGETS
from storage.database import open_engine
from storage.tokens import create_token
from tests.support.server import free_port
from workflow.reads import show_plan

RESULTS = Path(__file__).parent / "results"
BODY = {"title": "Publicar los contratos de obra en datos abiertos",
        "body": "Propuesta ciudadana de referencia para medir la API. " * 4,
        "channel": "online"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ceiling(engine_rate: float, health_rate: float) -> float:
    """The API ÷ engine ratio if a request cost only a bare ``GET /health`` round trip more.

    A request through the API costs at least the engine's command plus what the
    server and the loopback take for any request at all, which ``GET /health``
    (no token, no body, no database) measures: the command's time ÷ the sum is a ceiling.
    """
    command, bare = 1 / engine_rate, 1 / health_rate
    return command / (command + bare)


def engine_window(url: str, kind: str, count: int) -> float:
    """Run ``count`` engine commands (or reads) in-process; return their rate."""
    engine = open_engine(url, migrate=False)
    svc = services(engine)
    start = time.perf_counter()
    for _ in range(count):
        if kind == "write":
            svc.submit_proposal(HOT_PLAN, BODY["title"], BODY["body"], "online", None, INTAKE)
        else:
            show_plan(engine, HOT_PLAN)
    rate = count / (time.perf_counter() - start)
    engine.dispose()
    return rate


def api_window(port: int, token: str, kind: str, clients: int,
               count: int) -> tuple[float, list[float]]:
    """Send ``count`` requests from each of ``clients`` threads; return rate and latencies."""
    path = {"write": f"/plans/{HOT_PLAN}/proposals", "read": f"/plans/{HOT_PLAN}",
            "health": "/health"}[kind]
    method, body = ("POST", json.dumps(BODY).encode()) if kind == "write" else ("GET", None)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def client(_: int) -> list[float]:
        times = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for _ in range(count):
                start = time.perf_counter()
                conn.request(method, path, body=body, headers=headers)
                answer = conn.getresponse()
                text = answer.read()
                times.append(time.perf_counter() - start)
                assert answer.status in (200, 201), text
        finally:
            conn.close()
        return times

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [t for times in pool.map(client, range(clients)) for t in times]
    return len(latencies) / (time.perf_counter() - start), latencies


def measure(url: str, rounds: int, count: int, prefill: int) -> dict[str, Any]:
    engine = open_engine(url)
    plan = open_reception(services(engine), HOT_PLAN)
    for n in range(prefill):
        plan.svc.submit_proposal(HOT_PLAN, f"Propuesta {n}", BODY["body"], "online", None,
                                 INTAKE)
    token = create_token(engine, "bench", "intake")[1]
    engine.dispose()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workflow", "serve", "--db", url,
                               "--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                break
        except httpx.HTTPError:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    found: dict[str, Any] = {}
    try:
        for kind in ("write", "read"):
            engine_rates, one, four, lat1, lat4, health = [], [], [], [], [], []
            for _ in range(rounds):
                engine_rates.append(engine_window(url, kind, count))
                health.append(api_window(port, token, "health", 1, count)[0])
                rate, latencies = api_window(port, token, kind, 1, count)
                one.append(rate)
                lat1 += latencies
                rate, latencies = api_window(port, token, kind, 4, count // 4)
                four.append(rate)
                lat4 += latencies
            found[kind] = {
                "engine_per_s": statistics.median(engine_rates),
                "api_1_client_per_s": statistics.median(one),
                "api_4_clients_per_s": statistics.median(four),
                "p50_ms_1": percentile(lat1, 0.5) * 1000, "p99_ms_1": percentile(lat1, 0.99) * 1000,
                "p50_ms_4": percentile(lat4, 0.5) * 1000, "p99_ms_4": percentile(lat4, 0.99) * 1000,
                "api_over_engine": statistics.median(
                    [a / e for a, e in zip(one, engine_rates, strict=True)]),
                "health_per_s": statistics.median(health),
                "ceiling": statistics.median(
                    [ceiling(e, h) for e, h in zip(engine_rates, health, strict=True)]),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=200, help="requests per window")
    parser.add_argument("--prefill", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=RESULTS / "api.json")
    args = parser.parse_args()
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                               "rounds": args.rounds, "count": args.count, "databases": {}}
    for name in names:
        with TARGETS[name]() as target:
            results["databases"][name] = measure(target.url, args.rounds, args.count,
                                                 args.prefill)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
