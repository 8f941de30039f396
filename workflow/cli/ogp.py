"""``cocrea meeting record`` and ``cocrea ogp report``: the forum's meetings, OGP's requirements."""

from __future__ import annotations

from typing import Annotated

import typer

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
    fail,
    handled,
    reader,
)
from workflow.commands import RecordMeeting
from workflow.domain.clock import parse_moment, read_moment, utc_now
from workflow.domain.failures import invalid
from workflow.reads import ogp_report
from workflow.views.ogp import ogp_lines
from workflow.views.timeline import Names

meeting_app = typer.Typer(no_args_is_help=True, help="Reuniones del foro.")
ogp_app = typer.Typer(no_args_is_help=True, help="Requisitos mínimos de OGP.")


@meeting_app.command("record")
@handled
def record(plan: str, at: Annotated[str, typer.Option("--at")],
           attendance: Annotated[list[str], typer.Option("--attendance")],
           minutes: Annotated[str | None, typer.Option("--minutes")] = None,
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
           as_json: Json = False) -> None:
    """Record a meeting of the forum: when, how many of each group came, its minutes."""
    wired = cocrea(db)
    definition = queries.load_plan(wired.engine, plan).state.definition
    locale = definition.locale
    try:
        held_at = read_moment(at, definition.timezone)
    except ValueError:
        fail(say(locale, "error.field", field="--at",
                 problem=say(locale, "cli.bad_moment", value=at)))
        return
    counts = _attendance(attendance, locale)
    wired.services().handle(RecordMeeting(plan, held_at, counts, minutes, actor(actor_name),
                                          expect))
    when = Names(definition).when({"occurred_at": held_at.isoformat()})
    emit(as_json, {"plan": plan, "held_at": held_at.isoformat(), "attendance": counts,
                   "minutes": minutes},
         say(locale, "cli.meeting_recorded", committee=definition.committee.name, when=when))


def _attendance(given: list[str], locale: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in given:
        group, equals, count = item.partition("=")
        if not equals or not group.strip() or not count.strip().isdigit():
            raise invalid(locale, "--attendance", "cli.attendance_syntax", given=item)
        found[group.strip()] = int(count)
    return found


@ogp_app.command("report")
@handled
def report(plan: str, as_of: Annotated[str | None, typer.Option("--as-of")] = None,
           db: Db = None, as_json: Json = False) -> None:
    """Say, rule by rule, which of OGP's minimum requirements the plan meets (or not yet)."""
    engine = reader(db)
    definition = queries.load_plan(engine, plan).state.definition
    now = utc_now()
    try:
        moment = min(parse_moment(as_of, definition.timezone), now) if as_of else now
    except ValueError:
        fail(say(definition.locale, "error.field", field="--as-of",
                 problem=say(definition.locale, "cli.bad_moment", value=as_of)))
        return
    view = ogp_report(engine, plan, moment)
    emit(as_json, view, "\n".join(ogp_lines(view)))
