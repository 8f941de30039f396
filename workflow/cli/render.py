"""Text a person reads on the command line, in the plan's language."""

from __future__ import annotations

from typing import Any

from definitions.messages import deployment_locale, say
from definitions.schema import Definition
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
