"""The auditor's commands: export events, replay a moment, verify the log, print its digest."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from definitions.messages import deployment_locale, say
from storage import audit, queries
from storage.eventstore import Head
from workflow.cli.render import plan_text
from workflow.cli.support import (
    DEFAULT_ACTOR,
    ActorName,
    Db,
    Json,
    emit,
    fail,
    handled,
    reader,
)
from workflow.domain.canonical import canonical_json
from workflow.domain.clock import parse_moment
from workflow.views.plan import commitments_view, plan_view

EVENT_COLUMNS = ("position", "event_id", "stream", "version", "type", "actor", "role",
                 "occurred_at", "causation_id", "correlation_id", "data", "hash")


@handled
def events(plan: str, fmt: Annotated[str, typer.Option("--format")] = "jsonl",
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR) -> None:
    """Export a plan's events (its own and its proposals') in log order."""
    if fmt not in ("jsonl", "csv"):
        lo = deployment_locale()
        fail(say(lo, "error.field", field="--format", problem=say(lo, "help.param.fmt")))
    rows = queries.plan_events(reader(db), plan)
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(canonical_json(row) + "\n")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "data": canonical_json(row["data"])})


@handled
def replay(plan: str, as_of: Annotated[str, typer.Option("--as-of")],
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Print a plan as it was at a moment, rebuilt from its events."""
    engine = reader(db)
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
    view["commitments"] = commitments_view(rebuilt.commitments.values(), plan, tz)
    view["as_of"] = moment.isoformat()
    emit(as_json, view, "\n".join([say(locale, "cli.as_of", moment=as_of), plan_text(view)]))


def read_digest(path: Path) -> Head:
    """Read a kept digest: ``cocrea digest --json``, or any text with a position and a hash."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        return Head(int(data["position"]), str(data["hash"]))
    except (ValueError, KeyError, TypeError):
        found = re.search(r"(\d+)\D+([0-9a-f]{64})", text)
        if found is None:
            fail(say(deployment_locale(), "cli.bad_digest", path=path, detail="position/hash"))
            raise
        return Head(int(found.group(1)), found.group(2))


@handled
def verify(digest_file: Annotated[Path | None, typer.Option("--digest")] = None,
           db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Check the whole log: hash chain, legal replay, projections (and a kept digest).

    In the deployment's language; a finding about one plan, in the plan's.
    """
    kept = read_digest(digest_file) if digest_file else None
    report, lo = audit.verify(reader(db), kept), deployment_locale()
    data = audit.report_data(report)
    if report.finding is not None:
        emit(as_json, data, say(report.finding.locale, "cli.verify_failed",
                                position=report.finding.position or "?",
                                message=report.finding.message))
        raise typer.Exit(1)
    emit(as_json, data, verified_text(report, lo))


def verified_text(report: audit.AuditReport, locale: str) -> str:
    """Say that the log verified: how many events, plans and proposals, and its head."""
    return say(locale, "cli.verified",
               events=say(locale, "count.chained_events", count=report.events),
               plans=say(locale, "count.plans", count=report.plans),
               proposals=say(locale, "count.proposals", count=report.proposals),
               position=report.head.position, hash=report.head.hash)


@handled
def digest(db: Db = None, actor_name: ActorName = DEFAULT_ACTOR,
           as_json: Json = False) -> None:
    """Print the log's head (position and hash) for auditors to keep outside the database."""
    head = audit.digest(reader(db))
    emit(as_json, {"position": head.position, "hash": head.hash},
         say(deployment_locale(), "cli.digest", position=head.position, hash=head.hash))
