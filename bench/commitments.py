"""Commitments beside a big plan: one more commitment command, milestone reports, verify.

A Cuenca plan with N answered proposals (default 100,000) takes C commitments of M
milestones each (default 1,000 × 10: 10,000 milestone due dates, 20,000 deadline rows
with their reminders), every one drafted, linked, presented, approved and started
through ``Services`` over ``SqlUnitOfWork`` (one durable transaction a command), as
staff would. Measured, each as a ratio of figures taken in the same run:

- **one more commitment** (draft linking one proposal, present, approve, start) after
  the first few commitments and after all C: the cost must not grow with the plan
  (largest ÷ smallest ≤ 1.5);
- **milestone reports per second ÷ proposal commands per second**, run round-robin
  (a report on a running commitment's milestone against a proposal submission on a
  plan receiving proposals);
- **verify's rate** (events per second) before the commitments and after them: the
  database is copied once the plan is built, and verify then runs on the copy (no
  commitments) and on the database (every commitment), round-robin, so both rates
  are taken side by side in time.

    python -m bench.commitments --db sqlite --proposals 5000 --commitments 100   # ~1 min
    python -m bench.commitments                                                  # full
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bench import build
from bench.cuenca import INTAKE, STAFF, PlanDriver, open_feedback, open_reception, services
from bench.lifecycles import submission
from bench.measure import log, median, ratio, round_robin
from definitions.commitment_file import CommitmentContent
from storage import tables as t
from storage.audit import verify
from storage.audit_commitments import TABLES as COMMITMENT_TABLES
from storage.audit_projections import PLAN_TABLES, STREAMED
from storage.database import open_engine
from tests.support.postgres import postgres_cluster
from workflow.domain.events import Actor
from workflow.testing import Driver

PLAN = "cuenca-2022"
RECEIVING = "cuenca-2022-recepcion"
AGENCY = "Dirección General de Informática"
IMPLEMENTER = Actor("enlace", "implementer", AGENCY)
START = dt.date(dt.date.today().year + 1, 1, 1)
"""Milestones still to come, so each has its due date and its reminder pending."""
BATCH = 5000
"""Proposals per build transaction (as bench.scenario's)."""



def content(milestones: int, proposal: str) -> CommitmentContent:
    """A commitment on Cuenca's template with ``milestones`` milestones, answering one proposal."""
    days = [START + dt.timedelta(days=30 * k) for k in range(milestones + 1)]
    return CommitmentContent.model_validate({
        "title": "Datos abiertos para la gestión urbana",
        "problem": "Los datos de la ciudad no se publican.",
        "description": "Publicar los conjuntos de datos priorizados.",
        "contribution": "Permite vigilar la gestión urbana.",
        "ogp_values": ["transparency"], "lead_agency": AGENCY,
        "starts": START.isoformat(), "ends": days[-1].isoformat(),
        "milestones": [{"description": f"Hito {k + 1}", "output": "Conjunto publicado",
                        "starts": days[k].isoformat(), "due": days[k + 1].isoformat(),
                        "responsible": AGENCY} for k in range(milestones)],
        "proposals": [proposal]})


class Commitments:
    """Drafts and runs commitments on the plan, each one linking the next answered proposal."""

    def __init__(self, svc: Driver, engine: Engine, milestones: int) -> None:
        self.svc, self.milestones = svc, milestones
        with engine.connect() as conn:
            found = conn.execute(select(t.proposals.c.proposal_id)
                                 .where(t.proposals.c.plan_id == PLAN)
                                 .order_by(t.proposals.c.number)).scalars()
            self._proposals = itertools.cycle(list(found))
        self.running: list[str] = []

    def one(self) -> str:
        """Draft, present, approve and start one commitment; its id."""
        key = self.svc.draft_commitment(PLAN, content(self.milestones, next(self._proposals)),
                                        STAFF)
        for trigger in ("presentar", "aprobar", "iniciar"):
            self.svc.fire_commitment(key, trigger, {}, STAFF)
        self.running.append(key)
        return key

    def cost_ms(self, repeats: int) -> float:
        """The median time of one more commitment (4 commands), in milliseconds."""
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            self.one()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)


def build_plan(engine: Engine, svc: Driver, proposals: int) -> PlanDriver:
    """Take the plan to consolidation with ``proposals`` answered proposals; approve the plan."""
    driver = open_reception(svc, PLAN)
    for first in range(1, proposals + 1, BATCH):
        count = min(BATCH, proposals - first + 1)
        build.submit_batch(engine, PLAN, build.answer_triggers(first, count))
    open_feedback(driver)
    for first in range(1, proposals + 1, BATCH):
        build.advance_batch(engine, PLAN, first, min(proposals, first + BATCH - 1))
    driver.approve("aprobacion_compromisos")
    open_reception(svc, RECEIVING)
    return driver


