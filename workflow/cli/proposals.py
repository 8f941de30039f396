"""``cocrea proposal``: receive citizen proposals, move them through their lifecycle, list them."""

from __future__ import annotations

from typing import Annotated

import typer

from definitions.messages import say
from storage import queries
from workflow.cli.render import proposals_text
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
    reader,
)
from workflow.commands import FireTrigger, SubmitProposal
from workflow.views.timeline import channel_name

app = typer.Typer(no_args_is_help=True)


@app.command("submit")
@handled
def proposal_submit(plan: str, title: Annotated[str, typer.Option("--title")],
                    body: Annotated[str, typer.Option("--body")],
                    channel: Annotated[str, typer.Option("--channel")],
                    mesa: Annotated[int | None, typer.Option("--mesa")] = None,
                    email: Annotated[str | None, typer.Option(
                        "--email")] = None,
                    consent: Annotated[bool, typer.Option(
                        "--consent")] = False,
                    db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                    as_json: Json = False) -> None:
    """Receive a citizen proposal through a channel (and mesa de trabajo)."""
    wired = cocrea(db)
    proposal = wired.services().handle(SubmitProposal(plan, title, body, channel, mesa,
                                                      actor(actor_name), email, consent))
    definition = queries.load_plan(wired.engine, plan).state.definition
    emit(as_json, {"proposal": proposal, "channel": channel, "mesa": mesa},
         say(definition.locale, "cli.proposal_submitted", proposal=proposal,
             channel=channel_name(definition, channel, mesa)))


@app.command("fire")
@handled
def proposal_fire(proposal: str, trigger: str,
                  response: Annotated[str | None, typer.Option("--response")] = None,
                  into: Annotated[str | None, typer.Option("--into")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Fire a declared trigger on a proposal (with a reasoned response, a merge target)."""
    fields = {"response": response, "into": into}
    wired = cocrea(db)
    state = wired.services().handle(FireTrigger(proposal, trigger, fields,
                                                actor(actor_name), expect))
    found = queries.proposal_plan(wired.engine, proposal)
    emit(as_json, {"proposal": proposal, "trigger": trigger, "state": state},
         say(found.locale, "cli.proposal_fired", proposal=proposal, state=state,
             trigger=found.catalog.transitions[trigger].title))


@app.command("list")
@handled
def proposal_list(plan: str, state: Annotated[str | None, typer.Option("--state")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                  as_json: Json = False) -> None:
    """List a plan's proposals, optionally in one state."""
    found, rows = queries.list_proposals(reader(db), plan, state)
    emit(as_json, rows, proposals_text(rows, found.state.definition))
