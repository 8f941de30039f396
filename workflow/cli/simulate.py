"""``cocrea simulate``: a whole process on a virtual clock, its timeline, summary and audit."""

from __future__ import annotations

import logging
import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from definitions.loader import read_source
from definitions.messages import deployment_locale, say
from definitions.scenario import parse_scenario, step_lines
from notifications.setup import channels_from_env
from storage import audit, outbox, queries
from workflow.adapters.logs import configure_logging
from workflow.cli.audit import verified_text
from workflow.cli.definitions import library_reader
from workflow.cli.support import Db, Json, cocrea, emit, handled
from workflow.domain.clock import VirtualClock
from workflow.domain.errors import DefinitionError, Problem
from workflow.library import Library
from workflow.simulation.run import local_moment, run_scenario
from workflow.views.timeline import summary, summary_lines, timeline


def shipped_scenario(definition_id: str) -> tuple[str, str]:
    """Return (label, text) of the scenario shipped for a definition."""
    entry = resources.files("definitions") / "scenarios" / f"{definition_id}.yaml"
    if not entry.is_file():
        locale = deployment_locale()
        message = say(locale, "cli.no_scenario", definition=definition_id)
        raise DefinitionError(definition_id, [Problem("", None, message)], locale)
    return f"scenarios/{definition_id}.yaml", entry.read_text(encoding="utf-8")


def simulate(definition_name: Annotated[str, typer.Argument()] = "cuenca-2022",
             scenario_file: Annotated[Path | None, typer.Option(
                 "--scenario")] = None,
             db: Db = None, as_json: Json = False,
             definitions_db: Annotated[str | None, typer.Option("--definitions-db")] = None,
             ) -> None:
    """Run a whole process on a virtual clock; print its timeline and summary, then verify.

    The definition is shipped, a file, or stored in the database ``--definitions-db``
    names (else COCREA_DATABASE_URL, else the default SQLite file, if it exists),
    which is only read; the run itself goes to ``--db``, else a fresh SQLite file.
    """
    configure_logging(logging.WARNING)  # the timeline tells what fired
    definition = Library(lambda: library_reader(definitions_db)).find(definition_name).definition
    source, scenario_text = ((str(scenario_file), read_source(scenario_file, definition.locale))
                             if scenario_file else shipped_scenario(definition.id))
    scenario = parse_scenario(scenario_text, source, definition.locale, definition.timezone)
    if scenario.definition != definition.id:
        message = say(definition.locale, "cli.scenario_mismatch", scenario=scenario.definition,
                      definition=definition.id)
        raise DefinitionError(source, [Problem("definition", 1, message)], definition.locale)
    url = db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='cocrea-sim-')) / 'simulacion.db'}"
    clock = VirtualClock(local_moment(scenario.created_at, definition.timezone))
    wired = cocrea(url, clock=clock)
    engine, channels = wired.engine, channels_from_env()
    run = run_scenario(scenario, definition, wired.services(), clock,
                       wired.runner("simulacion"), wired.next_due(), source,
                       step_lines(scenario_text), wired.dispatcher(channels).drain)
    events = list(queries.plan_events(engine, run.plan_id))
    report = audit.verify(engine)
    data: dict[str, Any] = {
        "plan": run.plan_id, "database": url, "deadlines_fired": run.deadlines_fired,
        "notifications": {"channels": sorted(channels), "outbox": outbox.counts(engine)},
        "timeline": [{"at": line.at, "what": line.what, "who": line.who}
                     for line in timeline(events, definition)],
        "summary": summary(events, definition),
        "verify": {"ok": report.ok, "events": report.events,
                   "finding": None if report.finding is None else report.finding.message}}
    emit(as_json, data, _text(data, definition.title, definition.timezone, definition.locale,
                              report))
    if not report.ok:
        raise typer.Exit(1)


def _text(data: dict[str, Any], title: str, tz: str, locale: str,
          report: audit.AuditReport) -> str:
    lines = [say(locale, "sim.heading", title=title), "",
             say(locale, "sim.timeline", timezone=tz)]
    lines += [f"  {e['at']}  {e['what']}  — {e['who']}" for e in data["timeline"]]
    lines += ["", *summary_lines(data["summary"], locale), "",
              say(locale, "sim.deadlines", count=data["deadlines_fired"]),
              *_notice_lines(data["notifications"], locale)]
    if report.finding is None:
        lines.append(verified_text(report, locale))
    else:
        lines.append(say(report.finding.locale, "cli.verify_failed",
                         position=report.finding.position or "?",
                         message=report.finding.message))
    lines.append(say(locale, "sim.database", url=data["database"]))
    return "\n".join(lines)


def _notice_lines(notices: dict[str, Any], locale: str) -> list[str]:
    outbox_counts: dict[str, dict[str, int]] = notices["outbox"]
    total = sum(sum(by_status.values()) for by_status in outbox_counts.values())
    lines = [say(locale, "sim.notices", count=total)]
    for channel, by_status in sorted(outbox_counts.items()):
        counts = ", ".join(say(locale, f"sim.notice_{status}", count=count)
                           for status, count in sorted(by_status.items()))
        off = "" if channel in notices["channels"] else say(locale, f"sim.channel_off_{channel}")
        lines.append(say(locale, "sim.channel_line", channel=say(locale, f"sim.channel_{channel}"),
                         counts=counts, off=off))
    return lines


simulate_command = handled(simulate)
