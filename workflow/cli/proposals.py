"""``cocrea proposal``: receive citizen proposals, move them through their lifecycle, list them."""

from __future__ import annotations

from typing import Annotated

import typer

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
from workflow.domain.messages import say

app = typer.Typer(no_args_is_help=True, help="Propuestas ciudadanas.")


@app.command("submit")
@handled
def proposal_submit(plan: str, title: Annotated[str, typer.Option("--title")],
                    body: Annotated[str, typer.Option("--body")],
                    channel: Annotated[str, typer.Option("--channel", help="online | mesa")],
                    mesa: Annotated[int | None, typer.Option("--mesa")] = None,
                    email: Annotated[str | None, typer.Option(
                        "--email", help="Correo de quien propone (solo con --consent)")] = None,
                    consent: Annotated[bool, typer.Option(
                        "--consent", help="Quien propone acepta recibir la respuesta por "
                                          "correo")] = False,
                    db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                    as_json: Json = False) -> None:
    """Receive a citizen proposal through a channel (and mesa de trabajo)."""
    wired = cocrea(db)
    proposal = wired.services().handle(SubmitProposal(plan, title, body, channel, mesa,
                                                      actor(actor_name), email, consent))
    locale = queries.load_plan(wired.engine, plan).locale
    emit(as_json, {"proposal": proposal, "channel": channel, "mesa": mesa},
         say(locale, "cli.proposal_submitted", proposal=proposal, channel=channel))


@app.command("fire")
@handled
def proposal_fire(proposal: str, trigger: str,
                  response: Annotated[str | None, typer.Option("--response")] = None,
                  into: Annotated[str | None, typer.Option("--into")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Fire a declared trigger on a proposal (with a reasoned response, a merge target)."""
    fields = {"response": response, "into": into}
    state = cocrea(db).services().handle(FireTrigger(proposal, trigger, fields,
                                                     actor(actor_name), expect))
    emit(as_json, {"proposal": proposal, "trigger": trigger, "state": state},
         say("es", "cli.proposal_fired", proposal=proposal, trigger=trigger, state=state))


@app.command("list")
@handled
def proposal_list(plan: str, state: Annotated[str | None, typer.Option("--state")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                  as_json: Json = False) -> None:
    """List a plan's proposals, optionally in one state."""
    found, rows = queries.list_proposals(reader(db), plan, state)
    emit(as_json, rows, proposals_text(rows, found.locale))
