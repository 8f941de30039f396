"""The ``cocrea`` command line: a thin entry point that parses, calls a service, prints.

Messages are in the plan's language; every error goes through the one table in
:mod:`workflow.cli_support`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from definitions.loader import parse_definition
from definitions.registry import resolve_definition_source
from definitions.summary import render_summary
from storage import audit, queries
from storage.eventstore import Head
from workflow.cli_help import in_spanish
from workflow.cli_notify import contact_app, notify_app
from workflow.cli_render import plan_text, plans_text, proposals_text
from workflow.cli_scheduler import scheduler_app
from workflow.cli_serve import serve, token_app
from workflow.cli_simulate import simulate_command
from workflow.cli_support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Expect,
    Json,
    actor,
    emit,
    engine_for,
    fail,
    handled,
    services,
)
from workflow.clock import parse_moment
from workflow.messages import say
from workflow.views import plan_view

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="cocrea: motor de co-creación de planes de Gobierno Abierto (OGP Local).")
plan_app = typer.Typer(no_args_is_help=True, help="Planes de acción.")
phase_app = typer.Typer(no_args_is_help=True, help="Fases de un plan.")
committee_app = typer.Typer(no_args_is_help=True, help="Comité Impulsor.")
activity_app = typer.Typer(no_args_is_help=True, help="Actividades de las fases.")
proposal_app = typer.Typer(no_args_is_help=True, help="Propuestas ciudadanas.")
for sub, name in ((plan_app, "plan"), (phase_app, "phase"), (committee_app, "committee"),
                  (activity_app, "activity"), (proposal_app, "proposal"),
                  (scheduler_app, "scheduler"), (token_app, "token"), (notify_app, "notify"),
                  (contact_app, "contact")):
    app.add_typer(sub, name=name)

app.command("simulate")(simulate_command)
app.command("serve")(serve)

Reason = Annotated[str, typer.Option("--reason", help="Motivo (queda en el registro)")]


def main() -> None:
    """Run the ``cocrea`` command line."""
    in_spanish(app)
    app()


def _date(value: str, option: str, locale: str = "es") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(say(locale, "error.field", field=option,
                 problem=say(locale, "cli.bad_date", value=value)))
        raise


@app.command()
@handled
def check(source: Annotated[str, typer.Argument(help="Archivo YAML o id de una definición")],
          as_json: Json = False) -> None:
    """Validate a process definition and print its summary."""
    label, text = resolve_definition_source(source)
    definition = parse_definition(text, label)
    emit(as_json, definition.model_dump(mode="json"),
         say(definition.locale, "cli.definition_ok", source=label) + "\n\n"
         + render_summary(definition))


@plan_app.command("create")
@handled
def plan_create(definition: Annotated[str, typer.Option("--definition", help="Id o archivo")],
                plan_id: Annotated[str | None, typer.Option("--id")] = None,
                shift_to: Annotated[str | None, typer.Option("--shift-to")] = None,
                db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                as_json: Json = False) -> None:
    """Create a plan from a definition (optionally moved to start on --shift-to)."""
    label, text = resolve_definition_source(definition)
    parsed = parse_definition(text, label)
    start = _date(shift_to, "--shift-to", parsed.locale) if shift_to else None
    engine = engine_for(db)
    created = services(engine).create_plan(parsed, actor(actor_name), plan_id, start)
    view = queries.show_plan(engine, created)
    first = view["phases"][0]["starts"]
    emit(as_json, view, say(parsed.locale, "cli.plan_created", plan=created,
                            definition=parsed.id, version=parsed.version,
                            hash=view["definition"]["hash"][:12], first=first))


@plan_app.command("show")
@handled
def plan_show(plan: str, db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
              as_json: Json = False) -> None:
    """Show a plan: phases with dates and status, decisions and votes, counts."""
    view = queries.show_plan(engine_for(db), plan)
    emit(as_json, view, plan_text(view))


@plan_app.command("list")
@handled
def plan_list(db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """List the plans."""
    rows = queries.list_plans(engine_for(db))
    emit(as_json, rows, plans_text(rows))


def _phase_done(plan: str, phase: str, key: str, engine: Engine, as_json: bool,
                **extra: str) -> None:
    view = queries.show_plan(engine, plan)
    found = next(p for p in view["phases"] if p["id"] == phase)
    emit(as_json, found, say(view["locale"], key, phase=found["title"], **extra))


@phase_app.command("open")
@handled
def phase_open(plan: str, phase: str, reason: Reason, db: Db = None,
               actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
               as_json: Json = False) -> None:
    """Open a phase (its opening conditions must hold)."""
    engine = engine_for(db)
    services(engine).open_phase(plan, phase, reason, actor(actor_name), expect)
    _phase_done(plan, phase, "cli.phase_opened", engine, as_json)


@phase_app.command("close")
@handled
def phase_close(plan: str, phase: str, reason: Reason, db: Db = None,
                actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                as_json: Json = False) -> None:
    """Close a phase (its closing conditions must hold)."""
    engine = engine_for(db)
    services(engine).close_phase(plan, phase, reason, actor(actor_name), expect)
    _phase_done(plan, phase, "cli.phase_closed", engine, as_json)


@phase_app.command("extend")
@handled
def phase_extend(plan: str, phase: str, reason: Reason,
                 until: Annotated[str, typer.Option("--until", help="Nuevo último día")],
                 db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                 as_json: Json = False) -> None:
    """Extend a phase to a new last day (a prórroga), with the reason."""
    engine = engine_for(db)
    services(engine).extend_phase(plan, phase, _date(until, "--until"), reason,
                                  actor(actor_name), expect)
    _phase_done(plan, phase, "cli.phase_extended", engine, as_json, until=until)


@committee_app.command("add-member")
@handled
def add_member(plan: str, name: Annotated[str, typer.Option("--name")],
               group: Annotated[str, typer.Option("--group")],
               email: Annotated[str | None, typer.Option(
                   "--email", help="Correo para los avisos (no se publica)")] = None,
               db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
               as_json: Json = False) -> None:
    """Add a member to the committee, in one of its groups (with the email notices reach)."""
    engine = engine_for(db)
    member = services(engine).add_member(plan, name, group, actor(actor_name), email=email)
    locale = queries.load_plan(engine_for(db), plan).locale
    emit(as_json, {"member": member, "name": name, "group": group},
         say(locale, "cli.member_added", member=member, name=name, group=group))


@app.command()
@handled
def vote(plan: str, decision: str, member: Annotated[str, typer.Option("--member")],
         approve: Annotated[bool | None, typer.Option("--approve/--reject")] = None,
         db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
         as_json: Json = False) -> None:
    """Record a member's vote on a committee decision."""
    if approve is None:
        fail(say("es", "cli.approve_or_reject"))
        return
    engine = engine_for(db)
    t = services(engine).vote(plan, decision, member, approve, actor(actor_name), expect)
    locale = queries.load_plan(engine_for(db), plan).locale
    tally = say(locale, "tally", approvals=t.approvals, rejections=t.rejections,
                voters=t.voters, needed=t.needed)
    text = say(locale, "cli.vote_cast", member=member, decision=decision, tally=tally)
    if t.passed:
        text += "\n" + say(locale, "cli.decision_passed", decision=decision)
    emit(as_json, {"decision": decision, "member": member, "approve": approve,
                   "approvals": t.approvals, "rejections": t.rejections, "voters": t.voters,
                   "needed": t.needed, "passed": t.passed}, text)


