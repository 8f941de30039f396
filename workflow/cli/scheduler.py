"""``cocrea scheduler``: run the deadline scheduler, fire what is due once, list deadlines."""

from __future__ import annotations

import signal
import threading
from typing import Annotated, Any

import typer

from definitions import days
from definitions.messages import deployment_locale, say
from storage import queries, schedule
from workflow.adapters.logs import configure_logging
from workflow.cli.support import Db, Json, cocrea, emit, handled, reader, warn_if_not_durable
from workflow.domain.clock import Clock, local_iso, read_moment, rehearsal_clock, utc_now
from workflow.domain.failures import invalid, out_of_range
from workflow.domain.milestones import parse_subject

scheduler_app = typer.Typer(no_args_is_help=True)

ClockStart = Annotated[str | None, typer.Option(
    "--clock-start")]


def _clock(clock_start: str | None) -> Clock:
    if not clock_start:
        return utc_now
    try:
        start = read_moment(clock_start, "UTC")
    except ValueError as exc:
        raise invalid(deployment_locale(), "--clock-start", "cli.bad_moment",
                      value=clock_start) from exc
    if not days.in_range(start.date()):
        raise out_of_range(deployment_locale(), "--clock-start", clock_start)
    return rehearsal_clock(start)


@scheduler_app.command("run")
@handled
def run(db: Db = None,
        poll: Annotated[float, typer.Option("--poll", min=0.1)]
        = 30.0,
        once: Annotated[bool, typer.Option("--once")]
        = False,
        clock_start: ClockStart = None, as_json: Json = False) -> None:
    """Fire due deadlines now (catch-up), then at each deadline until stopped."""
    configure_logging()
    wired = cocrea(db, clock=_clock(clock_start))
    if once:
        fired = wired.runner().run_due()
        emit(as_json, [{"deadline": f.deadline_id, "outcome": f.outcome} for f in fired],
             say(deployment_locale(), "cli.deadlines_fired", count=len(fired)))
        return
    warn_if_not_durable(wired.engine)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    wakeups = wired.wakeups(poll)
    wakeups.start()
    typer.echo(say(deployment_locale(), "cli.scheduler_started", poll=poll), err=True)
    stop.wait()
    wakeups.shutdown()
    typer.echo(say(deployment_locale(), "cli.scheduler_stopped"), err=True)


@scheduler_app.command("list")
@handled
def list_deadlines(plan: Annotated[str, typer.Argument()], db: Db = None,
                   as_json: Json = False) -> None:
    """List a plan's deadlines: when each is due (local time), its status and outcome.

    In the plan's language.
    """
    engine = reader(db)
    definition = queries.load_plan(engine, plan).state.definition
    tz, words = definition.timezone, definition.locale
    rows: list[dict[str, Any]] = [
        {**row, "due_at": local_iso(row["due_at"], tz), "fired_at": local_iso(row["fired_at"], tz)}
        for row in schedule.deadline_rows(engine, plan)]
    titles = {p.id: p.title for p in definition.phases}
    lines = [say(words, "cli.deadline_line", due=row["due_at"],
                 phase=titles.get(row["phase_id"]) or _milestone(row["phase_id"], words),
                 kind=say(words, f"deadline.{row['kind']}", days=row["days"]),
                 status=say(words, f"deadline_status.{row['status']}"),
                 outcome=say(words, "cli.deadline_outcome",
                             outcome=say(words, f"outcome.{row['outcome']}"))
                 if row["outcome"] else "")
             for row in rows]
    emit(as_json, rows, "\n".join(lines))


def _milestone(subject: str, locale: str) -> str:
    """Name a milestone's deadlines' subject (``c3/m2``) as people read it."""
    number, milestone = parse_subject(subject) or (0, subject)
    return say(locale, "cli.milestone_subject", number=number, milestone=milestone)
