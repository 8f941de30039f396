"""``cocrea commitment``: draft the action plan's commitments, link, move, report and assess them.

A commitment is written as YAML on OGP's template (:mod:`definitions.commitment_file`)
and checked with its lines before anything is recorded. The command line acts as
staff (``--actor`` names who); ``milestone report --agency`` reports as that
implementing agency, and ``assess`` is recorded in the evaluator's role, naming the
evaluator with ``--actor``: the API holds these roles to their tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from definitions.commitment_file import CommitmentContent
from definitions.commitment_loader import parse_commitment
from definitions.commitments import value_words
from definitions.loader import read_source
from definitions.messages import say
from storage import queries
from workflow.cli.proposals import named_values
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
from workflow.commands import (
    AssessCommitment,
    DraftCommitment,
    FireCommitmentTrigger,
    LinkProposal,
    ReportMilestone,
    ReviseCommitment,
    UnlinkProposal,
)
from workflow.domain.commitment import lifecycle_of
from workflow.domain.events import Actor
from workflow.domain.plan import Plan
from workflow.domain.state import CommitmentState
from workflow.views.plan import commitment_view

app = typer.Typer(no_args_is_help=True)
milestone_app = typer.Typer(no_args_is_help=True)
app.add_typer(milestone_app, name="milestone")

File = Annotated[Path, typer.Option("--file")]
Reason = Annotated[str, typer.Option("--reason")]
Evidence = Annotated[list[str] | None, typer.Option("--evidence")]


def _content(plan: Plan, path: Path, draft: bool) -> CommitmentContent:
    """Read a commitment file against the plan's template, every problem with its line."""
    lifecycle = lifecycle_of(plan.catalog, plan.state.plan_id).lifecycle
    return parse_commitment(read_source(path, plan.locale), str(path), lifecycle, plan.locale,
                            draft)


def _said(plan: Plan, state: CommitmentState, as_json: bool) -> None:
    """Print where a commitment stands after a command."""
    emit(as_json, {"commitment": state.commitment_id, "state": state.state,
                   "version": state.version},
         say(plan.locale, "cli.commitment_now", commitment=state.commitment_id,
             state=state.state))


@app.command("draft")
@handled
def draft(plan: str, file: File, db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
          as_json: Json = False) -> None:
    """Draft a commitment from a YAML file on OGP's template (with the proposals it answers)."""
    wired = cocrea(db)
    found = queries.load_plan(wired.engine, plan)
    key = wired.services().handle(DraftCommitment(plan, _content(found, file, True),
                                                  actor(actor_name)))
    emit(as_json, {"commitment": key},
         say(found.locale, "cli.commitment_drafted", commitment=key))


@app.command("edit")
@handled
def edit(commitment: str, file: File, db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
         expect: Expect = None, as_json: Json = False) -> None:
    """Revise a commitment: the YAML file holds only what changes (and, once approved, a reason)."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    state = wired.services().handle(ReviseCommitment(
        commitment, _content(found, file, False), actor(actor_name), expect))
    _said(found, state, as_json)


@app.command("link")
@handled
def link(commitment: str, proposal: str, db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
         expect: Expect = None, as_json: Json = False) -> None:
    """Link a proposal the commitment answers (its id, pN or number)."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    _said(found, wired.services().handle(LinkProposal(commitment, proposal, actor(actor_name),
                                                      expect)), as_json)


@app.command("unlink")
@handled
def unlink(commitment: str, proposal: str, reason: Reason, db: Db = None,
           actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
           as_json: Json = False) -> None:
    """Unlink a proposal from a commitment, with the reason (the link stays in the history)."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    _said(found, wired.services().handle(UnlinkProposal(commitment, proposal, reason,
                                                        actor(actor_name), expect)), as_json)


@app.command("fire")
@handled
def fire(commitment: str, trigger: str,
         response: Annotated[str | None, typer.Option("--response")] = None,
         field: Annotated[list[str] | None, typer.Option("--field")] = None,
         db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
         as_json: Json = False) -> None:
    """Fire a declared trigger on a commitment (with its fields)."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    fields: dict[str, object] = {**named_values(field or [], found.locale)}
    if response is not None:
        fields["response"] = response
    _said(found, wired.services().handle(FireCommitmentTrigger(
        commitment, trigger, fields, actor(actor_name), expect)), as_json)


