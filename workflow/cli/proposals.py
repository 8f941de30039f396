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
from workflow.commands import FireTrigger, SubmitProposal, SupportProposal
from workflow.domain.events import Actor
from workflow.domain.failures import invalid
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
                  field: Annotated[list[str] | None, typer.Option("--field")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Fire a declared trigger on a proposal (with a reasoned response, a merge target)."""
    wired = cocrea(db)
    found = queries.proposal_plan(wired.engine, proposal)
    fields: dict[str, object] = {**named_values(field or [], found.locale),
                                 "response": response, "into": into}
    state = wired.services().handle(FireTrigger(proposal, trigger, fields,
                                                actor(actor_name), expect))
    emit(as_json, {"proposal": proposal, "trigger": trigger, "state": state},
         say(found.locale, "cli.proposal_fired", proposal=proposal, state=state,
             trigger=found.catalog.transitions[trigger].title))


@app.command("support")
@handled
def proposal_support(proposal: str,
                     supporter: Annotated[str, typer.Option("--supporter")],
                     db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                     as_json: Json = False) -> None:
    """Count one anonymous supporter of a proposal (the intake platform's key for them)."""
    wired = cocrea(db)
    count = wired.services().handle(SupportProposal(proposal, supporter,
                                                    Actor(actor_name, "intake")))
    locale = queries.proposal_plan(wired.engine, proposal).locale
    emit(as_json, {"proposal": proposal, "supports": count},
         say(locale, "cli.proposal_supported", proposal=proposal, count=count))


def named_values(given: list[str], locale: str) -> dict[str, str]:
    """Read ``--field name=value`` options (the value may hold ``=``); errors in ``locale``."""
    found: dict[str, str] = {}
    for item in given:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise invalid(locale, "--field", "cli.field_syntax", given=item)
        found[name.strip()] = value
    return found


@app.command("list")
@handled
def proposal_list(plan: str, state: Annotated[str | None, typer.Option("--state")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                  as_json: Json = False) -> None:
    """List a plan's proposals, optionally in one state."""
    found, rows = queries.list_proposals(reader(db), plan, state)
    emit(as_json, rows, proposals_text(rows, found.state.definition))
