"""``cocrea plan``: create, show and list action plans."""

from __future__ import annotations

from typing import Annotated

import typer

from definitions.messages import say
from storage import queries
from workflow.cli.render import plan_text, plans_text
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Json,
    actor,
    cocrea,
    emit,
    handled,
    parse_date,
    reader,
)
from workflow.commands import CreatePlan
from workflow.library import Library
from workflow.reads import show_plan

app = typer.Typer(no_args_is_help=True)


@app.command("create")
@handled
def plan_create(definition: Annotated[str, typer.Option("--definition")],
                plan_id: Annotated[str | None, typer.Option("--id")] = None,
                shift_to: Annotated[str | None, typer.Option("--shift-to")] = None,
                db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                as_json: Json = False) -> None:
    """Create a plan from a definition: ID (its newest version), ID@VERSION or a YAML file.

    The optional --shift-to moves the plan to start on that day.
    """
    wired = cocrea(db)
    parsed = Library(wired.engine).find(definition).definition
    start = parse_date(shift_to, "--shift-to", parsed.locale) if shift_to else None
    created = wired.services().handle(CreatePlan(parsed, actor(actor_name), plan_id, start))
    view = show_plan(wired.engine, created)
    first = view["phases"][0]["starts"]
    emit(as_json, view, say(parsed.locale, "cli.plan_created", plan=created,
                            definition=parsed.id, version=parsed.version,
                            hash=view["definition"]["hash"][:12], first=first))


@app.command("show")
@handled
def plan_show(plan: str, db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
              as_json: Json = False) -> None:
    """Show a plan: phases with dates and status, decisions and votes, counts."""
    view = show_plan(reader(db), plan)
    emit(as_json, view, plan_text(view))


@app.command("list")
@handled
def plan_list(db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """List the plans."""
    rows = queries.list_plans(reader(db))
    emit(as_json, rows, plans_text(rows))