@milestone_app.command("report")
@handled
def report(commitment: str, milestone: str,
           progress: Annotated[str, typer.Option("--progress")],
           evidence: Evidence = None,
           done: Annotated[bool, typer.Option("--done")] = False,
           agency: Annotated[str | None, typer.Option("--agency")] = None,
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
           as_json: Json = False) -> None:
    """Report progress on a milestone with evidence (links, document ids); --done ends it."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    who = actor(actor_name)
    if agency is not None:
        who = Actor(who.name, "implementer", agency.strip())
    _said(found, wired.services().handle(ReportMilestone(
        commitment, milestone, progress, tuple(evidence or ()), done, who, expect)), as_json)


@app.command("assess")
@handled
def assess(commitment: str,
           completion: Annotated[str, typer.Option("--completion")],
           opened: Annotated[str, typer.Option("--opened-government")],
           text: Annotated[str, typer.Option("--text")],
           evidence: Evidence = None,
           reason: Annotated[str | None, typer.Option("--reason")] = None,
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
           as_json: Json = False) -> None:
    """Record the independent evaluator's assessment (a later one corrects it, with --reason)."""
    wired = cocrea(db)
    found, _, _ = queries.commitment_detail(wired.engine, commitment)
    evaluator = Actor(actor(actor_name).name, "evaluator")
    _said(found, wired.services().handle(AssessCommitment(
        commitment, completion, opened, text, tuple(evidence or ()), evaluator, reason,
        expect)), as_json)


@app.command("list")
@handled
def list_commitments(plan: str, db: Db = None, as_json: Json = False) -> None:
    """List a plan's commitments: number, title, lead agency, state, assessment."""
    found, rows = queries.list_commitments(reader(db), plan)
    lines = [say(found.locale, "cli.commitment_line", number=r["number"], title=r["title"],
                 agency=r["lead_agency"], state=r["state"]) for r in rows]
    emit(as_json, rows, "\n".join(lines) or say(found.locale, "cli.no_commitments"))


@app.command("show")
@handled
def show(commitment: str, db: Db = None, as_json: Json = False) -> None:
    """Show a commitment: its template fields, milestones, proposals with channels, assessment."""
    found, state, proposals = queries.commitment_detail(reader(db), commitment)
    data = commitment_view(found, state, proposals)
    emit(as_json, data, "\n".join(_show_lines(found, data)))


def _show_lines(plan: Plan, data: dict[str, Any]) -> list[str]:
    locale = plan.locale
    lifecycle = lifecycle_of(plan.catalog, plan.state.plan_id)
    lines = [say(locale, "cli.commitment_line", number=data["number"],
                 title=data["fields"].get("title", ""),
                 agency=data["fields"].get("lead_agency", ""), state=data["state"])]
    fields = data["fields"]
    lines += [say(locale, "cli.commitment_field", label=f.label,
                  value=_value(fields[f.field], locale))
              for f in lifecycle.lifecycle.template
              if f.field in fields and f.field not in ("title", "lead_agency")]
    lines += [say(locale, "cli.commitment_milestone_done" if m["done"]
                  else "cli.commitment_milestone", milestone=m["milestone"],
                  description=m["description"], due=m["due"]) for m in data["milestones"]]
    lines += [say(locale, "cli.commitment_proposal", number=p["number"], title=p["title"],
                  channel=p["channel"]) for p in data["proposals"]]
    return lines


def _value(value: object, locale: str) -> str:
    """Say a template value: a list (the OGP values) named in ``locale``, one after another."""
    return value_words(value, locale) if isinstance(value, list) else str(value)