def rates(engine: Engine, svc: Driver, made: Commitments, rounds: int,
          window: int) -> dict[str, Any]:
    """Milestone reports and proposal submissions, round-robin; their rates and ratio."""
    numbers = itertools.count(10**7)
    targets = itertools.cycle([(key, f"m{m + 1}") for key in made.running
                               for m in range(made.milestones)])

    def reports() -> int:
        for _ in range(window):
            key, milestone = next(targets)
            svc.report(key, milestone, "Avance del hito", ["https://example.org/e"], False,
                       IMPLEMENTER)
        return window

    def submissions() -> int:
        for _ in range(window):
            title, body, channel, mesa = submission(next(numbers))
            svc.submit_proposal(RECEIVING, title, body, channel, mesa, INTAKE)
        return window

    found = round_robin({"milestone_report": reports, "proposal_submit": submissions}, rounds)
    return {"milestone_reports_per_s": median(found["milestone_report"]),
            "proposal_commands_per_s": median(found["proposal_submit"]),
            "ratio": ratio(found["milestone_report"], found["proposal_submit"])}


def verify_rates(before: Engine, after: Engine, rounds: int) -> dict[str, Any]:
    """Verify both logs round-robin; each one's median events per second, and their ratio.

    Beside the events, how many projection rows verify compared with the replay, and
    the rate of both together (items): a commitment's five events bring some thirty
    rows (its own, ten milestones, a link, twenty milestone deadlines) where a
    proposal's four or five events bring one.
    """
    counts: dict[str, int] = {}

    def verifying(name: str, engine: Engine) -> Callable[[], int]:
        def window() -> int:
            report = verify(engine)
            assert report.ok, report.finding
            counts[name] = report.events
            return report.events
        return window

    found = round_robin({"before": verifying("before", before),
                         "after": verifying("after", after)}, rounds)
    out: dict[str, Any] = {"ratio": ratio(found["after"], found["before"])}
    items: dict[str, float] = {}
    for name, engine in (("before", before), ("after", after)):
        rows = compared_rows(engine)
        items[name] = (counts[name] + rows) / counts[name]
        out[name] = {"events": counts[name], "events_per_s": median(found[name]),
                     "rows": rows, "items_per_s": median(found[name]) * items[name]}
    out["items_ratio"] = out["ratio"] * items["after"] / items["before"]  # the same rounds
    return out


def compared_rows(engine: Engine) -> int:
    """How many projection rows verify compares with the replay (every table it checks)."""
    tables = [t.plans, *(table for table, _ in PLAN_TABLES),
              *(t.metadata.tables[name] for name in STREAMED),
              *(table for table, _ in COMMITMENT_TABLES)]
    with engine.connect() as conn:
        return sum(int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                   for table in tables)


def deadline_rows(engine: Engine) -> int:
    """How many milestone deadline rows are pending."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.deadlines).where(
            t.deadlines.c.kind.in_(("due", "due_soon")),
            t.deadlines.c.status == "pending")).scalar_one())


def run(place: Place, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement on one database."""
    engine = open_engine(place.url)
    svc = services(engine)
    started = time.perf_counter()
    build_plan(engine, svc, args.proposals)
    log(f"plan of {args.proposals} proposals built in {time.perf_counter() - started:.0f} s")
    engine.dispose()
    before = open_engine(place.copy())
    out: dict[str, Any] = {}
    made = Commitments(svc, engine, args.milestones)
    for _ in range(10):
        made.one()
    small = made.cost_ms(args.repeats)
    started = time.perf_counter()
    while len(made.running) < args.commitments:
        made.one()
    log(f"{len(made.running)} commitments in {time.perf_counter() - started:.0f} s")
    large = made.cost_ms(args.repeats)
    out["one_more_commitment_ms"] = {"small": small, "large": large, "ratio": large / small,
                                     "commitments": len(made.running)}
    out["pending_milestone_deadlines"] = deadline_rows(engine)
    out["rates"] = rates(engine, svc, made, args.rounds, args.window)
    out["verify"] = verify_rates(before, engine, args.rounds)
    engine.dispose()
    before.dispose()
    return out


class Place:
    """A benchmark's database: its URL, and how to copy it as it stands (no session open)."""

    def __init__(self, url: str, copy: Callable[[], str]) -> None:
        self.url, self.copy = url, copy


@contextmanager
def database(kind: str) -> Iterator[Place]:
    """A fresh SQLite file, or a throwaway durable PostgreSQL cluster."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cocrea-bench-") as folder:
            path, copied = Path(folder) / "commitments.db", Path(folder) / "before.db"

            def copy_file() -> str:
                shutil.copyfile(path, copied)
                return f"sqlite:///{copied}"
            yield Place(f"sqlite:///{path}", copy_file)
        return
    with postgres_cluster(durable=True) as cluster:
        yield Place(cluster.create_database("commitments_bench"),
                    lambda: cluster.copy_database("commitments_bench", "before_bench"))


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--commitments", type=int, default=1_000)
    parser.add_argument("--milestones", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--window", type=int, default=100)
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).parent / "results" / "commitments.json")
    return parser.parse_args()


def main(measure: Callable[[Place, argparse.Namespace], dict[str, Any]] = run) -> None:
    """Run on the databases asked for; print and write the figures."""
    measure_each(arguments(), measure)


def measure_each(args: argparse.Namespace,
                 measure: Callable[[Place, argparse.Namespace], dict[str, Any]]) -> None:
    """Run ``measure`` on each database ``args.db`` asks for; print and write the figures."""
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results: dict[str, Any] = {"settings": vars(args) | {"output": str(args.output)}}
    for kind in kinds:
        with database(kind) as place:
            results[kind] = measure(place, args)
            log(f"{kind}: {json.dumps(results[kind])}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
