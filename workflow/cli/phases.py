"""``cocrea phase`` and ``cocrea activity``: open, close and extend phases; activities done."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from definitions.messages import say
from storage import queries
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Expect,
    Json,
    actor,
    cocrea,
    emit,
    handled,
    parse_date,
)
from workflow.commands import ClosePhase, CompleteActivity, ExtendPhase, OpenPhase
from workflow.reads import show_plan

app = typer.Typer(no_args_is_help=True)
activity_app = typer.Typer(no_args_is_help=True)


Reason = Annotated[str, typer.Option("--reason")]


def _phase_done(plan: str, phase: str, key: str, engine: Engine, as_json: bool,
                **extra: str) -> None:
    view = show_plan(engine, plan)
    found = next(p for p in view["phases"] if p["id"] == phase)
    emit(as_json, found, say(view["locale"], key, phase=found["title"], **extra))


@app.command("open")
@handled
def phase_open(plan: str, phase: str, reason: Reason, db: Db = None,
               actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
               as_json: Json = False) -> None:
    """Open a phase (its opening conditions must hold)."""
    wired = cocrea(db)
    wired.services().handle(OpenPhase(plan, phase, reason, actor(actor_name), expect))
    _phase_done(plan, phase, "cli.phase_opened", wired.engine, as_json)


@app.command("close")
@handled
def phase_close(plan: str, phase: str, reason: Reason, db: Db = None,
                actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                as_json: Json = False) -> None:
    """Close a phase (its closing conditions must hold)."""
    wired = cocrea(db)
    wired.services().handle(ClosePhase(plan, phase, reason, actor(actor_name), expect))
    _phase_done(plan, phase, "cli.phase_closed", wired.engine, as_json)


@app.command("extend")
@handled
def phase_extend(plan: str, phase: str, reason: Reason,
                 until: Annotated[str, typer.Option("--until")],
                 db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                 as_json: Json = False) -> None:
    """Extend a phase to a new last day (a prórroga), with the reason."""
    wired = cocrea(db)
    locale = queries.load_plan(wired.engine, plan).locale
    until_day = parse_date(until, "--until", locale)
    wired.services().handle(ExtendPhase(plan, phase, until_day, reason, actor(actor_name),
                                        expect))
    _phase_done(plan, phase, "cli.phase_extended", wired.engine, as_json, until=until)


@activity_app.command("done")
@handled
def activity_done(plan: str, activity: str,
                  evidence: Annotated[str, typer.Option("--evidence")],
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Mark an activity done, with its evidence."""
    wired = cocrea(db)
    wired.services().handle(CompleteActivity(plan, activity, evidence, actor(actor_name),
                                             expect))
    found = queries.load_plan(wired.engine, plan)
    title = found.catalog.activities[activity][0].title
    emit(as_json, {"activity": activity, "evidence": evidence},
         say(found.locale, "cli.activity_done", activity=title))
