"""Text a person reads on the command line, in the plan's language."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from definitions.messages import deployment_locale, long_date, long_moment, say
from definitions.schema import Definition
from workflow.domain.importing import REASONS, ImportReport
from workflow.domain.imports import Window
from workflow.views.timeline import channel_name


def plan_text(view: dict[str, Any]) -> str:
    """Render a plan view (phases on their dates, decisions, committee, counts).

    Everything is named as the definition names it, with the id a command takes.
    """
    lo = view["locale"]
    d = view["definition"]
    lines = [say(lo, "cli.plan_head", plan=view["plan"], title=view["title"]),
             say(lo, "cli.plan_meta", definition=d["id"], version=d["version"],
                 hash=d["hash"][:12], timezone=view["timezone"], plan_version=view["version"]),
             "", say(lo, "cli.phases")]
    for p in view["phases"]:
        lines += _phase_lines(p, lo)
    lines += ["", say(lo, "cli.decisions", committee=view["committee_name"])]
    members = {m["id"]: m["name"] for m in view["committee"]}
    for dec in view["decisions"]:
        lines += _decision_lines(dec, members, lo)
    lines += ["", say(lo, "cli.committee", count=len(view["committee"]),
                      committee=view["committee_name"])]
    lines += [f"  {m['id']:<20} {m['name']:<30} {m['group_name']}" for m in view["committee"]]
    done = sum(1 for a in view["activities"] if a["done_at"])
    lines += ["", say(lo, "cli.activities", done=done, total=len(view["activities"])),
              say(lo, "cli.proposals", total=view["proposals"]["total"])]
    lines += [f"  {state:<16} {n}" for state, n in view["proposals"]["by_state"].items() if n]
    return "\n".join(lines)


def _phase_lines(p: dict[str, Any], lo: str) -> list[str]:
    when = [say(lo, "cli.opened", at=p["opened_at"][:16].replace("T", " "))
            if p["opened_at"] else "",
            say(lo, "cli.closed", at=p["closed_at"][:16].replace("T", " "))
            if p["closed_at"] else ""]
    status = say(lo, f"status.{p['status']}")
    return [say(lo, "cli.phase_head", number=p["number"], title=p["title"], id=p["id"]),
            f"       {p['starts']} → {p['ends']}  {status:<10} {' '.join(w for w in when if w)}"]


def _decision_lines(dec: dict[str, Any], members: dict[str, str], lo: str) -> list[str]:
    tally = say(lo, "tally", approvals=dec["approvals"], rejections=dec["rejections"],
                voters=dec["voters"], needed=dec["needed"])
    lines = [say(lo, "cli.decision_line", title=dec["title"], id=dec["id"], tally=tally,
                 status=say(lo, f"decision.{dec['status']}"))]
    if dec["why"]:
        lines.append(say(lo, "cli.decision_why", why=dec["why"]))
    if dec["votes"]:
        votes = ", ".join(f"{members.get(m, m)} {'✓' if yes else '✗'}"
                          for m, yes in dec["votes"].items())
        lines.append(f"      {votes}")
    return lines


def plans_text(rows: list[dict[str, Any]]) -> str:
    """Render the list of plans."""
    if not rows:
        return say(deployment_locale(), "cli.no_plans")
    return "\n".join(f"{r['plan_id']:<24} v{r['version']:<5} {r['definition_id']:<20} "
                     f"{r['proposal_count']:>6}  {r['title']}" for r in rows)


def proposals_text(rows: list[dict[str, Any]], definition: Definition) -> str:
    """Render proposals, one line each, with their channel as the definition names it."""
    if not rows:
        return say(definition.locale, "cli.no_proposals")
    return "\n".join(
        f"{r['proposal_id']:<28} {r['state']:<14} "
        f"{channel_name(definition, r['channel'], r['mesa']):<28} {r['title'][:60]}"
        for r in rows)


COUNTED = {"already_imported": "import.count.already_imported",
           "other_space": "import.count.other_space",
           "other_component": "import.count.other_component",
           "withdrawn": "import.count.withdrawn", "amendment": "import.count.amendment",
           "outside_dates": "import.count.outside_dates"}
"""How the count of rows an import leaves out for each reason is said."""

WHY = {"other_space": "import.why.other_space", "other_component": "import.why.other_component",
       "withdrawn": "import.why.withdrawn", "amendment": "import.why.amendment",
       "outside_dates": "import.why.outside_dates"}
"""Why one row was left out (rows already imported are counted, not listed)."""


def import_text(report: ImportReport, definition: Definition) -> str:
    """Say what an import did (or, dry, would do): each row imported, the rest by reason."""
    lo, zone = definition.locale, ZoneInfo(definition.timezone)
    channel = channel_name(definition, report.channel, None)
    head = "import.report_dry" if report.dry_run else "import.report_done"
    lines = [say(lo, head, count=len(report.imported), source=report.source, plan=report.plan,
                 channel=channel), _window_line(report.window, zone, lo),
             say(lo, "import.report_rows", count=report.rows)]
    lines += [say(lo, "import.report_blank" if row.blank_body else "import.report_row",
                  line=row.line, reference=row.reference, proposal=row.proposal)
              for row in report.imported]
    left_out = sum(report.counts.values())
    if left_out:
        lines.append(say(lo, "import.report_left_out", count=left_out))
        lines += [say(lo, COUNTED[reason], count=report.counts[reason])
                  for reason in REASONS if report.counts[reason]]
    for row in report.skipped:
        why = say(lo, WHY[row.reason], received=long_moment(row.received_at, zone, lo))
        lines.append(say(lo, "import.report_skipped", line=row.line, reference=row.reference,
                         why=why))
    return "\n".join(lines)


def _window_line(window: Window, zone: ZoneInfo, lo: str) -> str:
    if window.opens is None or window.closes is None:
        return say(lo, "import.report_no_window")
    last = (window.closes - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return say(lo, "import.report_window", opens=long_date(window.opens.astimezone(zone).date(),
                                                           lo), closes=long_date(last, lo))
