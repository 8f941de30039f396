"""The scheduler as it runs for real: ``cocrea scheduler run`` processes over one database.

Each process runs on a rehearsal clock (``--clock-start``) set a few seconds
before the Cuenca plan's first deadline (2022-07-11 00:00 in Guayaquil), so the
deadline comes due in real time while the processes run.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from storage import schedule
from storage.database import open_engine
from tests.storage.scenario import COCREA, cuenca
from tests.support.clocked import STAFF, at, events
from tests.support.waiting import wait_for
from workflow.adapters.apscheduler import Wakeups
from workflow.bootstrap import bootstrap
from workflow.cli.app import app
from workflow.domain.clock import utc_now
from workflow.runner import DeadlineRunner, Fired
from workflow.testing import Driver

FIRST_DEADLINE = at("2022-07-11 00:00")


def plans(url: str, count: int) -> Engine:
    """Create ``count`` Cuenca plans whose first phase opens at FIRST_DEADLINE."""
    engine = open_engine(url)
    services = Driver(bootstrap(engine=engine).services())
    for n in range(count):
        services.create_plan(cuenca(), STAFF, f"plan-{n:02d}")
    return engine


@dataclass
class Running:
    """A ``cocrea scheduler run`` process and the file its log goes to."""

    process: subprocess.Popen[str]
    log: Path

    def read(self) -> str:
        return self.log.read_text(encoding="utf-8")


def scheduler(url: str, clock_start: dt.datetime) -> Running:
    """Start ``cocrea scheduler run`` on a rehearsal clock (it polls twice a second) and return
    once it says it is running, so a stop never arrives before its signal handler does."""
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen([*COCREA, "scheduler", "run", "--db", url, "--poll", "0.5",
                                    "--clock-start", clock_start.isoformat()],
                                   stdout=subprocess.DEVNULL, stderr=sink, text=True)
    running = Running(process, log)
    wait_for(lambda: "Planificador en marcha" in running.read() or process.poll() is not None,
             seconds=60)
    return running


def stop(running: Running) -> str:
    """Stop a scheduler as a service manager would (SIGTERM); return its log."""
    running.process.send_signal(signal.SIGTERM)
    running.process.wait(timeout=30)
    log = running.read()
    running.log.unlink()
    assert running.process.returncode == 0, log
    return log


def opening_rows(engine: Engine, count: int) -> list[dict[str, object]]:
    return [row for n in range(count) for row in schedule.deadline_rows(engine, f"plan-{n:02d}")
            if row["kind"] == "open" and row["phase_id"] == "planeacion_inicial"]


def test_two_scheduler_processes_fire_each_deadline_exactly_once(db_url: str) -> None:
    engine = plans(db_url, 12)
    soon = FIRST_DEADLINE - dt.timedelta(seconds=4)
    racers = [scheduler(db_url, soon), scheduler(db_url, soon)]

    wait_for(lambda: all(r["status"] == "fired" for r in opening_rows(engine, 12)))
    logs = [stop(r) for r in racers]

    opened = Counter(e["stream_id"] for e in events(engine, "PhaseOpened"))
    assert opened == {f"plan-{n:02d}": 1 for n in range(12)}
    assert all(r["outcome"] == "PhaseOpened" for r in opening_rows(engine, 12))
    assert sum(log.count('"deadline_fired"') for log in logs) == 12
    assert all("Planificador detenido." in log for log in logs)


def test_a_scheduler_down_at_the_deadline_fires_it_at_start_up_and_records_how_late(
        db_url: str) -> None:
    engine = plans(db_url, 1)
    early = scheduler(db_url, FIRST_DEADLINE - dt.timedelta(minutes=1))
    time.sleep(2)
    stop(early)
    assert [r["status"] for r in opening_rows(engine, 1)] == ["pending"]

    late = scheduler(db_url, FIRST_DEADLINE + dt.timedelta(hours=2))
    wait_for(lambda: opening_rows(engine, 1)[0]["status"] == "fired")
    stop(late)

    [opened] = events(engine, "PhaseOpened")
    assert 7200 <= opened["data"]["late_seconds"] < 7200 + 30
    again = subprocess.run([*COCREA, "scheduler", "run", "--once", "--db", db_url,
                            "--clock-start", (FIRST_DEADLINE + dt.timedelta(hours=3)).isoformat()],
                           capture_output=True, text=True, timeout=60, check=True)
    assert "Plazos disparados: 0" in again.stdout


class SlowRunner(DeadlineRunner):
    """A runner whose pass takes a while, to stop the scheduler in the middle of one."""

    def __init__(self) -> None:
        self.passes = 0

    def run_due(self) -> list[Fired]:
        self.passes += 1
        time.sleep(0.5)
        return []


def test_stopping_waits_for_a_running_wake_up_and_does_not_hang() -> None:
    runner = SlowRunner()
    wakeups = Wakeups(runner, lambda: utc_now() + dt.timedelta(seconds=1), poll_seconds=0.1)
    wakeups.start()
    wait_for(lambda: runner.passes >= 1, seconds=5)

    stopper = threading.Thread(target=wakeups.shutdown)
    stopper.start()
    stopper.join(timeout=5)

    assert not stopper.is_alive()
    passes = runner.passes
    time.sleep(0.5)
    assert runner.passes == passes


def test_the_scheduler_lists_a_plans_deadlines_for_people(sqlite_url: str) -> None:
    plans(sqlite_url, 1)
    after = (FIRST_DEADLINE + dt.timedelta(hours=1)).isoformat()
    fired = CliRunner().invoke(app, ["scheduler", "run", "--once", "--db", sqlite_url,
                                     "--clock-start", after])
    assert fired.exit_code == 0 and "Plazos disparados: 1" in fired.output

    listed = CliRunner().invoke(app, ["scheduler", "list", "plan-00", "--db", sqlite_url])

    lines = listed.output.splitlines()
    assert lines[0] == ("2022-07-11T00:00:00-05:00  Planeación inicial: apertura — disparado "
                        "(la fase abrió)")
    assert lines[1] == ("2022-07-15T00:00:00-05:00  Planeación inicial: recordatorio (3 días "
                        "antes del cierre) — pendiente")


def test_a_rehearsal_in_year_1001_waits_for_a_plan_in_9997_without_overflowing(
        sqlite_url: str) -> None:
    engine = open_engine(sqlite_url)
    Driver(bootstrap(engine=engine).services()).create_plan(
        cuenca(), STAFF, "lejano", dt.date(9997, 6, 1))
    process = scheduler(sqlite_url, dt.datetime(1001, 1, 1, tzinfo=dt.UTC))
    time.sleep(2)  # start-up and a few polls, each arming the wake-up for 9997

    log = stop(process)

    assert "Traceback" not in log and "Error" not in log
    assert events(engine, "PhaseOpened") == []
