"""``cocrea committee`` and ``cocrea vote``: seat members and record their votes."""

from __future__ import annotations

from typing import Annotated

import typer

from definitions.messages import deployment_locale, say
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
)
from workflow.commands import AddMember, CastVote

app = typer.Typer(no_args_is_help=True)


@app.command("add-member")
@handled
def add_member(plan: str, name: Annotated[str, typer.Option("--name")],
               group: Annotated[str, typer.Option("--group")],
               email: Annotated[str | None, typer.Option(
                   "--email")] = None,
               db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
               as_json: Json = False) -> None:
    """Add a member to the committee, in one of its groups (with the email notices reach)."""
    engine = cocrea(db)
    member = engine.services().handle(AddMember(plan, name, group, actor(actor_name), None,
                                                email))
    found = queries.load_plan(engine.engine, plan)
    emit(as_json, {"member": member, "name": name, "group": group},
         say(found.locale, "cli.member_added", member=member, name=name,
             group=found.catalog.groups[group].name))


@handled
def vote(plan: str, decision: str, member: Annotated[str, typer.Option("--member")],
         approve: Annotated[bool | None, typer.Option("--approve/--reject")] = None,
         db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
         as_json: Json = False) -> None:
    """Record a member's vote on a committee decision."""
    if approve is None:
        fail(say(deployment_locale(), "cli.approve_or_reject"))
        return
    engine = cocrea(db)
    t = engine.services().handle(CastVote(plan, decision, member, approve, actor(actor_name),
                                          expect))
    found = queries.load_plan(engine.engine, plan)
    locale, title = found.locale, found.catalog.decisions[decision].title
    tally = say(locale, "tally", approvals=t.approvals, rejections=t.rejections,
                voters=t.voters, needed=t.needed)
    lines = [say(locale, "cli.vote_cast", member=found.state.members[member].name,
                 decision=title, tally=tally)]
    if t.passed:
        lines.append(say(locale, "cli.decision_passed", decision=title))
    emit(as_json, {"decision": decision, "member": member, "approve": approve,
                   "approvals": t.approvals, "rejections": t.rejections, "voters": t.voters,
                   "needed": t.needed, "passed": t.passed}, "\n".join(lines))