@activity_app.command("done")
@handled
def activity_done(plan: str, activity: str,
                  evidence: Annotated[str, typer.Option("--evidence", help="Enlace o documento")],
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Mark an activity done, with its evidence."""
    engine = engine_for(db)
    services(engine).complete_activity(plan, activity, evidence, actor(actor_name), expect)
    locale = queries.load_plan(engine_for(db), plan).locale
    emit(as_json, {"activity": activity, "evidence": evidence},
         say(locale, "cli.activity_done", activity=activity))


@proposal_app.command("submit")
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
    engine = engine_for(db)
    proposal = services(engine).submit_proposal(plan, title, body, channel, mesa,
                                                actor(actor_name), email, consent)
    locale = queries.load_plan(engine_for(db), plan).locale
    emit(as_json, {"proposal": proposal, "channel": channel, "mesa": mesa},
         say(locale, "cli.proposal_submitted", proposal=proposal, channel=channel))


@proposal_app.command("fire")
@handled
def proposal_fire(proposal: str, trigger: str,
                  response: Annotated[str | None, typer.Option("--response")] = None,
                  into: Annotated[str | None, typer.Option("--into")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, expect: Expect = None,
                  as_json: Json = False) -> None:
    """Fire a declared trigger on a proposal (with a reasoned response, a merge target)."""
    fields = {"response": response, "into": into}
    engine = engine_for(db)
    state = services(engine).fire(proposal, trigger, fields, actor(actor_name), expect)
    emit(as_json, {"proposal": proposal, "trigger": trigger, "state": state},
         say("es", "cli.proposal_fired", proposal=proposal, trigger=trigger, state=state))


@proposal_app.command("list")
@handled
def proposal_list(plan: str, state: Annotated[str | None, typer.Option("--state")] = None,
                  db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
                  as_json: Json = False) -> None:
    """List a plan's proposals, optionally in one state."""
    found, rows = queries.list_proposals(engine_for(db), plan, state)
    emit(as_json, rows, proposals_text(rows, found.locale))


EVENT_COLUMNS = ("position", "event_id", "stream", "version", "type", "actor", "role",
                 "occurred_at", "causation_id", "correlation_id", "data", "hash")


@app.command()
@handled
def events(plan: str, fmt: Annotated[str, typer.Option("--format", help="jsonl | csv")] = "jsonl",
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR) -> None:
    """Export a plan's events (its own and its proposals') in log order."""
    if fmt not in ("jsonl", "csv"):
        fail(say("es", "error.field", field="--format", problem="jsonl | csv"))
    rows = queries.plan_events(engine_for(db), plan)
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "data": json.dumps(row["data"], ensure_ascii=False)})


