"""Text a person reads on the command line, in the plan's language."""

from __future__ import annotations

from typing import Any

from definitions.messages import deployment_locale, say


def plan_text(view: dict[str, Any]) -> str:
    """Render a plan view (phases on their dates, decisions, committee, counts)."""
    lo = view["locale"]
    d = view["definition"]
    lines = [say(lo, "cli.plan_head", plan=view["plan"], title=view["title"]),
             say(lo, "cli.plan_meta", definition=d["id"], version=d["version"],
                 hash=d["hash"][:12], timezone=view["timezone"], plan_version=view["version"]),
             "", say(lo, "cli.phases")]
    for p in view["phases"]:
        when = [say(lo, "cli.opened", at=p["opened_at"][:16].replace("T", " "))
                if p["opened_at"] else "",
                say(lo, "cli.closed", at=p["closed_at"][:16].replace("T", " "))
                if p["closed_at"] else ""]
        status = say(lo, f"status.{p['status']}")
        lines.append(f"  {p['number']} {p['id']:<24} {p['starts']} → {p['ends']}  "
                     f"{status:<10} {' '.join(w for w in when if w)}")
    lines += ["", say(lo, "cli.decisions")]
    for dec in view["decisions"]:
        tally = say(lo, "tally", approvals=dec["approvals"], rejections=dec["rejections"],
                    voters=dec["voters"], needed=dec["needed"])
        lines.append(say(lo, "cli.decision_line", id=f"{dec['id']:<38}", tally=tally,
                         status=say(lo, f"decision.{dec['status']}")))
        if dec["why"]:
            lines.append(say(lo, "cli.decision_why", why=dec["why"]))
        if dec["votes"]:
            votes = ", ".join(f"{m} {'✓' if yes else '✗'}" for m, yes in dec["votes"].items())
            lines.append(f"      {votes}")
    lines += ["", say(lo, "cli.committee", count=len(view["committee"]))]
    lines += [f"  {m['id']:<20} {m['name']:<30} {m['group']}" for m in view["committee"]]
    done = sum(1 for a in view["activities"] if a["done_at"])
    lines += ["", say(lo, "cli.activities", done=done, total=len(view["activities"])),
              say(lo, "cli.proposals", total=view["proposals"]["total"])]
    lines += [f"  {state:<16} {n}" for state, n in view["proposals"]["by_state"].items() if n]
    return "\n".join(lines)


def plans_text(rows: list[dict[str, Any]]) -> str:
    """Render the list of plans."""
    if not rows:
        return say(deployment_locale(), "cli.no_plans")
    return "\n".join(f"{r['plan_id']:<24} v{r['version']:<5} {r['definition_id']:<20} "
                     f"{r['proposal_count']:>6}  {r['title']}" for r in rows)


def proposals_text(rows: list[dict[str, Any]], locale: str) -> str:
    """Render proposals, one line each."""
    if not rows:
        return say(locale, "cli.no_proposals")
    return "\n".join(
        f"{r['proposal_id']:<28} {r['state']:<14} {r['channel']}"
        f"{'/' + str(r['mesa']) if r['mesa'] else '':<3} {r['title'][:60]}" for r in rows)
