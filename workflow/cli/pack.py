"""``cocrea audit pack`` and ``audit check``: the evidence pack an auditor takes away.

``pack`` reads the database read-only, in one snapshot, after verifying the log;
``check`` opens no database at all: everything it needs is in the ZIP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from definitions.messages import deployment_locale, say
from storage.chain import Finding
from storage.pack import PackSummary, write_pack
from storage.pack_check import PackReport, check_pack
from workflow.cli.audit import read_digest
from workflow.cli.support import DEFAULT_ACTOR, ActorName, Db, Json, emit, handled, reader
from workflow.evidence import MEMBERS

app = typer.Typer(no_args_is_help=True)


@app.command("pack")
@handled
def pack(out: Annotated[Path, typer.Option("--out")],
         plan: Annotated[str | None, typer.Option("--plan")] = None,
         db: Db = None, actor_name: ActorName = DEFAULT_ACTOR, as_json: Json = False) -> None:
    """Write an evidence pack of the log (or of one plan) to a ZIP file."""
    lo = deployment_locale()
    summary = write_pack(reader(db), out, MEMBERS, plan, lo)
    emit(as_json, _written_data(summary, out), written_text(summary, out, lo))
    if not summary.verified.ok:
        raise typer.Exit(1)


def _written_data(summary: PackSummary, out: Path) -> dict[str, object]:
    return {"path": str(out), "plan": summary.plan, "events": summary.events,
            "head": {"position": summary.head.position, "hash": summary.head.hash},
            "verified": summary.verified.ok,
            "members": [{"name": m.name, "sha256": m.sha256, "bytes": m.size}
                        for m in summary.members]}


def written_text(summary: PackSummary, out: Path, locale: str) -> str:
    """Say what the pack holds, and whether the log it holds passed verify."""
    counts = {"path": out, "events": say(locale, "count.events", count=summary.events),
              "members": say(locale, "count.pack_members", count=len(summary.members) + 1),
              "position": summary.head.position, "hash": summary.head.hash}
    lines = [say(locale, "cli.pack_written", **counts) if summary.plan is None else
             say(locale, "cli.pack_written_plan", plan=summary.plan, **counts)]
    finding = summary.verified.finding
    if finding is not None:
        lines.append(say(locale, "cli.pack_log_failed", position=finding.position or "?",
                         message=finding.message))
    return "\n".join(lines)


@app.command("check")
@handled
def check(pack_file: Annotated[Path, typer.Argument()],
          digest_file: Annotated[Path | None, typer.Option("--digest")] = None,
          as_json: Json = False) -> None:
    """Check an evidence pack with no database: sums, chain, replay, projections, head."""
    lo = deployment_locale()
    kept = read_digest(digest_file) if digest_file else None
    report = check_pack(pack_file, kept, lo)
    emit(as_json, _checked_data(report), checked_text(report, lo))
    if not report.ok:
        raise typer.Exit(1)


def _checked_data(report: PackReport) -> dict[str, object]:
    return {"ok": report.ok, "plan": report.plan, "events": report.events,
            "plans": report.plans, "proposals": report.proposals,
            "head": {"position": report.head.position, "hash": report.head.hash},
            "sums_only": report.sums_only,
            "findings": [{"position": x.position, "message": x.message}
                         for x in report.ordered()]}


def checked_text(report: PackReport, locale: str) -> str:
    """Say that the pack checked and what that proves, or list every finding."""
    if not report.ok:
        return "\n".join([say(locale, "cli.pack_failed", count=len(report.findings)),
                          *(_finding_line(x, locale) for x in report.ordered())])
    chained = "count.chained_events" if report.plan is None else "count.events"
    counts = {"events": say(locale, chained, count=report.events),
              "plans": say(locale, "count.plans", count=report.plans),
              "proposals": say(locale, "count.proposals", count=report.proposals),
              "position": report.head.position, "hash": report.head.hash}
    lines = [say(locale, "cli.pack_checked", **counts) if report.plan is None else
             say(locale, "cli.pack_checked_plan", plan=report.plan, **counts)]
    if report.sums_only:
        lines.append(say(locale, "cli.pack_sums_only", members=", ".join(report.sums_only)))
    return "\n".join(lines)


def _finding_line(finding: Finding, locale: str) -> str:
    if finding.position is None:
        return say(locale, "cli.pack_finding", message=finding.message)
    return say(locale, "cli.pack_finding_at", position=finding.position,
               message=finding.message)