@app.command()
@handled
def replay(plan: str, as_of: Annotated[str, typer.Option("--as-of", help="Fecha u hora ISO")],
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Print a plan as it was at a moment, rebuilt from its events."""
    engine = engine_for(db)
    current = queries.load_plan(engine, plan)
    tz, locale = current.state.definition.timezone, current.locale
    try:
        moment = parse_moment(as_of, tz)
    except ValueError:
        fail(say(locale, "error.field", field="--as-of",
                 problem=say(locale, "cli.bad_moment", value=as_of)))
        return
    rebuilt = audit.replay_as_of(engine, plan, moment)
    if plan not in rebuilt.plans:
        fail(say(locale, "error.not_found", what=say(locale, "what.plan"), key=plan))
        return
    view = plan_view(rebuilt.plans[plan], rebuilt.counts(plan))
    view["as_of"] = moment.isoformat()
    emit(as_json, view, say(locale, "cli.as_of", moment=as_of) + "\n" + plan_text(view))


def _read_digest(path: Path) -> Head:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        return Head(int(data["position"]), str(data["hash"]))
    except (ValueError, KeyError, TypeError):
        found = re.search(r"(\d+)\D+([0-9a-f]{64})", text)
        if found is None:
            fail(say("es", "cli.bad_digest", path=path, detail="position/hash"))
            raise
        return Head(int(found.group(1)), found.group(2))


@app.command()
@handled
def verify(digest_file: Annotated[Path | None, typer.Option("--digest")] = None,
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Check the whole log: hash chain, legal replay, projections (and a kept digest)."""
    kept = _read_digest(digest_file) if digest_file else None
    report = audit.verify(engine_for(db), kept)
    data = {"ok": report.ok, "events": report.events, "plans": report.plans,
            "proposals": report.proposals,
            "head": {"position": report.head.position, "hash": report.head.hash},
            "finding": None if report.finding is None else
            {"position": report.finding.position, "message": report.finding.message}}
    if report.finding is not None:
        emit(as_json, data, say("es", "cli.verify_failed",
                                position=report.finding.position or "?",
                                message=report.finding.message))
        raise typer.Exit(1)
    emit(as_json, data, say("es", "cli.verified", events=report.events, plans=report.plans,
                            proposals=report.proposals, position=report.head.position,
                            hash=report.head.hash))


@app.command()
@handled
def digest(db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Print the log's head (position and hash) for auditors to keep outside the database."""
    head = audit.digest(engine_for(db))
    emit(as_json, {"position": head.position, "hash": head.hash},
         say("es", "cli.digest", position=head.position, hash=head.hash))
